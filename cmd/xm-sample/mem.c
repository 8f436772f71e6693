/* mem.c: memory and swap use from /proc/meminfo. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

enum { TOTAL, AVAILABLE, FREE, BUFFERS, CACHED, SWAPTOTAL, SWAPFREE, NKEY };

static const struct {
	const char *s;
	size_t	 n;
} keys[NKEY] = {
	{ "MemTotal", 8 }, { "MemAvailable", 12 }, { "MemFree", 7 }, { "Buffers", 7 },
	{ "Cached", 6 }, { "SwapTotal", 9 }, { "SwapFree", 8 }
};

struct mem {
	struct pfile f;
	unsigned fams;
};

static void *
mem_open(struct sampler *s)
{
	struct mem *m = xm_calloc(1, sizeof *m);

	pfile_init(&m->f, ROOT_PROC, "meminfo");
	m->f.brief = 1;
	m->fams = s->o->families & (FAM_BIT(FAM_MEMORY) | FAM_BIT(FAM_SWAP));
	return m;
}

static double
percent(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

static void
mem_sample(void *st, struct sampler *s)
{
	struct mem *m = st;
	unsigned long long v[NKEY];
	unsigned found = 0;
	const char *line, *end, *colon, *p;
	unsigned long long avail, swap_used;
	size_t len;
	int k;

	if (pfile_read(&s->src, &m->f) == -1) {
		for (k = FAM_MEMORY; k <= FAM_SWAP; k++)
			if (m->fams & FAM_BIT(k))
				sampler_fail(s, (enum family)k, &m->f, strerror(errno));
		return;
	}
	end = m->f.buf + m->f.len;
	/* the keys come in the first twenty of the fifty and more lines */
	for (line = m->f.buf; line < end && found != (1u << NKEY) - 1;
	    line = sample_next_line(line, end)) {
		if ((colon = memchr(line, ':', (size_t)(end - line))) == NULL)
			break;
		len = (size_t)(colon - line);
		for (k = 0; k < NKEY; k++) {
			if (keys[k].n == len && memcmp(line, keys[k].s, len) == 0) {
				if ((p = sample_parse_u64(colon + 1, end, &v[k])) != NULL &&
				    v[k] <= ~0ULL / 1024) {
					v[k] *= 1024;	/* the kernel writes kB */
					found |= 1u << k;
				}
				break;
			}
		}
	}
	/*
	 * MemAvailable came with Linux 3.14; before it, free + buffers +
	 * cache is what free(1) reported.
	 */
	if (!(found & 1u << AVAILABLE) &&
	    (found & (1u << FREE | 1u << BUFFERS | 1u << CACHED)) ==
	    (1u << FREE | 1u << BUFFERS | 1u << CACHED)) {
		v[AVAILABLE] = v[FREE] + v[BUFFERS] + v[CACHED];
		found |= 1u << AVAILABLE;
	}
	if (m->fams & FAM_BIT(FAM_MEMORY)) {
		if ((found & (1u << TOTAL | 1u << AVAILABLE)) !=
		    (1u << TOTAL | 1u << AVAILABLE) || v[TOTAL] == 0) {
			sampler_fail(s, FAM_MEMORY, &m->f, "no MemTotal or MemAvailable");
		} else if (s->report) {
			avail = v[AVAILABLE] < v[TOTAL] ? v[AVAILABLE] : v[TOTAL];
			sampler_put_u64(s, "memory_total_bytes", v[TOTAL]);
			sampler_put_u64(s, "memory_available_bytes", avail);
			sampler_put_u64(s, "memory_used_bytes", v[TOTAL] - avail);
			sampler_put(s, "memory_usage_percent",
			    percent((double)(v[TOTAL] - avail), (double)v[TOTAL]));
		}
	}
	if (m->fams & FAM_BIT(FAM_SWAP)) {
		if ((found & (1u << SWAPTOTAL | 1u << SWAPFREE)) !=
		    (1u << SWAPTOTAL | 1u << SWAPFREE)) {
			sampler_fail(s, FAM_SWAP, &m->f, "no SwapTotal or SwapFree");
		} else if (s->report) {
			swap_used = v[SWAPFREE] < v[SWAPTOTAL] ? v[SWAPTOTAL] - v[SWAPFREE] : 0;
			sampler_put_u64(s, "swap_used_bytes", swap_used);
			sampler_put(s, "swap_usage_percent",
			    percent((double)swap_used, (double)v[SWAPTOTAL]));
		}
	}
}

static void
mem_close(void *st)
{
	struct mem *m = st;

	pfile_free(&m->f);
	free(m);
}

const struct module mem_module = {
	FAM_BIT(FAM_MEMORY) | FAM_BIT(FAM_SWAP), mem_open, mem_sample, mem_close
};
