/* test-record: the stream reader and writer, on inputs the test controls. */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metric.h"
#include "record.h"
#include "sig.h"
#include "tap.h"

static char trace[200000], errs[8192];
static size_t skipped;

static const char *const kinds[] = {
	"OK", "HEADER", "COMMENT", "BAD", "EOF", "SIGNAL", "ERROR", "CLOSED"
};

static int
tmpfd(void)
{
	char path[] = "/tmp/xm-test-record-XXXXXX";
	int fd = mkstemp(path);

	if (fd == -1) {
		perror("mkstemp");
		exit(2);
	}
	unlink(path);
	return fd;
}

/* The trace past its first line, a header by position the long lines here bring. */
static const char *
past_header(const char *t)
{
	return strncmp(t, "HEADER 1 ", 9) == 0 ? strchr(t, '\n') + 1 : t;
}

/* Read all of in; leave in trace one line per result, in errs stderr. */
static void
run(const char *in, size_t len, int flags)
{
	struct record_reader *r;
	struct record rec;
	size_t i, o = 0;
	ssize_t n;
	int fd = tmpfd(), efd = tmpfd(), saved, k;

	if (write(fd, in, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0)
		exit(2);
	fflush(stderr);
	saved = dup(2);
	dup2(efd, 2);
	r = record_reader_new(fd, flags);
	while ((k = record_read(r, &rec)) != RECORD_EOF && k != RECORD_ERROR) {
		o += (size_t)snprintf(trace + o, sizeof trace - o, "%s %zu", kinds[k], rec.lineno);
		for (i = 0; k != RECORD_BAD && i < rec.nfield; i++)
			o += (size_t)snprintf(trace + o, sizeof trace - o, "%c%s",
			    i ? '|' : ' ', rec.field[i]);
		o += (size_t)snprintf(trace + o, sizeof trace - o, "\n");
	}
	skipped = record_skipped(r);
	record_reader_free(r);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(efd, 0, SEEK_SET);
	n = read(efd, errs, sizeof errs - 1);
	errs[n > 0 ? n : 0] = '\0';
	close(efd);
	close(fd);
}

static void
expect(const char *in, const char *want_trace, const char *want_errs, const char *name)
{
	run(in, strlen(in), 0);
	is_str(trace, want_trace, name);
	is_str(errs, want_errs, "  and its stderr");
}

/* Read in, write every result back out; the bytes the writer made. */
static char *
roundtrip(const char *in, int rflags, int wflags)
{
	struct record_reader *r;
	struct record_writer w;
	struct record rec;
	const char *const *names;
	char *out = NULL;
	size_t outlen = 0, n;
	FILE *f = open_memstream(&out, &outlen);
	int fd = tmpfd(), k;

	if (write(fd, in, strlen(in)) != (ssize_t)strlen(in) || lseek(fd, 0, SEEK_SET) != 0)
		exit(2);
	r = record_reader_new(fd, rflags);
	record_writer_init(&w, f, wflags);
	while ((k = record_read(r, &rec)) != RECORD_EOF) {
		if (k == RECORD_HEADER) {
			n = record_columns(r, &names);
			record_put_header(&w, names, n);
		} else if (k == RECORD_OK || k == RECORD_COMMENT) {
			record_put_fields(&w, &rec);
			record_end(&w);
		}
	}
	record_reader_free(r);
	fclose(f);
	close(fd);
	return out;
}

static void
test_records(void)
{
	expect("1764311214.250\tweb1\tcpu_usage_percent\t12.5\n",
	    "OK 1 1764311214.250|web1|cpu_usage_percent|12.5\n", "", "one record");
	expect("1\th\tm\t1\n2\th\tm\t2",
	    "OK 1 1|h|m|1\nOK 2 2|h|m|2\n", "", "last line without LF");
	expect("\n1\th\tm\t1\n\n\r\n2\th\tm\t2\n\n",
	    "OK 2 1|h|m|1\nOK 5 2|h|m|2\n", "", "blank lines ignored, still counted");
	expect("1\th\tm\t1\r\n2\th\tm\t2\r\n",
	    "OK 1 1|h|m|1\nOK 2 2|h|m|2\n", "", "CRLF accepted");
	expect("1\t h \tm\t1\t  \t\n",
	    "HEADER 1 ts|host|metric|value|5|6\nOK 1 1| h |m|1|  |\n", "",
	    "spaces kept, empty last field kept, columns no header names named by position");
	expect("1\th\tm{a=\"x\\\"y\"}\t-1.5e-3\textra\n",
	    "HEADER 1 ts|host|metric|value|5\nOK 1 1|h|m{a=\"x\\\"y\"}|-1.5e-3|extra\n", "",
	    "labels and extra column");
	expect("1\th\tm\t1\n2\th\tm\t2\tx\n3\th\tm\t3\tx\n4\th\tm\t4\n5\th\tm\t5\n",
	    "OK 1 1|h|m|1\nHEADER 2 ts|host|metric|value|5\nOK 2 2|h|m|2|x\nOK 3 3|h|m|3|x\n"
	    "HEADER 4 ts|host|metric|value\nOK 4 4|h|m|4\nOK 5 5|h|m|5\n", "",
	    "a header by position each time the width changes");
	expect("1\th\tm\t1\tx\n#ts\thost\tmetric\tvalue\tc\n2\th\tm\t2\n",
	    "HEADER 1 ts|host|metric|value|5\nOK 1 1|h|m|1|x\nHEADER 2 #ts|host|metric|value|c\nBAD 3\n",
	    "test-record: line 3: 4 fields where the header names 5\n",
	    "a real header ends the naming by position");
}

static void
test_headers(void)
{
	struct record_reader *r;
	struct record rec;
	const char *in = "#ts\thost\tmetric\tvalue\tmean\n"
	    "1\th\tm\t1\t2\n"
	    "#ts\thost\tmetric\tvalue\tmean\n"
	    "# a comment\there\n"
	    "2\th\tm\t1\n"
	    "#ts\thost\tmetric\tvalue\n"
	    "3\th\tm\t1\n";
	int fd = tmpfd();

	expect(in,
	    "HEADER 1 #ts|host|metric|value|mean\n"
	    "OK 2 1|h|m|1|2\n"
	    "COMMENT 4 # a comment|here\n"
	    "BAD 5\n"
	    "HEADER 6 #ts|host|metric|value\n"
	    "OK 7 3|h|m|1\n",
	    "test-record: line 5: 4 fields where the header names 5\n",
	    "headers: repeat ignored, change returned, field count checked");
	expect("#ts\thost\tmetric\n#ts\thost\tmetric\tvalue\t\n#\n",
	    "COMMENT 1 #ts|host|metric\nBAD 2\nCOMMENT 3 #\n",
	    "test-record: line 2: header column 5 has no name\n",
	    "short header is a comment, unnamed column is bad");

	if (write(fd, in, strlen(in)) != (ssize_t)strlen(in) || lseek(fd, 0, SEEK_SET) != 0)
		exit(2);
	r = record_reader_new(fd, 0);
	ok(record_column(r, "value") == 3 && record_column(r, "mean") == -1,
	    "before a header: the four fixed columns");
	record_read(r, &rec);
	ok(record_column(r, "mean") == 4 && record_column(r, "ts") == 0 &&
	    record_column(r, "zscore") == -1, "after a header: its columns");
	record_reader_free(r);
	close(fd);
}

static void
test_malformed(void)
{
	expect("1\th\tm\tabc\n2\th\tm\t2\n", "BAD 1\nOK 2 2|h|m|2\n",
	    "test-record: line 1: value \"abc\" is not a number\n", "bad value");
	expect("1\th\tm\tnan\n", "BAD 1\n",
	    "test-record: line 1: value \"nan\" is not a number\n", "NaN value");
	expect("x\th\tm\t1\n", "BAD 1\n",
	    "test-record: line 1: ts \"x\" is not a timestamp\n", "bad ts");
	expect("1\t\tm\t1\n", "BAD 1\n",
	    "test-record: line 1: host is empty\n", "empty host");
	expect("1\th\tm-x\t1\n", "BAD 1\n",
	    "test-record: line 1: metric \"m-x\": bad character in metric name\n", "bad metric");
	expect("1\th\tm\n", "BAD 1\n",
	    "test-record: line 1: 3 fields, a record needs at least 4\n", "too few fields");
	expect("hello\n", "BAD 1\n",
	    "test-record: line 1: 1 field, a record needs at least 4\n", "one field");
	expect("1\th\tm\t1\rx\n", "BAD 1\n",
	    "test-record: line 1: carriage return inside the line\n", "lone CR");
	expect("1\th\tm\t\x1b[2J\n", "BAD 1\n",
	    "test-record: line 1: value \"\\x1b[2J\" is not a number\n",
	    "escape sequences never reach stderr raw");
	run("1\th\tm\t1\n1\th\0\tm\t1\n3\th\tm\t3\n", 25, 0);
	is_str(trace, "OK 1 1|h|m|1\nBAD 2\nOK 3 3|h|m|3\n", "NUL byte skipped");
	is_str(errs, "test-record: line 2: NUL byte in line\n", "  and its stderr");
	ok(skipped == 1, "  one record counted as skipped");
}

static void
test_long_lines(void)
{
	const char *head = "1\th\tm\t1\t";
	size_t hl = strlen(head), len;
	char *in = malloc(3 * RECORD_MAX), *p;
	const char *body;

	/* exactly RECORD_MAX bytes before the LF: accepted */
	p = in;
	memcpy(p, head, hl);
	memset(p + hl, 'x', RECORD_MAX - hl);
	p += RECORD_MAX;
	*p++ = '\n';
	/* one more: too long; then a good record */
	memcpy(p, head, hl);
	memset(p + hl, 'y', RECORD_MAX + 1 - hl);
	p += RECORD_MAX + 1;
	memcpy(p, "\n2\th\tm\t2\n", 9);
	p += 9;
	len = (size_t)(p - in);
	run(in, len, 0);
	body = past_header(trace);
	ok(strncmp(body, "OK 1 1|h|m|1|xxx", 16) == 0 &&
	    strchr(body, '\n') - body == 5 + RECORD_MAX,
	    "a line of RECORD_MAX bytes is read whole");
	is_str(strchr(body, '\n') + 1, "BAD 2\nHEADER 3 ts|host|metric|value\nOK 3 2|h|m|2\n",
	    "a longer one is skipped");
	is_str(errs, "test-record: line 2: line longer than 65536 bytes\n", "  and reported");

	/* RECORD_MAX bytes and CR LF: accepted; RECORD_MAX + 1 and no LF at the end: not */
	p = in;
	memcpy(p, head, hl);
	memset(p + hl, 'w', RECORD_MAX - hl);
	p += RECORD_MAX;
	memcpy(p, "\r\n", 2);
	p += 2;
	memcpy(p, head, hl);
	memset(p + hl, 'v', RECORD_MAX + 1 - hl);
	p += RECORD_MAX + 1;
	run(in, (size_t)(p - in), 0);
	body = past_header(trace);
	ok(strncmp(body, "OK 1 1|h|m|1|www", 16) == 0 &&
	    strcmp(strchr(body, '\n'), "\nBAD 2\n") == 0, "the limit is on the text, not its line end");
	is_str(errs, "test-record: line 2: line longer than 65536 bytes\n", "  at the end of input too");

	/* CR as the last byte of one 64 KiB read, its LF the first of the next */
	p = in;
	memcpy(p, head, hl);
	memset(p + hl, 'z', 65535 - hl);
	p += 65535;
	memcpy(p, "\r\n3\th\tm\t3\r\n", 11);
	run(in, 65535 + 11, 0);
	body = past_header(trace);
	ok(strchr(body, '\n') - body == 5 + 65535 &&
	    strcmp(strchr(body, '\n'), "\nHEADER 2 ts|host|metric|value\nOK 2 3|h|m|3\n") == 0,
	    "CR LF split across reads");
	is_str(errs, "", "  with nothing on stderr");

	/* a CR ending one read, not followed by LF in the next: a lone CR */
	memcpy(in + 65535, "\rx\n3\th\tm\t3\n", 11);
	run(in, 65535 + 11, 0);
	is_str(trace, "BAD 1\nOK 2 3|h|m|3\n", "a lone CR split across reads");
	is_str(errs, "test-record: line 1: carriage return inside the line\n", "  is reported");
	free(in);
}

/* A line of n bytes: ts, a host of hl bytes, a metric of ml bytes (its labels' value filled), 1. */
static char *
long_fields(size_t hl, size_t ml)
{
	char *s = malloc(hl + ml + 16), *p = s;

	p += sprintf(p, "1\t");
	memset(p, 'h', hl);
	p += hl;
	p += sprintf(p, "\tm{a=\"");
	memset(p, 'v', ml - 7);
	p += ml - 7;
	sprintf(p, "\"}\t1\n");
	return s;
}

static void
test_lengths(void)
{
	char want[200], *in;

	in = long_fields(RECORD_HOST_MAX, 8);
	run(in, strlen(in), 0);
	ok(strncmp(trace, "OK 1 1|hhh", 10) == 0 && errs[0] == '\0', "a host of 255 bytes is read");
	free(in);
	in = long_fields(RECORD_HOST_MAX + 1, 8);
	run(in, strlen(in), 0);
	is_str(trace, "BAD 1\n", "a host of 256 bytes is not");
	/* the text cut short at 73 bytes in a message, as ever */
	snprintf(want, sizeof want, "test-record: line 1: host \"%.73s...\" is longer than 255 bytes\n", in + 2);
	is_str(errs, want, "  and it says so, naming the limit");
	free(in);
	in = long_fields(1, METRIC_MAX);
	run(in, strlen(in), 0);
	ok(strncmp(trace, "OK 1 1|h|m{a=\"vvv", 16) == 0 && errs[0] == '\0', "a metric of 2048 bytes is read");
	free(in);
	in = long_fields(1, METRIC_MAX + 1);
	run(in, strlen(in), RECORD_METRIC_LATER);
	ok(strncmp(trace, "OK 1 1|h|m{a=\"vvv", 16) == 0 && errs[0] == '\0',
	    "  one of 2049 too, where the program checks it (RECORD_METRIC_LATER)");
	run(in, strlen(in), 0);
	is_str(trace, "BAD 1\n", "a metric of 2049 bytes is not");
	snprintf(want, sizeof want, "test-record: line 1: metric \"m{a=\\\"%.67s...\": longer than 2048 bytes\n",
	    in + 9);
	is_str(errs, want, "  and it says so, naming the limit");
	free(in);
}

/* The key and the line the reader hands out for the first record of in. */
static void
first_key(const char *in, int flags, char *key, char *line)
{
	struct record_reader *r;
	struct record rec;
	char *scratch = NULL;
	const char *k;
	size_t cap = 0, len;
	int fd = tmpfd(), k2;

	if (write(fd, in, strlen(in)) != (ssize_t)strlen(in) || lseek(fd, 0, SEEK_SET) != 0)
		exit(2);
	r = record_reader_new(fd, flags);
	while ((k2 = record_read(r, &rec)) != RECORD_OK && k2 != RECORD_EOF)
		;
	if (k2 != RECORD_OK) {
		strcpy(key, "no record");
		strcpy(line, "no record");
		record_reader_free(r);
		close(fd);
		return;
	}
	k = record_series_key(&rec, &scratch, &cap, &len);
	sprintf(key, "%.*s", (int)len, k);
	sprintf(line, "%.*s", rec.line != NULL ? (int)rec.linelen : 4, rec.line != NULL ? rec.line : "NULL");
	free(scratch);
	record_reader_free(r);
	close(fd);
}

static void
test_label_order(void)
{
	const char *in = "1\th\tm{b=\"1\",a=\"2\"}\t1\n"
	    "2\th\tm{a=\"2\",b=\"1\"}\t2\n"
	    "3\th\tm{c=\"x\\\\\",b=\"\\\",y\",ab=\"\",a=\"z\"}\t3\n";
	const char *sorted = "OK 1 1|h|m{a=\"2\",b=\"1\"}|1\n"
	    "OK 2 2|h|m{a=\"2\",b=\"1\"}|2\n"
	    "OK 3 3|h|m{a=\"z\",ab=\"\",b=\"\\\",y\",c=\"x\\\\\"}|3\n";
	const char *csv = "1,h,\"m{b=\"\"1\"\",a=\"\"2\"\"}\",1\n";
	const char *later = "1\th\tm{a=\"1\",a=\"2\"}\t1\n2\th\tm{__a=\"1\"}\t1\n";
	char key[200], line[200], *out;

	expect(in, sorted, "", "labels put in order of their names: one series, whatever order they came in");
	run(in, strlen(in), RECORD_LIBCSV);
	is_str(trace, sorted, "  split by libcsv too");
	run(in, strlen(in), RECORD_METRIC_LATER);
	is_str(trace, sorted, "  and where the program checks new metrics");
	run(csv, strlen(csv), RECORD_CSV);
	is_str(trace, "OK 1 1|h|m{a=\"2\",b=\"1\"}|1\n", "  and in CSV");
	out = roundtrip(in, 0, 0);
	is_str(out, "1\th\tm{a=\"2\",b=\"1\"}\t1\n2\th\tm{a=\"2\",b=\"1\"}\t2\n"
	    "3\th\tm{a=\"z\",ab=\"\",b=\"\\\",y\",c=\"x\\\\\"}\t3\n",
	    "  and written so: the line as read is rewritten too");
	free(out);
	out = roundtrip("1\th\tm{b=\"1\",a=\"2\"}\t1\tx\n", 0, 0);
	is_str(out, "#ts\thost\tmetric\tvalue\t5\n1\th\tm{a=\"2\",b=\"1\"}\t1\tx\n",
	    "  a record after the header that names its columns too");
	free(out);
	first_key(in, 0, key, line);
	is_str(key, "h\tm{a=\"2\",b=\"1\"}", "  the series key is of the labels in order");
	is_str(line, "1\th\tm{a=\"2\",b=\"1\"}\t1", "  and so is the line kept");
	first_key(csv, RECORD_CSV, key, line);
	is_str(key, "h\tm{a=\"2\",b=\"1\"}", "  the key joined from the fields (CSV)");

	expect("1\th\tm{a=\"1\",a=\"2\"}\t1\n2\th\tm{b=\"1\",a=\"2\",b=\"3\"}\tx\n",
	    "BAD 1\nBAD 2\n",
	    "test-record: line 1: metric \"m{a=\\\"1\\\",a=\\\"2\\\"}\": label name used twice\n"
	    "test-record: line 2: metric \"m{b=\\\"1\\\",a=\\\"2\\\",b=\\\"3\\\"}\": label name used twice\n",
	    "a label name twice: malformed, before the value is looked at");
	run(later, strlen(later), RECORD_METRIC_LATER);
	is_str(trace, "BAD 1\nOK 2 2|h|m{__a=\"1\"}|1\n",
	    "  even where the program checks new metrics: it cannot be put in order");
	expect("1\th\tn{__name__=\"x\"}\t1\n",
	    "BAD 1\n",
	    "test-record: line 1: metric \"n{__name__=\\\"x\\\"}\": label names starting with \"__\" are reserved\n",
	    "a label name Prometheus keeps for itself: malformed");
}

static void
test_csv(void)
{
	run("ts,host,metric,value,note\n"
	    "1,h,\"m{a=\"\"x,y\"\"}\",1,\"quoted, with comma\"\r\n"
	    "2,h,m,2,\"two\nlines\"\n"
	    "3,h,m,3,\"tab\there\"\n"
	    "4,h,m,4,plain\n", 122, RECORD_CSV);
	is_str(trace, "HEADER 1 ts|host|metric|value|note\n"
	    "OK 2 1|h|m{a=\"x,y\"}|1|quoted, with comma\n"
	    "BAD 3\nBAD 4\nBAD 5\nOK 6 4|h|m|4|plain\n", "CSV: quotes, header, line numbers");
	is_str(errs, "test-record: line 3: unterminated quoted field\n"
	    "test-record: line 4: misplaced double quote\n"
	    "test-record: line 5: field 5 contains a tab\n", "  no record spans lines; no TAB in a field");
	run("1,h,m,\"1\"x\n2,h,m,2\n#c,\"x\n# a\tcomment\n3,h,m,3\n\"4", 47, RECORD_CSV);
	is_str(trace, "BAD 1\nOK 2 2|h|m|2\nBAD 3\nCOMMENT 4 # a\tcomment\nOK 5 3|h|m|3\nBAD 6\n",
	    "CSV: a stray quote costs its own line only; comments keep their tabs");
	is_str(errs, "test-record: line 1: misplaced double quote\n"
	    "test-record: line 3: unterminated quoted field\n"
	    "test-record: line 6: unterminated quoted field\n", "  and each is reported");
}

static void
test_roundtrip(void)
{
	const char *tsv = "#ts\thost\tmetric\tvalue\tmean\n"
	    "1764311214.250\tweb 1\tdisk_usage_percent{mountpoint=\"/a b\"}\t0012.50\t1e3\n"
	    "# free text, \"quoted\"\n"
	    "2\th\tm\t-0\t\n";
	char *out;

	out = roundtrip(tsv, 0, 0);
	is_str(out, tsv, "TSV in, TSV out: byte for byte");
	free(out);
	out = roundtrip("1\th\tm\t1\r\n\r\n2\th\tm\t2", 0, 0);
	is_str(out, "1\th\tm\t1\n2\th\tm\t2\n", "CRLF and blank lines normalised");
	free(out);
	out = roundtrip(tsv, 0, RECORD_CSV);
	is_str(out, "ts,host,metric,value,mean\n"
	    "1764311214.250,web 1,\"disk_usage_percent{mountpoint=\"\"/a b\"\"}\",0012.50,1e3\n"
	    "\"# free text, \"\"quoted\"\"\"\n"
	    "2,h,m,-0,\n", "TSV in, CSV out");
	free(out);
}

static void
test_writer(void)
{
	const char *const names[] = { "ts", "host", "metric", "value", "n" };
	struct record_writer w;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	record_writer_init(&w, f, 0);
	record_put_header(&w, names, 5);
	record_put_ts(&w, 1764311214.25);
	record_put_str(&w, "h");
	record_put_str(&w, "m");
	record_put_number(&w, 25769803776.0);
	record_put_number(&w, 1.0 / 3);
	record_end(&w);
	record_writer_init(&w, f, RECORD_CSV);
	record_put_header(&w, names, 5);
	record_put_str(&w, " lead");
	record_put_str(&w, "a\"b");
	record_end(&w);
	fclose(f);
	is_str(out, "#ts\thost\tmetric\tvalue\tn\n"
	    "1764311214.25\th\tm\t25769803776\t0.3333333333\n"
	    "ts,host,metric,value,n\n"
	    "\" lead\",\"a\"\"b\"\n", "writer: header, numbers, CSV quoting");
	free(out);
}

/* A row in one move, as the sampler writes it, and as fields where it cannot be. */
static void
test_writer_row(void)
{
	static const char tsv[] = "1\th\tcpu_percent\t12.5\n2\th\tm{a=\"x\"}\t0\n";
	static const char csv[] = "3,h,\"m{a=\"\"x\"\"}\",1\n";
	static char big[RECORD_MAX];
	struct record_writer w;
	char *out = NULL;
	size_t len = 0, at;
	FILE *f = open_memstream(&out, &len);

	record_writer_init(&w, f, RECORD_BATCH);
	record_put_row_number(&w, "1\th", 3, 2, "cpu_percent", 11, 12.5);
	record_put_row_u64(&w, "2\th", 3, 2, "m{a=\"x\"}", 8, 0);
	record_flush(&w);
	fflush(f);
	is_str(out, tsv, "row: TSV in one move");
	record_writer_init(&w, f, RECORD_CSV);
	record_put_row_number(&w, "3\th", 3, 2, "m{a=\"x\"}", 8, 1);
	fflush(f);
	is_str(out + strlen(tsv), csv, "row: CSV field by field, quoted");
	/* a row longer than the room left goes field by field, whole */
	at = strlen(tsv) + strlen(csv);
	memset(big, 'a', sizeof big - 1);
	record_writer_init(&w, f, 0);
	record_put_row_u64(&w, "4\th", 3, 2, big, sizeof big - 1, 2);
	fflush(f);
	ok(len == at + 4 + sizeof big - 1 + 3 && memcmp(out + at, "4\th\ta", 5) == 0 &&
	    memcmp(out + len - 4, "a\t2\n", 4) == 0, "row: longer than the room, written whole");
	fclose(f);
	free(out);
}

/*
 * The reader flushes its output just before it waits for input: a child
 * feeds one record, then will not feed the next until it has read what
 * the parent wrote for the first.  Without the flush both wait forever,
 * until the child's alarm.
 */
static void
test_flush_before_wait(void)
{
	struct record_reader *r;
	struct record rec;
	int in[2], out[2], status, n = 0;
	char got[8];
	FILE *f;
	pid_t pid;

	if (pipe(in) == -1 || pipe(out) == -1)
		exit(2);
	fflush(stdout);		/* or the child may write our TAP lines twice */
	if ((pid = fork()) == 0) {
		close(in[0]);
		close(out[1]);
		alarm(5);
		if (write(in[1], "1\th\tm\t1\n", 8) != 8 || read(out[0], got, 1) != 1 ||
		    write(in[1], "2\th\tm\t2\n", 8) != 8)
			_exit(1);
		close(in[1]);
		/* Drain the rest, or the parent's last write dies of SIGPIPE. */
		while (read(out[0], got + 1, 1) == 1)
			;
		_exit(got[0] == 'A' ? 0 : 1);
	}
	close(in[1]);
	close(out[0]);
	f = fdopen(out[1], "w");
	r = record_reader_new(in[0], 0);
	record_reader_flush(r, f);
	while (record_read(r, &rec) == RECORD_OK) {
		n++;
		fputc('A', f);	/* buffered: only the flush sends it */
	}
	record_reader_free(r);
	fclose(f);
	close(in[0]);
	waitpid(pid, &status, 0);
	ok(n == 2 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "output is flushed before the reader waits for input");
}

/* A signal taken through sig_open's descriptor ends a wait for input. */
static void
test_signal(void)
{
	struct record_reader *r;
	struct record rec;
	int in[2], sfd;

	if (pipe(in) == -1)
		exit(2);
	sfd = sig_open(0);
	r = record_reader_new(in[0], 0);
	record_reader_signal(r, sfd);
	if (write(in[1], "1\th\tm\t1\n", 8) != 8)
		exit(2);
	ok(record_read(r, &rec) == RECORD_OK, "a record before the signal");
	kill(getpid(), SIGTERM);
	ok(record_read(r, &rec) == RECORD_SIGNAL, "the signal ends the wait");
	ok(sig_take(sfd) == SIGTERM, "  and it was SIGTERM");
	ok(sig_take(sfd) == 0, "  and nothing else is pending");
	record_reader_free(r);
	close(in[0]);
	close(in[1]);
	close(sfd);
}

/*
 * A wake-up descriptor that is always ready (a server under a crowd of
 * requests) and input that is ready too take turns: neither starves.
 */
static void
test_turns(void)
{
	struct record_reader *r;
	struct record rec;
	int in[2], wake[2], k, i;
	char trail[16] = "";

	if (pipe(in) == -1 || pipe(wake) == -1)
		exit(2);
	r = record_reader_new(in[0], 0);
	record_reader_signal(r, wake[0]);
	if (write(wake[1], "x", 1) != 1)	/* never read: ready for good */
		exit(2);
	if (write(in[1], "1\th\tm\t1\n", 8) != 8)
		exit(2);
	for (i = 0; i < 6; i++) {
		if (i == 3 && write(in[1], "2\th\tm\t2\n", 8) != 8)
			exit(2);
		k = record_read(r, &rec);
		strcat(trail, k == RECORD_SIGNAL ? "S" : k == RECORD_OK ? "R" : "?");
	}
	is_str(trail, "SRSRSS", "input and an always-ready wake-up take turns");
	record_reader_free(r);
	close(in[0]);
	close(in[1]);
	close(wake[0]);
	close(wake[1]);
}

/*
 * With SIGPIPE ignored, an output whose reader has gone ends the input
 * too: RECORD_CLOSED, at once in a flood and before a wait for more.
 */
static void
test_closed(void)
{
	struct record_reader *r;
	struct record rec;
	int in[2], out[2];
	FILE *f;

	if (pipe(in) == -1 || pipe(out) == -1 || (f = fdopen(out[1], "w")) == NULL)
		exit(2);
	signal(SIGPIPE, SIG_IGN);
	r = record_reader_new(in[0], 0);
	record_reader_flush(r, f);
	if (write(in[1], "1\th\tm\t1\n2\th\tm\t2\n", 16) != 16)
		exit(2);
	ok(record_read(r, &rec) == RECORD_OK, "a record while the output is read");
	close(out[0]);
	fputs("1\th\tm\t1\n", f);
	fflush(f);
	ok(record_read(r, &rec) == RECORD_CLOSED, "the output's reader gone: the input ends");
	ok(record_read(r, &rec) == RECORD_CLOSED, "  and stays ended");
	record_reader_free(r);
	fclose(f);
	close(in[0]);
	close(in[1]);

	/* a regular file that fails is no reason to stop reading */
	if (pipe(in) == -1 || (f = fopen("/dev/full", "w")) == NULL)
		exit(2);
	r = record_reader_new(in[0], 0);
	record_reader_flush(r, f);
	if (write(in[1], "1\th\tm\t1\n", 8) != 8)
		exit(2);
	close(in[1]);
	fputs("x\n", f);
	fflush(f);
	ok(record_read(r, &rec) == RECORD_OK && record_read(r, &rec) == RECORD_EOF,
	    "a full disk is not a reader gone");
	record_reader_free(r);
	fclose(f);
	close(in[0]);
	signal(SIGPIPE, SIG_DFL);
}

int
main(void)
{
	test_records();
	test_headers();
	test_malformed();
	test_long_lines();
	test_lengths();
	test_label_order();
	test_csv();
	test_roundtrip();
	test_writer();
	test_writer_row();
	test_flush_before_wait();
	test_signal();
	test_turns();
	test_closed();
	return tap_done();
}
