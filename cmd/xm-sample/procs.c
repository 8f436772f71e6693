/*
 * procs.c: the scheduler's counts from /proc/stat and /proc/loadavg, as
 * sar -q and -w and node_exporter's stat collector read them: tasks
 * runnable and blocked, threads in all, and forks, context switches and
 * interrupts per second.  Both files are the sampler's, read once a set
 * with cpu and load.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

/* The /proc/stat lines read, each "key N ...". */
enum { RUNNING, BLOCKED, FORKS, CTXT, INTR, NKEY };

static const struct {
	const char *s;
	size_t	 n;
} keys[NKEY] = {
	{ "procs_running", 13 }, { "procs_blocked", 13 }, { "processes", 9 }, { "ctxt", 4 },
	{ "intr", 4 }
};

static const char *const names[NKEY] = {
	"processes_running", "processes_blocked", "forks_per_second",
	"context_switches_per_second", "interrupts_per_second"
};

struct procs {
	unsigned long long prev[NKEY], cur[NKEY];
	int	 have_prev, have_cur;
};

static void *
procs_open(struct sampler *s)
{
	(void)s;
	return xm_calloc(1, sizeof(struct procs));
}

/*
 * Each key's number, from the first line it leads, "key N ...": one
 * pass over the file, which on a machine of many CPUs is many lines.
 * 0, or -1 having said which key has no line.
 */
static int
read_stat(struct procs *p, struct sampler *s)
{
	const char *line, *end;
	unsigned seen = 0, found = 0;
	char why[48];
	size_t n;
	int k;

	if (sampler_stat(s) == -1) {
		sampler_fail(s, FAM_PROCS, &s->stat, strerror(errno));
		return -1;
	}
	end = s->stat.buf + s->stat.len;
	for (line = s->stat.buf; line < end && seen != (1u << NKEY) - 1;
	    line = sample_next_line(line, end)) {
		for (k = 0; k < NKEY; k++) {
			n = keys[k].n;
			if (seen & 1u << k || (size_t)(end - line) <= n || line[0] != keys[k].s[0] ||
			    memcmp(line, keys[k].s, n) != 0 || line[n] != ' ')
				continue;
			seen |= 1u << k;
			if (sample_parse_u64(line + n, end, &p->cur[k]) != NULL)
				found |= 1u << k;
			break;
		}
	}
	for (k = 0; k < NKEY; k++) {
		if (!(found & 1u << k)) {
			snprintf(why, sizeof why, "no \"%s\" line", keys[k].s);
			sampler_fail(s, FAM_PROCS, &s->stat, why);
			return -1;
		}
	}
	return 0;
}

/* "0.52 0.58 0.59 1/467 12345": the count after the slash; -1 for none. */
static int
read_threads(struct sampler *s, unsigned long long *v)
{
	const char *p, *end;
	int i;

	if (sampler_loadavg(s) == -1) {
		sampler_fail(s, FAM_PROCS, &s->loadavg, strerror(errno));
		return -1;
	}
	p = s->loadavg.buf;
	end = p + s->loadavg.len;
	for (i = 0; i < 3; i++) {
		p = sample_skip_space(p, end);
		while (p < end && *p != ' ' && *p != '\n')
			p++;
	}
	if ((p = sample_parse_u64(p, end, v)) == NULL || p == end || *p != '/' ||
	    (p = sample_parse_u64(p + 1, end, v)) == NULL) {
		sampler_fail(s, FAM_PROCS, &s->loadavg, "no count of threads");
		return -1;
	}
	return 0;
}

static void
procs_sample(void *st, struct sampler *s)
{
	struct procs *p = st;
	unsigned long long threads;
	double r;
	int k, have_threads;

	p->have_cur = read_stat(p, s) == 0;
	have_threads = read_threads(s, &threads) == 0;
	if (s->report) {
		if (p->have_cur) {
			sampler_put_u64(s, names[RUNNING], p->cur[RUNNING]);
			sampler_put_u64(s, names[BLOCKED], p->cur[BLOCKED]);
		}
		if (have_threads)
			sampler_put_u64(s, "processes_threads", threads);
		for (k = FORKS; k < NKEY && s->rates && p->have_prev && p->have_cur; k++) {
			r = sample_rate(p->prev[k], p->cur[k], s->dt);
			if (!isnan(r))
				sampler_put(s, names[k], r);
		}
	}
	p->have_prev = p->have_cur;
	memcpy(p->prev, p->cur, sizeof p->cur);
}

static void
procs_close(void *st)
{
	free(st);
}

const struct module procs_module = {
	FAM_BIT(FAM_PROCS), procs_open, procs_sample, procs_close
};
