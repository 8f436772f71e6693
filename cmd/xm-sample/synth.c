/*
 * synth.c: made-up but lifelike data for demos, tests and benchmarks.
 * Each series is a level, a slow wave, correlated noise, and now and
 * then an episode that climbs past a warning, critical or emergency
 * threshold and comes back down.  Everything follows from the seed and
 * the interval, so a run can be repeated exactly.
 *
 * The arithmetic below stays clear of libm on purpose: linking it would
 * cost every xm-sample run, live ones included, 300 KiB of resident
 * memory for the sake of made-up data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

#define NCPU 4

struct rng {
	unsigned long long s;
};

/* splitmix64: small, fast, and the same on every machine. */
static unsigned long long
rng_next(struct rng *r)
{
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Twelve uniforms less six: mean 0, variance 1, near enough normal. */
static double
rng_normal(struct rng *r)
{
	double sum = -6;
	int i;

	for (i = 0; i < 12; i++)
		sum += rng_uniform(r);
	return sum;
}

/* exp(-x) for x >= 0: a short series for x / 1024, squared ten times. */
static double
decay(double x)
{
	double y = x / 1024, e = 1 - y * (1 - y / 2 * (1 - y / 3 * (1 - y / 4)));
	int i;

	if (x > 700)
		return 0;
	for (i = 0; i < 10; i++)
		e *= e;
	return e;
}

/* sin(2 pi c), Bhaskara I's rational form: within 0.2% of the truth. */
static double
wave_sin(double c)
{
	double f = c - (double)(long long)c, h;

	if (f < 0)
		f += 1;
	h = f < 0.5 ? 2 * f : 2 * f - 1;
	h = 16 * h * (1 - h) / (5 - 4 * h * (1 - h));
	return f < 0.5 ? h : -h;
}

/* Nearest whole number for x >= 0. */
static double
whole(double x)
{
	return (double)(long long)(x + 0.5);
}

/* The square root of x in [0, 1], by Newton's method. */
static double
root(double x)
{
	double r = 1;
	int i;

	for (i = 0; i < 30 && x > 0; i++)
		r = (r + x / r) / 2;
	return x > 0 ? r : 0;
}

struct wave {
	/* the shape */
	double	 base, amp, period, sigma, lo, hi;
	double	 every;		/* mean seconds between episodes; 0: none */
	double	 first;		/* seconds to the first episode */
	double	 peaks[3];	/* above the warning, critical, emergency lines */
	/* the state */
	double	 phase, noise;
	double	 ep_start, ep_len, ep_peak;
	double	 first_ep;
};

/*
 * Incidents: what a monitor is for, once a day each, at a time drawn
 * from the seed within a window of the day (seconds since the start);
 * six hours go by first, so a short run never meets one.  The first
 * four must alert (a runaway job, more runnable tasks than CPUs can
 * serve, a leak, a disk filling steadily to full within four hours);
 * the last two must not page (a temporary file written in seconds and
 * deleted twenty minutes on; an archive written over ten minutes and
 * removed).  Their own generator leaves every other value as it was.
 */
enum { INC_CPU, INC_LOAD, INC_LEAK, INC_FILL, INC_TMP, INC_ARCHIVE, INC_N };

static const struct {
	double	 from, to;	/* the window its start is drawn from */
	double	 len;
} incident_times[INC_N] = {
	{ 6 * 3600.0, 7 * 3600.0, 25 * 60.0 },
	{ 8 * 3600.0, 9 * 3600.0, 30 * 60.0 },
	{ 11 * 3600.0, 12 * 3600.0, 60 * 60.0 },
	{ 14 * 3600.0, 15 * 3600.0, 75 * 60.0 },
	{ 18 * 3600.0, 19 * 3600.0, 20 * 60.0 },
	{ 20 * 3600.0, 21 * 3600.0, 30 * 60.0 },
};

struct synth {
	struct rng rng;
	struct rng irng;		/* the incidents' */
	long long inc_day;		/* the day their starts were drawn for */
	double	 inc_start[INC_N];
	unsigned fams;
	unsigned long long step;
	double	 keep, fresh;	/* the noise's memory and renewal per step */
	double	 keep1, keep5, keep15;	/* the load averages' per step */
	struct wave cpu, iowait, steal, percpu[NCPU], mem, swap, root, var;
	struct wave rd, wr, rx, tx, rt, err, tput;
	double	 rx_total, tx_total, load1, load5, load15;
	char	 cpu_metric[3][NCPU][40];
};

static void
wave_init(struct synth *sy, struct wave *w, double base, double amp, double period,
    double sigma, double lo, double hi)
{
	memset(w, 0, sizeof *w);
	w->base = base;
	w->amp = amp;
	w->period = period;
	w->sigma = sigma;
	w->lo = lo;
	w->hi = hi;
	w->phase = rng_uniform(&sy->rng);
	w->ep_start = -1;
}

static void
wave_episodes(struct synth *sy, struct wave *w, double every, double first,
    double warn, double crit, double emerg)
{
	w->every = every;
	w->peaks[0] = warn;
	w->peaks[1] = crit;
	w->peaks[2] = emerg;
	w->first_ep = first * (0.5 + rng_uniform(&sy->rng));
}

/*
 * The value at time t after dt seconds: noise is an Ornstein-Uhlenbeck
 * process (30 s memory) so its spread does not depend on the interval.
 * Episodes come at random, every w->every seconds on average after the
 * first; one rises over its first fifth, holds, and falls over its last.
 */
static double
wave_at(struct synth *sy, struct wave *w, double t, double dt)
{
	double v, f, u = rng_uniform(&sy->rng);

	w->noise = w->noise * sy->keep + w->sigma * sy->fresh * rng_normal(&sy->rng);
	v = w->base + w->noise;
	if (w->period > 0)
		v += w->amp * wave_sin(t / w->period + w->phase);
	if (w->every > 0 && w->ep_start < 0 &&
	    (w->first_ep >= 0 ? t >= w->first_ep : u < dt / w->every)) {
		w->first_ep = -1;
		u = rng_uniform(&sy->rng);
		w->ep_start = t;
		w->ep_len = 20 + 50 * rng_uniform(&sy->rng);
		w->ep_peak = w->peaks[u < 0.5 ? 0 : u < 0.85 ? 1 : 2];
	}
	if (w->ep_start >= 0) {
		f = (t - w->ep_start) / w->ep_len;
		if (f >= 1) {
			w->ep_start = -1;
		} else {
			f = f < 0.2 ? f / 0.2 : f > 0.8 ? (1 - f) / 0.2 : 1;
			v += (w->ep_peak + (w->noise < 0 ? -w->noise : w->noise) * 0.3 - v) * f;
		}
	}
	return v < w->lo ? w->lo : v > w->hi ? w->hi : v;
}

/* The value wave_at gave at t, its episode aside. */
static double
wave_plain(const struct wave *w, double t)
{
	double v = w->base + w->noise;

	if (w->period > 0)
		v += w->amp * wave_sin(t / w->period + w->phase);
	return v < w->lo ? w->lo : v > w->hi ? w->hi : v;
}

static void *
synth_open(struct sampler *s)
{
	struct synth *sy = xm_calloc(1, sizeof *sy);
	const char *const kinds[3] = {
		"cpu_usage_percent", "cpu_iowait_percent", "cpu_steal_percent"
	};
	char num[8];
	int c, k;

	sy->rng.s = s->o->seed;
	sy->irng.s = s->o->seed ^ 0x5ca1ab1e0ddba11ULL;
	sy->inc_day = -1;
	sy->fams = s->o->families;
	sy->keep = decay(s->o->interval / 30);
	sy->fresh = root(1 - sy->keep * sy->keep);
	sy->keep1 = decay(s->o->interval / 60);
	sy->keep5 = decay(s->o->interval / 300);
	sy->keep15 = decay(s->o->interval / 900);
	wave_init(sy, &sy->cpu, 35, 10, 1800, 4, 0.5, 100);
	wave_episodes(sy, &sy->cpu, 120, 25, 76, 89, 97.5);
	wave_init(sy, &sy->iowait, 2, 1, 600, 1, 0, 100);
	wave_init(sy, &sy->steal, 0.4, 0.2, 900, 0.3, 0, 100);
	for (c = 0; c < NCPU; c++)
		wave_init(sy, &sy->percpu[c], 0, 0, 0, 6, -100, 100);
	wave_init(sy, &sy->mem, 58, 6, 3600, 1, 5, 99.9);
	wave_episodes(sy, &sy->mem, 240, 50, 80, 93, 98.6);
	wave_init(sy, &sy->swap, 6, 2, 7200, 0.4, 0, 100);
	wave_init(sy, &sy->root, 63, 0.5, 86400, 0.02, 0, 100);
	wave_init(sy, &sy->var, 47, 1, 43200, 0.05, 0, 100);
	wave_episodes(sy, &sy->var, 10800, 300, 84, 92, 96.5);
	wave_init(sy, &sy->rd, 2.5e6, 1e6, 900, 6e5, 0, 5e8);
	wave_episodes(sy, &sy->rd, 300, 90, 4e7, 9e7, 1.6e8);
	wave_init(sy, &sy->wr, 5e6, 2e6, 1200, 1e6, 0, 5e8);
	wave_init(sy, &sy->rx, 1.2e6, 4e5, 600, 2e5, 0, 1.25e9);
	wave_init(sy, &sy->tx, 4e5, 1.5e5, 600, 8e4, 0, 1.25e9);
	wave_init(sy, &sy->rt, 0.25, 0.05, 1800, 0.05, 0.01, 60);
	wave_episodes(sy, &sy->rt, 150, 35, 2.6, 6.5, 12);
	wave_init(sy, &sy->err, 0.6, 0.2, 1800, 0.2, 0, 100);
	wave_episodes(sy, &sy->err, 300, 70, 6.5, 13, 30);
	wave_init(sy, &sy->tput, 850, 150, 3600, 40, 0, 1e6);
	sy->rx_total = whole(4.2e9 * (1 + rng_uniform(&sy->rng)));
	sy->tx_total = whole(1.3e9 * (1 + rng_uniform(&sy->rng)));
	sy->load1 = sy->load5 = sy->load15 = 1.2;
	for (k = 0; k < 3; k++) {
		for (c = 0; c < NCPU; c++) {
			const char *const lab[] = { "cpu", num, NULL };

			snprintf(num, sizeof num, "%d", c);
			metric_build(sy->cpu_metric[k][c], sizeof sy->cpu_metric[k][c], kinds[k], lab);
		}
	}
	return sy;
}

static double
clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* How far into incident i time t is, from 0 to 1; -1 outside it. */
static double
incident_at(struct synth *sy, int i, double t)
{
	long long day = (long long)(t / 86400);
	double f;
	int k;

	if (day != sy->inc_day) {
		sy->inc_day = day;
		for (k = 0; k < INC_N; k++)
			sy->inc_start[k] = (double)day * 86400 + incident_times[k].from +
			    (incident_times[k].to - incident_times[k].from) * rng_uniform(&sy->irng);
	}
	f = (t - sy->inc_start[i]) / incident_times[i].len;
	return f >= 0 && f < 1 ? f : -1;
}

/*
 * Every wave moves every step, reported or not, so -m only filters:
 * a family's values do not depend on which others were asked for.
 */
static void
synth_sample(void *st, struct sampler *s)
{
	struct synth *sy = st;
	const double gib = 1073741824.0, dt = s->o->interval;
	double t, cpu, io, steal, percpu[NCPU], mem, swap, root, var, rd, wr;
	double rx, tx, rt, err, tput, load, f;
	int c;

	if (!s->report)
		return;
	t = (double)++sy->step * dt;
	cpu = wave_at(sy, &sy->cpu, t, dt);
	io = wave_at(sy, &sy->iowait, t, dt);
	steal = wave_at(sy, &sy->steal, t, dt);
	for (c = 0; c < NCPU; c++)
		percpu[c] = clamp(cpu + wave_at(sy, &sy->percpu[c], t, dt), 0, 100);
	mem = wave_at(sy, &sy->mem, t, dt);
	swap = wave_at(sy, &sy->swap, t, dt);
	root = wave_at(sy, &sy->root, t, dt);
	var = wave_at(sy, &sy->var, t, dt);
	rd = whole(wave_at(sy, &sy->rd, t, dt));
	wr = whole(wave_at(sy, &sy->wr, t, dt));
	rx = whole(wave_at(sy, &sy->rx, t, dt));
	tx = whole(wave_at(sy, &sy->tx, t, dt));
	sy->rx_total += whole(rx * dt);
	sy->tx_total += whole(tx * dt);
	if (incident_at(sy, INC_CPU, t) >= 0) {
		cpu = clamp(96 + rng_normal(&sy->irng), 0, 100);
		for (c = 0; c < NCPU; c++)
			percpu[c] = clamp(cpu + 2 * rng_normal(&sy->irng), 0, 100);
	}
	if ((f = incident_at(sy, INC_LEAK, t)) >= 0)
		mem = f < 2.0 / 3 ? mem + (97 - mem) * f * 1.5 : clamp(97 + 0.3 * rng_normal(&sy->irng), 0, 99.9);
	/* steadily, 15 points an hour: from 47%, full in three and a half hours */
	if ((f = incident_at(sy, INC_FILL, t)) >= 0)
		var = clamp(wave_plain(&sy->var, t) + 15 * f * incident_times[INC_FILL].len / 3600,
		    0, 99.9);
	/* 3 points of / in 20 s, deleted 20 minutes on */
	if ((f = incident_at(sy, INC_TMP, t)) >= 0)
		root += 3 * (f * 60 < 1 ? f * 60 : 1);
	/* 3 points over 10 minutes, removed after 30 */
	if ((f = incident_at(sy, INC_ARCHIVE, t)) >= 0)
		root += 3 * (f * 3 < 1 ? f * 3 : 1);
	/* The kernel's load averages: exponential decay over 1, 5 and 15 minutes. */
	load = NCPU * cpu / 100 * 1.1 + (incident_at(sy, INC_LOAD, t) >= 0 ? 8 : 0);
	sy->load1 = load + (sy->load1 - load) * sy->keep1;
	sy->load5 = load + (sy->load5 - load) * sy->keep5;
	sy->load15 = load + (sy->load15 - load) * sy->keep15;
	rt = wave_at(sy, &sy->rt, t, dt);
	err = wave_at(sy, &sy->err, t, dt);
	tput = wave_at(sy, &sy->tput, t, dt) / (1 + rt / 2);	/* slow serves fewer */

	if (sy->fams & FAM_BIT(FAM_CPU)) {
		sampler_put(s, "cpu_usage_percent", cpu);
		for (c = 0; s->o->per_cpu && c < NCPU; c++)
			sampler_put(s, sy->cpu_metric[0][c], percpu[c]);
		sampler_put(s, "cpu_iowait_percent", io);
		for (c = 0; s->o->per_cpu && c < NCPU; c++)
			sampler_put(s, sy->cpu_metric[1][c], clamp(io * percpu[c] / (cpu + 1), 0, 100));
		sampler_put(s, "cpu_steal_percent", steal);
		for (c = 0; s->o->per_cpu && c < NCPU; c++)
			sampler_put(s, sy->cpu_metric[2][c], steal);
	}
	if (sy->fams & FAM_BIT(FAM_MEMORY)) {
		sampler_put(s, "memory_total_bytes", 16 * gib);
		sampler_put(s, "memory_available_bytes", whole(16 * gib * (1 - mem / 100)));
		sampler_put(s, "memory_used_bytes", 16 * gib - whole(16 * gib * (1 - mem / 100)));
		sampler_put(s, "memory_usage_percent", mem);
	}
	if (sy->fams & FAM_BIT(FAM_SWAP)) {
		sampler_put(s, "swap_used_bytes", whole(4 * gib * swap / 100));
		sampler_put(s, "swap_usage_percent", swap);
	}
	if (sy->fams & FAM_BIT(FAM_DISK)) {
		sampler_put(s, "disk_total_bytes{mountpoint=\"/\"}", 500e9);
		sampler_put(s, "disk_total_bytes{mountpoint=\"/var\"}", 200e9);
		sampler_put(s, "disk_used_bytes{mountpoint=\"/\"}", whole(500e9 * root / 100));
		sampler_put(s, "disk_used_bytes{mountpoint=\"/var\"}", whole(200e9 * var / 100));
		/* no blocks kept for root: what users may write is all that is free */
		sampler_put(s, "disk_avail_bytes{mountpoint=\"/\"}", 500e9 - whole(500e9 * root / 100));
		sampler_put(s, "disk_avail_bytes{mountpoint=\"/var\"}", 200e9 - whole(200e9 * var / 100));
		sampler_put(s, "disk_free_bytes{mountpoint=\"/\"}", 500e9 - whole(500e9 * root / 100));
		sampler_put(s, "disk_free_bytes{mountpoint=\"/var\"}", 200e9 - whole(200e9 * var / 100));
		sampler_put(s, "disk_usage_percent{mountpoint=\"/\"}", root);
		sampler_put(s, "disk_usage_percent{mountpoint=\"/var\"}", var);
	}
	if (sy->fams & FAM_BIT(FAM_IO)) {
		sampler_put(s, "disk_read_bytes_per_second{device=\"sda\"}", rd);
		sampler_put(s, "disk_write_bytes_per_second{device=\"sda\"}", wr);
	}
	if (sy->fams & FAM_BIT(FAM_NET)) {
		sampler_put(s, "network_receive_bytes_per_second{device=\"eth0\"}", rx);
		sampler_put(s, "network_transmit_bytes_per_second{device=\"eth0\"}", tx);
		sampler_put(s, "network_receive_bytes_total{device=\"eth0\"}", sy->rx_total);
		sampler_put(s, "network_transmit_bytes_total{device=\"eth0\"}", sy->tx_total);
	}
	if (sy->fams & FAM_BIT(FAM_LOAD)) {
		sampler_put(s, "load1", whole(sy->load1 * 100) / 100);
		sampler_put(s, "load5", whole(sy->load5 * 100) / 100);
		sampler_put(s, "load15", whole(sy->load15 * 100) / 100);
		sampler_put(s, "load1_per_cpu", whole(sy->load1 * 100) / 100 / NCPU);
		sampler_put(s, "load5_per_cpu", whole(sy->load5 * 100) / 100 / NCPU);
		sampler_put(s, "load15_per_cpu", whole(sy->load15 * 100) / 100 / NCPU);
	}
	if (sy->fams & FAM_BIT(FAM_APP)) {
		sampler_put(s, "response_time_seconds", whole(rt * 1e4) / 1e4);
		sampler_put(s, "error_rate_percent", err);
		sampler_put(s, "throughput_requests_per_second", whole(tput));
	}
}

static void
synth_close(void *st)
{
	free(st);
}

const struct module synth_module = {
	~0u, synth_open, synth_sample, synth_close
};
