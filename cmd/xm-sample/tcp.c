/*
 * tcp.c: TCP connections, opens, retransmits, resets and listen queue
 * overflows, and UDP receive errors, from the kernel's SNMP counters
 * (/proc/net/snmp, netstat, sockstat and snmp6), as sar -n TCP,ETCP,UDP
 * and node_exporter's netstat and sockstat collectors read them.  The
 * TCP counters are the kernel's one TCP MIB, over IPv4 and IPv6 both;
 * UDP's are apart, Udp over IPv4 and Udp6 over IPv6, and are summed.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

enum { F_SNMP, F_NETSTAT, F_SOCKSTAT, F_SNMP6, NFILE };

static const char *const paths[NFILE] = {
	"net/snmp", "net/netstat", "net/sockstat", "net/snmp6"
};

enum {
	C_ESTAB, C_TW, C_ACTIVE, C_PASSIVE, C_RETRANS, C_OUTSEGS, C_OUTRSTS,
	C_OVERFLOWS, C_DROPS, C_UDP_INERR, C_UDP_RCVBUF, C_UDP6_INERR,
	C_UDP6_RCVBUF, NCOUNTER
};

/* Where each counter is: its file, its group ("Tcp:"), its column. */
static const struct {
	int	 file;
	const char *group, *name;
} fields[NCOUNTER] = {
	{ F_SNMP, "Tcp", "CurrEstab" },
	{ F_SOCKSTAT, "TCP", "tw" },
	{ F_SNMP, "Tcp", "ActiveOpens" },
	{ F_SNMP, "Tcp", "PassiveOpens" },
	{ F_SNMP, "Tcp", "RetransSegs" },
	{ F_SNMP, "Tcp", "OutSegs" },
	{ F_SNMP, "Tcp", "OutRsts" },
	{ F_NETSTAT, "TcpExt", "ListenOverflows" },
	{ F_NETSTAT, "TcpExt", "ListenDrops" },
	{ F_SNMP, "Udp", "InErrors" },
	{ F_SNMP, "Udp", "RcvbufErrors" },
	{ F_SNMP6, "", "Udp6InErrors" },
	{ F_SNMP6, "", "Udp6RcvbufErrors" },
};

/* The rates, each of a counter and, for UDP, its IPv6 twin (or -1). */
static const struct {
	const char *name;
	int	 c, c6;
} rates[] = {
	{ "tcp_active_opens_per_second", C_ACTIVE, -1 },
	{ "tcp_passive_opens_per_second", C_PASSIVE, -1 },
	{ "tcp_retransmits_per_second", C_RETRANS, -1 },
	{ NULL, -1, -1 },	/* tcp_retransmit_percent goes here */
	{ "tcp_resets_sent_per_second", C_OUTRSTS, -1 },
	{ "tcp_listen_overflows_per_second", C_OVERFLOWS, -1 },
	{ "tcp_listen_drops_per_second", C_DROPS, -1 },
	{ "udp_receive_errors_per_second", C_UDP_INERR, C_UDP6_INERR },
	{ "udp_receive_buffer_errors_per_second", C_UDP_RCVBUF, C_UDP6_RCVBUF },
};

/*
 * What a line of names in snmp or netstat said: the columns of the
 * counters wanted in it.  The names change only with the kernel: while
 * the file is the one they were learnt from (the same descriptor, no
 * other --procfs), and the line is as long and of the same group, its
 * values are taken by column, never matched by name again (netstat's
 * TcpExt has a hundred and more); the count of values is checked.
 */
struct names {
	char	 group[16];	/* "TcpExt:", cut short */
	size_t	 len;		/* of the line, its newline too; 0: not learnt */
	unsigned gen;
	size_t	 ncol;
	size_t	 n;		/* counters wanted in it; 0: none, not looked at */
	size_t	 col[NCOUNTER];
	int	 counter[NCOUNTER];
};

struct tcp {
	struct pfile f[NFILE];
	struct names *names[NFILE];	/* by line pair, in file order */
	size_t	 nnames[NFILE];
	unsigned long long prev[NCOUNTER], cur[NCOUNTER];
	unsigned have_prev, have_cur;	/* bits by counter */
	size_t	 at6[2], len6[2];	/* where snmp6's two lines began, their names' lengths */
	int	 spotted6;	/* both found there the last time */
};

#define BIT(c)	(1u << (c))

static void *
tcp_open(struct sampler *s)
{
	struct tcp *t = xm_calloc(1, sizeof *t);
	int i;

	(void)s;
	for (i = 0; i < NFILE; i++) {
		pfile_init(&t->f[i], ROOT_PROC, paths[i]);
		t->f[i].brief = 1;
		t->f[i].counters = 1;
	}
	return t;
}

static const char *
token_end(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p > ' ')
		p++;
	return p;
}

/* Whether s, n bytes, is the string w. */
static int
same(const char *w, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || w[i] != s[i])
			return 0;
	return w[n] == '\0';
}

/* The count text [v, vend) as counter c: 0, or -1 when it is no count. */
static int
take_counter(struct tcp *t, int c, const char *v, const char *vend)
{
	unsigned long long x;

	if (sample_parse_u64(v, vend, &x) != vend)
		return -1;
	t->cur[c] = x;
	t->have_cur |= BIT(c);
	return 0;
}

/* The counter at column name of group in file; -1 for none wanted. */
static int
field_find(int file, const char *group, size_t glen, const char *name,
    size_t nlen)
{
	int c;

	for (c = 0; c < NCOUNTER; c++)
		if (fields[c].file == file && fields[c].name[0] == name[0] &&
		    same(fields[c].name, name, nlen) &&
		    same(fields[c].group, group, glen))
			return c;
	return -1;
}

/* Whether any counter wanted is in group of file. */
static int
group_wanted(int file, const char *group, size_t glen)
{
	int c;

	for (c = 0; c < NCOUNTER; c++)
		if (fields[c].file == file && same(fields[c].group, group, glen))
			return 1;
	return 0;
}

/*
 * The value text [v, vend) of column name in group, if that is a
 * counter wanted: 0, or -1 when it is no count.
 */
static int
take(struct tcp *t, int file, const char *group, size_t glen,
    const char *name, size_t nlen, const char *v, const char *vend)
{
	int c;

	if (nlen == 0 || (c = field_find(file, group, glen, name, nlen)) == -1)
		return 0;
	return take_counter(t, c, v, vend);
}

/* The group of a line, "Tcp" of "Tcp: ...": its length, 0 for none. */
static size_t
group_len(const char *line, const char *end)
{
	const char *p = token_end(line, end);

	return p > line && p[-1] == ':' ? (size_t)(p - line - 1) : 0;
}

/* Learn the columns of the counters wanted in the names line [p, end). */
static void
names_learn(struct names *nm, int file, unsigned gen, const char *p, size_t glen, const char *end)
{
	const char *n, *ne;
	int c;

	memset(nm->group, 0, sizeof nm->group);
	memcpy(nm->group, p, glen + 1 < sizeof nm->group ? glen + 1 : sizeof nm->group);
	nm->len = (size_t)(end - p);
	nm->gen = gen;
	nm->ncol = nm->n = 0;
	if (!group_wanted(file, p, glen))
		return;
	for (n = p + glen + 1; ; n = ne) {
		n = sample_skip_space(n, end);
		if ((ne = token_end(n, end)) == n)
			break;
		c = field_find(file, p, glen, n, (size_t)(ne - n));
		if (c != -1 && nm->n < NCOUNTER) {
			nm->col[nm->n] = nm->ncol;
			nm->counter[nm->n++] = c;
		}
		nm->ncol++;
	}
}

/* The values in [p, end): where a blank is followed by a token. */
static size_t
tokens_after(const char *p, const char *end)
{
	size_t n = 0;

	for (; p + 1 < end; p++)
		n += (unsigned char)p[0] <= ' ' && (unsigned char)p[1] > ' ';
	return n;
}

/*
 * The counters of nm from its values line [v, end): 0, or -1 when they
 * do not fit.  Past the last one wanted (netstat's TcpExt has a hundred
 * and more after them), the values are only counted.
 */
static int
names_take(struct tcp *t, const struct names *nm, const char *v, const char *end)
{
	const char *ve;
	size_t col, j = 0;

	for (col = 0; ; col++, v = ve) {
		v = sample_skip_space(v, end);
		if ((ve = token_end(v, end)) == v)
			break;
		for (; j < nm->n && nm->col[j] == col; j++)
			if (take_counter(t, nm->counter[j], v, ve) == -1)
				return -1;
		if (j == nm->n) {
			col += 1 + tokens_after(ve, end);
			break;
		}
	}
	return col == nm->ncol ? 0 : -1;
}

/*
 * snmp and netstat: a line of column names, then a line of values,
 * each line led by its group: "Tcp: RtoAlgorithm ...\nTcp: 1 ...".
 * Columns are found by name: kernels add them.  A group with no counter
 * wanted is passed over.  0, or -1 when the values do not match their
 * names: a value short, and the rest would be misread.
 */
static int
parse_pairs(struct tcp *t, int file, unsigned gen, const char *p, const char *end)
{
	const char *vals, *next;
	struct names *nm;
	size_t glen, k;

	for (k = 0; p < end; p = next, k++) {
		vals = sample_next_line(p, end);
		next = sample_next_line(vals, end);
		if ((glen = group_len(p, end)) == 0 || group_len(vals, end) != glen ||
		    memcmp(p, vals, glen) != 0)
			return -1;
		if (k == t->nnames[file]) {
			t->names[file] = xm_reallocarray(t->names[file], k + 1, sizeof *nm);
			memset(&t->names[file][k], 0, sizeof *nm);
			t->nnames[file]++;
		}
		nm = &t->names[file][k];
		if (nm->len != (size_t)(vals - p) || nm->gen != gen ||
		    memcmp(nm->group, p, glen + 1 < sizeof nm->group ? glen + 1 :
		    sizeof nm->group) != 0)
			names_learn(nm, file, gen, p, glen, vals);
		if (nm->n > 0 && names_take(t, nm, vals + glen + 1, next) == -1)
			return -1;
	}
	return 0;
}

/* sockstat: "TCP: inuse 5 orphan 0 tw 2 alloc 7 mem 1", a group a line. */
static int
parse_sockstat(struct tcp *t, const char *p, const char *end)
{
	const char *n, *ne, *v, *ve;
	size_t glen;

	for (; p < end; p = sample_next_line(p, end)) {
		if ((glen = group_len(p, end)) == 0)
			return -1;
		if (!group_wanted(F_SOCKSTAT, p, glen))
			continue;
		for (n = p + glen + 1; ; n = ve) {
			n = sample_skip_space(n, end);
			ne = token_end(n, end);
			v = sample_skip_space(ne, end);
			ve = token_end(v, end);
			if (ne == n)
				break;
			if (ve == v ||
			    take(t, F_SOCKSTAT, p, glen, n, (size_t)(ne - n), v, ve) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * snmp6: "Udp6InErrors   0", a counter a line; what is not so is
 * skipped.  The two lines wanted come after sixty and more of Ip6 and
 * Icmp6, and are looked for first where they were the last time
 * (sample_count_at); only when one has moved (a count before it took
 * more or fewer digits) is the file read through again.
 */
static void
udp6_lines(struct tcp *t, const char *buf, const char *end)
{
	const char *p, *ne, *v, *ve;
	unsigned seen = 0;
	int i, in = 0;

	for (p = buf; p < end; p = sample_next_line(p, end)) {
		if (!sample_begins(p, end, "Udp6", 4)) {
			if (in)
				break;
			continue;
		}
		in = 1;
		ne = token_end(p, end);
		for (i = 0; i < 2; i++)
			if (same(fields[C_UDP6_INERR + i].name, p, (size_t)(ne - p)))
				break;
		if (i == 2)
			continue;
		v = sample_skip_space(ne, end);
		ve = token_end(v, end);
		if (take_counter(t, C_UDP6_INERR + i, v, ve) == -1) {
			t->have_cur &= ~(BIT(C_UDP6_INERR) | BIT(C_UDP6_RCVBUF));
			continue;
		}
		t->at6[i] = (size_t)(p - buf);
		t->len6[i] = (size_t)(ne - p);
		seen |= 1u << i;
	}
	t->spotted6 = seen == 3;
}

static void
parse_snmp6(struct tcp *t, const char *buf, const char *end)
{
	unsigned long long x[2];
	int i;

	for (i = 0; t->spotted6 && i < 2; i++)
		if (sample_count_at(buf, end, t->at6[i], fields[C_UDP6_INERR + i].name,
		    t->len6[i], &x[i]) == NULL)
			break;
	if (!t->spotted6 || i < 2) {
		udp6_lines(t, buf, end);
		return;
	}
	for (i = 0; i < 2; i++) {
		t->cur[C_UDP6_INERR + i] = x[i];
		t->have_cur |= BIT(C_UDP6_INERR + i);
	}
}

/*
 * Read a file, and say once what is wrong with it.  A kernel without
 * IPv6 has no snmp6: that is no error, and UDP is IPv4's alone.
 */
static void
read_file(struct tcp *t, struct sampler *s, int file)
{
	struct pfile *f = &t->f[file];
	const char *end;
	char why[64];
	int c, bad = 0;

	if (pfile_read(&s->src, f) == -1) {
		if (file != F_SNMP6 || errno != ENOENT)
			sampler_fail(s, FAM_TCP, f, strerror(errno));
		return;
	}
	end = f->buf + f->len;
	if (file == F_SNMP6) {
		parse_snmp6(t, f->buf, end);
		return;
	}
	if (file == F_SOCKSTAT)
		bad = parse_sockstat(t, f->buf, end);
	else
		bad = parse_pairs(t, file, f->gen, f->buf, end);
	for (c = 0; c < NCOUNTER && !bad; c++) {
		if (fields[c].file == file && !(t->have_cur & BIT(c))) {
			snprintf(why, sizeof why, "no \"%s: %s\"", fields[c].group,
			    fields[c].name);
			sampler_fail(s, FAM_TCP, f, why);
			return;
		}
	}
	if (bad) {
		for (c = 0; c < NCOUNTER; c++)
			if (fields[c].file == file)
				t->have_cur &= ~BIT(c);
		sampler_fail(s, FAM_TCP, f, "names and values do not match");
	}
}

/* How far counter c went in the interval: 0, or -1 for no reading or back. */
static int
delta(const struct tcp *t, int c, unsigned long long *d)
{
	if (!(t->have_prev & t->have_cur & BIT(c)) || t->cur[c] < t->prev[c])
		return -1;
	*d = t->cur[c] - t->prev[c];
	return 0;
}

/*
 * The counter's rate, with its IPv6 twin's where it has one: where
 * IPv6 came or went in the interval there is no sum to take.
 */
static double
rate(const struct tcp *t, int c, int c6, double dt)
{
	unsigned long long d, d6 = 0;
	unsigned seen;

	if (delta(t, c, &d) == -1 || !(dt > 0))
		return NAN;
	if (c6 != -1) {
		seen = (t->have_prev & BIT(c6) ? 1 : 0) + (t->have_cur & BIT(c6) ? 1 : 0);
		if (seen == 1 || (seen == 2 && delta(t, c6, &d6) == -1))
			return NAN;
		if (d + d6 < d)
			return NAN;
	}
	return (double)(d + d6) / dt;
}

/* Retransmitted of sent segments, as sar -n ETCP's retrans/s of oseg/s. */
static double
retransmit_percent(const struct tcp *t)
{
	unsigned long long r, o;

	if (delta(t, C_RETRANS, &r) == -1 || delta(t, C_OUTSEGS, &o) == -1 || o == 0)
		return NAN;
	return 100.0 * (double)r / (double)o;
}

static void
tcp_sample(void *st, struct sampler *s)
{
	struct tcp *t = st;
	size_t i;
	double r;
	int f;

	t->have_cur = 0;
	for (f = 0; f < NFILE; f++)
		read_file(t, s, f);
	if (s->report && (t->have_cur & BIT(C_ESTAB)))
		sampler_put_u64(s, "tcp_established", t->cur[C_ESTAB]);
	if (s->report && (t->have_cur & BIT(C_TW)))
		sampler_put_u64(s, "tcp_time_wait", t->cur[C_TW]);
	for (i = 0; s->report && s->rates && i < sizeof rates / sizeof rates[0]; i++) {
		if (rates[i].name == NULL)
			r = retransmit_percent(t);
		else
			r = rate(t, rates[i].c, rates[i].c6, s->dt);
		if (!isnan(r))
			sampler_put(s, rates[i].name ? rates[i].name :
			    "tcp_retransmit_percent", r);
	}
	t->have_prev = t->have_cur;
	memcpy(t->prev, t->cur, sizeof t->cur);
}

static void
tcp_close(void *st)
{
	struct tcp *t = st;
	int i;

	for (i = 0; i < NFILE; i++) {
		pfile_free(&t->f[i]);
		free(t->names[i]);
	}
	free(t);
}

const struct module tcp_module = {
	FAM_BIT(FAM_TCP), tcp_open, tcp_sample, tcp_close
};
