/*
 * net.c: interface traffic from /proc/net/dev, every interface but lo;
 * and the host's, over the interfaces on a bus, which all traffic that
 * leaves the host goes out by: a veth, a bridge, a vlan, a bond or a
 * tunnel carries bytes that a physical interface counts again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "sample.h"
#include "xm.h"

enum { M_RX_RATE, M_TX_RATE, M_RX_TOTAL, M_TX_TOTAL, NMETRIC };
enum { RX, TX };

static const char *const names[NMETRIC] = {
	"network_receive_bytes_per_second", "network_transmit_bytes_per_second",
	"network_receive_bytes_total", "network_transmit_bytes_total"
};

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
	n->f.multi = 1;
	devtab_init(&n->t, names, NMETRIC);
	return n;
}

/*
 * "  eth0: 1234 5 ..." -- or "eth0:1234" when the count is wide, as old
 * kernels print it.  Names never hold ':' or blanks (dev_valid_name).
 * Receive bytes are the 1st number, transmit bytes the 9th.
 */
static int
parse_line(const char *line, const char *end, const char **name, size_t *len,
    unsigned long long v[2])
{
	const char *p = sample_skip_space(line, end), *colon;
	unsigned long long x;
	int i;

	end = sample_next_line(p, end);
	if ((colon = memchr(p, ':', (size_t)(end - p))) == NULL)
		return -1;
	*name = p;
	*len = (size_t)(colon - p);
	p = colon + 1;
	for (i = 0; i < 9; i++) {
		if ((p = sample_parse_u64(p, end, &x)) == NULL)
			return -1;
		if (i == 0)
			v[RX] = x;
		else if (i == 8)
			v[TX] = x;
	}
	return 0;
}

static void
net_sample(void *st, struct sampler *s)
{
	struct net *n = st;
	const char *line, *end, *name;
	unsigned long long v[2];
	char path[96];
	struct dev *d;
	size_t len, i, nreal;
	int is_new;

	if (pfile_read(&s->src, &n->f) == -1) {
		sampler_fail(s, FAM_NET, &n->f, strerror(errno));
		return;
	}
	end = n->f.buf + n->f.len;
	line = sample_next_line(sample_next_line(n->f.buf, end), end);	/* two header lines */
	for (; line < end; line = sample_next_line(line, end)) {
		if (parse_line(line, end, &name, &len, v) == -1) {
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
		d->cur[RX] = v[RX];
		d->cur[TX] = v[TX];
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
			sampler_put_u64(s, n->t.d[i].metric[M_RX_TOTAL], n->t.d[i].cur[RX]);
		for (i = 0; i < n->t.n; i++)
			sampler_put_u64(s, n->t.d[i].metric[M_TX_TOTAL], n->t.d[i].cur[TX]);
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
