/*
 * load.c: load averages from /proc/loadavg, and each divided by the CPUs
 * online, the "cpuN" lines of /proc/stat under the same root (what
 * node-mixin divides by: the count of node_cpu_seconds_total{mode="idle"}).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

/* No state of its own: the file is the sampler's, shared with procs. */
static void *
load_open(struct sampler *s)
{
	return s;
}

/* The "cpuN" lines that open /proc/stat, one per CPU online; 0 for none. */
static unsigned long
online_cpus(const struct pfile *f)
{
	const char *line, *end = f->buf + f->len;
	unsigned long n = 0;

	for (line = f->buf; sample_begins(line, end, "cpu", 3);
	    line = sample_next_line(line, end))
		if (line[3] >= '0' && line[3] <= '9')
			n++;
	return n;
}

static void
load_sample(void *st, struct sampler *s)
{
	static const char *const names[3] = { "load1", "load5", "load15" };
	static const char *const per_cpu[3] = {
		"load1_per_cpu", "load5_per_cpu", "load15_per_cpu"
	};
	unsigned long ncpu = 0;
	double v[3];
	char tok[32];
	const char *p, *why = NULL;
	size_t n;
	int i;

	(void)st;
	if (sampler_loadavg(s) == -1) {
		sampler_fail(s, FAM_LOAD, &s->loadavg, strerror(errno));
		return;
	}
	/* "0.52 0.58 0.59 1/467 12345": three decimals, then the rest. */
	p = s->loadavg.buf;
	for (i = 0; i < 3; i++) {
		while (*p == ' ')
			p++;
		for (n = 0; p[n] != ' ' && p[n] != '\n' && p[n] != '\0'; n++)
			;
		if (n == 0 || n >= sizeof tok)
			break;
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (num_parse(tok, &v[i]) != 0 || v[i] < 0)
			break;
		p += n;
	}
	if (i < 3) {
		sampler_fail(s, FAM_LOAD, &s->loadavg, "not three load averages");
		return;
	}
	if (!s->report)
		return;
	for (i = 0; i < 3; i++)
		sampler_put(s, names[i], v[i]);
	if (sampler_stat(s) == -1)
		why = strerror(errno);
	else if ((ncpu = online_cpus(&s->stat)) == 0)
		why = "no \"cpuN\" line";
	if (why != NULL) {
		sampler_warn(s, FAM_LOAD, "%s/%s: %s; load per CPU skipped",
		    s->src.dirs[ROOT_PROC][s->src.cur[ROOT_PROC]], s->stat.path, why);
		return;
	}
	for (i = 0; i < 3; i++)
		sampler_put(s, per_cpu[i], v[i] / (double)ncpu);
}

static void
load_close(void *st)
{
	(void)st;
}

const struct module load_module = {
	FAM_BIT(FAM_LOAD), load_open, load_sample, load_close
};
