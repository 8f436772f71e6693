/* read.c: the stream read into the board, a record at a time. */
#include <err.h>

#include "show.h"

static const char *const fixed[] = { "ts", "host", "metric", "value" };

/* Read a record into the board: 0, or a RECORD_ kind the caller must see to. */
int
board_read(struct board *b, struct record_reader *r, const struct header **h, int strict)
{
	const char *const *names;
	struct record rec;
	size_t n;
	int k;

	for (;;) {
		k = record_read(r, &rec);
		if (k == RECORD_HEADER) {
			n = record_columns(r, &names);
			/* past HEADERS: read as bare records, the first four columns */
			if ((*h = board_header(b, names, n)) == NULL)
				*h = board_header(b, fixed, 4);
		} else if (k == RECORD_OK) {
			if (*h == NULL)
				*h = board_header(b, fixed, 4);
			k = board_take(b, *h, &rec);
			if (k == -1 && b->dropped == 1)
				warnx("line %zu: more than %zu series; new ones are not shown",
				    rec.lineno, b->o->max_series);
			if (k != -2)
				return 0;
			record_metric_bad(r, &rec);
			b->skipped = record_skipped(r);
			if (strict)
				return RECORD_ERROR;
		} else if (k == RECORD_BAD) {
			b->skipped = record_skipped(r);
			if (strict)
				return RECORD_ERROR;
		} else if (k != RECORD_COMMENT) {
			return k;
		}
	}
}
