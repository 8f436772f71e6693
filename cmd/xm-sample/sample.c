/* sample.c: take a set every interval, on time, and report it. */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sample.h"
#include "sig.h"
#include "state.h"
#include "xm.h"

/* In the order their records come out in every set. */
static const struct module *const system_modules[] = {
	&cpu_module, &mem_module, &disk_module, &io_module, &net_module,
	&load_module, &proc_module, &top_module, &cgroup_module,
	&pressure_module, &vm_module, &fd_module, &procs_module, &tcp_module, &sensors_module,
};
static const struct module *const synthetic_modules[] = { &synth_module };

const char *const sample_family_names[FAM_N] = {
	"cpu", "memory", "swap", "disk", "io", "net", "load", "process",
	"cgroup", "app", "pressure", "vm", "fd", "procs", "tcp", "sensors"
};

#define MAX_MODULES (sizeof system_modules / sizeof system_modules[0])

/*
 * f read once a pass, however many families ask: 0, or -1 with errno
 * set.  Each that asks is told, as by its own read, whether it was the
 * kernel's text where the last run's was being played back.
 */
static int
read_once(struct sampler *s, struct pfile *f, unsigned long long *pass, int *why, int *missed)
{
	int before = s->src.missed;

	if (*pass != s->pass) {
		*pass = s->pass;
		s->src.missed = 0;
		*why = pfile_read(&s->src, f) == -1 ? errno : 0;
		*missed = s->src.missed;
	}
	s->src.missed = before | *missed;
	errno = *why;
	return *why != 0 ? -1 : 0;
}

/*
 * /proc/stat, which cpu (the busy times), load (the CPUs online) and
 * procs all need: on a machine of many CPUs it is the costliest file of
 * a set.
 */
int
sampler_stat(struct sampler *s)
{
	return read_once(s, &s->stat, &s->stat_pass, &s->stat_errno, &s->stat_missed);
}

/* /proc/loadavg, which load and procs (its count of threads) share. */
int
sampler_loadavg(struct sampler *s)
{
	return read_once(s, &s->loadavg, &s->loadavg_pass, &s->loadavg_errno,
	    &s->loadavg_missed);
}

/*
 * One --procfs copy has one reading of each counter, and a rate needs
 * two: said once, for the families asked for that have rates.
 */
static void
say_no_rates(const struct sample_opts *o)
{
	static const struct { enum family f; const char *what; } rated[] = {
		{ FAM_CPU, "cpu" }, { FAM_IO, "io" }, { FAM_NET, "net rates" },
		{ FAM_PROCESS, "process cpu" }, { FAM_CGROUP, "cgroup rates" },
		{ FAM_PRESSURE, "pressure" }, { FAM_VM, "vm rates" },
		{ FAM_PROCS, "procs rates" }, { FAM_TCP, "tcp rates" },
	};
	const char *what[sizeof rated / sizeof rated[0]];
	char list[256];
	size_t i, n = 0, len = 0;

	for (i = 0; i < sizeof rated / sizeof rated[0]; i++)
		if (o->families & FAM_BIT(rated[i].f))
			what[n++] = rated[i].what;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
		    i == 0 ? "" : i + 1 == n ? " and " : ", ", what[i]);
	warnx("%s: rates need two --procfs snapshots; %s left out", o->procfs[0], list);
}

/* One warning per family for the whole run; the exit status remembers. */
void
sampler_warn(struct sampler *s, enum family f, const char *fmt, ...)
{
	va_list ap;

	s->status = XM_EXIT_FAIL;
	if (s->warned & FAM_BIT(f))
		return;
	s->warned |= FAM_BIT(f);
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

/* A file a family needs could not be read or made no sense. */
void
sampler_fail(struct sampler *s, enum family f, const struct pfile *pf,
    const char *why)
{
	sampler_warn(s, f, "%s/%s: %s; %s metrics skipped",
	    s->src.dirs[pf->root][s->src.cur[pf->root]], pf->path, why,
	    sample_family_names[f]);
}

/* Parse decimal digits after any blanks; NULL when there are none, or past 2^64. */
static inline const char *
parse_u64(const char *p, const char *end, unsigned long long *v)
{
	const char *start, *stop;
	unsigned long long n = 0;
	unsigned d;

	start = p = sample_skip_space(p, end);
	/* nineteen digits make no more than 2^64 - 1: only those past them are checked */
	stop = end - p > 19 ? p + 19 : end;
	for (; p < stop && (d = (unsigned)(unsigned char)*p - '0') < 10; p++)
		n = n * 10 + d;
	if (p == start)
		return NULL;
	for (; p < end && (d = (unsigned)(unsigned char)*p - '0') < 10; p++) {
		if (n > (~0ULL - d) / 10)
			return NULL;
		n = n * 10 + d;
	}
	*v = n;
	return p;
}

const char *
sample_parse_u64(const char *p, const char *end, unsigned long long *v)
{
	return parse_u64(p, end, v);
}

/*
 * Up to n counts in a row, as sample_parse_u64 reads each, into v: how
 * many were read, *pp moved past the last.  The lines of diskstats,
 * net/dev and stat take a call a line, not a call a count.
 */
size_t
sample_parse_row(const char **pp, const char *end, unsigned long long *v, size_t n)
{
	const char *p = *pp, *q;
	size_t i;

	for (i = 0; i < n && (q = parse_u64(p, end, &v[i])) != NULL; i++)
		p = q;
	*pp = p;
	return i;
}

/*
 * The count of a line "key count" (blanks between) if such a line
 * begins at buf + at, where it was found the last time, and the line
 * ends with the count: NULL when it does not.  vmstat's and snmp6's
 * lines keep their order, and one moves only when a count before it
 * gains or loses a digit.
 */
const char *
sample_count_at(const char *buf, const char *end, size_t at, const char *key, size_t klen,
    unsigned long long *v)
{
	const char *p = buf + at;

	if (at >= (size_t)(end - buf) || (at > 0 && p[-1] != '\n') ||
	    (size_t)(end - p) <= klen || memcmp(p, key, klen) != 0 ||
	    (p[klen] != ' ' && p[klen] != '\t') ||
	    (p = sample_parse_u64(p + klen, end, v)) == NULL || (p < end && *p != '\n'))
		return NULL;
	return p;
}

const char *
sample_next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

/* Per second over dt; NaN for a counter that went back (reset, wrap). */
double
sample_rate(unsigned long long prev, unsigned long long cur, double dt)
{
	if (cur < prev || !(dt > 0))
		return NAN;
	return (double)(cur - prev) / dt;
}

static double
clock_now(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Sleep until the monotonic deadline; 1 if a signal came first.  *now
 * is the clock read last, before and then after.
 */
static int
wait_until(double deadline, double *now)
{
	struct timespec ts;
	double left;

	for (; (left = deadline - *now) > 0; *now = clock_now(CLOCK_MONOTONIC)) {
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (sig_sleep(&ts) != 0)
			return 1;
	}
	return 0;
}

/* The modules of a run, and what --state carries (NULL: none). */
struct run {
	struct sampler s;
	const struct module *const *mods;
	void	*state[MAX_MODULES];
	size_t	 nmod;
	struct carry *c;
};

/*
 * A pass over every module: the counters read, and with s->report
 * reported, each module's rates over s->dt; a module that took the
 * kernel's baseline while the rest took the last run's, over live_dt.
 */
static void
pass(struct run *r, double ts, double uptime)
{
	struct sampler *s = &r->s;
	double dt = s->dt;
	int rates = s->rates;
	size_t i;

	s->pass++;
	if (r->c != NULL) {
		carry_pass(r->c, ts, uptime);
		s->src.rec = r->c->rec;
	}
	for (i = 0; i < r->nmod; i++) {
		if (r->state[i] == NULL)
			continue;
		if (r->c != NULL && (r->c->fresh & 1u << i)) {
			s->dt = s->live_dt;
			s->rates = rates && !s->o->snapshot;
		}
		r->mods[i]->sample(r->state[i], s);
		s->dt = dt;
		s->rates = rates;
	}
}

/*
 * The baseline: counters need a first reading to measure from, with
 * --state the last run's where it can be played back, and then the
 * first set's rates span the time since it read them.  A module that
 * reads a counter file the last run did not (a family asked for now and
 * not then, a cgroup new since) takes the kernel's reading instead, and
 * its first rates are over this run's own interval, as without --state.
 * 1 when the last run's counters were played back.
 */
static int
baseline(struct run *r, double ts, double uptime)
{
	struct sampler *s = &r->s;
	struct carry *c = r->c;
	size_t i;

	if (c == NULL || !carry_can_play(c, s->o, s->o->simulated ? ts + s->o->interval : ts)) {
		pass(r, ts, uptime);
		return 0;
	}
	s->pass++;
	carry_pass(c, c->play.ts, c->play.uptime);
	s->src.rec = c->rec;
	for (i = 0; i < r->nmod; i++) {
		if (r->state[i] == NULL)
			continue;
		s->src.play = &c->play;
		s->src.missed = 0;
		r->mods[i]->sample(r->state[i], s);
		s->src.play = NULL;
		if (s->src.missed) {
			c->fresh |= 1u << i;
			r->mods[i]->sample(r->state[i], s);
		}
	}
	return 1;
}

/*
 * The end of the output: 1 if what was last written may not have
 * reached the reader (dropped at a signal, a reader gone, a write that
 * failed), else 0, all of it flushed.
 */
static int
output_end(int lost)
{
	lost |= sig_abandon(stdout);
	/* with --state SIGPIPE is ignored, and a reader that went is no failure */
	if (xm_out_gone(stdout)) {
		xm_stdout_gone();
		lost = 1;
	}
	if (!lost && fflush(stdout) != 0)
		xm_stdout_check(stdout);
	return lost || ferror(stdout);
}

int
sample_run(const struct sample_opts *o)
{
	static const char *const header[] = { "ts", "host", "metric", "value" };
	struct run r;
	struct carry c;
	struct sampler *s = &r.s;
	unsigned long long tick = 0, sets = 0;
	double t0, prev, now, deadline, ts, uptime;
	struct stat sb;
	size_t i;
	int sigfd, k, played, lost = 0;

	memset(&r, 0, sizeof r);
	s->o = o;
	sigfd = sig_open(0);
	sig_pipe(o->state != NULL);
	if (o->state != NULL) {
		if ((k = carry_open(&c, o, &s->status)) < 0) {
			close(sigfd);
			return k == -1 ? XM_EXIT_OK : XM_EXIT_FAIL;
		}
		r.c = &c;
	}
	/*
	 * Into a pipe, whole lines a write: samplers of several hosts may
	 * share it (xm(7)).  Elsewhere a set goes to stdio in one piece.
	 */
	record_writer_init(&s->w, stdout, fstat(STDOUT_FILENO, &sb) == 0 && S_ISFIFO(sb.st_mode) ?
	    RECORD_SHARED : RECORD_BATCH);
	s->hostlen = strlen(o->host);
	s->head = xm_malloc(NUM_MAX + 1 + s->hostlen);
	src_init(&s->src, o);
	if (r.c != NULL)
		carry_boot(r.c, &s->src);
	pfile_init(&s->stat, ROOT_PROC, "stat");
	s->stat.counters = 1;
	pfile_init(&s->loadavg, ROOT_PROC, "loadavg");
	if (o->synthetic) {
		r.mods = synthetic_modules;
		r.nmod = 1;
	} else {
		r.mods = system_modules;
		r.nmod = MAX_MODULES;
	}
	for (i = 0; i < r.nmod; i++)
		r.state[i] = r.mods[i]->mask & o->families ? r.mods[i]->open(s) : NULL;
	if (o->header)
		record_put_header(&s->w, header, 4);
	record_flush(&s->w);

	/* At full speed any write may block: let signals interrupt it. */
	if (o->simulated)
		sig_unblock();

	t0 = prev = clock_now(CLOCK_MONOTONIC);
	played = baseline(&r, o->simulated ? o->start : clock_now(CLOCK_REALTIME),
	    o->simulated ? NAN : clock_now(CLOCK_BOOTTIME));
	/* the baseline writes nothing: its counters are as good as out */
	if (r.c != NULL)
		carry_sent(r.c);
	s->rates = !o->snapshot || played;
	if (!s->rates)
		say_no_rates(o);
	s->report = 1;

	while (o->count == 0 || sets < o->count) {
		tick++;
		if (o->simulated) {
			if (sig_take(sigfd) != 0)
				break;
			ts = o->start + (double)tick * o->interval;
			uptime = NAN;
			s->dt = s->live_dt = o->interval;
		} else {
			if ((lost = sig_flush(stdout) != 0 || ferror_unlocked(stdout)))
				break;
			if (r.c != NULL)
				carry_sent(r.c);
			/* Behind by a whole interval (suspend, overload): skip to now. */
			deadline = t0 + (double)tick * o->interval;
			now = clock_now(CLOCK_MONOTONIC);
			if (now > deadline + o->interval) {
				tick = (unsigned long long)((now - t0) / o->interval);
				deadline = t0 + (double)tick * o->interval;
			}
			if (wait_until(deadline, &now))
				break;
			s->dt = s->live_dt = now - prev;
			prev = now;
			ts = clock_now(CLOCK_REALTIME);
			/* the boot's clock tells how long since the counters --state keeps */
			uptime = r.c != NULL ? clock_now(CLOCK_BOOTTIME) : NAN;
		}
		/* the first set after the last run's counters: measured from when they were read */
		if (played) {
			s->dt = !isnan(uptime) && !isnan(c.play.uptime) ? uptime - c.play.uptime :
			    ts - c.play.ts;
			played = 0;
		}
		if (ferror_unlocked(stdout))
			break;
		src_step(&s->src, sets + 1);
		s->headlen = num_format_ts(s->head, ts);
		s->head[s->headlen++] = '\t';
		memcpy(s->head + s->headlen, s->o->host, s->hostlen);
		s->headlen += s->hostlen;
		pass(&r, ts, uptime);
		record_flush(&s->w);
		/* one copy of /proc, read again, has only the last run's to measure from */
		if (o->snapshot)
			s->rates = 0;
		sets++;
	}

	for (i = 0; i < r.nmod; i++)
		if (r.state[i] != NULL)
			r.mods[i]->close(r.state[i]);
	pfile_free(&s->stat);
	pfile_free(&s->loadavg);
	src_free(&s->src);
	free(s->head);
	lost = output_end(lost);
	if (r.c != NULL) {
		if (!lost)
			carry_sent(r.c);
		if (carry_close(r.c) != 0)
			s->status = XM_EXIT_FAIL;
	}
	close(sigfd);
	return s->status;
}
