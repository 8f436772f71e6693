/*
 * save.c: xm-sample's state file (--state), an xm stream itself:
 *
 *	#xm-sample state 1
 *	#ts  host  metric  value
 *	#taken  TS  BOOT
 *	when the counters were read, and the boot they were read in
 *	(/proc/sys/kernel/random/boot_id; "-" where there is none)
 *	#file  ROOT  PATH  LINES
 *	a counter file as it was read: proc or sys, its path there, and
 *	its number of lines, each on a #text line after it, with \, TAB,
 *	CR and NUL written \\, \t, \r and \0
 *	#end  FILES  LINES
 *
 * It holds no records: the files' texts are played back as the first
 * reading of the next run, as if it had read them itself.
 */
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "record.h"
#include "sample.h"
#include "state.h"
#include "xm.h"

#define STATE_VERSION "#xm-sample state 1"

/* Far more counter files than any set reads: a bound on a file's cost. */
#define FILES_MAX 256

static const char *const header[] = { "ts", "host", "metric", "value" };
static const char *const comments[] = { "#taken", "#file", "#text", NULL };

const struct state_grammar sample_grammar = {
	STATE_VERSION, NULL, header, 4, comments, 2
};

/* A line of text as #text holds it, in buf; its length, or 0 when too long. */
static size_t
escape(char *buf, size_t size, const char *p, size_t len)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < len; i++) {
		if (n + 2 > size)
			return 0;
		c = p[i];
		if (c == '\\' || c == '\t' || c == '\r' || c == '\0') {
			buf[n++] = '\\';
			c = c == '\t' ? 't' : c == '\r' ? 'r' : c == '\0' ? '0' : '\\';
		}
		buf[n++] = c;
	}
	return n;
}

/* The lines of a text; one that ends without a newline counts too. */
static size_t
lines(const char *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] == '\n';
	return n + (len > 0 && p[len - 1] != '\n');
}

/*
 * A file goes in whole, or not at all when a line of it would be too
 * long for the stream: the next run reads it afresh (and says so).
 */
static int
fits(const struct tape_file *f, char *buf, size_t size)
{
	const char *p = f->text, *end = f->text + f->len, *nl;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p && escape(buf, size, p, (size_t)(nl - p)) == 0)
			return 0;
	}
	return 1;
}

int
tape_save(void *arg, FILE *fp)
{
	const struct tape *t = arg;
	const struct tape_file *f;
	const char *p, *end, *nl;
	struct record_writer w;
	char *buf = xm_malloc(RECORD_MAX), num[32];
	size_t i, n, nfile = 0, nline = 0, size = RECORD_MAX - 8;

	state_put_begin(&w, fp, &sample_grammar);
	record_put(&w, "#taken", 6);
	state_put_exact_ts(&w, t->ts);
	record_put_str(&w, t->boot != NULL ? t->boot : "-");
	record_end(&w);
	for (i = 0; i < t->n; i++) {
		f = &t->f[i];
		if (!fits(f, buf, size))
			continue;
		record_put(&w, "#file", 5);
		record_put_str(&w, f->root == ROOT_PROC ? "proc" : "sys");
		record_put_str(&w, f->path);
		n = lines(f->text, f->len);
		record_put(&w, num, (size_t)snprintf(num, sizeof num, "%zu", n));
		record_end(&w);
		end = f->text + f->len;
		for (p = f->text; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			record_put(&w, "#text", 5);
			record_put(&w, buf, escape(buf, size, p, (size_t)(nl - p)));
			record_end(&w);
		}
		nfile++;
		nline += n;
	}
	record_flush(&w);
	state_put_end(fp, &sample_grammar, (size_t[]){ nfile, nline });
	free(buf);
	return ferror(fp) ? -1 : 0;
}

/* #text's field back as the line it was, in place; -1 for an escape not made. */
static ssize_t
unescape(char *p, size_t len)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < len; i++) {
		c = p[i];
		if (c == '\\') {
			if (++i == len)
				return -1;
			switch (p[i]) {
			case '\\': c = '\\'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': c = '\0'; break;
			default: return -1;
			}
		}
		p[n++] = c;
	}
	return (ssize_t)n;
}

struct loading {
	struct tape *t;
	char	*text;		/* the file being read, its lines so far */
	size_t	 len, cap, want, got;
	enum root root;
	char	*path;
};

static const char *
file_end(struct loading *l)
{
	if (l->path == NULL)
		return NULL;
	if (l->got != l->want)
		return "a #file line whose lines do not follow it";
	/* the last line had its newline, unless the file ended without one */
	tape_put(l->t, l->root, l->path, l->text, l->len);
	free(l->path);
	l->path = NULL;
	return NULL;
}

static void
text_add(struct loading *l, const char *p, size_t n)
{
	if (l->len + n + 1 > l->cap) {
		l->cap = l->len + n + 1 > 2 * l->cap ? l->len + n + 1 : 2 * l->cap;
		l->text = xm_reallocarray(l->text, l->cap, 1);
	}
	memcpy(l->text + l->len, p, n);
	l->len += n;
}

static const char *
line_read(struct loading *l, struct state_reader *sr, struct record *rec)
{
	unsigned long long n;
	const char *why;
	ssize_t k;

	if (strcmp(rec->field[0], "#taken") == 0) {
		if (rec->nfield != 3 || l->t->boot != NULL || num_parse_ts(rec->field[1], &l->t->ts) != 0)
			return "a malformed #taken line";
		l->t->boot = xm_strdup(rec->field[2]);
		return NULL;
	}
	if (strcmp(rec->field[0], "#file") == 0) {
		if ((why = file_end(l)) != NULL)
			return why;
		if (sr->count[0] == FILES_MAX)
			return "more #file lines than the 256 a run could have written";
		if (rec->nfield != 4 || (strcmp(rec->field[1], "proc") != 0 &&
		    strcmp(rec->field[1], "sys") != 0) || rec->field[2][0] == '\0' ||
		    num_parse_count(rec->field[3], 1000000, &n) != 0)
			return "a malformed #file line";
		l->root = rec->field[1][0] == 'p' ? ROOT_PROC : ROOT_SYS;
		l->path = xm_strdup(rec->field[2]);
		l->want = (size_t)n;
		l->got = l->len = 0;
		sr->count[0]++;
		return NULL;
	}
	if (rec->nfield != 2 || l->path == NULL || l->got == l->want ||
	    (k = unescape(rec->field[1], rec->len[1])) < 0)
		return "a malformed #text line";
	text_add(l, rec->field[1], (size_t)k);
	text_add(l, "\n", 1);
	l->got++;
	sr->count[1]++;
	return NULL;
}

/* Read a state file into t (state_load's load): NULL, or why it is not to be trusted. */
const char *
tape_load(void *arg, struct state_reader *sr)
{
	struct loading l = { .t = arg };
	struct record rec;
	const char *why = NULL;
	enum state_line k;

	while (why == NULL && (k = state_read(sr, &rec)) != STATE_DONE) {
		if (k == STATE_BAD)
			why = sr->why;
		else if (k == STATE_RECORD)
			why = "a record where only #lines belong";
		else
			why = line_read(&l, sr, &rec);
	}
	if (why == NULL)
		why = file_end(&l);
	if (why == NULL && l.t->boot == NULL)
		why = "no #taken line";
	free(l.text);
	free(l.path);
	if (why != NULL)
		tape_free(l.t);
	return why;
}
