/* series.c: a stream's series by host and metric, made when new under a cap. */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "record.h"
#include "series.h"
#include "xm.h"

/*
 * A set of at most max series, each new one given to made(arg, series,
 * its first record), if made is not NULL, before the program sees it.
 */
void
series_set_init(struct series_set *set, size_t max,
    void (*made)(void *, struct series_id *, const struct record *), void *arg)
{
	memset(set, 0, sizeof *set);
	table_init(&set->t);
	set->max = max;
	set->made = made;
	set->arg = arg;
}

/* The set, each of its series freed by drop(arg, series). */
void
series_set_free(struct series_set *set, void (*drop)(void *, void *), void *arg)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		drop(arg, set->all[i]);
	table_free(&set->t);
	free(set->all);
	free(set->key);
	set->all = NULL;
	set->key = NULL;
	set->n = set->cap = set->keycap = 0;
}

/* s, not in the table (an alert more of a series), in the list all the same. */
void
series_push(struct series_set *set, void *s)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 64;
		set->all = xm_reallocarray(set->all, set->cap, sizeof *set->all);
	}
	set->all[set->n++] = s;
}

/*
 * An item new here of size bytes (its struct table_item first), zeroed,
 * of key and hash, in the table and at the end of the list; NULL if the
 * table holds max already.
 */
void *
series_add(struct series_set *set, size_t size, const char *key, size_t len, uint64_t hash)
{
	void *s;

	if (set->t.n >= set->max)
		return NULL;
	s = table_insert(&set->t, size, key, len, hash);
	series_push(set, s);
	return s;
}

/*
 * A series new here, of the record's key (host TAB metric) and hash, if
 * its metric keeps xm(7)'s rules (checked here, once a series:
 * RECORD_METRIC_LATER) and the table holds fewer than max; *found says
 * which.  Neither host nor metric may hold a TAB, so the keys of
 * different pairs differ.
 */
struct series_id *
series_new(struct series_set *set, const struct record *rec, size_t size, const char *key,
    size_t len, uint64_t hash, enum series_found *found)
{
	struct series_id *s;

	if (metric_check(rec->field[COL_METRIC], rec->len[COL_METRIC]) != NULL) {
		*found = SERIES_BAD;
		return NULL;
	}
	if ((s = series_add(set, size, key, len, hash)) == NULL) {
		*found = SERIES_FULL;
		return NULL;
	}
	s->hostlen = (uint32_t)rec->len[COL_HOST];
	if (set->made != NULL)
		set->made(set->arg, s, rec);
	*found = SERIES_NEW;
	return s;
}

/*
 * A record of a new series past max, which the program does with as
 * fate says ("dropped", "not checked"): counted, and the first said.
 */
void
series_refuse(struct series_set *set, size_t lineno, const char *fate)
{
	if (set->refused++ == 0)
		warnx("line %zu: more than %zu series; new ones are %s", lineno, set->max, fate);
}

/* At the end of the stream: the records refused, said if any. */
size_t
series_say_refused(const struct series_set *set, const char *fate)
{
	if (set->refused > 0)
		warnx("%zu record%s of new series %s (--max-series %zu)", set->refused,
		    set->refused == 1 ? "" : "s", fate, set->max);
	return set->refused;
}

int
series_same_host(const struct series_id *a, const struct series_id *b)
{
	return a->hostlen == b->hostlen && memcmp(a->it.key, b->it.key, a->hostlen) == 0;
}

/* Bytes in order, the shorter first where one begins the other. */
static int
bytes_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	return c != 0 ? c : (na > nb) - (na < nb);
}

/*
 * Series by host, then metric, each in the order of its bytes: not by
 * the key whole, whose TAB would put host "a" after "a\001".
 */
int
series_cmp(const struct series_id *a, const struct series_id *b)
{
	int c = bytes_cmp(a->it.key, a->hostlen, b->it.key, b->hostlen);

	if (c != 0)
		return c;
	return bytes_cmp(series_metric(a), series_metric_len(a), series_metric(b),
	    series_metric_len(b));
}
