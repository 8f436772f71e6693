/* stats.h: statistics of a sliding window, and an exponentially weighted baseline. */
#ifndef STATS_H
#define STATS_H

#include <stdint.h>

#include "ring.h"

enum trend { TREND_STABLE, TREND_INCREASING, TREND_DECREASING };

/*
 * Running sums of a window's samples, each taken from a reference point
 * near the data (k for values, t0 for times) and kept in long double, so
 * that adding and removing samples for ever loses next to nothing; they
 * are made afresh from the ring whenever the whole window has turned
 * over since the last time, which costs O(1) a sample amortised.
 */
struct wstats {
	long double sv, svv, st, stt, stv;
	double	 k;		/* reference value */
	int64_t	 t0;		/* reference time, ms as the ring keeps them */
	uint32_t n;
	uint32_t turned;	/* samples removed since the sums were made afresh */
};

struct window {
	uint32_t n;
	double	 mean, stddev, slope;
	double	 change;	/* slope x span: the fitted change across the window */
	double	 change_se;	/* its standard error; 0 below 3 samples */
	double	 span;		/* newest time less oldest */
	double	 lag;		/* newest time less the mean time: where the line is now */
	double	 fit;		/* R^2: the share of the values' variance the line explains */
	int	 fitted;	/* slope is a least-squares fit: two times at least */
};

void	 wstats_add(struct wstats *, uint32_t, double);
void	 wstats_remove(struct wstats *, const struct ring *, uint32_t, double);
void	 wstats_rebuild(struct wstats *, const struct ring *);
void	 wstats_shift(struct wstats *, uint32_t);
void	 wstats_get(const struct wstats *, uint32_t, double, struct window *);

/* The window's mean alone, cheaper than all of wstats_get. */
static inline double
wstats_mean(const struct wstats *w)
{
	return w->n ? (double)(w->k + w->sv / w->n) : 0;
}
void	 wstats_scan(const struct ring *, double, struct window *);
int	 wstats_extreme(double, double);
double	 window_forecast(const struct window *, double);
double	 window_eta(const struct window *, double, double, double);
enum trend trend_of(const struct window *);

/* The least R^2 of a trend, and of a line eta_seconds is drawn from (one step fits no better than 0.75). */
#define TREND_MIN_FIT 0.7
#define ETA_MIN_FIT 0.8
const char *trend_name(enum trend);

/*
 * The baseline: a weighted mean and variance of all the history, each
 * sample's weight halving every half-life of record time.
 */
struct ewstats {
	long double w, mean, m2;
	double	 t;		/* time of the latest sample (s, absolute) */
	uint64_t seen;
};

#define EW_MIN_SEEN 10		/* samples before a z-score means anything */
#define EW_MIN_WEIGHT 2		/* and the weight of history, in samples */

void	 ew_add(struct ewstats *, double, double, double);
double	 ew_zscore(const struct ewstats *, double);

double	 percentile(double *, uint32_t, double);

#endif
