/* buffer.h: the parts of xm-buffer: options, series, output, state. */
#ifndef BUFFER_H
#define BUFFER_H

#include <stdint.h>
#include <stdio.h>

#include "host.h"
#include "num.h"
#include "order.h"
#include "record.h"
#include "ring.h"
#include "season.h"
#include "series.h"
#include "state.h"
#include "stats.h"
#include "tail.h"

/* The columns xm-buffer can append, in their default order. */
enum column {
	C_N, C_MEAN, C_MIN, C_MAX, C_STDDEV, C_SLOPE, C_TREND, C_BASELINE, C_ZSCORE, C_RZSCORE,
	C_ETA, C_NCOL
};

#define FORECAST_MAX 8
/* Samples a window holds before its rzscore is more than 0. */
#define RZ_MIN 10
/* buffer_add: a sample older than its series' newest by more than a window. */
#define BUFFER_BEHIND 1
/* Bytes of a record --every and --summary keep for a series' line, at most. */
#define KEPT_MAX 4096

/* --limit: the value a series' line is timed to reach (eta_seconds). */
struct limit {
	const char *glob;	/* over the whole metric, labels included */
	double	 value;
};

extern const char *const column_names[C_NCOL];

struct buffer_opts {
	uint32_t size;			/* -s: samples a window holds at most */
	double	 window;		/* -w: seconds a window spans at most */
	double	 every;			/* --every: seconds a period; 0: off */
	int	 summary;
	const char *state;
	double	 wait;			/* --wait: seconds for the state's lock */
	double	 halflife;
	double	 forget;		/* --forget: seconds a series may be quiet */
	size_t	 max_series;
	int	 csv;
	int	 header;
	int	 strict;
	enum column cols[C_NCOL];	/* --columns, in order */
	int	 ncols;
	double	 forecast[FORECAST_MAX];	/* --forecast: seconds ahead */
	char	*forecast_name[FORECAST_MAX];	/* its column */
	int	 nforecast;
	struct limit *limit;		/* --limit, in order */
	size_t	 nlimit;
	struct season_shape season;	/* --season */
	int	 seasonal;
};

struct series {
	struct series_id id;
	struct host *host;	/* whose clock says how long it has been quiet */
	double	 base;		/* seconds; the ring's times are ms after it */
	uint32_t newest;	/* ms after base of the newest sample */
	struct ring ring;
	struct order order;	/* the window's values in order, for rzscore */
	struct wstats ws;
	struct ewstats ew;
	struct season season;	/* --season: its times of season */
	double	 last_sz;	/* the newest sample's season_zscore; NAN: none */
	/* what --every and --summary print later, kept from the newest record */
	struct tail last;	/* value and the columns after it, KEPT_MAX bytes at most */
	unsigned char pending;	/* its line is still to come */
	unsigned char gone;	/* buffer_forget: quiet too long */
	unsigned char afresh;	/* its start afresh has been said */
	double	 last_baseline, last_z;
	double	 limit;		/* what eta_seconds times the line to; NAN: none */
	struct num_text min_text, max_text;	/* the window's min and max, as written last */
	int64_t	 period;	/* --every: period of the newest sample; INT64_MIN: none */
	uint64_t pendseq;	/* --every: when it joined the pending lines */
};

struct buffer {
	const struct buffer_opts *o;
	struct series_set series;	/* in order of first appearance */
	struct hosts hosts;
	double	 forgot_at;	/* the stream's time at the last buffer_forget */
	double	 forget_due;	/* and at the next, a sixteenth of --forget on */
	size_t	 since;		/* records taken since */
	struct series **pend;	/* --every: series with a pending line */
	size_t	 npend, pendcap;
	int64_t	 period;	/* --every: the latest period seen */
	uint64_t pendseq;
	uint32_t window_ms;
	int64_t	 every_ms;	/* --every in ms, or 1 */
	int	 need_ew;	/* a baseline is printed or saved */
	int	 need_fit;	/* stddev, slope or trend is printed */
	int	 need_order;	/* rzscore is printed */
	int	 loading;	/* the samples are a state file's */
	struct record_writer w;
	double	*scratch;	/* --summary: values to sort */
	size_t	 scratchcap;
};

/* The ith series, in the order they came. */
static inline struct series *
buffer_nth(const struct buffer *b, size_t i)
{
	return b->series.all[i];
}

void	 buffer_init(struct buffer *, const struct buffer_opts *);
void	 buffer_free(struct buffer *);
void	 buffer_host(struct buffer *, struct series *, const struct record *);
void	 buffer_afresh(struct buffer *, struct series *);
int	 buffer_add(struct buffer *, struct series *, double, double);
size_t	 buffer_kept_size(const struct buffer *, const struct record *);
void	 buffer_keep(struct buffer *, struct series *, const struct record *);
size_t	 buffer_forget(struct buffer *, int);
void	 buffer_put(struct buffer *, struct series *, const struct record *);
int	 buffer_period(const struct buffer *, double, int64_t *);
void	 buffer_pend(struct buffer *, struct series *, int64_t);
void	 buffer_put_line(struct buffer *, struct series *);
void	 buffer_put_pending(struct buffer *, int64_t);
void	 buffer_put_summary(struct buffer *);
int	 buffer_run(const struct buffer_opts *);

/*
 * Whether a pass of buffer_forget is due: the stream's time has gone on
 * a sixteenth of --forget since the last, or at all when full (a new
 * series would be dropped); and records of a sixteenth of the series
 * have come since, so that passes cost O(1) a record however the time
 * moves.
 */
static inline int
buffer_forget_due(const struct buffer *b, int full)
{
	return (b->hosts.now >= b->forget_due || (full && b->hosts.now > b->forgot_at)) &&
	    b->since >= b->series.n / 16;
}

extern const struct state_grammar buffer_grammar;

const char *buffer_load(struct buffer *, struct state_reader *);
int	 buffer_save(struct buffer *, FILE *);

#endif
