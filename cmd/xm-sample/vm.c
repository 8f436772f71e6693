/*
 * vm.c: paging and OOM kills from the kernel's event counters in
 * /proc/vmstat, as sar -B and sar -W take them.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

enum { PSWPIN, PSWPOUT, PGMAJFAULT, PGSCAN, OOM_KILL, NKEY };

static const char *const rates[NKEY] = {
	"swap_in_pages_per_second", "swap_out_pages_per_second",
	"memory_major_faults_per_second", "memory_page_scans_per_second",
	"memory_oom_kills_per_second"
};

struct vm {
	struct pfile f;
	unsigned found;		/* bits of NKEY in the last read */
	unsigned long long prev[NKEY];
};

static void *
vm_open(struct sampler *s)
{
	struct vm *vm = xm_calloc(1, sizeof *vm);

	(void)s;
	pfile_init(&vm->f, ROOT_PROC, "vmstat");
	vm->f.brief = 1;
	vm->f.counters = 1;
	vm->f.multi = 1;
	return vm;
}

static int
is(const char *name, size_t len, const char *key)
{
	return strlen(key) == len && memcmp(name, key, len) == 0;
}

/*
 * Pages scanned for reclaim, by kswapd and by direct reclaim: since
 * Linux 4.8 pgscan_kswapd and pgscan_direct, before it one line a zone
 * (pgscan_kswapd_normal, pgscan_direct_dma32...), summed as sar -B
 * sums them for pgscank/s and pgscand/s.  pgscan_direct_throttle counts
 * reclaimers throttled, not pages, and is no zone.
 */
static int
scan_zone(const char *name, size_t len)
{
	return ((len > 14 && memcmp(name, "pgscan_kswapd_", 14) == 0) ||
	    (len > 14 && memcmp(name, "pgscan_direct_", 14) == 0)) &&
	    !is(name, len, "pgscan_direct_throttle");
}

/* The key a line counts in, ZONE for a zone's scans, or -1: most lines. */
#define ZONE NKEY
static int
key(const char *name, size_t len)
{
	if (is(name, len, "pswpin"))
		return PSWPIN;
	if (is(name, len, "pswpout"))
		return PSWPOUT;
	if (is(name, len, "pgmajfault"))
		return PGMAJFAULT;
	if (is(name, len, "oom_kill"))
		return OOM_KILL;
	if (len < 13 || memcmp(name, "pgscan_", 7) != 0)
		return -1;
	if (is(name, len, "pgscan_kswapd") || is(name, len, "pgscan_direct"))
		return PGSCAN;
	return scan_zone(name, len) ? ZONE : -1;
}

static void
vm_sample(void *st, struct sampler *s)
{
	struct vm *vm = st;
	unsigned long long v[NKEY] = { 0 }, n, zones = 0;
	const char *line, *end, *name, *p;
	unsigned found = 0, zoned = 0, scans = 0;
	size_t len;
	double r;
	int k;

	if (pfile_read(&s->src, &vm->f) == -1) {
		sampler_fail(s, FAM_VM, &vm->f, strerror(errno));
		vm->found = 0;
		return;
	}
	end = vm->f.buf + vm->f.len;
	/* all found, both pgscan lines too, by oom_kill: line 125 of 190 */
	for (line = vm->f.buf; line < end && (found != (1u << NKEY) - 1 || scans < 2);
	    line = sample_next_line(line, end)) {
		/* pswp*, pgmajfault, pgscan*, oom_kill: most of the 190 lines are none */
		if (!(line[0] == 'p' && (line[1] == 's' || (line[1] == 'g' &&
		    (line[2] == 'm' || line[2] == 's')))) &&
		    !(line[0] == 'o' && line[1] == 'o'))
			continue;
		for (name = p = line; p < end && *p != ' ' && *p != '\n'; p++)
			;
		len = (size_t)(p - name);
		if ((k = key(name, len)) == -1 ||
		    (p = sample_parse_u64(p, end, &n)) == NULL)
			continue;
		if (k == ZONE) {
			zones += n;
			zoned = 1;
			continue;
		}
		v[k] += n;
		found |= 1u << k;
		scans += k == PGSCAN;
	}
	if (!(found & 1u << PGSCAN) && zoned) {
		v[PGSCAN] = zones;
		found |= 1u << PGSCAN;
	}
	if (found == 0) {
		sampler_fail(s, FAM_VM, &vm->f, "no pswpin, pgmajfault, pgscan or oom_kill line");
		vm->found = 0;
		return;
	}
	if (s->report && (found & 1u << OOM_KILL))
		sampler_put_u64(s, "memory_oom_kills_total", v[OOM_KILL]);
	if (s->report && s->rates) {
		for (k = 0; k < NKEY; k++) {
			if (!(found & vm->found & 1u << k))
				continue;
			r = sample_rate(vm->prev[k], v[k], s->dt);
			if (!isnan(r))
				sampler_put(s, rates[k], r);
		}
	}
	memcpy(vm->prev, v, sizeof v);
	vm->found = found;
}

static void
vm_close(void *st)
{
	struct vm *vm = st;

	pfile_free(&vm->f);
	free(vm);
}

const struct module vm_module = {
	FAM_BIT(FAM_VM), vm_open, vm_sample, vm_close
};
