/*
 * fuzz-record: the stream reader, TSV or CSV by the first byte (odd:
 * CSV), headers and all.  What it takes obeys xm(7): at least four
 * fields, as many as the header names, no TAB, CR, LF or NUL in a field,
 * a ts, a host, a metric and a value that parse, the host and metric
 * within their lengths, the metric's labels in order, line numbers rising.
 * What it takes, written again as TSV by the writer, reads back as the
 * same headers and records, none malformed.  And TSV split by memchr
 * gives what libcsv gives (RECORD_LIBCSV, the oracle): the same kinds,
 * lines, fields, numbers and messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "metric.h"
#include "num.h"
#include "record.h"

/* The kinds and fields of what was read, as one text to compare. */
struct trail {
	char	*buf;
	size_t	 len;
	FILE	*f;
};

static void
note(struct trail *t, int kind, const struct record *rec)
{
	size_t i;

	fprintf(t->f, "%d", kind);
	for (i = 0; i < rec->nfield; i++) {
		fputc('|', t->f);
		fwrite(rec->field[i], 1, rec->len[i], t->f);
	}
	fputc('\n', t->f);
}

/* Read fd as TSV or CSV: what it takes into trail, and as TSV into out if given. */
static size_t
read_all(int fd, int csv, struct trail *t, FILE *out)
{
	struct record_reader *r = record_reader_new(fd, csv ? RECORD_CSV : 0);
	struct record_writer *w = NULL;
	const char *const *names;
	struct record rec;
	size_t last = 0, i, bad = 0, n;
	double v;
	int k, named = 0;

	if (out != NULL) {
		w = malloc(sizeof *w);
		record_writer_init(w, out, 0);
	}
	while ((k = record_read(r, &rec)) != RECORD_EOF) {
		if (k == RECORD_ERROR)
			fuzz_fail("read failed");
		/* rising, but for a record after the header that names its columns by position */
		if (rec.lineno <= last && !(k == RECORD_OK && named && rec.lineno == last))
			fuzz_fail("line %zu after line %zu", rec.lineno, last);
		named = k == RECORD_HEADER;
		last = rec.lineno;
		if (k == RECORD_BAD) {
			bad++;
			continue;
		}
		if (k == RECORD_COMMENT)
			continue;
		for (i = 0; i < rec.nfield; i++)
			if (rec.field[i][rec.len[i]] != '\0' || strlen(rec.field[i]) != rec.len[i] ||
			    strpbrk(rec.field[i], "\t\r\n") != NULL)
				fuzz_fail("line %zu: field %zu holds what no field may", rec.lineno, i + 1);
		if (k == RECORD_HEADER) {
			n = record_columns(r, &names);
			if (n != rec.nfield || n < 4)
				fuzz_fail("line %zu: a header of %zu columns taken as %zu", rec.lineno,
				    rec.nfield, n);
			/* as the reader names them: "#ts" or CSV's "ts" alike */
			fprintf(t->f, "%d", k);
			for (i = 0; i < n; i++)
				fprintf(t->f, "|%s", names[i]);
			fputc('\n', t->f);
			if (w != NULL)
				record_put_header(w, names, n);
			continue;
		}
		if (k != RECORD_OK)
			fuzz_fail("line %zu: kind %d", rec.lineno, k);
		n = record_columns(r, &names);
		if (rec.nfield < 4 || (n > 4 && rec.nfield != n))
			fuzz_fail("line %zu: %zu fields under a header of %zu", rec.lineno, rec.nfield, n);
		if (num_parse_ts(rec.field[0], &v) != 0 || v != rec.ts)
			fuzz_fail("line %zu: ts \"%s\" taken", rec.lineno, rec.field[0]);
		if (rec.len[1] == 0)
			fuzz_fail("line %zu: an empty host taken", rec.lineno);
		if (rec.len[1] > RECORD_HOST_MAX)
			fuzz_fail("line %zu: a host of %zu bytes taken", rec.lineno, rec.len[1]);
		if (metric_check(rec.field[2], rec.len[2]) != NULL)
			fuzz_fail("line %zu: metric \"%s\" taken", rec.lineno, rec.field[2]);
		if (!metric_sorted(rec.field[2], rec.len[2]))
			fuzz_fail("line %zu: metric \"%s\" taken out of order", rec.lineno, rec.field[2]);
		if (num_parse(rec.field[3], &v) != 0 || v != rec.value)
			fuzz_fail("line %zu: value \"%s\" taken", rec.lineno, rec.field[3]);
		note(t, k, &rec);
		if (w != NULL) {
			record_put_fields(w, &rec);
			record_end(w);
		}
	}
	if (bad != record_skipped(r))
		fuzz_fail("%zu malformed lines seen, %zu counted", bad, record_skipped(r));
	record_reader_free(r);
	free(w);
	return bad;
}

/*
 * Everything the reader says of the input, its messages in their place:
 * stderr is the trail while it reads.  A record's line, where the reader
 * keeps it, is its fields with TABs between.
 */
static void
trail_of(const uint8_t *data, size_t size, int flags, char **buf, size_t *len)
{
	FILE *f, *err = stderr;
	struct record_reader *r;
	struct record rec;
	size_t i, o;
	int k, fd = fuzz_fd(data, size);

	if ((f = open_memstream(buf, len)) == NULL)
		abort();
	stderr = f;
	r = record_reader_new(fd, flags);
	while ((k = record_read(r, &rec)) != RECORD_EOF) {
		fprintf(f, "%d %zu", k, rec.lineno);
		if (k == RECORD_OK)
			fprintf(f, " %a %a", rec.ts, rec.value);
		for (i = 0; k != RECORD_BAD && i < rec.nfield; i++) {
			fputc('|', f);
			fwrite(rec.field[i], 1, rec.len[i], f);
		}
		fputc('\n', f);
		for (i = o = 0; k != RECORD_BAD && rec.line != NULL && i < rec.nfield; i++) {
			if (o + rec.len[i] > rec.linelen ||
			    memcmp(rec.line + o, rec.field[i], rec.len[i]) != 0 ||
			    (o + rec.len[i] < rec.linelen && rec.line[o + rec.len[i]] != '\t'))
				fuzz_fail("line %zu: the line kept is not its fields", rec.lineno);
			o += rec.len[i] + 1;
		}
		if (k != RECORD_BAD && rec.line != NULL && o != rec.linelen + 1)
			fuzz_fail("line %zu: the line kept is longer than its fields", rec.lineno);
	}
	fprintf(f, "%zu skipped\n", record_skipped(r));
	record_reader_free(r);
	stderr = err;
	fclose(f);
	close(fd);
}

static void
oracle(const uint8_t *data, size_t size)
{
	char *fast, *slow;
	size_t fastlen, slowlen;

	trail_of(data, size, 0, &fast, &fastlen);
	trail_of(data, size, RECORD_LIBCSV, &slow, &slowlen);
	if (fastlen != slowlen || memcmp(fast, slow, fastlen) != 0)
		fuzz_fail("TSV by memchr and by libcsv differ:\n%s\n---\n%s", fast, slow);
	free(fast);
	free(slow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trail first, again;
	char *tsv = NULL;
	size_t tsvlen = 0;
	FILE *out;
	int fd;

	fuzz_quiet();
	if (size == 0)
		return 0;
	first.buf = again.buf = NULL;
	if ((first.f = open_memstream(&first.buf, &first.len)) == NULL ||
	    (again.f = open_memstream(&again.buf, &again.len)) == NULL ||
	    (out = open_memstream(&tsv, &tsvlen)) == NULL)
		abort();
	if (!(data[0] & 1))
		oracle(data + 1, size - 1);
	fd = fuzz_fd(data + 1, size - 1);
	read_all(fd, data[0] & 1, &first, out);
	close(fd);
	fclose(out);
	fd = fuzz_fd((const uint8_t *)tsv, tsvlen);
	if (read_all(fd, 0, &again, NULL) != 0)
		fuzz_fail("what was taken, written as TSV, has malformed lines:\n%s", tsv);
	close(fd);
	fclose(first.f);
	fclose(again.f);
	if (first.len != again.len || memcmp(first.buf, again.buf, first.len) != 0)
		fuzz_fail("read, written and read again, the stream differs:\n%s\n---\n%s",
		    first.buf, again.buf);
	free(first.buf);
	free(again.buf);
	free(tsv);
	return 0;
}
