/* alert.h: the parts of xm-alert: options, series and their alert state, events. */
#ifndef ALERT_H
#define ALERT_H

#include <stdint.h>
#include <stdio.h>

#include "host.h"
#include "num.h"
#include "record.h"
#include "rule.h"
#include "series.h"
#include "state.h"
#include "tail.h"

/* The most bytes an active alert keeps of its last record (alerts_keep). */
#define KEPT_MAX 1024

/* The least window of a series, in seconds (alerts_window). */
#define WINDOW_MIN 300

struct alert_opts {
	struct rule *rules;
	size_t	 nrules;
	int	 events;	/* -e: only the records that carry an event */
	const char *state;
	double	 wait;		/* --wait: seconds for the state's lock */
	double	 stale;		/* seconds; 0: never */
	double	 forget;	/* seconds; 0: never */
	char	**exec;		/* -x commands */
	size_t	 nexec;
	double	 exec_timeout;
	int	 check;		/* --check: a Nagios plugin's status line */
	int	 csv;
	int	 header;
	int	 strict;
	size_t	 max_series;
};

enum event {
	EV_NONE, EV_FIRING, EV_ESCALATED, EV_DEESCALATED, EV_RESOLVED, EV_REPEATED, EV_STALE, EV_N
};

extern const char *const event_names[EV_N];

/*
 * An alert: a series (host and metric) under one rule that matches it,
 * and where it stands.  The first alert of a series is in the table,
 * the others (one a rule more that matches) follow it by next.
 * cnt[l] counts the samples in a row at level l or above, since start[l].
 */
struct series {
	struct series_id id;	/* an extra alert shares its head's key */
	int	 rule;		/* index into the rules; -1: none */
	struct host *host;	/* the series' host, whose clock its ts are by */
	double	 seen;		/* of the first alert: the newest record of the series */
	struct series *next;	/* the series' next alert */
	uint8_t	 extra;		/* not the series' first alert */
	uint8_t	 gone;		/* forgotten, to be freed */
	uint8_t	 perf;		/* --check: the alert that gives the series' perfdata */
	uint8_t	 sev;
	uint8_t	 prev;		/* before the latest event */
	int8_t	 side;		/* of the range the latest alerting sample was on */
	uint32_t cnt[SEV_N];
	double	 start[SEV_N];
	double	 since;		/* when sev began */
	/* the columns xm-alert adds, as made last, and what they spell */
	char	*ours;
	uint32_t ourslen;	/* 0: not made yet */
	uint8_t	 ours_sev, ours_ev;
	double	 ours_since;
	double	 fired;		/* when the alert began, ok to not */
	double	 announced;	/* when last told: for repeat= */
	double	 last_ts, last_value;
	char	 alert_id[17];	/* 16 hex digits, or "-" */
	struct tail kept;	/* while active: the last record from the value on */
	size_t	 active;	/* index in the active list + 1; 0: not there */
	/* the record in hand: the value tested (NAN: "-"), whether tested, the event */
	double	 v;
	uint8_t	 tested, ev;
};

/* A notification not yet delivered, as the state file keeps it (callback.h). */
struct pending {
	char	 cmd[17];	/* its command's id (callback_cmd_id) */
	uint32_t tries;		/* those that failed */
	char	*vars;		/* the event's NAME=value strings, a NUL after each */
	size_t	 varslen;
};

/* What happened to a series, for the output and the callbacks. */
struct change {
	struct series *s;
	enum event ev;
	double	 ts;		/* record time of the event */
	double	 value;		/* the tested value */
	const char *reason;	/* for a resolution not by value: "stale", "manual" */
};

struct alerts {
	const struct alert_opts *o;
	struct rule *rules;	/* o's, which choose series, then those adopted from a state file */
	size_t	 nrules, rulecap;
	struct series **retired;	/* active in the state file under a rule no longer theirs */
	size_t	 nretired;
	struct series_set series;	/* every alert, the first of each series in the table */
	struct series **active;	/* those above ok, for --stale */
	size_t	 nactive, activecap;
	struct hosts hosts;	/* each host's clock, and the stream's time (xm(7)) */
	double	 stale_due;	/* by the stream's time, no series can be stale before this */
	double	 forget_due;	/* nor forgotten (--forget) before this */
	struct pending *pending;	/* of the state file, for the callbacks; theirs, to save */
	size_t	 npending, pendingcap;
};

/* The ith alert, in the order they came. */
static inline struct series *
alerts_nth(const struct alerts *a, size_t i)
{
	return a->series.all[i];
}

void	 alerts_init(struct alerts *, const struct alert_opts *);
void	 alerts_free(struct alerts *);
struct series *alerts_add(struct alerts *, struct series *, int);
size_t	 alerts_value_text(char [NUM_MAX], double);
enum event alerts_step(struct alerts *, struct series *, double, double);
double	 alerts_window(const struct alerts *, const struct series *);
int	 alerts_restart(struct series *, double);
void	 alerts_set(struct alerts *, struct series *, int, double);
size_t	 alerts_stale(struct alerts *, struct change *, size_t);
size_t	 alerts_forget(struct alerts *, double, void (*)(void *, const struct change *), void *);
void	 alerts_message(const struct alerts *, const struct change *, char *, size_t);

void	 alerts_pending_add(struct alerts *, const char *, uint32_t, const char *, size_t);
void	 alerts_pending_free(struct alerts *);
int	 alerts_adopt(struct alerts *, const char *);
void	 alerts_retired_free(struct alerts *);
void	 alerts_make_id(struct series *, const char *);

extern const struct state_grammar alerts_grammar;

const char *alerts_load(struct alerts *, struct state_reader *, int, size_t *);
int	 alerts_save(struct alerts *, FILE *);

#endif
