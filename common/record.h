/*
 * record.h: read and write xm stream records (xm(7)); the only libcsv
 * user.  TSV has no quoting, so it is cut at its TABs here, sixteen
 * bytes at a time (eight without SSE2); libcsv reads CSV, and is the
 * oracle the tests hold that cut to (RECORD_LIBCSV).
 */
#ifndef RECORD_H
#define RECORD_H

#include <stddef.h>
#include <stdio.h>

#include "xm.h"

struct num_text;

/* A record or header longer than this is malformed (xm(7)). */
#define RECORD_MAX 65536

/* A host longer than this many bytes is malformed (xm(7)). */
#define RECORD_HOST_MAX 255

/* Seconds a ts may lie ahead of the reader's clock before it is malformed (xm(7)). */
#define RECORD_AHEAD 600

enum record_flags {
	RECORD_CSV = 1,		/* comma-separated, quoted as RFC 4180 */
	RECORD_INTERRUPTIBLE = 2,	/* a writer whose blocking writes a signal ends (sig_fwrite) */
	RECORD_SHARED = 4,	/* a pipe other writers may share: whole lines, PIPE_BUF at most a write */
	RECORD_LIBCSV = 8,	/* TSV split by libcsv, not cut at its TABs: the oracle of the cut */
	RECORD_BATCH = 16,	/* lines gather in the writer until record_flush, or a block */
	RECORD_METRIC_LATER = 32,	/* the caller checks a metric new to it (record_metric_bad); the reader, one out of order */
	RECORD_SAVED = 64	/* a state file: its ts were held to a clock when they came, not now */
};

enum record_kind {
	RECORD_OK,		/* a record: ts, host, metric, value, ... */
	RECORD_HEADER,		/* a header naming other columns than before */
	RECORD_COMMENT,		/* any other line starting with '#' */
	RECORD_BAD,		/* malformed; already reported on stderr */
	RECORD_EOF,
	RECORD_SIGNAL,		/* the signal descriptor became readable */
	RECORD_ERROR,		/* reading failed; already reported */
	RECORD_CLOSED		/* the reader of the flushed output has gone (SIGPIPE ignored) */
};

/* Column numbers of the four fields every record starts with. */
enum { COL_TS, COL_HOST, COL_METRIC, COL_VALUE, COL_FIXED };

struct record {
	size_t	 nfield;
	char	**field;	/* NUL-terminated, no NUL or line break inside */
	size_t	*len;
	double	 ts;
	double	 value;
	size_t	 lineno;	/* input line the record began on */
	/*
	 * TSV: the fields as read, the metric's labels put in order, TAB
	 * between (record_put_fields), and the fields lie in order in the
	 * linelen + 1 bytes from field[0]; or NULL.
	 */
	const char *line;
	size_t	 linelen;
};

struct record_reader;
struct record_writer;

struct record_reader *record_reader_new(int, int);
void	 record_reader_free(struct record_reader *);
void	 record_reader_name(struct record_reader *, const char *);
void	 record_reader_flush(struct record_reader *, FILE *);
void	 record_reader_batch(struct record_reader *, struct record_writer *);
void	 record_reader_signal(struct record_reader *, int);
int	 record_read(struct record_reader *, struct record *);
void	 record_bad(struct record_reader *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	 record_metric_bad(struct record_reader *, const struct record *);
int	 record_column(const struct record_reader *, const char *);
size_t	 record_columns(const struct record_reader *, const char *const **);
size_t	 record_skipped(const struct record_reader *);
int	 record_reader_end(struct record_reader *);
void	 record_reader_close(struct record_reader *, int);

/*
 * A line is put together here and handed to stdio whole: one call a
 * line instead of two a field; with RECORD_BATCH, one call for many
 * lines.  A line longer than the room goes out in pieces.
 */
struct record_writer {
	FILE	*f;
	int	 csv;
	int	 interruptible;	/* RECORD_INTERRUPTIBLE */
	int	 shared;	/* RECORD_SHARED */
	int	 batch;		/* RECORD_BATCH */
	int	 tty;		/* f is a terminal: no control character goes out raw */
	size_t	 nfield;	/* fields put on the current line */
	size_t	 len;
	char	 line[XM_STDOUT_BUF + RECORD_MAX + 2];	/* a batch, and a line past it */
};

void	 record_writer_init(struct record_writer *, FILE *, int);
const char *record_series_join(const struct record *, char **, size_t *, size_t);

/*
 * The key of rec's series, host TAB metric, and its length in *len: as
 * it lies in the line read (TSV), or joined in *scratch, of *cap bytes,
 * grown as needed.  A key hashed where the reader put it is not copied,
 * nor loaded across the seams of a copy just written.  Inline: every
 * record of every program asks for it.
 */
static inline const char *
record_series_key(const struct record *rec, char **scratch, size_t *cap, size_t *len)
{
	*len = rec->len[COL_HOST] + 1 + rec->len[COL_METRIC];
	if (rec->line != NULL)
		return rec->line + (rec->field[COL_HOST] - rec->field[0]);
	return record_series_join(rec, scratch, cap, *len);
}
void	 record_put(struct record_writer *, const char *, size_t);
void	 record_put_str(struct record_writer *, const char *);
void	 record_put_number(struct record_writer *, double);
void	 record_put_kept(struct record_writer *, double, struct num_text *);
void	 record_put_ts(struct record_writer *, double);
void	 record_put_u64(struct record_writer *, unsigned long long);
void	 record_put_joined(struct record_writer *, const char *, size_t, size_t);
void	 record_put_fields(struct record_writer *, const struct record *);
void	 record_put_line(struct record_writer *, const struct record *, const char *, size_t, size_t);
void	 record_put_row_number(struct record_writer *, const char *, size_t, size_t,
	    const char *, size_t, double);
void	 record_put_row_u64(struct record_writer *, const char *, size_t, size_t,
	    const char *, size_t, unsigned long long);
void	 record_end(struct record_writer *);
void	 record_flush(struct record_writer *);
int	 record_stream_end(struct record_writer *, int);
void	 record_put_header(struct record_writer *, const char *const *, size_t);

#endif
