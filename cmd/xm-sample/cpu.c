/* cpu.c: CPU busy time and its breakdown, as sar -u ALL has it, from /proc/stat. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample.h"
#include "xm.h"

/*
 * The columns of a cpu line.  Guest time is inside user and guest_nice
 * inside nice, so the total is over the columns before GUEST.
 */
enum {
	USER, NICE, SYSTEM, IDLE, IOWAIT, IRQ, SOFTIRQ, STEAL, GUEST, GUEST_NICE,
	NTIMES
};
enum {
	M_USAGE, M_IOWAIT, M_STEAL, M_USER, M_NICE, M_SYSTEM, M_IRQ, M_SOFTIRQ,
	M_GUEST, M_IDLE, NMETRIC
};

static const char *const names[NMETRIC] = {
	"cpu_usage_percent", "cpu_iowait_percent", "cpu_steal_percent",
	"cpu_user_percent", "cpu_nice_percent", "cpu_system_percent",
	"cpu_irq_percent", "cpu_softirq_percent", "cpu_guest_percent",
	"cpu_idle_percent"
};

struct cpu {
	unsigned long long prev[NTIMES], cur[NTIMES];
	int	 have_prev, have_cur;
	double	 pct[NMETRIC];
	int	 have_pct;
	char	 metric[NMETRIC][48];	/* with {cpu="N"}, built once */
};

struct cpus {
	struct cpu all;
	struct cpu *cpu;	/* indexed by CPU number */
	size_t	 ncpu;
	int	 per_cpu;
	double	 hz;		/* clock ticks a second */
};

static void *
cpu_open(struct sampler *s)
{
	struct cpus *c = xm_calloc(1, sizeof *c);
	int m;

	c->per_cpu = s->o->per_cpu;
	c->hz = (double)sysconf(_SC_CLK_TCK);
	for (m = 0; m < NMETRIC; m++)
		snprintf(c->all.metric[m], sizeof c->all.metric[m], "%s", names[m]);
	return c;
}

static struct cpu *
cpu_slot(struct cpus *c, unsigned long long n)
{
	size_t old = c->ncpu;
	char num[24];
	int m;

	if (n > 65535)
		return NULL;
	if (n >= c->ncpu) {
		c->ncpu = (size_t)n + 1;
		c->cpu = xm_reallocarray(c->cpu, c->ncpu, sizeof *c->cpu);
		memset(c->cpu + old, 0, (c->ncpu - old) * sizeof *c->cpu);
		for (; old < c->ncpu; old++) {
			snprintf(num, sizeof num, "%zu", old);
			for (m = 0; m < NMETRIC; m++) {
				const char *const lab[] = { "cpu", num, NULL };

				metric_build(c->cpu[old].metric[m],
				    sizeof c->cpu[old].metric[m], names[m], lab);
			}
		}
	}
	return &c->cpu[n];
}

/*
 * Percentages of the time that passed: busy is everything but idle and
 * iowait.  Nothing when a counter went back (CPU hot-plug, a per-CPU
 * iowait that the kernel lets drop), no time passed, or more ticks
 * passed than max, which 65536 CPUs could not have spent.  As sar -u
 * ALL: user without guest, nice without guest_nice, and guest with
 * both, so that the seven busy shares sum to usage and with iowait and
 * idle to 100.  A guest tick read before its user tick (the two are
 * not read at once) is held to user's.
 */
static void
cpu_compute(struct cpu *c, double max)
{
	unsigned long long d[NTIMES], total = 0, guest, gnice;
	double t;
	int i;

	c->have_pct = 0;
	if (!c->have_prev || !c->have_cur)
		return;
	for (i = 0; i < NTIMES; i++) {
		if (c->cur[i] < c->prev[i])
			return;
		d[i] = c->cur[i] - c->prev[i];
		if (i >= GUEST)
			continue;
		if (total + d[i] < total)
			return;		/* nonsense counters: no sum, no rate */
		total += d[i];
	}
	if (total == 0 || (double)total > max)
		return;
	t = (double)total;
	guest = d[GUEST] < d[USER] ? d[GUEST] : d[USER];
	gnice = d[GUEST_NICE] < d[NICE] ? d[GUEST_NICE] : d[NICE];
	c->pct[M_USAGE] = 100.0 * (1.0 - (double)(d[IDLE] + d[IOWAIT]) / t);
	c->pct[M_IOWAIT] = 100.0 * (double)d[IOWAIT] / t;
	c->pct[M_STEAL] = 100.0 * (double)d[STEAL] / t;
	c->pct[M_USER] = 100.0 * (double)(d[USER] - guest) / t;
	c->pct[M_NICE] = 100.0 * (double)(d[NICE] - gnice) / t;
	c->pct[M_SYSTEM] = 100.0 * (double)d[SYSTEM] / t;
	c->pct[M_IRQ] = 100.0 * (double)d[IRQ] / t;
	c->pct[M_SOFTIRQ] = 100.0 * (double)d[SOFTIRQ] / t;
	c->pct[M_GUEST] = 100.0 * (double)(guest + gnice) / t;
	c->pct[M_IDLE] = 100.0 * (double)d[IDLE] / t;
	c->have_pct = 1;
}

static void
cpu_sample(void *st, struct sampler *s)
{
	struct cpus *c = st;
	const char *p, *end, *line;
	unsigned long long n;
	struct cpu *slot;
	double max;
	size_t i;
	int m;

	c->all.have_cur = 0;
	for (i = 0; i < c->ncpu; i++)
		c->cpu[i].have_cur = 0;
	if (sampler_stat(s) == -1) {
		sampler_fail(s, FAM_CPU, &s->stat, strerror(errno));
		goto rotate;
	}
	end = s->stat.buf + s->stat.len;
	for (line = s->stat.buf; sample_begins(line, end, "cpu", 3);
	    line = sample_next_line(line, end)) {
		p = line + 3;
		if (*p == ' ') {
			slot = &c->all;
		} else {
			if ((p = sample_parse_u64(p, end, &n)) == NULL || *p != ' ')
				break;
			if (!c->per_cpu)
				continue;
			if ((slot = cpu_slot(c, n)) == NULL)
				continue;
		}
		memset(slot->cur, 0, sizeof slot->cur);
		/*
		 * Kernels before 2.6.11 lack steal, before 2.6.24 guest,
		 * before 2.6.33 guest_nice; missing columns count 0.
		 */
		slot->have_cur = sample_parse_row(&p, end, slot->cur, NTIMES) >= IOWAIT + 1;
	}
	if (!c->all.have_cur)
		sampler_fail(s, FAM_CPU, &s->stat, "no \"cpu\" line");

	/* One --procfs snapshot has no interval to measure over. */
	if (s->report && s->rates) {
		max = 2 * 65536 * c->hz * s->dt;
		cpu_compute(&c->all, max);
		for (i = 0; i < c->ncpu; i++)
			cpu_compute(&c->cpu[i], max);
		for (m = 0; m < NMETRIC; m++) {
			if (c->all.have_pct)
				sampler_put(s, c->all.metric[m], c->all.pct[m]);
			for (i = 0; i < c->ncpu; i++)
				if (c->cpu[i].have_pct)
					sampler_put(s, c->cpu[i].metric[m], c->cpu[i].pct[m]);
		}
	}
rotate:
	c->all.have_prev = c->all.have_cur;
	memcpy(c->all.prev, c->all.cur, sizeof c->all.cur);
	for (i = 0; i < c->ncpu; i++) {
		c->cpu[i].have_prev = c->cpu[i].have_cur;
		memcpy(c->cpu[i].prev, c->cpu[i].cur, sizeof c->cpu[i].cur);
	}
}

static void
cpu_close(void *st)
{
	struct cpus *c = st;

	free(c->cpu);
	free(c);
}

const struct module cpu_module = {
	FAM_BIT(FAM_CPU), cpu_open, cpu_sample, cpu_close
};
