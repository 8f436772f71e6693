/*
 * host.c: time in a stream of many hosts.  Each host's clock is its own:
 * a host's records are compared only with its own earlier ones, so a
 * clock years ahead or behind moves no other host.  What the hosts have
 * in common is how far their clocks go on: the stream's time starts where
 * it stands when a host first speaks and goes on with that host as far as
 * its own ts go on, the most of any host.  A series is quiet for as long
 * as its host's clock has gone on past the series' last sample, plus as
 * long as the stream's time has gone on past its host's newest record
 * (xm(7), "Time in the stream").  A host's clock that leaps, forward or
 * back, by more than the hosts' leap (an RTC of 2000 set by NTP, a clock
 * set back) is set anew: the host is there now, and moves no other.
 */
#include <math.h>
#include <stdlib.h>

#include "host.h"
#include "xm.h"

void
hosts_init(struct hosts *h)
{
	table_init(&h->t);
	h->now = 0;
	h->leap = INFINITY;
}

struct host *
hosts_find(const struct hosts *h, const char *host, size_t len)
{
	return (struct host *)table_find(&h->t, host, len, table_hash(host, len));
}

/* Count a record at ts of host o, seen before: what a caller that kept o saves a lookup with. */
void
hosts_step(struct hosts *h, struct host *o, double ts)
{
	double d = ts - o->newest;

	if (d > 0 && d <= h->leap) {
		o->progress += d;
		o->newest = ts;
		if (o->progress > h->now)
			h->now = o->progress;
	} else if (d > h->leap || -d > h->leap) {
		o->newest = ts;
		if (o->progress < h->now)
			o->progress = h->now;
	}
}

/* Count a record of host (len bytes) at ts; the host. */
struct host *
hosts_see(struct hosts *h, const char *host, size_t len, double ts)
{
	uint64_t hash = table_hash(host, len);
	struct host *o = (struct host *)table_find(&h->t, host, len, hash);

	if (o == NULL) {
		o = table_insert(&h->t, sizeof *o, host, len, hash);
		o->newest = ts;
		o->progress = h->now;
	} else {
		hosts_step(h, o, ts);
	}
	return o;
}

/*
 * A host as a state file kept it: its newest ts, and how long it had
 * been quiet by the stream's time when the file was saved.
 */
void
hosts_set(struct hosts *h, const char *host, size_t len, double newest, double quiet)
{
	struct host *o = hosts_see(h, host, len, newest);

	if (newest >= o->newest) {
		o->newest = newest;
		o->progress = h->now - quiet;
	}
}

/* How long a series of host o whose last sample is at last has been quiet. */
double
hosts_quiet(const struct hosts *h, const struct host *o, double last)
{
	double own = o->newest > last ? o->newest - last : 0;

	return own + (h->now - o->progress);
}

/* Forget the hosts quiet for longer than age; how many went. */
size_t
hosts_forget(struct hosts *h, double age)
{
	struct table_item *it;
	size_t i, n = 0;

	for (i = 0; i <= h->t.mask; ) {
		it = h->t.slot[i].item;
		if (it == NULL || h->now - ((struct host *)it)->progress <= age) {
			i++;
			continue;
		}
		table_remove(&h->t, it);	/* slot i may hold another now: look again */
		free(it);
		n++;
	}
	return n;
}

void
hosts_free(struct hosts *h)
{
	size_t i;

	for (i = 0; h->t.slot != NULL && i <= h->t.mask; i++)
		free(h->t.slot[i].item);
	table_free(&h->t);
}
