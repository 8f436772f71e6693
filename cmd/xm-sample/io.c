/*
 * io.c: per whole disk, from /proc/diskstats, what iostat -x shows:
 * bytes read and written a second, reads and writes completed, time busy,
 * queue length, await and I/Os in flight.  The host's bytes are over the
 * disks that are not made of others (an LVM volume on sda) or of memory,
 * so that each byte counts once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev.h"
#include "sample.h"
#include "xm.h"

enum {
	M_READ, M_WRITE, M_READS, M_WRITES, M_BUSY, M_QUEUE, M_RAWAIT,
	M_WAWAIT, M_INFLIGHT, NMETRIC
};

/* The counters kept of each disk, by their place in dev's cur and prev. */
enum { C_RBYTES, C_WBYTES, C_READS, C_WRITES, C_RTICKS, C_WTICKS, C_IOTICKS, C_QTICKS };

static const char *const names[NMETRIC] = {
	"disk_read_bytes_per_second", "disk_write_bytes_per_second",
	"disk_reads_per_second", "disk_writes_per_second", "disk_busy_percent",
	"disk_queue_length", "disk_read_await_seconds", "disk_write_await_seconds",
	"disk_in_flight"
};

/*
 * The fields after the name, proc(5) and Documentation/admin-guide/iostats:
 * 11 since Linux 2.6, 15 with discards (4.18), 17 with flushes (5.5).
 * Those past the 11th are not used.
 */
enum {
	F_READS, F_RMERGED, F_RSECTORS, F_RTICKS, F_WRITES, F_WMERGED,
	F_WSECTORS, F_WTICKS, F_INFLIGHT, F_IOTICKS, F_QTICKS, NFIELD
};

struct io {
	struct pfile f;
	struct devtab t;
};

static void *
io_open(struct sampler *s)
{
	struct io *io = xm_calloc(1, sizeof *io);

	(void)s;
	pfile_init(&io->f, ROOT_PROC, "diskstats");
	io->f.brief = 1;
	io->f.counters = 1;
	io->f.multi = 1;
	devtab_init(&io->t, names, NMETRIC);
	return io;
}

/*
 * Whole disks are the entries of /sys/block; partitions are not.  A
 * name with '/' (cciss/c0d0) appears there with '!'.  1: whole disk,
 * 0: partition, -1: no /sys/block to ask.  Asked once a device, when it
 * first shows, as is whether it is real (sys_virtual).
 */
static int
classify(struct sampler *s, struct dev *d)
{
	char path[80];
	char *p;
	int root = src_rootfd(&s->src, ROOT_SYS);

	if (root == -1)
		return -1;
	snprintf(path, sizeof path, "block/%s", d->name);
	for (p = path + 6; *p; p++)
		if (*p == '/')
			*p = '!';
	if (faccessat(root, path, F_OK, 0) == 0) {
		/* no link to tell by (old sysfs): counted, as a disk of its own */
		d->real = dev_virtual(s, path, "block") != 1;
		return 1;
	}
	return faccessat(root, "block", F_OK, 0) == 0 ? 0 : -1;
}

static void
keep(struct dev *d, const unsigned long long *v)
{
	d->cur[C_RBYTES] = v[F_RSECTORS] * 512;	/* sectors are 512 bytes, always */
	d->cur[C_WBYTES] = v[F_WSECTORS] * 512;
	d->cur[C_READS] = v[F_READS];
	d->cur[C_WRITES] = v[F_WRITES];
	d->cur[C_RTICKS] = v[F_RTICKS];
	d->cur[C_WTICKS] = v[F_WTICKS];
	d->cur[C_IOTICKS] = v[F_IOTICKS];
	d->cur[C_QTICKS] = v[F_QTICKS];
	d->gauge = v[F_INFLIGHT];
	/* Never read or written (unused loop and ram disks): not shown. */
	d->idle = v[F_READS] == 0 && v[F_WRITES] == 0;
}

/*
 * iostat's r_await and w_await, in seconds: the milliseconds the I/Os
 * completed in the interval took, each, on average.  None in an interval
 * without I/O, or where either counter went back.
 */
static void
put_await(struct io *io, struct sampler *s, int m, int ios, int ticks)
{
	struct dev *d;
	size_t i;

	for (i = 0; i < io->t.n; i++) {
		d = &io->t.d[i];
		if (d->skip || d->idle || !d->have_prev ||
		    d->cur[ios] <= d->prev[ios] || d->cur[ticks] < d->prev[ticks])
			continue;
		dev_put(s, d, m, (double)(d->cur[ticks] - d->prev[ticks]) /
		    (double)(d->cur[ios] - d->prev[ios]) / 1000);
	}
}

static void
report(struct io *io, struct sampler *s)
{
	size_t i;
	int m;

	for (m = M_READ; m <= M_WRITE; m++) {
		devtab_put_total(&io->t, s, names[m], m, 0);
		devtab_put_rates(&io->t, s, m, m);
	}
	if (!s->rates)
		return;
	devtab_put_rates(&io->t, s, M_READS, C_READS);
	devtab_put_rates(&io->t, s, M_WRITES, C_WRITES);
	/* iostat's %util and aqu-sz: milliseconds a second, as 100% and as I/Os */
	devtab_put_scaled(&io->t, s, M_BUSY, C_IOTICKS, 10);
	devtab_put_scaled(&io->t, s, M_QUEUE, C_QTICKS, 1000);
	put_await(io, s, M_RAWAIT, C_READS, C_RTICKS);
	put_await(io, s, M_WAWAIT, C_WRITES, C_WTICKS);
	for (i = 0; i < io->t.n; i++)
		if (!io->t.d[i].skip && !io->t.d[i].idle && io->t.d[i].have_prev)
			dev_put_u64(s, &io->t.d[i], M_INFLIGHT, io->t.d[i].gauge);
}

static void
io_sample(void *st, struct sampler *s)
{
	struct io *io = st;
	const char *line, *next, *end, *p, *name;
	unsigned long long v[NFIELD];
	struct dev *d;
	size_t len;
	int is_new, whole;

	if (pfile_read(&s->src, &io->f) == -1) {
		sampler_fail(s, FAM_IO, &io->f, strerror(errno));
		return;
	}
	end = io->f.buf + io->f.len;
	for (line = io->f.buf; line < end; line = next) {
		next = sample_next_line(line, end);
		/* major minor name, then the fields */
		p = line;
		if (sample_parse_row(&p, end, v, 2) < 2) {
			sampler_fail(s, FAM_IO, &io->f, "cannot parse a disk line");
			continue;
		}
		name = sample_skip_space(p, end);
		for (p = name; p < end && *p != ' ' && *p != '\n'; p++)
			;
		len = (size_t)(p - name);
		if ((d = devtab_get(&io->t, name, len, &is_new)) == NULL)
			continue;
		if (is_new) {
			if ((whole = classify(s, d)) == -1) {
				sampler_warn(s, FAM_IO, "%s/block: %s; io metrics skipped",
				    s->src.dirs[ROOT_SYS][s->src.cur[ROOT_SYS]],
				    strerror(ENOENT));
				devtab_free(&io->t);
				devtab_init(&io->t, names, NMETRIC);
				return;
			}
			d->skip = !whole;
		}
		/* a partition: never reported, its numbers never read; nor those of the last time */
		if (d->skip || dev_text_same(d, p, (size_t)(next - p)))
			continue;
		if (sample_parse_row(&p, next, v, NFIELD) < NFIELD) {
			/* as if the line were not there: forgotten at the sweep */
			d->seen = 0;
			sampler_fail(s, FAM_IO, &io->f, "cannot parse a disk line");
			continue;
		}
		keep(d, v);
		dev_text_keep(d, name + len, (size_t)(next - (name + len)));
	}
	devtab_sweep(&io->t);
	if (s->report)
		report(io, s);
	devtab_rotate(&io->t);
}

static void
io_close(void *st)
{
	struct io *io = st;

	pfile_free(&io->f);
	devtab_free(&io->t);
	free(io);
}

const struct module io_module = {
	FAM_BIT(FAM_IO), io_open, io_sample, io_close
};
