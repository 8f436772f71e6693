/*
 * series.h: the series of a stream, each found by its host and metric
 * in O(1), made when new under a cap (--max-series).  A program's own
 * series begins with a struct series_id and adds what is its own.
 */
#ifndef SERIES_H
#define SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "table.h"

struct series_id {
	struct table_item it;	/* key: host TAB metric, NUL after */
	uint32_t hostlen;
};

struct series_set {
	struct table t;
	void	**all;		/* the series, in order of first appearance */
	size_t	 n, cap;
	size_t	 max;		/* series the table may hold: --max-series */
	char	*key;		/* a record's key, put together when not in its line */
	size_t	 keycap;
	size_t	 refused;	/* records of new series past max */
	/* what the program makes of a series new here, and its argument */
	void	 (*made)(void *, struct series_id *, const struct record *);
	void	*arg;
};

/* What series_get found. */
enum series_found {
	SERIES_OLD,		/* the series, known */
	SERIES_NEW,		/* the series, made now, zeroed but for its id */
	SERIES_BAD,		/* none: the metric, new, breaks xm(7)'s rules */
	SERIES_FULL		/* none: new, and the table holds max already */
};

void	 series_set_init(struct series_set *, size_t,
	    void (*)(void *, struct series_id *, const struct record *), void *);
void	 series_set_free(struct series_set *, void (*)(void *, void *), void *);
void	*series_add(struct series_set *, size_t, const char *, size_t, uint64_t);
struct series_id *series_new(struct series_set *, const struct record *, size_t,
	    const char *, size_t, uint64_t, enum series_found *);
void	 series_push(struct series_set *, void *);
void	 series_refuse(struct series_set *, size_t, const char *);
size_t	 series_say_refused(const struct series_set *, const char *);

/*
 * The series of the record's host and metric, and in *found how it was
 * found: made if new (of size bytes) by series_new, then by the
 * program's made.  Inline: it is the
 * lookup every record of every program makes.
 */
static inline struct series_id *
series_get(struct series_set *set, const struct record *rec, size_t size,
    enum series_found *found)
{
	struct series_id *s;
	const char *key;
	size_t len;
	uint64_t hash;

	key = record_series_key(rec, &set->key, &set->keycap, &len);
	hash = table_hash(key, len);
	if ((s = (struct series_id *)table_find(&set->t, key, len, hash)) != NULL) {
		*found = SERIES_OLD;
		return s;
	}
	return series_new(set, rec, size, key, len, hash, found);
}

int	 series_same_host(const struct series_id *, const struct series_id *);
int	 series_cmp(const struct series_id *, const struct series_id *);

static inline const char *
series_metric(const struct series_id *s)
{
	return s->it.key + s->hostlen + 1;
}

static inline size_t
series_metric_len(const struct series_id *s)
{
	return s->it.len - s->hostlen - 1;
}

#endif
