/*
 * net.c: interface traffic, errors and drops from /proc/net/dev, every
 * interface but lo; and the host's traffic, packets, errors and drops,
 * over the interfaces on a bus, which all traffic that leaves the host
 * goes out by: a veth, a bridge,
 * a vlan, a bond or a tunnel carries bytes that a physical interface
 * counts again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "sample.h"
#include "xm.h"

enum {
	M_RX_RATE, M_TX_RATE, M_RX_TOTAL, M_TX_TOTAL,
	M_RX_PACKETS, M_TX_PACKETS, M_RX_ERRS, M_TX_ERRS, M_RX_DROP, M_TX_DROP,
	M_RX_ERRS_TOTAL, M_TX_ERRS_TOTAL, M_RX_DROP_TOTAL, M_TX_DROP_TOTAL,
	M_RX_ERRS_PERCENT, M_TX_ERRS_PERCENT, NMETRIC
};

/* The counters kept of each interface, by their place in dev's cur and prev. */
enum { RX, TX, RX_PACKETS, TX_PACKETS, RX_ERRS, TX_ERRS, RX_DROP, TX_DROP, NCOUNTER };

static const char *const names[NMETRIC] = {
	"network_receive_bytes_per_second", "network_transmit_bytes_per_second",
	"network_receive_bytes_total", "network_transmit_bytes_total",
	"network_receive_packets_per_second", "network_transmit_packets_per_second",
	"network_receive_errors_per_second", "network_transmit_errors_per_second",
	"network_receive_drops_per_second", "network_transmit_drops_per_second",
	"network_receive_errors_total", "network_transmit_errors_total",
	"network_receive_drops_total", "network_transmit_drops_total",
	"network_receive_errors_percent", "network_transmit_errors_percent"
};

/*
 * Where each counter is among the numbers after the colon: receive
 * bytes packets errs drop fifo frame compressed multicast, then transmit
 * bytes packets errs drop fifo colls carrier compressed.
 */
static const int column[NCOUNTER] = { 0, 8, 1, 9, 2, 10, 3, 11 };

struct net {
	struct pfile f;
	struct devtab t;
};

static void *
net_open(struct sampler *s)
{
	struct net *n = xm_calloc(1, sizeof *n);

	(void)s;
	pfile_init(&n->f, ROOT_PROC, "net/dev");
	n->f.brief = 1;
	n->f.counters = 1;
	n->f.multi = 1;
	devtab_init(&n->t, names, NMETRIC);
	return n;
}

/*
 * "  eth0: 1234 5 ..." -- or "eth0:1234" when the count is wide, as old
 * kernels print it.  Names never hold ':' or blanks (dev_valid_name).
 * The name, and where its counts begin: NULL for no name.
 */
static const char *
line_name(const char *line, const char *eol, const char **name, size_t *len)
{
	const char *p = sample_skip_space(line, eol), *colon;

	if ((colon = memchr(p, ':', (size_t)(eol - p))) == NULL)
		return NULL;
	*name = p;
	*len = (size_t)(colon - p);
	return colon + 1;
}

/* The counts of a line, from p: 0, or -1 when there are not all twelve. */
static int
line_counts(const char *p, const char *eol, unsigned long long v[NCOUNTER])
{
	unsigned long long x[12];
	int i;

	if (sample_parse_row(&p, eol, x, 12) < 12)
		return -1;
	for (i = 0; i < NCOUNTER; i++)
		v[i] = x[column[i]];
	return 0;
}

/*
 * The share of the interval's packets that were errors (node-mixin's
 * errs over packets): of the packets and the errors, so that a link that
 * garbles everything reads 100, not nothing; none in an interval without
 * either.
 */
static void
put_error_share(struct devtab *t, struct sampler *s, int m, int errs, int packets)
{
	unsigned long long de, dp;
	struct dev *d;
	size_t i;

	if (!s->rates)
		return;
	for (i = 0; i < t->n; i++) {
		d = &t->d[i];
		if (d->skip || d->idle || !d->have_prev || d->cur[errs] < d->prev[errs] ||
		    d->cur[packets] < d->prev[packets])
			continue;
		de = d->cur[errs] - d->prev[errs];
		dp = d->cur[packets] - d->prev[packets];
		if (de + dp != 0)
			dev_put(s, d, m, 100.0 * (double)de / ((double)de + (double)dp));
	}
}

static void
net_sample(void *st, struct sampler *s)
{
	struct net *n = st;
	const char *line, *next, *end, *name, *p;
	unsigned long long v[NCOUNTER];
	char path[96];
	struct dev *d;
	size_t len, i, nreal;
	int is_new, m, c;

	if (pfile_read(&s->src, &n->f) == -1) {
		sampler_fail(s, FAM_NET, &n->f, strerror(errno));
		return;
	}
	end = n->f.buf + n->f.len;
	line = sample_next_line(sample_next_line(n->f.buf, end), end);	/* two header lines */
	for (; line < end; line = next) {
		next = sample_next_line(line, end);
		if ((p = line_name(line, next, &name, &len)) == NULL) {
			sampler_fail(s, FAM_NET, &n->f, "cannot parse an interface line");
			continue;
		}
		if (len == 2 && memcmp(name, "lo", 2) == 0)
			continue;
		if ((d = devtab_get(&n->t, name, len, &is_new)) == NULL)
			continue;
		if (is_new) {
			snprintf(path, sizeof path, "class/net/%s", d->name);
			d->real = dev_virtual(s, path, "net") == 0;
		}
		/* the counts of the last time, as they were: an idle link */
		if (dev_text_same(d, p, (size_t)(next - p)))
			continue;
		if (line_counts(p, next, v) == -1) {
			d->seen = 0;
			sampler_fail(s, FAM_NET, &n->f, "cannot parse an interface line");
			continue;
		}
		memcpy(d->cur, v, sizeof v);
		dev_text_keep(d, p, (size_t)(next - p));
	}
	devtab_sweep(&n->t);
	/*
	 * Where none is on a bus (a container, whose eth0 is a veth; a copy
	 * of /proc without its /sys), the host's total is over them all.
	 */
	for (nreal = i = 0; i < n->t.n; i++)
		nreal += (size_t)n->t.d[i].real;
	if (s->report) {
		devtab_put_total(&n->t, s, names[M_RX_RATE], RX, nreal == 0);
		devtab_put_rates(&n->t, s, M_RX_RATE, RX);
		devtab_put_total(&n->t, s, names[M_TX_RATE], TX, nreal == 0);
		devtab_put_rates(&n->t, s, M_TX_RATE, TX);
		for (i = 0; i < n->t.n; i++)
			dev_put_u64(s, &n->t.d[i], M_RX_TOTAL, n->t.d[i].cur[RX]);
		for (i = 0; i < n->t.n; i++)
			dev_put_u64(s, &n->t.d[i], M_TX_TOTAL, n->t.d[i].cur[TX]);
		for (m = M_RX_PACKETS; m <= M_TX_DROP; m++) {
			c = RX_PACKETS + m - M_RX_PACKETS;
			devtab_put_total(&n->t, s, names[m], c, nreal == 0);
			devtab_put_rates(&n->t, s, m, c);
		}
		put_error_share(&n->t, s, M_RX_ERRS_PERCENT, RX_ERRS, RX_PACKETS);
		put_error_share(&n->t, s, M_TX_ERRS_PERCENT, TX_ERRS, TX_PACKETS);
		for (m = M_RX_ERRS_TOTAL; m <= M_TX_DROP_TOTAL; m++)
			for (i = 0; i < n->t.n; i++)
				dev_put_u64(s, &n->t.d[i], m,
				    n->t.d[i].cur[RX_ERRS + m - M_RX_ERRS_TOTAL]);
	}
	devtab_rotate(&n->t);
}

static void
net_close(void *st)
{
	struct net *n = st;

	pfile_free(&n->f);
	devtab_free(&n->t);
	free(n);
}

const struct module net_module = {
	FAM_BIT(FAM_NET), net_open, net_sample, net_close
};
