/* season.h: a series' values by time of season (of day, of week) over the seasons before. */
#ifndef SEASON_H
#define SEASON_H

#include <stdint.h>

/* The seasons before weigh half as much every SEASON_HALFLIFE seasons. */
#define SEASON_HALFLIFE 3
/* Seasons a bucket has had samples in before its score means anything. */
#define SEASON_MIN 2
#define SEASON_BUCKETS_MAX 10080
/* Values beyond are not taken: their squares, summed, would overflow. */
#define SEASON_VALUE_MAX 1e100

/* How a run cuts time: seasons of period seconds from the epoch, n buckets each. */
struct season_shape {
	double	 period, width;
	uint32_t n;
};

/* One time of season: the seasons before, weighted; this season's samples so far. */
struct season_bucket {
	double	 w, mean, m2;
	double	 n, cmean, cm2;
	int64_t	 at;		/* the season of n, cmean, cm2; INT64_MIN: none yet */
	uint32_t seasons;	/* seasons in w, mean, m2 */
};

struct season {
	struct season_bucket *b;	/* shape.n of them; NULL until the first sample */
};

int	 season_shape_parse(struct season_shape *, const char *);
struct season_bucket *season_bucket(struct season *, const struct season_shape *, uint32_t);
double	 season_step(struct season *, const struct season_shape *, double, double);
void	 season_free(struct season *);

#endif
