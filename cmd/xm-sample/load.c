/* load.c: load averages from /proc/loadavg. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

struct load {
	struct pfile f;
};

static void *
load_open(struct sampler *s)
{
	struct load *l = xm_calloc(1, sizeof *l);

	(void)s;
	pfile_init(&l->f, ROOT_PROC, "loadavg");
	return l;
}

static void
load_sample(void *st, struct sampler *s)
{
	static const char *const names[3] = { "load1", "load5", "load15" };
	struct load *l = st;
	double v[3];
	char *p, *q;
	int i;

	if (pfile_read(&s->src, &l->f) == -1) {
		sampler_fail(s, FAM_LOAD, &l->f, strerror(errno));
		return;
	}
	/* "0.52 0.58 0.59 1/467 12345": three decimals, then the rest. */
	p = l->f.buf;
	for (i = 0; i < 3; i++) {
		while (*p == ' ')
			p++;
		q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == p || (*q == '.' && !(q[1] >= '0' && q[1] <= '9'))) {
			sampler_fail(s, FAM_LOAD, &l->f, "not three load averages");
			return;
		}
		v[i] = strtod(p, &q);
		if (*q != ' ' && *q != '\n' && *q != '\0') {
			sampler_fail(s, FAM_LOAD, &l->f, "not three load averages");
			return;
		}
		p = q;
	}
	if (s->report)
		for (i = 0; i < 3; i++)
			sampler_put(s, names[i], v[i]);
}

static void
load_close(void *st)
{
	struct load *l = st;

	pfile_free(&l->f);
	free(l);
}

const struct module load_module = {
	FAM_BIT(FAM_LOAD), load_open, load_sample, load_close
};
