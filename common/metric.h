/* metric.h: Prometheus series identifiers, name{label="value",...}. */
#ifndef METRIC_H
#define METRIC_H

#include <stddef.h>

/* A metric longer than this many bytes is malformed (xm(7)). */
#define METRIC_MAX 2048

/* A label of an identifier, as written there: the value still escaped. */
struct metric_label {
	const char *name, *value;
	size_t	 namelen, valuelen;
};

const char *metric_check(const char *, size_t);
int	 metric_sorted(const char *, size_t);
void	 metric_sort(char *, size_t);
size_t	 metric_build(char *, size_t, const char *, const char *const *);
size_t	 metric_family_len(const char *, size_t);
int	 metric_label_next(const char *, size_t, size_t *, struct metric_label *);
int	 metric_family_is(const char *, size_t, const char *);
int	 metric_family_ends(const char *, size_t, const char *);
const char *metric_labels(const char *, size_t, size_t *);
const char *metric_label_value(const char *, size_t, const char *, size_t *);

#endif
