/*
 * pressure.c: the share of each interval that tasks stalled waiting for
 * a CPU, for memory or for I/O, from the kernel's pressure stall
 * information (/proc/pressure, Linux 4.20 with CONFIG_PSI).  The
 * total= counters, microseconds stalled since boot, give it exactly over
 * any interval; the avg10 beside them is a decaying average the kernel
 * updates every 2 s.
 */
#include <errno.h>
#include <err.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pressure.h"
#include "xm.h"

void
psi_init(struct psi *p, enum root root, const char *const paths[3],
    const char *const *names, enum family fam)
{
	int i;

	memset(p, 0, sizeof *p);
	for (i = 0; i < 3; i++) {
		pfile_init(&p->f[i], root, paths[i]);
		p->f[i].brief = 1;
		p->f[i].counters = 1;
	}
	p->names = names;
	p->fam = fam;
}

/*
 * "some avg10=0.12 avg60=0.05 avg300=0.01 total=123456" and a "full"
 * line the same: the totals into v[some] and v[some + 1], their bits
 * into *found.
 */
static void
parse(const struct pfile *f, int some, unsigned long long *v, unsigned *found)
{
	const char *line, *end = f->buf + f->len, *eol, *p;
	int k;

	for (line = f->buf; line < end; line = eol + 1) {
		if ((eol = memchr(line, '\n', (size_t)(end - line))) == NULL)
			eol = end;
		if (sample_begins(line, eol, "some ", 5))
			k = some;
		else if (sample_begins(line, eol, "full ", 5))
			k = some + 1;
		else
			continue;
		/* total= comes last */
		for (p = eol; p > line && p[-1] != ' '; p--)
			;
		if (eol - p > 6 && memcmp(p, "total=", 6) == 0 &&
		    sample_parse_u64(p + 6, eol, &v[k]) == eol)
			*found |= 1u << k;
	}
}

/*
 * A kernel without PSI (before 4.20, or built or booted without it)
 * has no /proc/pressure, or answers EOPNOTSUPP: said once a run, for
 * the system's and the cgroup's alike, and no error.
 */
static void
psi_absent(struct psi *p, struct sampler *s, const struct pfile *f, int e)
{
	p->off = 1;
	if ((e == ENOENT && p->quiet_enoent) || s->psi_said)
		return;
	s->psi_said = 1;
	warnx("%s/%s: %s: no pressure stall information in this kernel; "
	    "pressure metrics left out", s->src.dirs[f->root][s->src.cur[f->root]],
	    f->path, strerror(e));
}

void
psi_sample(struct psi *p, struct sampler *s)
{
	/* cpu full is optional: Linux 5.13 added it, and only a cgroup's means anything */
	const unsigned need = 1u << PSI_CPU_SOME | 1u << PSI_MEM_SOME |
	    1u << PSI_MEM_FULL | 1u << PSI_IO_SOME | 1u << PSI_IO_FULL;
	unsigned long long v[PSI_N] = { 0 };
	unsigned found = 0;
	double r;
	int i, k;

	if (p->off)
		return;
	for (i = 0; i < 3; i++) {
		if (pfile_read(&s->src, &p->f[i]) == -1) {
			if (errno == ENOENT || errno == EOPNOTSUPP) {
				psi_absent(p, s, &p->f[i], errno);
			} else {
				sampler_fail(s, p->fam, &p->f[i], strerror(errno));
				p->found = 0;
			}
			return;
		}
		parse(&p->f[i], 2 * i, v, &found);
		if ((found & need & 3u << 2 * i) != (need & 3u << 2 * i)) {
			sampler_fail(s, p->fam, &p->f[i], "no \"some\" or \"full\" total");
			p->found = 0;
			return;
		}
	}
	if (s->report && s->rates) {
		for (k = 0; k < PSI_N; k++) {
			if (p->names[k] == NULL || !(found & p->found & 1u << k))
				continue;
			/* µs stalled a second, in percent: / 1e6 * 100 */
			r = sample_rate(p->prev[k], v[k], s->dt) / 1e4;
			if (!isnan(r))
				sampler_put(s, p->names[k], r > 100 ? 100 : r);
		}
	}
	memcpy(p->prev, v, sizeof v);
	p->found = found;
}

void
psi_free(struct psi *p)
{
	int i;

	for (i = 0; i < 3; i++)
		pfile_free(&p->f[i]);
}

static void *
pressure_open(struct sampler *s)
{
	static const char *const paths[3] = {
		"pressure/cpu", "pressure/memory", "pressure/io"
	};
	/* at the system's level cpu full is undefined; the kernel writes 0 */
	static const char *const names[PSI_N] = {
		"pressure_cpu_some_percent", NULL,
		"pressure_memory_some_percent", "pressure_memory_full_percent",
		"pressure_io_some_percent", "pressure_io_full_percent"
	};
	struct psi *p = xm_calloc(1, sizeof *p);

	(void)s;
	psi_init(p, ROOT_PROC, paths, names, FAM_PRESSURE);
	return p;
}

static void
pressure_sample(void *st, struct sampler *s)
{
	psi_sample(st, s);
}

static void
pressure_close(void *st)
{
	psi_free(st);
	free(st);
}

const struct module pressure_module = {
	FAM_BIT(FAM_PRESSURE), pressure_open, pressure_sample, pressure_close
};
