/* sample.c: take a set every interval, on time, and report it. */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
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
	&load_module, &proc_module, &cgroup_module,
	&pressure_module, &vm_module, &fd_module, &procs_module, &tcp_module, &sensors_module,
};
static const struct module *const synthetic_modules[] = { &synth_module };

const char *const sample_family_names[FAM_N] = {
	"cpu", "memory", "swap", "disk", "io", "net", "load", "process",
	"cgroup", "app", "pressure", "vm", "fd", "procs", "tcp", "sensors"
};

#define MAX_MODULES (sizeof system_modules / sizeof system_modules[0])

void
sampler_put(struct sampler *s, const char *metric, double v)
{
	record_put(&s->w, s->ts, s->tslen);
	record_put_str(&s->w, s->o->host);
	record_put_str(&s->w, metric);
	record_put_number(&s->w, v);
	record_end(&s->w);
}

/* A count read from the kernel, with all its digits (xm(7)). */
void
sampler_put_u64(struct sampler *s, const char *metric, unsigned long long v)
{
	record_put(&s->w, s->ts, s->tslen);
	record_put_str(&s->w, s->o->host);
	record_put_str(&s->w, metric);
	record_put_u64(&s->w, v);
	record_end(&s->w);
}

/* f read once a pass, however many families ask: 0, or -1 with errno set. */
static int
read_once(struct sampler *s, struct pfile *f, unsigned long long *pass, int *why)
{
	if (*pass != s->pass) {
		*pass = s->pass;
		*why = pfile_read(&s->src, f) == -1 ? errno : 0;
	}
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
	return read_once(s, &s->stat, &s->stat_pass, &s->stat_errno);
}

/* /proc/loadavg, which load and procs (its count of threads) share. */
int
sampler_loadavg(struct sampler *s)
{
	return read_once(s, &s->loadavg, &s->loadavg_pass, &s->loadavg_errno);
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

const char *
sample_skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Parse decimal digits after any blanks; NULL when there are none, or past 2^64. */
const char *
sample_parse_u64(const char *p, const char *end, unsigned long long *v)
{
	unsigned long long n = 0;
	const char *start;
	unsigned d;

	p = sample_skip_space(p, end);
	start = p;
	while (p < end && *p >= '0' && *p <= '9') {
		d = (unsigned)(*p++ - '0');
		if (n > (~0ULL - d) / 10)
			return NULL;
		n = n * 10 + d;
	}
	if (p == start)
		return NULL;
	*v = n;
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

/* Sleep until the monotonic deadline; 1 if a signal came first. */
static int
wait_until(int sigfd, double deadline)
{
	struct pollfd p = { .fd = sigfd, .events = POLLIN };
	struct timespec ts;
	double left;
	int rc;

	while ((left = deadline - clock_now(CLOCK_MONOTONIC)) > 0) {
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		rc = ppoll(&p, 1, &ts, NULL);
		if (rc > 0)
			return 1;
		if (rc == -1 && errno != EINTR)
			err(XM_EXIT_FAIL, "ppoll");
	}
	return 0;
}

/*
 * The boot the kernel's counters count from, which --state's must be of
 * too; "-" where it cannot tell (a copy of /proc without the file).
 */
static char *
boot_id(struct src *src)
{
	struct pfile f;
	char *id;

	pfile_init(&f, ROOT_PROC, "sys/kernel/random/boot_id");
	if (pfile_read(src, &f) == -1 || f.len == 0)
		id = xm_strdup("-");
	else
		id = xm_strndup(f.buf, strcspn(f.buf, "\n\t"));
	pfile_free(&f);
	return id;
}

/*
 * Whether the last run's counters (play) can be the baseline of this
 * one, whose first set is stamped first: read in this boot, and before.
 * Those of another boot counted from zero since: silently not.
 */
static int
can_play(const struct sample_opts *o, const struct tape *play, const char *boot, double first)
{
	char ts[NUM_MAX];

	if (play->boot == NULL || strcmp(play->boot, boot) != 0)
		return 0;
	if (play->ts < first)
		return 1;
	num_format_ts(ts, play->ts);
	warnx("%s: read at %s, not before this run's first set (a clock set back?); "
	    "rates start from now", o->state, ts);
	return 0;
}

/* A pass over every module: the counters read, and with s->report, reported. */
static void
pass(struct sampler *s, const struct module *const *mods, void **state, size_t nmod,
    struct tape *rec, double ts)
{
	size_t i;

	s->pass++;
	if (rec != NULL) {
		tape_clear(rec);
		rec->ts = ts;
	}
	for (i = 0; i < nmod; i++)
		if (state[i] != NULL)
			mods[i]->sample(state[i], s);
}

/*
 * The baseline: counters need a first reading to measure from, with
 * --state the last run's, when they are there to play back; then the
 * first set's rates span the time since it read them.  A counter file
 * they do not hold makes the baseline this machine's now, as without.
 */
static int
baseline(struct sampler *s, const struct module *const *mods, void **state, size_t nmod,
    struct tape *rec, struct tape *play)
{
	const struct sample_opts *o = s->o;
	double now = o->simulated ? o->start : xm_realtime();

	if (play != NULL && can_play(o, play, rec->boot, o->simulated ? o->start + o->interval : now)) {
		s->src.play = play;
		pass(s, mods, state, nmod, rec, play->ts);
		s->src.play = NULL;
		if (s->src.missed[0] == '\0')
			return 1;
		warnx("%s: holds no reading of %s (a family or device new since); "
		    "rates start from now", o->state, s->src.missed);
	}
	pass(s, mods, state, nmod, rec, now);
	return 0;
}

int
sample_run(const struct sample_opts *o)
{
	static const char *const header[] = { "ts", "host", "metric", "value" };
	const struct module *const *mods;
	void *state[MAX_MODULES];
	struct sampler s;
	struct state st;
	struct tape rec, play, *recp = NULL;
	unsigned long long tick = 0, sets = 0;
	double t0, prev, now, deadline, ts;
	struct stat sb;
	size_t i, nmod;
	int sigfd, k, played;

	memset(&s, 0, sizeof s);
	s.o = o;
	sigfd = sig_open(0);
	sig_pipe(o->state != NULL);
	tape_init(&rec);
	tape_init(&play);
	if (o->state != NULL) {
		/* a run waiting its turn for the state may be told to go */
		sig_let(1);
		k = state_lock(&st, o->state, o->wait);
		sig_let(0);
		if (k < 0) {
			close(sigfd);
			return k == -1 ? XM_EXIT_OK : XM_EXIT_FAIL;
		}
		/* one that can be neither read nor set aside must not be written over */
		if ((k = state_load(&st, &sample_grammar, tape_load, &play)) == -1) {
			state_unlock(&st);
			close(sigfd);
			return XM_EXIT_FAIL;
		}
		if (k == 1)
			s.status = XM_EXIT_FAIL;
		recp = &rec;
	}
	/* into a pipe, whole lines a write: samplers of several hosts may share it (xm(7)) */
	record_writer_init(&s.w, stdout, fstat(STDOUT_FILENO, &sb) == 0 && S_ISFIFO(sb.st_mode) ?
	    RECORD_SHARED : 0);
	src_init(&s.src, o);
	s.src.rec = recp;
	if (recp != NULL)
		rec.boot = boot_id(&s.src);
	pfile_init(&s.stat, ROOT_PROC, "stat");
	s.stat.counters = 1;
	pfile_init(&s.loadavg, ROOT_PROC, "loadavg");
	if (o->synthetic) {
		mods = synthetic_modules;
		nmod = 1;
	} else {
		mods = system_modules;
		nmod = MAX_MODULES;
	}
	for (i = 0; i < nmod; i++)
		state[i] = mods[i]->mask & o->families ? mods[i]->open(&s) : NULL;
	if (o->header)
		record_put_header(&s.w, header, 4);

	/* At full speed any write may block: let signals interrupt it. */
	if (o->simulated)
		sig_unblock();

	t0 = prev = clock_now(CLOCK_MONOTONIC);
	played = baseline(&s, mods, state, nmod, recp, play.boot != NULL ? &play : NULL);
	s.rates = !o->snapshot || played;
	if (!s.rates)
		say_no_rates(o);
	s.report = 1;

	while (o->count == 0 || sets < o->count) {
		tick++;
		if (o->simulated) {
			if (sig_take(sigfd) != 0)
				break;
			ts = o->start + (double)tick * o->interval;
			s.dt = s.live_dt = o->interval;
		} else {
			/* Behind by a whole interval (suspend, overload): skip to now. */
			deadline = t0 + (double)tick * o->interval;
			now = clock_now(CLOCK_MONOTONIC);
			if (now > deadline + o->interval) {
				tick = (unsigned long long)((now - t0) / o->interval);
				deadline = t0 + (double)tick * o->interval;
			}
			if (sig_flush(stdout) != 0 || wait_until(sigfd, deadline))
				break;
			now = clock_now(CLOCK_MONOTONIC);
			s.dt = s.live_dt = now - prev;
			prev = now;
			ts = clock_now(CLOCK_REALTIME);
		}
		/* the first set after the last run's counters: measured from when they were read */
		if (played) {
			s.dt = ts - play.ts;
			played = 0;
		}
		if (ferror(stdout))
			break;
		src_step(&s.src, sets + 1);
		s.tslen = num_format_ts(s.ts, ts);
		pass(&s, mods, state, nmod, recp, ts);
		sets++;
	}

	for (i = 0; i < nmod; i++)
		if (state[i] != NULL)
			mods[i]->close(state[i]);
	pfile_free(&s.stat);
	pfile_free(&s.loadavg);
	src_free(&s.src);
	sig_abandon(stdout);
	/* with --state SIGPIPE is ignored, and a reader that went is no failure */
	if (xm_out_gone(stdout))
		xm_stdout_gone();
	if (o->state != NULL) {
		if (state_save(&st, tape_save, &rec) != 0)
			s.status = XM_EXIT_FAIL;
		state_unlock(&st);
	}
	tape_free(&rec);
	tape_free(&play);
	close(sigfd);
	return s.status;
}
