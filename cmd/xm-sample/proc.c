/*
 * proc.c: CPU and resident memory of chosen processes: CPU time from
 * /proc/PID/stat, resident memory from /proc/PID/statm, as ps, top and
 * psutil report it.
 */
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metric.h"
#include "sample.h"
#include "xm.h"

enum { M_CPU, M_RSS, M_THREADS, M_FDS, M_READ, M_WRITE, NMETRIC };

static const char *const names[NMETRIC] = {
	"process_cpu_percent", "process_resident_memory_bytes", "process_threads",
	"process_open_fds", "process_read_bytes_per_second", "process_write_bytes_per_second"
};

struct proc {
	pid_t	 pid;
	int	 by_name;	/* found by -P: dropped when its name changes */
	char	 path[24];	/* "PID/stat" */
	char	 mpath[24];	/* "PID/statm" */
	struct pfile f, m;
	char	 comm[64];	/* as the kernel has it, up to 15 bytes */
	unsigned long long start;	/* starttime: tells a reused PID */
	unsigned long long prev, cur;	/* utime + stime, clock ticks */
	unsigned long long rss;	/* bytes */
	unsigned long long threads;
	long	 fds;		/* -1: not to be told */
	unsigned long long rd, wr, rd_prev, wr_prev;	/* storage I/O, bytes */
	int	 have_prev, ok, have_rss, have_io, have_io_prev;
	char	 metric[NMETRIC][256];	/* empty: the name did not fit */
};

struct procs {
	struct proc **p;	/* each on its own: pfile points into it */
	size_t	 n, cap;
	double	 hz;
	unsigned long long page;
};

static struct proc *
proc_add(struct procs *ps, pid_t pid, int by_name)
{
	struct proc *p;

	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 8;
		ps->p = xm_reallocarray(ps->p, ps->cap, sizeof *ps->p);
	}
	p = ps->p[ps->n++] = xm_calloc(1, sizeof *p);
	p->pid = pid;
	p->by_name = by_name;
	snprintf(p->path, sizeof p->path, "%d/stat", (int)pid);
	snprintf(p->mpath, sizeof p->mpath, "%d/statm", (int)pid);
	pfile_init(&p->f, ROOT_PROC, p->path);
	pfile_init(&p->m, ROOT_PROC, p->mpath);
	return p;
}

static void *
proc_open(struct sampler *s)
{
	struct procs *ps = xm_calloc(1, sizeof *ps);
	size_t i;

	ps->hz = (double)sysconf(_SC_CLK_TCK);
	ps->page = (unsigned long long)sysconf(_SC_PAGESIZE);
	for (i = 0; i < s->o->npid; i++)
		proc_add(ps, s->o->pids[i], 0);
	return ps;
}

static int
by_pid(const void *a, const void *b)
{
	const struct proc *x = *(struct proc *const *)a, *y = *(struct proc *const *)b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int
tracked(const struct procs *ps, pid_t pid)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->p[i]->pid == pid)
			return 1;
	return 0;
}

static int
wanted_name(const struct sample_opts *o, const char *comm)
{
	size_t i;

	for (i = 0; i < o->nname; i++)
		if (strcmp(o->names[i], comm) == 0)
			return 1;
	return 0;
}

/* Start tracking every process whose command name was asked for by -P. */
static void
proc_scan(struct procs *ps, struct sampler *s)
{
	char path[32], comm[64];
	struct dirent *e;
	DIR *dir;
	ssize_t n;
	size_t before = ps->n;
	long pid;
	char *end;
	int root, fd;

	fd = -1;
	if ((root = src_rootfd(&s->src, ROOT_PROC)) == -1 ||
	    (fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (dir = fdopendir(fd)) == NULL) {
		sampler_warn(s, FAM_PROCESS, "%s: %s; cannot look for processes by name",
		    s->src.dirs[ROOT_PROC][s->src.cur[ROOT_PROC]], strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		pid = strtol(e->d_name, &end, 10);
		if (*end != '\0' || pid <= 0 || pid > 0x7fffffff || tracked(ps, (pid_t)pid))
			continue;
		snprintf(path, sizeof path, "%ld/comm", pid);
		if ((fd = openat(root, path, O_RDONLY | O_CLOEXEC)) == -1)
			continue;
		n = read(fd, comm, sizeof comm - 1);
		close(fd);
		if (n <= 0)
			continue;
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (wanted_name(s->o, comm))
			proc_add(ps, (pid_t)pid, 1);
	}
	closedir(dir);
	if (ps->n != before)
		qsort(ps->p, ps->n, sizeof *ps->p, by_pid);
}

/*
 * Resident pages, the second number of statm: what ps -o rss, top's RES
 * and psutil's rss are, in bytes.  stat's rss field is the same count on
 * today's kernels but has been the approximate one on older ones.  0,
 * or -1 when there is no such number or the bytes would not fit.
 */
static int
read_rss(struct sampler *s, struct procs *ps, struct proc *p)
{
	const char *q, *end;
	unsigned long long pages;

	if (pfile_read(&s->src, &p->m) == -1)
		return -1;
	end = p->m.buf + p->m.len;
	if ((q = sample_parse_u64(p->m.buf, end, &pages)) == NULL ||
	    sample_parse_u64(q, end, &pages) == NULL || pages > ~0ULL / ps->page)
		return -1;
	p->rss = pages * ps->page;
	return 0;
}

static void
proc_name(struct proc *p, const char *comm)
{
	int m;

	snprintf(p->comm, sizeof p->comm, "%s", comm);
	for (m = 0; m < NMETRIC; m++)
		pid_series(p->metric[m], sizeof p->metric[m], names[m], comm, p->pid);
}

/* Metric m of a process read this set, where it has one. */
static void
put(struct sampler *s, const struct procs *ps, const struct proc *p, int m)
{
	int io = s->rates && p->have_io && p->have_io_prev && p->rd >= p->rd_prev &&
	    p->wr >= p->wr_prev;

	switch (m) {
	case M_CPU:
		if (s->rates && p->have_prev && p->cur >= p->prev)
			sampler_put(s, p->metric[m],
			    100.0 * (double)(p->cur - p->prev) / ps->hz / s->live_dt);
		break;
	case M_RSS:
		if (p->have_rss)
			sampler_put_u64(s, p->metric[m], p->rss);
		break;
	case M_THREADS:
		sampler_put_u64(s, p->metric[m], p->threads);
		break;
	case M_FDS:
		if (p->fds >= 0)
			sampler_put_u64(s, p->metric[m], (unsigned long long)p->fds);
		break;
	case M_READ:
		if (io)
			sampler_put(s, p->metric[m], (double)(p->rd - p->rd_prev) / s->live_dt);
		break;
	default:
		if (io)
			sampler_put(s, p->metric[m], (double)(p->wr - p->wr_prev) / s->live_dt);
	}
}

/* process_count{name=}: how many processes of each name -P watches run now, 0 for none. */
static void
put_counts(struct sampler *s, const struct procs *ps)
{
	char series[256];
	const char *lab[] = { "name", NULL, NULL };
	unsigned long long n;
	size_t i, k;

	for (k = 0; k < s->o->nname; k++) {
		lab[1] = s->o->names[k];
		for (n = i = 0; i < ps->n; i++)
			n += ps->p[i]->ok && strcmp(ps->p[i]->comm, s->o->names[k]) == 0;
		if (metric_build(series, sizeof series, "process_count", lab) != 0)
			sampler_put_u64(s, series, n);
	}
}

static void
proc_sample(void *st, struct sampler *s)
{
	struct procs *ps = st;
	struct proc *p;
	struct pid_stat ls;
	char q[XM_QUOTE_MAX];
	size_t i, o;
	int m;

	if (s->o->nname != 0)
		proc_scan(ps, s);
	for (i = 0; i < ps->n; i++) {
		p = ps->p[i];
		p->ok = 0;
		if (pfile_read(&s->src, &p->f) == -1 ||
		    pid_stat_parse(p->f.buf, p->f.len, &ls) == -1 || pid_exited(ls.state) ||
		    (p->comm[0] != '\0' && ls.start != p->start)) {
			/* Gone, or its PID already someone else's: a notice, no error. */
			if (p->comm[0] != '\0')
				warnx("process %d (%s) exited", (int)p->pid,
				    xm_quote(q, p->comm, strlen(p->comm)));
			else if (!p->by_name)
				warnx("process %d: no such process", (int)p->pid);
			p->pid = 0;
			continue;
		}
		if (p->by_name && !wanted_name(s->o, ls.comm)) {
			p->pid = 0;	/* it exec'd something else */
			continue;
		}
		if (strcmp(ls.comm, p->comm) != 0)
			proc_name(p, ls.comm);
		p->start = ls.start;
		p->cur = ls.ticks;
		/* statm gone now the stat was read: exiting; the next set says so */
		p->have_rss = read_rss(s, ps, p) == 0;
		p->threads = ls.threads;
		p->fds = pid_fds_count(src_rootfd(&s->src, ROOT_PROC), p->pid);
		p->have_io = pid_io_read(src_rootfd(&s->src, ROOT_PROC), p->pid, &p->rd,
		    &p->wr) == 0;
		p->ok = 1;
	}
	if (s->report) {
		for (m = 0; m < NMETRIC; m++) {
			for (i = 0; i < ps->n; i++) {
				p = ps->p[i];
				if (!p->ok || p->metric[m][0] == '\0')
					continue;
				put(s, ps, p, m);
			}
		}
		put_counts(s, ps);
	}
	for (i = o = 0; i < ps->n; i++) {
		p = ps->p[i];
		if (p->pid == 0) {
			pfile_free(&p->f);
			pfile_free(&p->m);
			free(p);
			continue;
		}
		p->prev = p->cur;
		p->have_prev = p->ok;
		p->rd_prev = p->rd;
		p->wr_prev = p->wr;
		p->have_io_prev = p->ok && p->have_io;
		ps->p[o++] = p;
	}
	ps->n = o;
}

static void
proc_close(void *st)
{
	struct procs *ps = st;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		pfile_free(&ps->p[i]->f);
		pfile_free(&ps->p[i]->m);
		free(ps->p[i]);
	}
	free(ps->p);
	free(ps);
}

const struct module proc_module = {
	FAM_BIT(FAM_PROCESS), proc_open, proc_sample, proc_close
};
