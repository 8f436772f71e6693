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

/*
 * The lines counted on a kernel since 4.13, with the key each adds to.
 * Where all were found, and no zone's scans, each is looked for first
 * where it was the last time (sample_count_at): the 190 lines are
 * scanned only when one has moved.
 */
static const struct {
	const char *s;
	size_t	 n;
	int	 k;
} lines[] = {
	{ "pswpin", 6, PSWPIN }, { "pswpout", 7, PSWPOUT },
	{ "pgmajfault", 10, PGMAJFAULT }, { "pgscan_kswapd", 13, PGSCAN },
	{ "pgscan_direct", 13, PGSCAN }, { "oom_kill", 8, OOM_KILL },
};
#define NLINE	(sizeof lines / sizeof lines[0])
#define ALL	((1u << NLINE) - 1)

struct vm {
	struct pfile f;
	unsigned found;		/* bits of NKEY in the last read */
	unsigned long long prev[NKEY];
	size_t	 at[NLINE];	/* where each of lines began */
	int	 spotted;	/* at[] holds them all */
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
	return len > 14 && (memcmp(name, "pgscan_kswapd_", 14) == 0 ||
	    memcmp(name, "pgscan_direct_", 14) == 0) &&
	    !(len == 22 && memcmp(name, "pgscan_direct_throttle", 22) == 0);
}

/* Which of lines a line is, ZONE for a zone's scans, or -1: most lines. */
#define ZONE	((int)NLINE)
static int
line_of(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NLINE; i++)
		if (lines[i].n == len && memcmp(name, lines[i].s, len) == 0)
			return (int)i;
	return scan_zone(name, len) ? ZONE : -1;
}

/* The counts of lines where they were last: 1, or 0 when one has moved. */
static int
at_spots(const struct vm *vm, const char *buf, const char *end, unsigned long long v[NKEY])
{
	unsigned long long n;
	size_t i;

	for (i = 0; i < NLINE; i++) {
		if (sample_count_at(buf, end, vm->at[i], lines[i].s, lines[i].n, &n) == NULL)
			return 0;
		v[lines[i].k] += n;
	}
	return 1;
}

/* The counts of the lines, read through: bits of NKEY found. */
static unsigned
scan(struct vm *vm, const char *buf, const char *end, unsigned long long v[NKEY])
{
	unsigned long long n, zones = 0;
	const char *line, *name, *p;
	unsigned found = 0, seen = 0, zoned = 0;
	size_t len;
	int i;

	/* all found by oom_kill: line 125 of 190 */
	for (line = buf; line < end && seen != ALL; line = sample_next_line(line, end)) {
		/* pswp*, pgmajfault, pgscan*, oom_kill: most of the 190 lines are none */
		if (!(line[0] == 'p' && (line[1] == 's' || (line[1] == 'g' &&
		    (line[2] == 'm' || line[2] == 's')))) &&
		    !(line[0] == 'o' && line[1] == 'o'))
			continue;
		for (name = p = line; p < end && *p != ' ' && *p != '\n'; p++)
			;
		len = (size_t)(p - name);
		if ((i = line_of(name, len)) == -1 ||
		    (p = sample_parse_u64(p, end, &n)) == NULL)
			continue;
		if (i == ZONE) {
			zones += n;
			zoned = 1;
			continue;
		}
		v[lines[i].k] += n;
		found |= 1u << lines[i].k;
		seen |= 1u << i;
		vm->at[i] = (size_t)(line - buf);
	}
	vm->spotted = seen == ALL && !zoned;
	if (!(found & 1u << PGSCAN) && zoned) {
		v[PGSCAN] = zones;
		found |= 1u << PGSCAN;
	}
	return found;
}

static void
vm_sample(void *st, struct sampler *s)
{
	struct vm *vm = st;
	unsigned long long v[NKEY] = { 0 };
	const char *end;
	unsigned found;
	double r;
	int k;

	if (pfile_read(&s->src, &vm->f) == -1) {
		sampler_fail(s, FAM_VM, &vm->f, strerror(errno));
		vm->found = 0;
		return;
	}
	end = vm->f.buf + vm->f.len;
	if (vm->spotted && at_spots(vm, vm->f.buf, end, v)) {
		found = (1u << NKEY) - 1;
	} else {
		memset(v, 0, sizeof v);
		found = scan(vm, vm->f.buf, end, v);
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
