/* metric.h: Prometheus series identifiers, name{label="value",...}. */
#ifndef METRIC_H
#define METRIC_H

#include <stddef.h>

/* Longest series identifier the programs build, NUL included. */
#define METRIC_MAX 1024

/* A label of an identifier, as written there: the value still escaped. */
struct metric_label {
	const char *name, *value;
	size_t	 namelen, valuelen;
};

const char *metric_check(const char *, size_t);
size_t	 metric_build(char *, size_t, const char *, const char *const *);
size_t	 metric_family_len(const char *, size_t);
int	 metric_label_next(const char *, size_t, size_t *, struct metric_label *);

#endif
