/* metric.h: Prometheus series identifiers, name{label="value",...}. */
#ifndef METRIC_H
#define METRIC_H

#include <stddef.h>

/* Longest series identifier the programs build, NUL included. */
#define METRIC_MAX 1024

const char *metric_check(const char *, size_t);
size_t	 metric_build(char *, size_t, const char *, const char *const *);

#endif
