/*
 * csvfloor: libcsv alone, as xm's record reader sets it up for TSV,
 * splitting standard input into fields with callbacks that do nothing:
 * the floor under any xm program that reads the stream.
 */
#include <csv.h>
#include <stdio.h>
#include <unistd.h>

static void field(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; }
static void row(int c, void *d) { (void)c; ++*(long *)d; }
static int no_space(unsigned char c) { (void)c; return 0; }
static int is_lf(unsigned char c) { return c == '\n'; }

int
main(void)
{
	static char buf[65536];
	struct csv_parser p;
	long rows = 0;
	ssize_t n;

	csv_init(&p, 0);
	csv_set_delim(&p, '\t');
	csv_set_quote(&p, '\0');
	csv_set_space_func(&p, no_space);
	csv_set_term_func(&p, is_lf);
	while ((n = read(0, buf, sizeof buf)) > 0)
		csv_parse(&p, buf, (size_t)n, field, row, &rows);
	csv_fini(&p, field, row, &rows);
	csv_free(&p);
	printf("%ld\n", rows);
	return 0;
}
