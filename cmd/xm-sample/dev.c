/*
 * dev.c: a table of named devices (disks, interfaces) that come and go
 * between reads, each with its counters from the previous read and its
 * series identifiers built once.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev.h"
#include "sample.h"
#include "xm.h"

static void
dev_free(struct dev *d)
{
	int m;

	for (m = 0; m < DEV_METRICS; m++)
		free(d->metric[m]);
}

/*
 * Whether the text of a device's counts, len bytes at p, is the text
 * its counts were read from the last time: then they are as they were,
 * and need no reading (an unused loop device, an idle link).
 */
int
dev_text_same(const struct dev *d, const char *p, size_t len)
{
	return d->textlen != 0 && d->textlen == len && memcmp(d->text, p, len) == 0;
}

/* Keep the text the counts were read from; one too long to keep is none. */
void
dev_text_keep(struct dev *d, const char *p, size_t len)
{
	d->textlen = 0;
	if (len == 0 || len > sizeof d->text)
		return;
	memcpy(d->text, p, len);
	d->textlen = (unsigned char)len;
}

void
devtab_init(struct devtab *t, const char *const *metrics, int nmetric)
{
	memset(t, 0, sizeof *t);
	t->metrics = metrics;
	t->nmetric = nmetric;
}

/*
 * The entry for name, added if new, marked seen.  Devices keep their
 * order between reads, so the slot after the last one found is tried
 * first and a read costs O(devices), not O(devices^2).  NULL for a name
 * too long to be a device or to name a series.
 */
struct dev *
devtab_get(struct devtab *t, const char *name, size_t len, int *is_new)
{
	const char *lab[] = { "device", NULL, NULL };
	char buf[176];		/* a 63-byte name, all escapes, fits */
	struct dev *d;
	size_t i, k;
	int m;

	*is_new = 0;
	if (len == 0 || len >= sizeof d->name)
		return NULL;
	for (k = 0; k < t->n; k++) {
		i = (t->cursor + k) % t->n;
		d = &t->d[i];
		if (d->namelen == len && memcmp(d->name, name, len) == 0) {
			t->cursor = i + 1;
			d->seen = 1;
			return d;
		}
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->d = xm_reallocarray(t->d, t->cap, sizeof *t->d);
	}
	d = &t->d[t->n++];
	memset(d, 0, sizeof *d);
	memcpy(d->name, name, len);
	d->namelen = len;
	lab[1] = d->name;
	for (m = 0; m < t->nmetric; m++) {
		if (metric_build(buf, sizeof buf, t->metrics[m], lab) == 0) {
			dev_free(d);
			t->n--;
			return NULL;
		}
		d->metric[m] = xm_strdup(buf);
		d->mlen[m] = strlen(buf);
	}
	d->seen = 1;
	t->cursor = t->n;
	*is_new = 1;
	return d;
}

/* Forget devices that were not in the latest read; unmark the rest. */
void
devtab_sweep(struct devtab *t)
{
	size_t i, o = 0;

	for (i = 0; i < t->n; i++) {
		if (!t->d[i].seen) {
			dev_free(&t->d[i]);
			continue;
		}
		t->d[i].seen = 0;
		if (o != i)
			t->d[o] = t->d[i];
		o++;
	}
	t->n = o;
	t->cursor = 0;
}

/* Report metric m of every device as the rate of counter c. */
void
devtab_put_rates(struct devtab *t, struct sampler *s, int m, int c)
{
	devtab_put_scaled(t, s, m, c, 1);
}

/* The same, divided by unit: milliseconds a second as a percentage, say. */
void
devtab_put_scaled(struct devtab *t, struct sampler *s, int m, int c, double unit)
{
	struct dev *d;
	size_t i;
	double r;

	if (!s->rates)
		return;
	for (i = 0; i < t->n; i++) {
		d = &t->d[i];
		if (d->skip || d->idle || !d->have_prev)
			continue;
		r = sample_rate(d->prev[c], d->cur[c], s->dt);
		if (!isnan(r))
			dev_put(s, d, m, r / unit);
	}
}

/* Metric m of device d, whose name's length was counted when it was built. */
void
dev_put(struct sampler *s, const struct dev *d, int m, double v)
{
	sampler_put_n(s, d->metric[m], d->mlen[m], v);
}

void
dev_put_u64(struct sampler *s, const struct dev *d, int m, unsigned long long v)
{
	sampler_put_u64_n(s, d->metric[m], d->mlen[m], v);
}

/*
 * The host's total of counter c a second, unlabelled, beside the devices'
 * own series: over the devices marked real, or every one when all is
 * set.  A device without a rate this interval (new, or its counter went
 * back) is left out of it; with none to sum, there is no total.
 */
void
devtab_put_total(struct devtab *t, struct sampler *s, const char *metric, int c,
    int all)
{
	struct dev *d;
	size_t i, n = 0;
	double sum = 0, r;

	if (!s->rates)
		return;
	for (i = 0; i < t->n; i++) {
		d = &t->d[i];
		if (d->skip || !d->have_prev || !(all || d->real))
			continue;
		r = sample_rate(d->prev[c], d->cur[c], s->dt);
		if (!isnan(r)) {
			sum += r;
			n++;
		}
	}
	if (n != 0)
		sampler_put(s, metric, sum);
}

/*
 * Whether the device at path under the --sysfs root (block/dm-0,
 * class/net/veth1) is one the kernel made of others or of nothing: its
 * link resolves under devices/virtual/CLASS (class "block" or "net"), as
 * device-mapper, md, loop, zram, ram, nbd, lo, veth, bridges, tun and
 * vlans do; a disk or an interface on a bus resolves under that bus, and
 * an NVMe namespace of a multipath subsystem or a fabric under a virtual
 * directory of its own (devices/virtual/nvme-subsystem, nvme-fabrics):
 * a disk too.  1 virtual, 0 not, -1 no link to tell by (no such entry,
 * or sysfs before 2.6.25 made them directories).
 */
int
dev_virtual(struct sampler *s, const char *path, const char *class)
{
	char to[512], under[32];
	ssize_t n;
	int root = src_rootfd(&s->src, ROOT_SYS);

	if (root == -1 || (n = readlinkat(root, path, to, sizeof to - 1)) == -1)
		return -1;
	to[n] = '\0';
	snprintf(under, sizeof under, "devices/virtual/%s/", class);
	return strstr(to, under) != NULL;
}

/* This read's counters become the previous ones. */
void
devtab_rotate(struct devtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		memcpy(t->d[i].prev, t->d[i].cur, sizeof t->d[i].prev);
		t->d[i].have_prev = 1;
	}
}

void
devtab_free(struct devtab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		dev_free(&t->d[i]);
	free(t->d);
}
