/*
 * save.c: xm-sample's state file (--state), an xm stream itself:
 *
 *	#xm-sample state 1
 *	#ts  host  metric  value
 *	#taken  TS  UPTIME  BOOT
 *	when the counters were read: the set's stamp, the seconds since
 *	boot by CLOCK_BOOTTIME ("-" for copies of /proc), and the boot
 *	(/proc/sys/kernel/random/boot_id; "-" where there is none)
 *	#file  ROOT  PATH  LINES
 *	a counter file as it was read: proc or sys, its path there, and
 *	its number of lines, each on a #text line after it with its
 *	newline left off; in both, \, TAB, CR and NUL are written \\, \t,
 *	\r and \0
 *	#end  FILES  LINES
 *
 * It holds no records: the files' texts are played back as the first
 * reading of the next run, as if it had read them itself.  A text read
 * back ends with a newline, whether the file did or not.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "record.h"
#include "sample.h"
#include "state.h"
#include "xm.h"

#define STATE_VERSION "#xm-sample state 1"

/* Far more counter files than any set reads, and than any one holds: bounds on a file's cost. */
#define FILES_MAX 256
#define LINES_MAX 100000
#define TEXT_MAX (1 << 20)

/* An escaped field, and the #text before it, within a line of the stream. */
#define FIELD_MAX (RECORD_MAX - 8)

static const char *const header[] = { "ts", "host", "metric", "value" };
static const char *const comments[] = { "#taken", "#file", "#text", NULL };

const struct state_grammar sample_grammar = {
	STATE_VERSION, NULL, header, 4, comments, 2
};

/* len bytes of p as a field, into buf: its length, or -1 when it is too long. */
static ssize_t
escape(char *buf, const char *p, size_t len)
{
	size_t i, n = 0;
	char c;

	for (i = 0; i < len; i++) {
		if (n + 2 > FIELD_MAX)
			return -1;
		c = p[i];
		if (c == '\\' || c == '\t' || c == '\r' || c == '\0') {
			buf[n++] = '\\';
			c = c == '\t' ? 't' : c == '\r' ? 'r' : c == '\0' ? '0' : '\\';
		}
		buf[n++] = c;
	}
	return (ssize_t)n;
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
 * A file goes in whole, or not at all when its path or a line of it
 * would be too long for the stream, or it is longer than a file may be
 * read back: the next run reads it afresh.
 */
static int
fits(const struct tape_file *f, char *buf)
{
	const char *p = f->text, *end = f->text + f->len, *nl;

	if (f->len > TEXT_MAX || lines(f->text, f->len) > LINES_MAX ||
	    escape(buf, f->path, strlen(f->path)) == -1)
		return 0;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (escape(buf, p, (size_t)(nl - p)) == -1)
			return 0;
	}
	return 1;
}

static void
put_escaped(struct record_writer *w, char *buf, const char *p, size_t len)
{
	record_put(w, buf, (size_t)escape(buf, p, len));
}

int
tape_save(void *arg, FILE *fp)
{
	const struct tape *t = arg;
	const struct tape_file *f;
	const char *p, *end, *nl;
	struct record_writer w;
	char *buf = xm_malloc(FIELD_MAX), num[32];
	size_t i, n, nfile = 0, nline = 0;

	state_put_begin(&w, fp, &sample_grammar);
	record_put(&w, "#taken", 6);
	state_put_exact_ts(&w, t->ts);
	if (isnan(t->uptime))
		record_put(&w, "-", 1);
	else
		state_put_exact(&w, t->uptime);
	record_put_str(&w, t->boot != NULL ? t->boot : "-");
	record_end(&w);
	for (i = 0; i < t->n && nfile < FILES_MAX; i++) {
		f = &t->f[i];
		if (!fits(f, buf))
			continue;
		record_put(&w, "#file", 5);
		record_put_str(&w, f->root == ROOT_PROC ? "proc" : "sys");
		put_escaped(&w, buf, f->path, strlen(f->path));
		n = lines(f->text, f->len);
		record_put(&w, num, (size_t)snprintf(num, sizeof num, "%zu", n));
		record_end(&w);
		end = f->text + f->len;
		for (p = f->text; p < end; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
				nl = end;
			record_put(&w, "#text", 5);
			put_escaped(&w, buf, p, (size_t)(nl - p));
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

/* A field back as the bytes it was, in place: their length, or -1 for an escape not made. */
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

/* A state file being read into a tape: the file whose lines come. */
struct tape_reader {
	struct tape *t;
	char	*text;		/* its lines so far */
	size_t	 len, cap, want, got;
	enum root root;
	char	*path;
};

static const char *
file_end(struct tape_reader *tr)
{
	if (tr->path == NULL)
		return NULL;
	if (tr->got != tr->want)
		return "a #file line whose lines do not follow it";
	tape_put(tr->t, tr->root, tr->path, tr->text, tr->len);
	free(tr->path);
	tr->path = NULL;
	return NULL;
}

static const char *
text_add(struct tape_reader *tr, const char *p, size_t n)
{
	if (tr->len + n + 1 > TEXT_MAX)
		return "a file longer than 1 MiB";
	if (tr->len + n + 1 > tr->cap) {
		tr->cap = tr->len + n + 1 > 2 * tr->cap ? tr->len + n + 1 : 2 * tr->cap;
		tr->text = xm_reallocarray(tr->text, tr->cap, 1);
	}
	memcpy(tr->text + tr->len, p, n);
	tr->len += n;
	tr->text[tr->len] = '\0';
	return NULL;
}

static const char *
taken_read(struct tape_reader *tr, struct record *rec)
{
	struct tape *t = tr->t;

	if (rec->nfield != 4 || t->boot != NULL || num_parse_ts(rec->field[1], &t->ts) != 0)
		return "a malformed #taken line";
	if (strcmp(rec->field[2], "-") == 0)
		t->uptime = NAN;
	else if (num_parse(rec->field[2], &t->uptime) != 0 || !(t->uptime >= 0))
		return "a malformed #taken line";
	t->boot = xm_strdup(rec->field[3]);
	return NULL;
}

static const char *
file_read(struct tape_reader *tr, struct state_reader *sr, struct record *rec)
{
	unsigned long long n;
	const char *why;
	ssize_t k;

	if ((why = file_end(tr)) != NULL)
		return why;
	if (sr->count[0] == FILES_MAX)
		return "more #file lines than a run writes";
	if (rec->nfield != 4 || (strcmp(rec->field[1], "proc") != 0 &&
	    strcmp(rec->field[1], "sys") != 0) ||
	    (k = unescape(rec->field[2], rec->len[2])) <= 0 ||
	    memchr(rec->field[2], '\0', (size_t)k) != NULL ||
	    num_parse_count(rec->field[3], LINES_MAX, &n) != 0)
		return "a malformed #file line";
	rec->field[2][k] = '\0';
	tr->root = rec->field[1][0] == 'p' ? ROOT_PROC : ROOT_SYS;
	tr->path = xm_strdup(rec->field[2]);
	tr->want = (size_t)n;
	tr->got = tr->len = 0;
	sr->count[0]++;
	return NULL;
}

static const char *
line_read(struct tape_reader *tr, struct state_reader *sr, struct record *rec)
{
	const char *why;
	ssize_t k;

	if (strcmp(rec->field[0], "#taken") == 0)
		return taken_read(tr, rec);
	if (strcmp(rec->field[0], "#file") == 0)
		return file_read(tr, sr, rec);
	if (rec->nfield != 2 || tr->path == NULL || tr->got == tr->want ||
	    (k = unescape(rec->field[1], rec->len[1])) < 0)
		return "a malformed #text line";
	if ((why = text_add(tr, rec->field[1], (size_t)k)) != NULL ||
	    (why = text_add(tr, "\n", 1)) != NULL)
		return why;
	tr->got++;
	sr->count[1]++;
	return NULL;
}

/* Read a state file into t (state_load's load): NULL, or why it is not to be trusted. */
const char *
tape_load(void *arg, struct state_reader *sr)
{
	struct tape_reader tr = { .t = arg };
	struct record rec;
	const char *why = NULL;
	enum state_line k;

	while (why == NULL && (k = state_read(sr, &rec)) != STATE_DONE) {
		if (k == STATE_BAD)
			why = sr->why;
		else if (k == STATE_RECORD)
			why = "a record where only #lines belong";
		else
			why = line_read(&tr, sr, &rec);
	}
	if (why == NULL)
		why = file_end(&tr);
	if (why == NULL && tr.t->boot == NULL)
		why = "no #taken line";
	free(tr.text);
	free(tr.path);
	if (why != NULL)
		tape_free(tr.t);
	return why;
}
