/* disk.c: size and use of every real mounted filesystem, as df(1) has them. */
#include <sys/statvfs.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

enum { M_TOTAL, M_USED, M_PERCENT, NMETRIC };

static const char *const names[NMETRIC] = {
	"disk_total_bytes", "disk_used_bytes", "disk_usage_percent"
};

/*
 * Filesystems that hold no user data: kernel interfaces, memory-backed
 * ones, and read-only images that are full by design (a squashfs snap
 * at 100% is no alarm).  node_exporter leaves out much the same.
 */
static const char *const pseudo[] = {
	"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs",
	"debugfs", "devfs", "devpts", "devtmpfs", "efivarfs", "erofs",
	"fuse.gvfsd-fuse", "fuse.lxcfs", "fuse.portal", "fusectl", "hugetlbfs",
	"iso9660", "mqueue", "nsfs", "proc", "pstore", "ramfs", "rootfs",
	"rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tmpfs",
	"tracefs",
};

/*
 * Filesystems on another machine: a server that does not answer hangs
 * statvfs(2) in the kernel, past any signal, and with it every family
 * of the sample.  They are watched on the server, or by its own sampler.
 */
static const char *const remote[] = {
	"9p", "afs", "beegfs", "ceph", "cifs", "davfs", "fuse.glusterfs",
	"fuse.rclone", "fuse.s3fs", "fuse.sshfs", "glusterfs", "gpfs", "lustre",
	"ncpfs", "nfs", "nfs4", "smb3", "smbfs", "sshfs",
};

struct fs {
	char	*dev;
	char	*mnt;
	char	*metric[NMETRIC];
	double	 v[NMETRIC];
	int	 ok;
};

struct disk {
	struct pfile f;
	char	*seen;		/* the mounts text the list was made from */
	size_t	 seenlen;
	struct fs *fs;
	size_t	 n, cap;
};

static void *
disk_open(struct sampler *s)
{
	struct disk *d = xm_calloc(1, sizeof *d);

	(void)s;
	pfile_init(&d->f, ROOT_PROC, "mounts");
	d->f.multi = 1;
	return d;
}

static int
is_pseudo(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
		if (strcmp(type, pseudo[i]) == 0)
			return 1;
	for (i = 0; i < sizeof remote / sizeof remote[0]; i++)
		if (strcmp(type, remote[i]) == 0)
			return 1;
	return 0;
}

/* Cut the next blank-separated field, undoing the \040-style escapes. */
static char *
field(char **pp)
{
	char *p = *pp, *start, *o;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	start = o = p;
	while (*p != '\0' && *p != ' ' && *p != '\t') {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' &&
		    p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	if (*p != '\0')
		p++;
	*o = '\0';
	*pp = p;
	return start;
}

static void
fs_clear(struct fs *f)
{
	int m;

	free(f->dev);
	free(f->mnt);
	for (m = 0; m < NMETRIC; m++)
		free(f->metric[m]);
}

static void
list_clear(struct disk *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fs_clear(&d->fs[i]);
	d->n = 0;
}

/*
 * Each mountpoint once: the last mount over it is the one seen, and if
 * that is a pseudo filesystem the mountpoint is not reported at all.
 */
static void
list_add(struct disk *d, const char *dev, const char *mnt, int hidden)
{
	char buf[METRIC_MAX];
	const char *lab[] = { "mountpoint", mnt, NULL };
	struct fs *f = NULL;
	size_t i;
	int m;

	for (i = 0; i < d->n; i++) {
		if (d->fs[i].mnt != NULL && strcmp(d->fs[i].mnt, mnt) == 0) {
			fs_clear(&d->fs[i]);
			memset(&d->fs[i], 0, sizeof d->fs[i]);
			break;
		}
	}
	if (hidden)
		return;
	if (metric_build(buf, sizeof buf, names[M_PERCENT], lab) == 0)
		return;		/* a mountpoint too long to name */
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->fs = xm_reallocarray(d->fs, d->cap, sizeof *d->fs);
	}
	f = &d->fs[d->n++];
	memset(f, 0, sizeof *f);
	f->dev = xm_strdup(dev);
	f->mnt = xm_strdup(mnt);
	for (m = 0; m < NMETRIC; m++) {
		metric_build(buf, sizeof buf, names[m], lab);
		f->metric[m] = xm_strdup(buf);
	}
}

/*
 * Each block device once, at its shortest mountpoint, as df does with
 * bind mounts; and the slots list_add emptied go.
 */
static void
list_dedup(struct disk *d)
{
	size_t i, j, o;

	for (i = 0; i < d->n; i++) {
		if (d->fs[i].mnt == NULL || d->fs[i].dev[0] != '/')
			continue;
		for (j = i + 1; j < d->n; j++) {
			if (d->fs[j].mnt == NULL || strcmp(d->fs[i].dev, d->fs[j].dev) != 0)
				continue;
			if (strlen(d->fs[j].mnt) < strlen(d->fs[i].mnt)) {
				fs_clear(&d->fs[i]);
				d->fs[i] = d->fs[j];
			} else {
				fs_clear(&d->fs[j]);
			}
			memset(&d->fs[j], 0, sizeof d->fs[j]);
		}
	}
	for (i = o = 0; i < d->n; i++)
		if (d->fs[i].mnt != NULL)
			d->fs[o++] = d->fs[i];
	d->n = o;
}

static void
list_make(struct disk *d, char *text)
{
	char *line, *next, *p, *dev, *mnt, *type;

	list_clear(d);
	for (line = text; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		p = line;
		if ((dev = field(&p)) == NULL || (mnt = field(&p)) == NULL ||
		    (type = field(&p)) == NULL)
			continue;
		list_add(d, dev, mnt, is_pseudo(type));
	}
	list_dedup(d);
}

static void
disk_sample(void *st, struct sampler *s)
{
	struct disk *d = st;
	struct statvfs sv;
	double used, avail;
	size_t i;
	int m;

	if (!pfile_changed(&s->src, &d->f))
		goto report;
	if (pfile_read(&s->src, &d->f) == -1) {
		sampler_fail(s, FAM_DISK, &d->f, strerror(errno));
		return;
	}
	if (d->seen == NULL || d->seenlen != d->f.len ||
	    memcmp(d->seen, d->f.buf, d->f.len) != 0) {
		free(d->seen);
		d->seen = xm_strndup(d->f.buf, d->f.len);
		d->seenlen = d->f.len;
		list_make(d, d->f.buf);
	}
report:
	if (!s->report)
		return;
	for (i = 0; i < d->n; i++) {
		struct fs *f = &d->fs[i];

		/* Unreadable (a FUSE mount of another user) or sizeless: as df, skip. */
		f->ok = statvfs(f->mnt, &sv) == 0 && sv.f_blocks > 0;
		if (!f->ok)
			continue;
		f->v[M_TOTAL] = (double)sv.f_blocks * (double)sv.f_frsize;
		used = (double)(sv.f_blocks - sv.f_bfree) * (double)sv.f_frsize;
		avail = (double)sv.f_bavail * (double)sv.f_frsize;
		f->v[M_USED] = used;
		/* df's Use%: of what users may fill, blocks reserved for root aside. */
		f->v[M_PERCENT] = used + avail > 0 ? 100.0 * used / (used + avail) : 0;
	}
	for (m = 0; m < NMETRIC; m++)
		for (i = 0; i < d->n; i++)
			if (d->fs[i].ok)
				sampler_put(s, d->fs[i].metric[m], d->fs[i].v[m]);
}

static void
disk_close(void *st)
{
	struct disk *d = st;

	list_clear(d);
	free(d->fs);
	free(d->seen);
	pfile_free(&d->f);
	free(d);
}

const struct module disk_module = {
	FAM_BIT(FAM_DISK), disk_open, disk_sample, disk_close
};
