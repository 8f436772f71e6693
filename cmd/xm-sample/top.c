/*
 * top.c: --top N, the processes behind the load.  Each set every
 * process in /proc is read (its stat line and, where it may be read,
 * its io), as top and htop read them; the N using the most CPU, the N
 * with the most resident memory and the N doing the most storage I/O
 * are reported, each with all its process_* series, and the counts of
 * processes and of zombies with them.  A process -p or -P watches is
 * the process family's own (proc.c) and is not reported twice.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample.h"
#include "xm.h"

/* Past this many processes a set, the rest go unread: two tables of 19 MB at most. */
#define TOP_MAX	65536

enum { IO_UNTRIED, IO_READ, IO_DENIED };

/* statm gone since the stat line was read: the process is exiting */
#define NO_RSS	(~0ULL)

/* A process as the latest scan found it. */
struct seen {
	pid_t	 pid;
	unsigned char io;	/* IO_* */
	unsigned char exited;	/* a zombie: counted, never reported */
	unsigned char picked;
	char	 comm[64];	/* as pid_stat has it: a kworker's is longer than 15 */
	unsigned long long start, ticks, rss, threads;
	unsigned long long rd, wr;	/* bytes, when io is IO_READ */
	double	 cpu, rate_rd, rate_wr;	/* NaN: none this set */
};

struct top {
	struct seen *last, *now;
	size_t	 nlast, nnow, cap;
	size_t	*order;		/* indices into now, for the rankings */
	double	 hz;
	unsigned long long page;
	int	 said_max;
	char	 buf[1024];
};

static void *
top_open(struct sampler *s)
{
	struct top *t;

	if (s->o->top == 0)
		return NULL;
	t = xm_calloc(1, sizeof *t);
	t->hz = (double)sysconf(_SC_CLK_TCK);
	t->page = (unsigned long long)sysconf(_SC_PAGESIZE);
	return t;
}

static int
by_pid(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The last scan's entry of pid, if the same process (started when it was). */
static const struct seen *
earlier(const struct top *t, pid_t pid, unsigned long long start)
{
	size_t lo = 0, hi = t->nlast, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->last[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->nlast && t->last[lo].pid == pid && t->last[lo].start == start)
		return &t->last[lo];
	return NULL;
}

/* Whether -p or -P watches the process: proc.c reports it. */
static int
watched(const struct sample_opts *o, pid_t pid, const char *comm)
{
	size_t i;

	for (i = 0; i < o->npid; i++)
		if (o->pids[i] == pid)
			return 1;
	for (i = 0; i < o->nname; i++)
		if (strcmp(o->names[i], comm) == 0)
			return 1;
	return 0;
}

/* Read pid's stat line into a new entry of now: 0, or -1 when it is gone or garbled. */
static int
read_one(struct top *t, int root, pid_t pid, struct seen *e)
{
	struct pid_stat ps;
	char path[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%d/stat", (int)pid);
	if ((fd = openat(root, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, t->buf, sizeof t->buf - 1);
	close(fd);
	if (n <= 0 || pid_stat_parse(t->buf, (size_t)n, &ps) == -1)
		return -1;
	memset(e, 0, sizeof *e);
	e->pid = pid;
	n = (ssize_t)strnlen(ps.comm, sizeof e->comm - 1);
	memcpy(e->comm, ps.comm, (size_t)n);
	e->comm[n] = '\0';
	e->exited = (unsigned char)pid_exited(ps.state);
	e->start = ps.start;
	e->ticks = ps.ticks;
	e->threads = ps.threads;
	e->rss = ps.rss_pages > ~0ULL / t->page ? ~0ULL : ps.rss_pages * t->page;
	e->cpu = e->rate_rd = e->rate_wr = NAN;
	return 0;
}

/* The scan: every process's entry in now, by PID, and its rates from last. */
static int
scan(struct top *t, struct sampler *s, int root)
{
	const struct seen *was;
	struct seen *e;
	struct dirent *d;
	DIR *dir;
	char *end;
	long pid;
	int fd;

	if ((fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	t->nnow = 0;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = strtol(d->d_name, &end, 10);
		if (*end != '\0' || pid <= 0 || pid > 0x7fffffff)
			continue;
		if (t->nnow == TOP_MAX) {
			if (!t->said_max)
				sampler_warn(s, FAM_PROCESS, "more than %d processes: "
				    "--top reads the first %d", TOP_MAX, TOP_MAX);
			t->said_max = 1;
			break;
		}
		if (t->nnow == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 256;
			t->now = xm_reallocarray(t->now, t->cap, sizeof *t->now);
			t->last = xm_reallocarray(t->last, t->cap, sizeof *t->last);
			t->order = xm_reallocarray(t->order, t->cap, sizeof *t->order);
		}
		if (read_one(t, root, (pid_t)pid, &t->now[t->nnow]) == 0)
			t->nnow++;
	}
	closedir(dir);
	/* /proc lists processes by PID; a copy of it, in any order */
	qsort(t->now, t->nnow, sizeof *t->now, by_pid);
	for (e = t->now; e < t->now + t->nnow; e++) {
		if (e->exited)
			continue;
		was = earlier(t, e->pid, e->start);
		if (was != NULL && s->rates && e->ticks >= was->ticks)
			e->cpu = 100.0 * (double)(e->ticks - was->ticks) / t->hz / s->live_dt;
		if (was != NULL && was->io == IO_DENIED) {
			e->io = IO_DENIED;
			continue;
		}
		if (pid_io_read(root, e->pid, &e->rd, &e->wr) == -1) {
			/* another user's: not tried again while it lives; gone: no matter */
			e->io = errno == EACCES || errno == EPERM ? IO_DENIED : IO_UNTRIED;
			continue;
		}
		e->io = IO_READ;
		if (was != NULL && was->io == IO_READ && s->rates && e->rd >= was->rd &&
		    e->wr >= was->wr) {
			e->rate_rd = (double)(e->rd - was->rd) / s->live_dt;
			e->rate_wr = (double)(e->wr - was->wr) / s->live_dt;
		}
	}
	return 0;
}

/* The rankings, each by its key: larger first; none where it is NaN or 0. */
enum { BY_CPU, BY_RSS, BY_IO };

static double
key(const struct seen *e, int by)
{
	switch (by) {
	case BY_CPU:
		return e->cpu;
	case BY_RSS:
		return (double)e->rss;
	default:
		return e->rate_rd + e->rate_wr;
	}
}

/* qsort_r's order of indices into now (arg) by the ranking's key, then by PID. */
struct ranking {
	const struct seen *now;
	int	 by;
};

static int
by_key(const void *a, const void *b, void *arg)
{
	const struct ranking *r = arg;
	const struct seen *x = &r->now[*(const size_t *)a], *y = &r->now[*(const size_t *)b];
	double kx = key(x, r->by), ky = key(y, r->by);

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Mark the top n of the processes by one ranking, those that have a key above 0. */
static void
pick(struct top *t, const struct sample_opts *o, int by, size_t n)
{
	struct ranking r = { t->now, by };
	size_t i, k = 0;
	double v;

	for (i = 0; i < t->nnow; i++) {
		v = key(&t->now[i], by);
		if (!t->now[i].exited && !isnan(v) && v > 0 &&
		    !watched(o, t->now[i].pid, t->now[i].comm))
			t->order[k++] = i;
	}
	qsort_r(t->order, k, sizeof *t->order, by_key, &r);
	for (i = 0; i < k && i < n; i++)
		t->now[t->order[i]].picked = 1;
}

static void
put_processes(struct top *t, struct sampler *s, int root)
{
	static const char *const names[] = {
		"process_cpu_percent", "process_resident_memory_bytes", "process_threads",
		"process_open_fds", "process_read_bytes_per_second",
		"process_write_bytes_per_second"
	};
	char series[256];
	struct seen *e;
	unsigned long long pages;
	long fds = 0;
	size_t m;

	/* ranked by stat's count of resident pages, reported by statm's, as -p reports them */
	for (e = t->now; e < t->now + t->nnow; e++)
		if (e->picked)
			e->rss = pid_statm_pages(root, e->pid, &pages) == 0 &&
			    pages <= ~0ULL / t->page ? pages * t->page : NO_RSS;

	for (m = 0; m < sizeof names / sizeof names[0]; m++) {
		for (e = t->now; e < t->now + t->nnow; e++) {
			if (!e->picked)
				continue;
			if (m == 3 && (fds = pid_fds_count(root, e->pid)) == -1)
				continue;
			if ((m == 0 && isnan(e->cpu)) || (m == 1 && e->rss == NO_RSS) ||
			    (m >= 4 && isnan(e->rate_rd)) ||
			    pid_series(series, sizeof series, names[m], e->comm, e->pid) == 0)
				continue;
			switch (m) {
			case 0:
				sampler_put(s, series, e->cpu);
				break;
			case 1:
				sampler_put_u64(s, series, e->rss);
				break;
			case 2:
				sampler_put_u64(s, series, e->threads);
				break;
			case 3:
				sampler_put_u64(s, series, (unsigned long long)fds);
				break;
			case 4:
				sampler_put(s, series, e->rate_rd);
				break;
			default:
				sampler_put(s, series, e->rate_wr);
			}
		}
	}
}

static void
top_sample(void *st, struct sampler *s)
{
	struct top *t = st;
	struct seen *swap;
	unsigned long long zombies = 0;
	size_t i;
	int root;

	if ((root = src_rootfd(&s->src, ROOT_PROC)) == -1 || scan(t, s, root) == -1) {
		sampler_warn(s, FAM_PROCESS, "%s: %s; --top metrics skipped",
		    s->src.dirs[ROOT_PROC][s->src.cur[ROOT_PROC]], strerror(errno));
		t->nlast = 0;
		return;
	}
	if (s->report) {
		for (i = 0; i < t->nnow; i++)
			zombies += t->now[i].exited;
		sampler_put_u64(s, "processes_count", t->nnow);
		sampler_put_u64(s, "processes_zombie", zombies);
		pick(t, s->o, BY_CPU, s->o->top);
		pick(t, s->o, BY_RSS, s->o->top);
		pick(t, s->o, BY_IO, s->o->top);
		put_processes(t, s, root);
	}
	swap = t->last;
	t->last = t->now;
	t->now = swap;
	t->nlast = t->nnow;
}

static void
top_close(void *st)
{
	struct top *t = st;

	free(t->last);
	free(t->now);
	free(t->order);
	free(t);
}

const struct module top_module = {
	FAM_BIT(FAM_PROCESS), top_open, top_sample, top_close
};
