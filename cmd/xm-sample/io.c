/*
 * io.c: bytes read and written per second by whole disks, /proc/diskstats,
 * and by the host: the disks that are not made of others (an LVM volume
 * on sda) or of memory, so that each byte counts once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev.h"
#include "sample.h"
#include "xm.h"

enum { M_READ, M_WRITE, NMETRIC };

static const char *const names[NMETRIC] = {
	"disk_read_bytes_per_second", "disk_write_bytes_per_second"
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
io_sample(void *st, struct sampler *s)
{
	struct io *io = st;
	const char *line, *end, *p, *name;
	unsigned long long v[8];
	struct dev *d;
	size_t len;
	int is_new, k, m, whole;

	if (pfile_read(&s->src, &io->f) == -1) {
		sampler_fail(s, FAM_IO, &io->f, strerror(errno));
		return;
	}
	end = io->f.buf + io->f.len;
	for (line = io->f.buf; line < end; line = sample_next_line(line, end)) {
		/* major minor name reads merged sectors ms writes merged sectors ... */
		if ((p = sample_parse_u64(line, end, &v[0])) == NULL ||
		    (p = sample_parse_u64(p, end, &v[0])) == NULL) {
			sampler_fail(s, FAM_IO, &io->f, "cannot parse a disk line");
			continue;
		}
		name = sample_skip_space(p, end);
		for (p = name; p < end && *p != ' ' && *p != '\n'; p++)
			;
		len = (size_t)(p - name);
		for (k = 0; k < 7; k++)
			if ((p = sample_parse_u64(p, end, &v[k + 1])) == NULL)
				break;
		if (k < 7) {
			sampler_fail(s, FAM_IO, &io->f, "cannot parse a disk line");
			continue;
		}
		if ((d = devtab_get(&io->t, name, len, &is_new)) == NULL)
			continue;
		if (is_new) {
			if ((whole = classify(s, d)) == -1) {
				sampler_warn(s, FAM_IO, "%s/block: %s; io metrics skipped",
				    s->src.dirs[ROOT_SYS][s->src.cur[ROOT_SYS]],
				    strerror(ENOENT));
				io->t.n = 0;
				return;
			}
			d->skip = !whole;
		}
		d->cur[M_READ] = v[3] * 512;	/* sectors are 512 bytes, always */
		d->cur[M_WRITE] = v[7] * 512;
		/* Never read or written (unused loop and ram disks): not shown. */
		d->idle = v[1] == 0 && v[5] == 0;
	}
	devtab_sweep(&io->t);
	if (s->report) {
		for (m = 0; m < NMETRIC; m++) {
			devtab_put_total(&io->t, s, names[m], m, 0);
			devtab_put_rates(&io->t, s, m, m);
		}
	}
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
