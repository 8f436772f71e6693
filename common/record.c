/*
 * record.c: the one reader and writer of the xm stream (xm(7)).
 *
 * A line is taken whole: where it lies in the read buffer, or gathered
 * from several reads (RECORD_MAX + 2 bytes at most: what is past that
 * cannot change the verdict).  It is checked (NUL, a CR not before the
 * LF, its length) and split: TSV, which has no quoting, at its TABs in
 * the same pass, sixteen bytes a step (cut_line); CSV by libcsv, fed the
 * line and an LF.  libcsv can split
 * TSV too (RECORD_LIBCSV), and is the oracle the tests hold the TSV
 * path to.  No record spans lines, not even in CSV: a field holding a
 * line break could not be passed on as TSV anyway, and a stray quote
 * must cost one line, not swallow the rest of the input.
 */
#include <sys/stat.h>

#include <csv.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <err.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdio_ext.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metric.h"
#include "num.h"
#include "record.h"
#include "sig.h"
#include "text.h"
#include "xm.h"

#define READ_SIZE 65536
#define ACC_MAX (RECORD_MAX + 1)	/* a line's text and a CR */
#define SLACK 16		/* past each buffer's end, for cut_line's last chunk */

struct record_reader {
	const char *name;	/* in messages, before the line number; NULL: none */
	int	 fd;
	int	 sigfd;
	int	 turn;		/* the last fill went to sigfd: input's turn if both are ready */
	int	 csv_mode;
	int	 metric_later;	/* RECORD_METRIC_LATER */
	int	 libcsv;	/* split by libcsv: CSV, or TSV as the oracle (RECORD_LIBCSV) */
	FILE	*out;		/* flushed before blocking; NULL: never */
	struct record_writer *w;	/* its lines to out first (RECORD_BATCH) */
	int	 out_pipe;	/* out is a pipe or a socket, whose reader may go */
	struct csv_parser csv;

	char	*buf;
	size_t	 pos, len;
	int	 eof;
	int	 finished;	/* the last line taken */

	size_t	 lineno;	/* complete lines consumed */
	size_t	 row_line;	/* line the row in progress began on */
	size_t	 row_bytes;	/* of the line in progress, gathered in acc */
	char	*acc;
	size_t	 acclen;
	char	*line;		/* the TSV line the row was split from (record.line) */
	size_t	 linelen;
	const char *bad;	/* why the row in progress is malformed */
	char	 badbuf[160];

	/* the row in progress, then the row handed out */
	char	*row;
	size_t	 rowlen, rowcap;
	size_t	*off, *flen;
	char	**field;
	size_t	 nf, fcap;
	int	 done;

	/* the latest header's column names, and their lengths */
	char	**col;
	size_t	*collen;
	size_t	 ncol;
	int	 named;	/* the names are by position, for a record with no header (xm(7)) */
	int	 again;	/* the row in hand goes out again, as a record, after its header */

	size_t	 skipped;
	char	 tstext[24];	/* the latest ts read, as text, and as a number */
	size_t	 tslen;		/* SIZE_MAX: none */
	double	 ts;
	double	 ahead;		/* a ts past this is from the future: the clock at the latest read, + RECORD_AHEAD */
	int	 saved;		/* RECORD_SAVED: no ts is */
};

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}


static void
parser_init(struct record_reader *r)
{
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI) != 0)
		errx(XM_EXIT_FAIL, "unable to start the CSV parser");
	csv_set_blk_size(&r->csv, 1024);
	csv_set_space_func(&r->csv, no_space);
	if (r->csv_mode) {
		csv_set_delim(&r->csv, ',');
		csv_set_quote(&r->csv, '"');
	} else {
		/* TSV has no quoting; NUL never reaches the parser. */
		csv_set_delim(&r->csv, '\t');
		csv_set_quote(&r->csv, '\0');
	}
}

struct record_reader *
record_reader_new(int fd, int flags)
{
	struct record_reader *r = xm_calloc(1, sizeof *r);

	r->fd = fd;
	r->sigfd = -1;
	r->csv_mode = (flags & RECORD_CSV) != 0;
	r->libcsv = (flags & (RECORD_CSV | RECORD_LIBCSV)) != 0;
	r->metric_later = (flags & RECORD_METRIC_LATER) != 0;
	r->saved = (flags & RECORD_SAVED) != 0;
	r->ahead = HUGE_VAL;
	r->tslen = SIZE_MAX;
	r->buf = xm_calloc(1, READ_SIZE + SLACK);
	r->acc = xm_calloc(1, ACC_MAX + SLACK);
	r->rowcap = RECORD_MAX + 1;
	r->row = xm_malloc(r->rowcap + SLACK);
	if (r->libcsv)
		parser_init(r);
	return r;
}

void
record_reader_free(struct record_reader *r)
{
	if (r == NULL)
		return;
	if (r->libcsv)
		csv_free(&r->csv);
	free(r->buf);
	free(r->acc);
	free(r->row);
	free(r->off);
	free(r->flen);
	free(r->field);
	if (r->col)
		free(r->col[0]);
	free(r->col);
	free(r->collen);
	free(r);
}

/*
 * Flush out whenever the input has nothing ready, just before the
 * reader blocks: a live pipeline then shows each record at once (in a
 * file too, for tail -f), and a flood, whose input is never dry, is
 * written in full buffers.
 */
void
record_reader_flush(struct record_reader *r, FILE *out)
{
	struct stat st;

	r->out = out;
	r->out_pipe = fstat(fileno(out), &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

/* The lines w gathers go to its file before the reader waits for input. */
void
record_reader_batch(struct record_reader *r, struct record_writer *w)
{
	r->w = w;
}

/* Whether the output, a pipe or socket, failed because its reader has gone. */
static int
out_gone(const struct record_reader *r)
{
	return r->out_pipe && xm_out_gone(r->out);
}

/* Name the input in messages, as "name: line N: ..."; for a file other than stdin. */
void
record_reader_name(struct record_reader *r, const char *name)
{
	r->name = name;
}

/* Watch fd (a signalfd) too: record_read returns RECORD_SIGNAL on it. */
void
record_reader_signal(struct record_reader *r, int fd)
{
	r->sigfd = fd;
}

static void
mark_bad(struct record_reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->bad != NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(r->badbuf, sizeof r->badbuf, fmt, ap);
	va_end(ap);
	r->bad = r->badbuf;
}

static void
grow_fields(struct record_reader *r)
{
	r->fcap = r->fcap ? 2 * r->fcap : 16;
	r->off = xm_reallocarray(r->off, r->fcap, sizeof *r->off);
	r->flen = xm_reallocarray(r->flen, r->fcap, sizeof *r->flen);
	r->field = xm_reallocarray(r->field, r->fcap, sizeof *r->field);
}

static void
on_field(void *s, size_t len, void *data)
{
	struct record_reader *r = data;
	const char *p = s;

	if (r->nf == r->fcap)
		grow_fields(r);
	if (r->rowlen + len + 1 > r->rowcap) {
		while (r->rowlen + len + 1 > r->rowcap)
			r->rowcap = r->rowcap ? 2 * r->rowcap : 256;
		r->row = xm_reallocarray(r->row, r->rowcap + SLACK, 1);
	}
	memcpy(r->row + r->rowlen, p, len);
	r->off[r->nf] = r->rowlen;
	r->flen[r->nf] = len;
	r->rowlen += len;
	r->row[r->rowlen++] = '\0';
	r->nf++;
}

static void
on_row(int c, void *data)
{
	struct record_reader *r = data;

	(void)c;
	r->done = 1;
}

/* A quote out of place (strict CSV) makes the line bad; the rest of it is not fed. */
static void
feed(struct record_reader *r, const char *p, size_t n)
{
	if (n == 0 || r->bad != NULL || csv_parse(&r->csv, p, n, on_field, on_row, r) == n)
		return;
	if (csv_error(&r->csv) != CSV_EPARSE)
		errx(XM_EXIT_FAIL, "line %zu: %s", r->row_line,
		    csv_strerror(csv_error(&r->csv)));
	mark_bad(r, "misplaced double quote");
}

/* Throw away the row in progress and start the parser afresh. */
static void
drop_row(struct record_reader *r)
{
	if (r->libcsv) {
		csv_free(&r->csv);
		parser_init(r);
	}
	r->nf = 0;
	r->rowlen = 0;
	r->done = 1;
}

/* Why a line is malformed (cut_line). */
enum { LINE_OK, LINE_NUL, LINE_CR, LINE_LONG };

/*
 * A chunk of a line: CHUNK bytes from s copied to row, and a mask with
 * a bit set below each byte less than 14 (TAB, CR, NUL and their like),
 * and perhaps, without SSE2, below a few others after one: MARK_BITS
 * bits a byte, the first byte's lowest.
 */
#if defined(__SSE2__)
#define CHUNK 16
#define MARK_BITS 1
static inline uint64_t
chunk_cut(const char *s, char *row)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);

	_mm_storeu_si128((__m128i *)(void *)row, x);
	return (uint64_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(13)), x));
}
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CHUNK 8
#define MARK_BITS 8
static inline uint64_t
chunk_cut(const char *s, char *row)
{
	uint64_t w;

	memcpy(&w, s, 8);
	memcpy(row, &w, 8);
	return (w - 0x0e0e0e0e0e0e0e0eULL) & ~w & 0x8080808080808080ULL;	/* Mycroft's test */
}
#else
#define CHUNK 1
#define MARK_BITS 1
static inline uint64_t
chunk_cut(const char *s, char *row)
{
	*row = *s;
	return (unsigned char)*s < 14;
}
#endif

/*
 * Copy a line's text to the row, cutting it at its TABs: the fields of
 * TSV, which has no quoting.  0, or why the line is malformed: the
 * first NUL or CR in it, or its length.  One pass, a chunk at a time,
 * copied as it is looked at; only the bytes its mask marks are looked
 * at one by one.  The buffers have SLACK bytes past their ends, all of
 * them set, for the last chunk, whose bytes past the line are masked off.
 */
static int
cut_line(struct record_reader *r, const char *s, size_t len)
{
	size_t look = len < RECORD_MAX ? len : RECORD_MAX, i, j, start = 0;
	size_t nf = 0, cap = r->fcap, *flen = r->flen;
	uint64_t m;
	char *row = r->row, **field = r->field;

	for (i = 0; i < look; i += CHUNK) {
		m = chunk_cut(s + i, row + i);
		if (look - i < CHUNK)
			m &= (1ULL << ((look - i) * MARK_BITS)) - 1;
		for (; m != 0; m &= m - 1) {
			j = i + (size_t)__builtin_ctzll(m) / MARK_BITS;
			if (row[j] == '\0')
				return LINE_NUL;
			if (row[j] == '\r')
				return LINE_CR;
			if (row[j] != '\t')
				continue;
			if (nf == cap) {
				r->nf = nf;
				grow_fields(r);
				cap = r->fcap;
				field = r->field;
				flen = r->flen;
			}
			row[j] = '\0';
			field[nf] = row + start;
			flen[nf++] = j - start;
			start = j + 1;
		}
	}
	r->nf = nf;
	if (len > RECORD_MAX)
		return LINE_LONG;
	if (r->nf == r->fcap)
		grow_fields(r);
	row[look] = '\0';
	r->field[r->nf] = row + start;
	r->flen[r->nf++] = look - start;
	r->rowlen = look + 1;
	return LINE_OK;
}

/* What cut_line says of a line, found apart from it, by memchr: for libcsv's path. */
static int
line_fault(const char *s, size_t len)
{
	size_t look = len < RECORD_MAX ? len : RECORD_MAX;
	const char *nul = memchr(s, '\0', look), *cr;

	if ((cr = memchr(s, '\r', nul != NULL ? (size_t)(nul - s) : look)) != NULL)
		return LINE_CR;
	if (nul != NULL)
		return LINE_NUL;
	return len > RECORD_MAX ? LINE_LONG : LINE_OK;
}

/*
 * A whole line: its first `held` bytes at s, `total` bytes in all, its
 * LF not counted, a CR before that LF not part of it.  A line with no
 * text is no record.
 */
static void
take_whole(struct record_reader *r, char *s, size_t held, size_t total)
{
	static const char *const why[] = {
		[LINE_NUL] = "NUL byte in line",
		[LINE_CR] = "carriage return inside the line",
	};
	size_t len = total;
	int fault;

	r->line = NULL;
	if (total > 0 && held == total && s[total - 1] == '\r')
		len--;
	fault = r->libcsv ? line_fault(s, len) : cut_line(r, s, len);
	if (fault != LINE_OK) {
		if (fault == LINE_LONG)
			mark_bad(r, "line longer than %d bytes", RECORD_MAX);
		else
			mark_bad(r, "%s", why[fault]);
		drop_row(r);
		return;
	}
	if (len == 0) {
		r->nf = 0;
		r->rowlen = 0;
		return;
	}
	if (!r->libcsv) {
		r->done = 1;
		r->line = s;
		r->linelen = len;
		return;
	}
	feed(r, s, len);
	feed(r, "\n", 1);
	/* libcsv's ROW_NOT_BEGUN is 0: anything else is a quote left open. */
	if (!r->done && r->csv.pstate != 0)
		mark_bad(r, "unterminated quoted field");
	if (r->bad != NULL)
		drop_row(r);
}

/*
 * Consume the input up to and including the next LF, or all of it.  A
 * line whole in the buffer is taken where it lies, with no copy; one
 * cut by the end of the buffer is gathered in r->acc.
 */
static void
take_line(struct record_reader *r)
{
	char *p = r->buf + r->pos, *nl;
	size_t n, keep;

	nl = memchr(p, '\n', r->len - r->pos);
	n = nl ? (size_t)(nl - p) : r->len - r->pos;
	r->pos += n + (nl != NULL);
	if (r->row_bytes == 0)
		r->row_line = r->lineno + 1;
	if (nl != NULL && r->row_bytes == 0) {
		r->lineno++;
		take_whole(r, p, n, n);
		return;
	}
	keep = ACC_MAX - r->acclen < n ? ACC_MAX - r->acclen : n;
	memcpy(r->acc + r->acclen, p, keep);
	r->acclen += keep;
	r->row_bytes += n;
	if (nl == NULL)
		return;
	r->lineno++;
	take_whole(r, r->acc, r->acclen, r->row_bytes);
	r->acclen = 0;
	r->row_bytes = 0;
}

/* A last line with no LF is a line all the same. */
static void
take_eof(struct record_reader *r)
{
	r->finished = 1;
	if (r->row_bytes == 0)
		return;
	r->lineno++;
	take_whole(r, r->acc, r->acclen, r->row_bytes);
	r->acclen = 0;
	r->row_bytes = 0;
}

/* Refill the buffer; return 1 on data, 0 at EOF, or a RECORD_ kind. */
static int
fill(struct record_reader *r)
{
	struct pollfd pfd[2];
	nfds_t n = 1;
	ssize_t got;
	int rc;

	if (r->sigfd >= 0 && sig_caught())
		return RECORD_SIGNAL;
	if (r->out != NULL || r->sigfd >= 0) {
		pfd[0].fd = r->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = r->sigfd;
		pfd[1].events = POLLIN;
		if (r->sigfd >= 0)
			n = 2;
		while ((rc = poll(pfd, n, 0)) == -1 && errno == EINTR)
			;
		if (rc == 0) {
			if (r->w != NULL)
				record_flush(r->w);
			if (r->out != NULL && r->sigfd >= 0 && sig_flush(r->out))
				return RECORD_SIGNAL;
			if (r->out != NULL && r->sigfd < 0) {
				fflush(r->out);
				xm_stdout_check(r->out);
			}
			if (out_gone(r))
				return RECORD_CLOSED;
			while ((rc = poll(pfd, n, -1)) == -1 && errno == EINTR)
				;
		}
		if (rc == -1) {
			warn("poll");
			return RECORD_ERROR;
		}
		/*
		 * Turn about when both are ready: a descriptor that is always
		 * ready (a server under a stream of requests) must not starve
		 * the input, nor a flood of input the wake-ups.
		 */
		if (n == 2 && (pfd[1].revents & POLLIN) && !(r->turn && pfd[0].revents != 0)) {
			r->turn = 1;
			return RECORD_SIGNAL;
		}
		r->turn = 0;
	}
	while ((got = read(r->fd, r->buf, READ_SIZE)) == -1 && errno == EINTR)
		;
	if (got == -1) {
		warn("read");
		return RECORD_ERROR;
	}
	if (!r->saved)
		r->ahead = xm_realtime() + RECORD_AHEAD;
	r->pos = 0;
	r->len = (size_t)got;
	return got > 0;
}

static int
is_header(const struct record_reader *r)
{
	const char *first = r->field[0];

	if (r->nf < COL_FIXED)
		return 0;
	if (strcmp(first, "#ts") != 0 && !(r->csv_mode && strcmp(first, "ts") == 0))
		return 0;
	return strcmp(r->field[COL_HOST], "host") == 0 &&
	    strcmp(r->field[COL_METRIC], "metric") == 0 &&
	    strcmp(r->field[COL_VALUE], "value") == 0;
}

static int
same_header(const struct record_reader *r)
{
	size_t i;

	if (r->nf != r->ncol)
		return 0;
	for (i = 1; i < r->nf; i++)
		if (strcmp(r->field[i], r->col[i]) != 0)
			return 0;
	return 1;
}

/* Columns named names[0..n) (of lengths len), "ts" first whatever names[0] is. */
static void
set_columns(struct record_reader *r, char *const *names, const size_t *len, size_t n)
{
	size_t i, size = 3;
	char *p;

	if (r->col)
		free(r->col[0]);
	free(r->col);
	free(r->collen);
	for (i = 1; i < n; i++)
		size += len[i] + 1;
	r->col = xm_reallocarray(NULL, n, sizeof *r->col);
	r->collen = xm_reallocarray(NULL, n, sizeof *r->collen);
	p = xm_malloc(size);
	for (i = 0; i < n; i++) {
		r->col[i] = p;
		r->collen[i] = i == 0 ? 2 : len[i];
		memcpy(p, i == 0 ? "ts" : names[i], r->collen[i]);
		p[r->collen[i]] = '\0';
		p += r->collen[i] + 1;
	}
	r->ncol = n;
	r->named = 0;
}

static void
set_header(struct record_reader *r)
{
	set_columns(r, r->field, r->flen, r->nf);
}

/*
 * A record of n fields with no header to name them: the fixed four and
 * the rest by their position, "5", "6" and on, as xm(7) says, so a
 * program can pass them on under a header of its own.
 */
static void
name_by_position(struct record_reader *r, size_t n)
{
	static char *const fixed[] = { "ts", "host", "metric", "value" };
	char **names = xm_reallocarray(NULL, n, sizeof *names);
	char *num = xm_reallocarray(NULL, n, 21), *p = num;
	size_t *len = xm_reallocarray(NULL, n, sizeof *len), i;

	for (i = 0; i < n; i++) {
		if (i < COL_FIXED) {
			names[i] = fixed[i];
		} else {
			names[i] = p;
			p += snprintf(p, 21, "%zu", i + 1) + 1;
		}
		len[i] = strlen(names[i]);
	}
	set_columns(r, names, len, n);
	r->named = 1;
	free(num);
	free(names);
	free(len);
}

void
record_bad(struct record_reader *r, size_t lineno, const char *fmt, ...)
{
	extern char *program_invocation_short_name;
	va_list ap;

	r->skipped++;
	fprintf(stderr, "%s: ", program_invocation_short_name);
	if (r->name != NULL)
		fprintf(stderr, "%s: ", r->name);
	fprintf(stderr, "line %zu: ", lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Whether the record's metric breaks xm(7)'s rules: then said, and counted as skipped. */
int
record_metric_bad(struct record_reader *r, const struct record *rec)
{
	char q[XM_QUOTE_MAX];
	const char *why;

	if ((why = metric_check(rec->field[COL_METRIC], rec->len[COL_METRIC])) == NULL)
		return 0;
	record_bad(r, rec->lineno, "metric \"%s\": %s",
	    xm_quote(q, rec->field[COL_METRIC], rec->len[COL_METRIC]), why);
	return 1;
}

/* Whether the n bytes at a and b are the same: two loads each for 8 to 16. */
static inline int
same_text(const char *a, const char *b, size_t n)
{
	uint64_t a0, a1, b0, b1;

	if (n < 8 || n > 16)
		return memcmp(a, b, n) == 0;
	memcpy(&a0, a, 8);
	memcpy(&b0, b, 8);
	memcpy(&a1, a + n - 8, 8);
	memcpy(&b1, b + n - 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

/*
 * Whether the n bytes at s hold a comma: whether a metric with labels
 * may have a second, and so may be out of order.  Most have one label
 * or none, and pay this look alone (metric_sorted makes a call and
 * walks the labels).  The row has SLACK bytes past its end, set or
 * not, whose part in the last chunk is masked off.
 */
static inline int
has_comma(const char *s, size_t n)
{
#if defined(__SSE2__)
	const __m128i comma = _mm_set1_epi8(',');
	uint32_t m;
	size_t i;

	for (i = 0; i < n; i += 16) {
		m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(
		    _mm_loadu_si128((const __m128i *)(const void *)(s + i)), comma));
		if (n - i < 16)
			m &= (1u << (n - i)) - 1;
		if (m != 0)
			return 1;
	}
	return 0;
#else
	return memchr(s, ',', n) != NULL;
#endif
}

/*
 * Labels are a set: the metric's, out of order, put in order, in the
 * row and in the line alike, so that no one keys or passes on the
 * bytes as they came.  Same labels, same length.
 */
static void
put_in_order(struct record_reader *r)
{
	char *m = r->field[COL_METRIC];

	metric_sort(m, r->flen[COL_METRIC]);
	if (r->line != NULL)
		memcpy(r->line + (m - r->field[0]), m, r->flen[COL_METRIC]);
}

/* Check a completed row and tell what it is. */
static int
classify(struct record_reader *r, struct record *rec)
{
	char q[XM_QUOTE_MAX], span[NUM_MAX];
	size_t i, ml;
	char *m;

	/* libcsv's row may have moved as it grew; cut_line's does not */
	for (i = 0; r->libcsv && i < r->nf; i++)
		r->field[i] = r->row + r->off[i];
	rec->nfield = r->nf;
	rec->field = r->field;
	rec->len = r->flen;
	rec->lineno = r->row_line;
	rec->line = r->line;
	rec->linelen = r->linelen;
	if (r->bad != NULL) {
		record_bad(r, r->row_line, "%s", r->bad);
		return RECORD_BAD;
	}
	if (r->field[0][0] == '#' || (r->csv_mode && is_header(r))) {
		if (!is_header(r))
			return RECORD_COMMENT;
		for (i = 1; i < r->nf; i++) {
			if (r->flen[i] == 0) {
				record_bad(r, r->row_line,
				    "header column %zu has no name", i + 1);
				return RECORD_BAD;
			}
			if (r->csv_mode && memchr(r->field[i], '\t', r->flen[i]) != NULL) {
				record_bad(r, r->row_line,
				    "header column %zu contains a tab", i + 1);
				return RECORD_BAD;
			}
		}
		if (same_header(r))
			return -1;
		set_header(r);
		return RECORD_HEADER;
	}
	/*
	 * A quoted CSV field may hold a TAB, which no TSV writer could pass
	 * on (CR and LF never get this far).  Comments go through as they are.
	 */
	for (i = 0; r->csv_mode && i < r->nf; i++) {
		if (memchr(r->field[i], '\t', r->flen[i]) != NULL) {
			record_bad(r, r->row_line, "field %zu contains a tab", i + 1);
			return RECORD_BAD;
		}
	}
	if (r->nf < COL_FIXED) {
		for (i = 0; !r->csv_mode && i < r->nf; i++)
			if (memchr(r->field[i], ' ', r->flen[i]) != NULL)
				break;
		record_bad(r, r->row_line, "%zu field%s, a record needs at least %d%s",
		    r->nf, r->nf == 1 ? "" : "s", COL_FIXED, !r->csv_mode && i < r->nf ?
		    " (fields are separated by TABs, and this line has spaces)" : "");
		return RECORD_BAD;
	}
	if (r->ncol != 0 && !r->named && r->nf != r->ncol) {
		record_bad(r, r->row_line, "%zu fields where the header names %zu",
		    r->nf, r->ncol);
		return RECORD_BAD;
	}
	/* A sample set's records share their ts: the text seen last, its number kept. */
	if (r->flen[COL_TS] == r->tslen && same_text(r->field[COL_TS], r->tstext, r->tslen)) {
		rec->ts = r->ts;
	} else if (num_parse_ts_n(r->field[COL_TS], r->flen[COL_TS], &rec->ts) != 0) {
		record_bad(r, r->row_line, "ts \"%s\" is not a timestamp",
		    xm_quote(q, r->field[COL_TS], r->flen[COL_TS]));
		return RECORD_BAD;
	} else if (r->flen[COL_TS] <= sizeof r->tstext) {
		memcpy(r->tstext, r->field[COL_TS], r->flen[COL_TS]);
		r->tslen = r->flen[COL_TS];
		r->ts = rec->ts;
	}
	if (rec->ts > r->ahead) {
		num_format_span(span, rec->ts - (r->ahead - RECORD_AHEAD));
		record_bad(r, r->row_line, "ts \"%s\" is %s ahead of this machine's clock, more than the %ds allowed",
		    xm_quote(q, r->field[COL_TS], r->flen[COL_TS]), span, RECORD_AHEAD);
		return RECORD_BAD;
	}
	if (r->flen[COL_HOST] == 0) {
		record_bad(r, r->row_line, "host is empty");
		return RECORD_BAD;
	}
	if (r->flen[COL_HOST] > RECORD_HOST_MAX) {
		record_bad(r, r->row_line, "host \"%s\" is longer than %d bytes",
		    xm_quote(q, r->field[COL_HOST], r->flen[COL_HOST]), RECORD_HOST_MAX);
		return RECORD_BAD;
	}
	/*
	 * A metric a program has met before is the same bytes it checked
	 * then: with RECORD_METRIC_LATER, it checks only new ones, and those
	 * in order; one out of order is checked here, then put in order.
	 * The messages stay in the order of the fields.
	 */
	m = r->field[COL_METRIC];
	ml = r->flen[COL_METRIC];
	if (ml > 0 && m[ml - 1] == '}' && has_comma(m, ml) && !metric_sorted(m, ml)) {
		if (record_metric_bad(r, rec))
			return RECORD_BAD;
		put_in_order(r);
	} else if (!r->metric_later && record_metric_bad(r, rec)) {
		return RECORD_BAD;
	}
	if (num_parse_n(r->field[COL_VALUE], r->flen[COL_VALUE], &rec->value) != 0) {
		if (r->metric_later && record_metric_bad(r, rec))
			return RECORD_BAD;
		record_bad(r, r->row_line, "value \"%s\" is not a number",
		    xm_quote(q, r->field[COL_VALUE], r->flen[COL_VALUE]));
		return RECORD_BAD;
	}
	/*
	 * Columns no header names: a header of names by position first, then
	 * the record again (record_read), so that what a program writes
	 * under its own header is as wide as that header.
	 */
	if ((r->ncol == 0 && r->nf > COL_FIXED) || (r->named && r->nf != r->ncol)) {
		name_by_position(r, r->nf);
		r->again = 1;
		rec->nfield = r->ncol;
		rec->field = r->col;
		rec->len = r->collen;
		rec->line = NULL;
		return RECORD_HEADER;
	}
	return RECORD_OK;
}

/*
 * Read the next record, header or comment into rec, whose fields stay
 * valid until the next call.  A malformed record is reported on stderr
 * and counted before RECORD_BAD comes back; the caller just goes on.
 */
int
record_read(struct record_reader *r, struct record *rec)
{
	int rc;

	if (out_gone(r))
		return RECORD_CLOSED;
	for (;;) {
		if (r->done) {
			r->done = 0;
			rc = classify(r, rec);
			if (r->again) {
				/* the row again, at the next call, as the record it is */
				r->again = 0;
				r->done = 1;
				return rc;
			}
			r->bad = NULL;
			r->nf = 0;
			r->rowlen = 0;
			if (rc >= 0)
				return rc;
			continue;
		}
		if (r->pos < r->len) {
			take_line(r);
			continue;
		}
		if (r->finished)
			return RECORD_EOF;
		if (r->eof) {
			take_eof(r);
			continue;
		}
		rc = fill(r);
		if (rc == 0)
			r->eof = 1;
		else if (rc != 1)
			return rc;
	}
}

/* The key of a record not read from TSV, len bytes, joined in *scratch (record_series_key). */
const char *
record_series_join(const struct record *rec, char **scratch, size_t *cap, size_t len)
{
	size_t hl = rec->len[COL_HOST];

	if (len + 1 > *cap) {
		*cap = 2 * len + 1;
		*scratch = xm_reallocarray(*scratch, *cap, 1);
	}
	memcpy(*scratch, rec->field[COL_HOST], hl);
	(*scratch)[hl] = '\t';
	memcpy(*scratch + hl + 1, rec->field[COL_METRIC], rec->len[COL_METRIC]);
	(*scratch)[len] = '\0';
	return *scratch;
}

/* The index of the named column in the latest header, or -1. */
int
record_column(const struct record_reader *r, const char *name)
{
	static const char *const fixed[] = { "ts", "host", "metric", "value" };
	size_t i;

	if (r->ncol == 0) {
		for (i = 0; i < COL_FIXED; i++)
			if (strcmp(fixed[i], name) == 0)
				return (int)i;
		return -1;
	}
	for (i = 0; i < r->ncol; i++)
		if (strcmp(r->col[i], name) == 0)
			return (int)i;
	return -1;
}

/* The column names in force: the latest header's, else the four fixed. */
size_t
record_columns(const struct record_reader *r, const char *const **names)
{
	static const char *const fixed[] = { "ts", "host", "metric", "value" };

	if (r->ncol == 0) {
		*names = fixed;
		return COL_FIXED;
	}
	*names = (const char *const *)r->col;
	return r->ncol;
}

size_t
record_skipped(const struct record_reader *r)
{
	return r->skipped;
}

/* Report what was skipped; the exit status the input deserves. */
int
record_reader_end(struct record_reader *r)
{
	if (r->skipped == 0)
		return XM_EXIT_OK;
	warnx("%zu record%s skipped", r->skipped,
	    r->skipped == 1 ? "" : "s");
	return XM_EXIT_FAIL;
}

/*
 * The steps that end every program's stream, in one order, once its
 * last line is written and its state saved: what a signal left stdout
 * unable to write dropped, whatever it holds for a reader of it that
 * has gone (gone: RECORD_CLOSED came) dropped too, and the reader freed.
 */
void
record_reader_close(struct record_reader *r, int gone)
{
	sig_abandon(stdout);
	if (gone)
		xm_stdout_gone();
	record_reader_free(r);
}

/*
 * The input has ended, or a signal or a reader that has gone (closed)
 * ended it: what w holds goes out, and whether more may be written,
 * which it may not after a write a signal left undone.
 */
int
record_stream_end(struct record_writer *w, int closed)
{
	record_flush(w);
	return !closed && !sig_abandon(w->f);
}

void
record_writer_init(struct record_writer *w, FILE *f, int flags)
{
	w->f = f;
	w->csv = (flags & RECORD_CSV) != 0;
	w->interruptible = (flags & RECORD_INTERRUPTIBLE) != 0;
	w->shared = (flags & RECORD_SHARED) != 0;
	w->batch = (flags & RECORD_BATCH) != 0;
	w->tty = isatty(fileno(f));
	w->nfield = 0;
	w->len = 0;
}

/*
 * n bytes from src to the writer's line at dst: for the few bytes of a
 * field or a line, moves of 16, 8, 4 bytes that overlap at the end, with
 * no call (a library memcpy of a few bytes costs as much as the line).
 */
static inline void
copy_out(char *dst, const char *src, size_t n)
{
	uint64_t a, b;
	uint32_t c, d;
	size_t i;

	if (n > 256) {
		memcpy(dst, src, n);
	} else if (n >= 16) {
		for (i = 0; i + 16 < n; i += 16)
			memcpy(dst + i, src + i, 16);
		memcpy(dst + n - 16, src + n - 16, 16);
	} else if (n >= 8) {
		memcpy(&a, src, 8);
		memcpy(&b, src + n - 8, 8);
		memcpy(dst, &a, 8);
		memcpy(dst + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, src, 4);
		memcpy(&d, src + n - 4, 4);
		memcpy(dst, &c, 4);
		memcpy(dst + n - 4, &d, 4);
	} else if (n > 0) {
		dst[0] = src[0];
		dst[n / 2] = src[n / 2];
		dst[n - 1] = src[n - 1];
	}
}

static int
csv_needs_quotes(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			return 1;
	return len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
}

/*
 * The line, or as much of it as the room held, to stdio.  A shared pipe
 * gets what stdio holds first when the line would take it past
 * PIPE_BUF: the kernel writes that much into a pipe at once, never mixed
 * with another writer's bytes, so several samplers can feed one pipe.
 */
static void
put_out(struct record_writer *w, char *p, size_t n)
{
	if (w->tty)
		text_tty(p, n);
	if (w->interruptible) {
		sig_fwrite(p, n, w->f);
	} else {
		fwrite_unlocked(p, 1, n, w->f);
		xm_stdout_check(w->f);
	}
}

static void
spill(struct record_writer *w)
{
	if (w->shared && __fpending(w->f) + w->len > PIPE_BUF)
		fflush_unlocked(w->f);
	put_out(w, w->line, w->len);
	w->len = 0;
}

/*
 * A batch goes out in whole blocks of stdout's buffer, which stdio
 * then writes as they are instead of copying them into that buffer;
 * the rest waits for the next lines.
 */
static void
spill_blocks(struct record_writer *w)
{
	size_t n = w->len - w->len % XM_STDOUT_BUF;

	put_out(w, w->line, n);
	memmove(w->line, w->line + n, w->len - n);
	w->len -= n;
}

static void
put_bytes(struct record_writer *w, const char *s, size_t len)
{
	size_t n;

	while (len > 0) {
		if (w->len == sizeof w->line)
			spill(w);
		n = sizeof w->line - w->len < len ? sizeof w->line - w->len : len;
		memcpy(w->line + w->len, s, n);
		w->len += n;
		s += n;
		len -= n;
	}
}

void
record_put(struct record_writer *w, const char *s, size_t len)
{
	size_t need;

	if (w->nfield++ != 0) {
		if (w->len == sizeof w->line)
			spill(w);
		w->line[w->len++] = w->csv ? ',' : '\t';
	}
	if (w->csv && csv_needs_quotes(s, len)) {
		need = csv_write(NULL, 0, s, len);
		if (need > sizeof w->line - w->len)
			spill(w);
		if (need <= sizeof w->line - w->len) {
			w->len += csv_write(w->line + w->len, need, s, len);
			return;
		}
		spill(w);
		csv_fwrite(w->f, s, len);
		return;
	}
	if (len <= sizeof w->line - w->len) {
		copy_out(w->line + w->len, s, len);
		w->len += len;
	} else {
		put_bytes(w, s, len);
	}
}

void
record_put_str(struct record_writer *w, const char *s)
{
	record_put(w, s, strlen(s));
}

/* A number written where it goes, when there is room; CSV never quotes one. */
static void
put_formatted(struct record_writer *w, double v, size_t (*format)(char [NUM_MAX], double))
{
	char buf[NUM_MAX];

	if (sizeof w->line - w->len < NUM_MAX + 1) {
		record_put(w, buf, format(buf, v));
		return;
	}
	if (w->nfield++ != 0)
		w->line[w->len++] = w->csv ? ',' : '\t';
	w->len += format(w->line + w->len, v);
}

void
record_put_number(struct record_writer *w, double v)
{
	put_formatted(w, v, num_format);
}

/*
 * record_put_number of v, whose text k keeps: formatted again only when
 * v is not the number k holds, bit for bit.
 */
void
record_put_kept(struct record_writer *w, double v, struct num_text *k)
{
	size_t at;

	if (k->len != 0 && memcmp(&k->v, &v, sizeof v) == 0) {
		record_put(w, k->text, k->len);
		return;
	}
	at = w->len + (w->nfield != 0);
	record_put_number(w, v);
	k->len = 0;
	if (w->len >= at && w->len - at <= sizeof k->text) {
		k->len = (unsigned char)(w->len - at);
		memcpy(k->text, w->line + at, k->len);
		k->v = v;
	}
}

/* An integer with all its digits, never through a double. */
void
record_put_u64(struct record_writer *w, unsigned long long n)
{
	char buf[NUM_MAX];

	if (sizeof w->line - w->len < NUM_MAX + 1) {
		record_put(w, buf, num_format_u64(buf, n));
		return;
	}
	if (w->nfield++ != 0)
		w->line[w->len++] = w->csv ? ',' : '\t';
	w->len += num_format_u64(w->line + w->len, n);
}

void
record_put_ts(struct record_writer *w, double ts)
{
	put_formatted(w, ts, num_format_ts);
}

/*
 * n fields at once, as TSV has them: len bytes, TAB between.  One copy
 * for a TSV writer; a CSV writer puts them one by one.
 */
void
record_put_joined(struct record_writer *w, const char *s, size_t len, size_t n)
{
	const char *end = s + len, *tab;

	if (!w->csv && len + 1 <= sizeof w->line - w->len) {
		if (w->nfield != 0)
			w->line[w->len++] = '\t';
		copy_out(w->line + w->len, s, len);
		w->len += len;
		w->nfield += n;
		return;
	}
	for (; n > 1 && (tab = memchr(s, '\t', (size_t)(end - s))) != NULL; n--, s = tab + 1)
		record_put(w, s, (size_t)(tab - s));
	record_put(w, s, (size_t)(end - s));
}

void
record_put_fields(struct record_writer *w, const struct record *rec)
{
	size_t i;

	if (rec->line != NULL) {
		record_put_joined(w, rec->line, rec->linelen, rec->nfield);
		return;
	}
	for (i = 0; i < rec->nfield; i++)
		record_put(w, rec->field[i], rec->len[i]);
}

/* A field copied to the line at at, room made sure of, and what follows it: where the next goes. */
static inline size_t
put_field(struct record_writer *w, size_t at, const char *s, size_t len, char after)
{
	copy_out(w->line + at, s, len);
	w->line[at + len] = after;
	return at + len + 1;
}

/* The line, newline and all, ends at at: out now, or with the batch's blocks. */
static inline void
line_done(struct record_writer *w, size_t at)
{
	w->len = at;
	if (!w->batch)
		spill(w);
	else if (at >= XM_STDOUT_BUF)
		spill_blocks(w);
}

/*
 * rec as it came, then n columns more, TAB between in the len bytes at
 * s, and the line's end: for a TSV line, two moves and one count.
 */
void
record_put_line(struct record_writer *w, const struct record *rec, const char *s, size_t len,
    size_t n)
{
	size_t at = w->len;

	if (rec->line == NULL || w->nfield != 0 || w->csv || n == 0 ||
	    rec->linelen + len + 2 > sizeof w->line - at) {
		record_put_fields(w, rec);
		record_put_joined(w, s, len, n);
		record_end(w);
		return;
	}
	at = put_field(w, at, rec->line, rec->linelen, '\t');
	line_done(w, put_field(w, at, s, len, '\n'));
}

/*
 * A line of three parts, TAB between: head, its nhead fields as TSV has
 * them, a field, and a number: a sampler's "ts TAB host", metric and
 * value, two moves and the number formatted in place, where a field at
 * a time takes a call each.  Where the line would not fit, or is CSV,
 * it goes field by field.
 */
static inline size_t
row_start(struct record_writer *w, const char *head, size_t hlen, const char *mid, size_t mlen)
{
	size_t at = w->len;

	if (w->csv || w->nfield != 0 || hlen + mlen + NUM_MAX + 3 > sizeof w->line - at)
		return SIZE_MAX;
	at = put_field(w, at, head, hlen, '\t');
	return put_field(w, at, mid, mlen, '\t');
}

void
record_put_row_number(struct record_writer *w, const char *head, size_t hlen, size_t nhead,
    const char *mid, size_t mlen, double v)
{
	size_t at = row_start(w, head, hlen, mid, mlen);

	if (at == SIZE_MAX) {
		record_put_joined(w, head, hlen, nhead);
		record_put(w, mid, mlen);
		record_put_number(w, v);
		record_end(w);
		return;
	}
	at += num_format(w->line + at, v);
	w->line[at] = '\n';
	line_done(w, at + 1);
}

void
record_put_row_u64(struct record_writer *w, const char *head, size_t hlen, size_t nhead,
    const char *mid, size_t mlen, unsigned long long n)
{
	size_t at = row_start(w, head, hlen, mid, mlen);

	if (at == SIZE_MAX) {
		record_put_joined(w, head, hlen, nhead);
		record_put(w, mid, mlen);
		record_put_u64(w, n);
		record_end(w);
		return;
	}
	at += num_format_u64(w->line + at, n);
	w->line[at] = '\n';
	line_done(w, at + 1);
}

void
record_end(struct record_writer *w)
{
	if (w->len == sizeof w->line)
		spill(w);
	w->line[w->len] = '\n';
	line_done(w, w->len + 1);
	w->nfield = 0;
}

/* The lines gathered (RECORD_BATCH) to stdio, whose own flush is the caller's. */
void
record_flush(struct record_writer *w)
{
	if (w->len > 0)
		spill(w);
}

/* names[0] is "ts"; a TSV header spells it "#ts", a CSV header "ts". */
void
record_put_header(struct record_writer *w, const char *const *names, size_t n)
{
	size_t i;

	if (!w->csv)
		w->line[w->len++] = '#';
	for (i = 0; i < n; i++)
		record_put_str(w, names[i]);
	record_end(w);
}
