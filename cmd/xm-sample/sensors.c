/*
 * sensors.c: temperatures of the hardware monitors in /sys/class/hwmon
 * and of the thermal zones in /sys/class/thermal, each with its own
 * critical point where the hardware gives one.  A sensor is named by
 * what it is, "coretemp Core 0", "nvme Composite", "acpitz", never by
 * hwmonN, which the order drivers load in decides.  No sensors, no
 * records, and nothing said: most virtual machines have none.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample.h"
#include "xm.h"

#define RESCAN	60	/* sets between looks for sensors plugged in or gone */

struct sensor {
	char	 name[128];
	char	 id[64];	/* what tells two of one name apart: the device */
	char	*path;		/* of the reading, under the --sysfs root */
	char	*metric, *crit_metric, *margin_metric;
	long long crit;		/* millidegrees */
	long long now;		/* this set's reading; LLONG_MIN: none */
	int	 has_crit;
	struct pfile f;
};

struct sensors {
	struct sensor *v;
	size_t	 n, cap;
	unsigned gen;
	unsigned long long scanned;	/* the pass of the last look */
};

static void *
sensors_open(struct sampler *s)
{
	(void)s;
	return xm_calloc(1, sizeof(struct sensors));
}

/* The first line of a small file under root, without its newline; -1 if none. */
static int
read_line(int root, const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = openat(root, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] == '\0' ? -1 : 0;
}

/* A whole number of millidegrees, which may be negative. */
static int
parse_milli(const char *p, long long *v)
{
	unsigned long long u;
	const char *end = p + strlen(p);
	int neg = *p == '-';

	if ((p = sample_parse_u64(p + neg, end, &u)) == NULL || u > 1000000000ULL)
		return -1;
	if (*p != '\0' && *p != '\n')
		return -1;
	*v = neg ? -(long long)u : (long long)u;
	return 0;
}

static void
add(struct sensors *ss, const char *name, const char *id, const char *path,
    int root, const char *crit_path)
{
	struct sensor *x;
	char buf[32];

	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? 2 * ss->cap : 16;
		ss->v = xm_reallocarray(ss->v, ss->cap, sizeof *ss->v);
	}
	x = &ss->v[ss->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->name, sizeof x->name, "%s", name);
	snprintf(x->id, sizeof x->id, "%s", id);
	x->path = xm_strdup(path);
	/* a point of 0 or below is a driver's "none" (THERMAL_TEMP_INVALID), no point to page on */
	x->has_crit = crit_path != NULL && read_line(root, crit_path, buf, sizeof buf) == 0 &&
	    parse_milli(buf, &x->crit) == 0 && x->crit > 0;
}

/* The last part of the link at path: the device a chip is on. */
static void
link_base(int root, const char *path, char *id, size_t size)
{
	char to[512], *b;
	ssize_t n;

	id[0] = '\0';
	if ((n = readlinkat(root, path, to, sizeof to - 1)) <= 0)
		return;
	to[n] = '\0';
	b = (b = strrchr(to, '/')) != NULL ? b + 1 : to;
	if ((n = (ssize_t)strlen(b)) >= (ssize_t)size)
		return;
	memcpy(id, b, (size_t)n + 1);
}

/*
 * One chip: its "name" file and each tempN_input, named by tempN_label
 * or, without one, "tempN".  A thermal zone's own hwmon chip is left
 * out: the zone is read as itself, with its trip points.
 */
static void
scan_chip(struct sensors *ss, int root, const char *chip)
{
	char dir[96], path[192], crit[192], to[512], name[64], label[64], id[64];
	char full[128];
	struct dirent *e;
	ssize_t n;
	DIR *dp;
	int fd;
	size_t len;

	snprintf(dir, sizeof dir, "class/hwmon/%s", chip);
	if ((n = readlinkat(root, dir, to, sizeof to - 1)) > 0) {
		to[n] = '\0';
		if (strstr(to, "devices/virtual/thermal/") != NULL)
			return;
	}
	snprintf(path, sizeof path, "%s/device", dir);
	link_base(root, path, id, sizeof id);
	snprintf(path, sizeof path, "%s/name", dir);
	if (read_line(root, path, name, sizeof name) == -1)
		snprintf(name, sizeof name, "%s", id[0] ? id : chip);
	if ((fd = openat(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if ((dp = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		len = strlen(e->d_name);
		if (strncmp(e->d_name, "temp", 4) != 0 || len < 11 || len > 20 ||
		    strcmp(e->d_name + len - 6, "_input") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%.*s_label", dir, (int)(len - 6), e->d_name);
		if (read_line(root, path, label, sizeof label) == -1)
			snprintf(label, sizeof label, "%.*s", (int)(len - 6), e->d_name);
		snprintf(full, sizeof full, "%s %s", name, label);
		snprintf(path, sizeof path, "%s/%.*s", dir, (int)len, e->d_name);
		snprintf(crit, sizeof crit, "%s/%.*s_crit", dir, (int)(len - 6), e->d_name);
		add(ss, full, id, path, root, crit);
	}
	closedir(dp);
}

/* A thermal zone: its type, its temp, and its trip point of type critical. */
static void
scan_zone(struct sensors *ss, int root, const char *zone)
{
	char dir[96], path[192], crit[192], type[64], buf[32];
	int k, found = 0;

	snprintf(dir, sizeof dir, "class/thermal/%s", zone);
	snprintf(path, sizeof path, "%s/type", dir);
	if (read_line(root, path, type, sizeof type) == -1)
		return;
	for (k = 0; k < 32 && !found; k++) {
		snprintf(path, sizeof path, "%s/trip_point_%d_type", dir, k);
		if (read_line(root, path, buf, sizeof buf) == -1)
			break;
		found = strcmp(buf, "critical") == 0;
	}
	snprintf(crit, sizeof crit, "%s/trip_point_%d_temp", dir, k - 1);
	snprintf(path, sizeof path, "%s/temp", dir);
	add(ss, type, zone, path, root, found ? crit : NULL);
}

static void
scan_class(struct sensors *ss, int root, const char *class, const char *prefix,
    void (*scan)(struct sensors *, int, const char *))
{
	struct dirent *e;
	DIR *dp;
	int fd;

	if ((fd = openat(root, class, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	if ((dp = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(dp)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    strlen(e->d_name) < 64)
			scan(ss, root, e->d_name);
	closedir(dp);
}

static int
by_name(const void *a, const void *b)
{
	const struct sensor *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : strcmp(x->id, y->id);
}

static void
sensor_free(struct sensor *x)
{
	pfile_free(&x->f);
	free(x->path);
	free(x->metric);
	free(x->crit_metric);
	free(x->margin_metric);
}

static void
clear(struct sensors *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		sensor_free(&ss->v[i]);
	ss->n = 0;
}

/*
 * Names made unique: sensors of one name each get their device's in
 * parentheses, "nvme Composite (nvme1)"; a sensor whose name is still
 * another's (one device, two of one label) is left out, and so is one
 * whose name is too long to label a series.
 */
static void
name_all(struct sensors *ss)
{
	const char *lab[] = { "sensor", NULL, NULL };
	char buf[METRIC_MAX], *p;
	size_t i, j, o;

	if (ss->n == 0)
		return;
	qsort(ss->v, ss->n, sizeof *ss->v, by_name);
	for (i = 0; i < ss->n; i = j) {
		for (j = i + 1; j < ss->n && strcmp(ss->v[i].name, ss->v[j].name) == 0; j++)
			;
		if (j - i > 1)
			for (o = i; o < j; o++) {
				if (ss->v[o].id[0] == '\0')
					continue;
				p = ss->v[o].name + strlen(ss->v[o].name);
				snprintf(p, sizeof ss->v[o].name - (size_t)(p - ss->v[o].name),
				    " (%s)", ss->v[o].id);
			}
	}
	qsort(ss->v, ss->n, sizeof *ss->v, by_name);
	for (i = o = 0; i < ss->n; i++) {
		lab[1] = ss->v[i].name;
		if ((o > 0 && strcmp(ss->v[o - 1].name, ss->v[i].name) == 0) ||
		    metric_build(buf, sizeof buf, "temperature_critical_celsius", lab) == 0) {
			sensor_free(&ss->v[i]);
			continue;
		}
		ss->v[i].crit_metric = xm_strdup(buf);
		metric_build(buf, sizeof buf, "temperature_margin_celsius", lab);
		ss->v[i].margin_metric = xm_strdup(buf);
		metric_build(buf, sizeof buf, "temperature_celsius", lab);
		ss->v[i].metric = xm_strdup(buf);
		pfile_init(&ss->v[i].f, ROOT_SYS, ss->v[i].path);
		ss->v[i].f.brief = 1;
		ss->v[o++] = ss->v[i];
	}
	ss->n = o;
}

static void
scan(struct sensors *ss, struct sampler *s)
{
	int root = src_rootfd(&s->src, ROOT_SYS);

	clear(ss);
	ss->gen = s->src.gen[ROOT_SYS];
	ss->scanned = s->pass;
	if (root == -1)
		return;
	scan_class(ss, root, "class/hwmon", "hwmon", scan_chip);
	scan_class(ss, root, "class/thermal", "thermal_zone", scan_zone);
	name_all(ss);
}

static void
sensors_sample(void *st, struct sampler *s)
{
	struct sensors *ss = st;
	long long v;
	size_t i;
	int ok;

	if (ss->scanned == 0 || ss->gen != s->src.gen[ROOT_SYS] ||
	    s->pass - ss->scanned >= RESCAN)
		scan(ss, s);
	if (!s->report)
		return;
	/* A sensor that cannot be read now (ENODATA, EIO) has no record this set. */
	for (i = 0; i < ss->n; i++) {
		ok = pfile_read(&s->src, &ss->v[i].f) == 0 && parse_milli(ss->v[i].f.buf, &v) == 0;
		ss->v[i].now = ok ? v : LLONG_MIN;
		if (ok)
			sampler_put(s, ss->v[i].metric, (double)v / 1000);
	}
	for (i = 0; i < ss->n; i++)
		if (ss->v[i].has_crit)
			sampler_put(s, ss->v[i].crit_metric, (double)ss->v[i].crit / 1000);
	/* how far below its critical point: the rule's figure, whatever the part */
	for (i = 0; i < ss->n; i++)
		if (ss->v[i].has_crit && ss->v[i].now != LLONG_MIN)
			sampler_put(s, ss->v[i].margin_metric,
			    (double)(ss->v[i].crit - ss->v[i].now) / 1000);
}

static void
sensors_close(void *st)
{
	struct sensors *ss = st;

	clear(ss);
	free(ss->v);
	free(ss);
}

const struct module sensors_module = {
	FAM_BIT(FAM_SENSORS), sensors_open, sensors_sample, sensors_close
};
