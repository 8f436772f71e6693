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
	char tok[32];
	const char *p;
	size_t n;
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
		n = strcspn(p, " \n");
		if (n == 0 || n >= sizeof tok)
			break;
		memcpy(tok, p, n);
		tok[n] = '\0';
		if (num_parse(tok, &v[i]) != 0 || v[i] < 0)
			break;
		p += n;
	}
	if (i < 3) {
		sampler_fail(s, FAM_LOAD, &l->f, "not three load averages");
		return;
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
