/*
 * disk.c: size, use and inodes of every real mounted filesystem, as df(1)
 * and df -i have them, and whether it is read-only.
 */
#include <sys/statvfs.h>

#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

enum {
	M_TOTAL, M_USED, M_AVAIL, M_FREE, M_PERCENT, M_IMAX, M_IUSED,
	M_IPERCENT, M_RDONLY, NMETRIC
};

static const char *const names[NMETRIC] = {
	"disk_total_bytes", "disk_used_bytes", "disk_avail_bytes",
	"disk_free_bytes", "disk_usage_percent", "disk_inodes_max",
	"disk_inodes_used", "disk_inodes_usage_percent", "disk_readonly"
};

/*
 * Filesystems that hold no user data: kernel interfaces, memory-backed
 * ones, the union mounts of containers' roots (overlay), and read-only
 * images that are full by design (a squashfs snap at 100% is no alarm).
 * node_exporter's fs-types-exclude is all among them.
 */
static const char *const pseudo[] = {
	"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs",
	"debugfs", "devfs", "devpts", "devtmpfs", "efivarfs", "erofs",
	"fuse.gvfsd-fuse", "fuse.lxcfs", "fuse.portal", "fusectl", "hugetlbfs",
	"iso9660", "mqueue", "nsfs", "overlay", "proc", "procfs", "pstore",
	"ramfs", "rootfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs",
	"sysfs", "tmpfs", "tracefs",
};

/*
 * Mountpoints of the kernel's and the container runtimes' own: node_exporter's
 * mount-points-exclude, ^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|
 * var/lib/containers/storage/.+)($|/), as globs (a * matches / too), and
 * where Docker, containerd, Podman and the kubelet mount what their
 * containers see: every container would otherwise add a filesystem.
 */
static const char *const skip_at[] = {
	"/dev", "/dev/*", "/proc", "/proc/*", "/sys", "/sys/*",
	"/run/credentials/*", "/run/containerd/*", "/run/docker/*",
	"/var/lib/containerd/*", "/var/lib/containers/*", "/var/lib/docker/*",
	"/var/lib/kubelet/*",
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
	char	*mnt;		/* as the host has it: the label */
	char	*path;		/* where it is measured: under --rootfs */
	char	*metric[NMETRIC];
	unsigned long long v[NMETRIC];	/* the counts: bytes, inodes, 0 or 1 */
	double	 percent, ipercent;
	int	 ro;		/* mounted with option ro */
	int	 ok;
};

struct disk {
	const struct sample_opts *o;
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

	d->o = s->o;
	pfile_init(&d->f, ROOT_PROC, "mounts");
	d->f.multi = 1;
	return d;
}

static int
any_glob(const char *const *glob, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fnmatch(glob[i], s, 0) == 0)
			return 1;
	return 0;
}

/* Given excludes win; then given includes; then the defaults. */
static int
passes(const struct globs *incl, const struct globs *excl, int by_default,
    const char *s)
{
	if (any_glob(excl->v, excl->n, s))
		return 0;
	if (any_glob(incl->v, incl->n, s))
		return 1;
	return !by_default;
}

static int
wanted(const struct sample_opts *o, const char *mnt, const char *type)
{
	return passes(&o->mount_incl, &o->mount_excl,
	    any_glob(skip_at, sizeof skip_at / sizeof skip_at[0], mnt), mnt) &&
	    passes(&o->type_incl, &o->type_excl,
	    xm_listed(type, pseudo, sizeof pseudo / sizeof pseudo[0]) ||
	    xm_listed(type, remote, sizeof remote / sizeof remote[0]), type);
}

/*
 * With --rootfs the host's own table is wanted: that of its PID 1
 * (node_exporter's choice), the reader's own when there is no such
 * file (hidepid) or no PID 1 in a copy; and each snapshot of
 * /proc is asked again.
 */
static int
table_read(struct sampler *s, struct disk *d)
{
	if (d->o->rootfs == NULL)
		return pfile_read(&s->src, &d->f);
	if (d->f.gen != s->src.gen[ROOT_PROC]) {
		pfile_close(&d->f);
		d->f.path = "1/mounts";
	}
	if (pfile_read(&s->src, &d->f) == 0)
		return 0;
	if (strcmp(d->f.path, "1/mounts") != 0)
		return -1;
	pfile_close(&d->f);
	d->f.path = "mounts";
	return pfile_read(&s->src, &d->f);
}

/*
 * The host's mountpoint, from one under --rootfs as a container sees the
 * host's tree (node_exporter's rootfsStripPrefix): /host/home is /home.
 */
static const char *
host_view(const char *rootfs, const char *mnt)
{
	size_t n;

	if (rootfs == NULL)
		return mnt;
	n = strlen(rootfs);
	if (strncmp(mnt, rootfs, n) != 0)
		return mnt;
	if (mnt[n] == '\0')
		return "/";
	return mnt[n] == '/' ? mnt + n : mnt;
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
	free(f->path);
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
list_add(struct disk *d, const char *dev, const char *mnt, int ro, int hidden)
{
	char buf[METRIC_MAX];
	const char *lab[] = { "mountpoint", mnt, NULL };
	struct fs *f = NULL;
	size_t i, n;
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
	f->ro = ro;
	if (d->o->rootfs != NULL) {
		n = strlen(d->o->rootfs) + strlen(mnt) + 1;
		f->path = xm_malloc(n);
		snprintf(f->path, n, "%s%s", d->o->rootfs, mnt);
	}
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

/* Whether a mount's options (rw,relatime) hold "ro". */
static int
has_ro(char *opts)
{
	char *o, *save;

	for (o = strtok_r(opts, ",", &save); o != NULL; o = strtok_r(NULL, ",", &save))
		if (strcmp(o, "ro") == 0)
			return 1;
	return 0;
}

static void
list_make(struct disk *d, char *text)
{
	char *line, *next, *p, *dev, *mnt, *type, *opts;
	const char *host;

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
		opts = field(&p);
		host = host_view(d->o->rootfs, mnt);
		list_add(d, dev, host, opts != NULL && has_ro(opts), !wanted(d->o, host, type));
	}
	list_dedup(d);
}

/* a * b, or -1 past 2^64. */
static int
mul(unsigned long long a, unsigned long long b, unsigned long long *p)
{
	return __builtin_mul_overflow(a, b, p) ? -1 : 0;
}

/*
 * df's figures, in bytes, exact: size, used (size less free), free, and
 * avail (what users other than root may still fill).  0, or -1 for a
 * filesystem statvfs refuses (a FUSE mount of another user) or without
 * a size, which df leaves out too.
 */
static int
measure(struct fs *f)
{
	struct statvfs sv;
	double used, avail;

	if (statvfs(f->path ? f->path : f->mnt, &sv) != 0 || sv.f_blocks == 0 ||
	    sv.f_bfree > sv.f_blocks ||
	    mul(sv.f_blocks, sv.f_frsize, &f->v[M_TOTAL]) == -1 ||
	    mul(sv.f_blocks - sv.f_bfree, sv.f_frsize, &f->v[M_USED]) == -1 ||
	    mul(sv.f_bavail, sv.f_frsize, &f->v[M_AVAIL]) == -1 ||
	    mul(sv.f_bfree, sv.f_frsize, &f->v[M_FREE]) == -1 ||
	    f->v[M_TOTAL] == 0)
		return -1;
	/* df's Use%, unrounded: of what users may fill, root's blocks aside. */
	used = (double)f->v[M_USED];
	avail = (double)f->v[M_AVAIL];
	f->percent = used + avail > 0 ? 100.0 * used / (used + avail) : 0;
	/* df -i's: a filesystem with no inode table (btrfs, vfat) has 0 of 0 */
	f->v[M_IMAX] = sv.f_files;
	f->v[M_IUSED] = sv.f_ffree <= sv.f_files ? sv.f_files - sv.f_ffree : 0;
	f->ipercent = sv.f_files > 0 ? 100.0 * (double)f->v[M_IUSED] / (double)sv.f_files : NAN;
	f->v[M_RDONLY] = f->ro || (sv.f_flag & ST_RDONLY) != 0;
	return 0;
}

/* Metric m of filesystem f; no inodes in use % of no inodes (df -i's "-"). */
static void
put(struct sampler *s, const struct fs *f, int m)
{
	if (m == M_PERCENT)
		sampler_put(s, f->metric[m], f->percent);
	else if (m == M_IPERCENT && !isnan(f->ipercent))
		sampler_put(s, f->metric[m], f->ipercent);
	else if (m != M_IPERCENT)
		sampler_put_u64(s, f->metric[m], f->v[m]);
}

static void
disk_sample(void *st, struct sampler *s)
{
	struct disk *d = st;
	size_t i;
	int m;

	if (!pfile_changed(&s->src, &d->f))
		goto report;
	if (table_read(s, d) == -1) {
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
	for (i = 0; i < d->n; i++)
		d->fs[i].ok = measure(&d->fs[i]) == 0;
	for (m = 0; m < NMETRIC; m++)
		for (i = 0; i < d->n; i++)
			if (d->fs[i].ok)
				put(s, &d->fs[i], m);
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
