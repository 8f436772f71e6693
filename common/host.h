/*
 * host.h: the hosts of a stream and how long each has been quiet,
 * judged so that no host's clock moves another's.
 */
#ifndef HOST_H
#define HOST_H

#include <stddef.h>

#include "table.h"

struct host {
	struct table_item it;	/* the host's name */
	double	 newest;	/* the newest ts it has sent, by its own clock */
	double	 progress;	/* the stream's time at its newest record */
};

struct hosts {
	struct table t;
	double	 now;		/* the stream's time: the most any host has progressed */
	double	 leap;		/* a host's clock that moves by more is set anew (INFINITY) */
};

void	 hosts_init(struct hosts *);
struct host *hosts_see(struct hosts *, const char *, size_t, double);
void	 hosts_step(struct hosts *, struct host *, double);
struct host *hosts_find(const struct hosts *, const char *, size_t);
void	 hosts_set(struct hosts *, const char *, size_t, double, double);
double	 hosts_quiet(const struct hosts *, const struct host *, double);
size_t	 hosts_forget(struct hosts *, double);
void	 hosts_free(struct hosts *);

#endif
