/* sample.h: the parts of xm-sample: options, sources, families, output. */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "num.h"
#include "record.h"
#include "state.h"

enum family {
	FAM_CPU, FAM_MEMORY, FAM_SWAP, FAM_DISK, FAM_IO, FAM_NET, FAM_LOAD,
	FAM_PROCESS, FAM_CGROUP, FAM_APP, FAM_PRESSURE, FAM_VM, FAM_FD, FAM_PROCS, FAM_TCP,
	FAM_SENSORS, FAM_N
};

#define FAM_BIT(f)	(1u << (f))

/* Globs given more than once: --mount-include and its kin. */
struct globs {
	const char **v;
	size_t	 n;
};

struct sample_opts {
	double	 interval;
	unsigned long long count;	/* sets to print; 0: forever */
	unsigned families;		/* FAM_BIT mask; 0: the default */
	int	 per_cpu;
	const char **procfs;		/* one root per interval, the last repeating */
	size_t	 nprocfs;
	const char **sysfs;
	size_t	 nsysfs;
	const char *rootfs;		/* where the mountpoints are measured; NULL: / */
	int	 snapshot;		/* one --procfs, a copy: no rates to take */
	struct globs mount_incl, mount_excl, type_incl, type_excl;
	pid_t	*pids;
	size_t	 npid;
	const char **names;
	size_t	 nname;
	size_t	 top;		/* --top: the N processes by CPU, memory and I/O */
	const char *host;
	int	 header;
	int	 synthetic;
	unsigned long long seed;
	int	 simulated;		/* --start: stamp start + k * interval, never sleep */
	double	 start;
	const char *state;		/* --state: the counters carried between runs */
	double	 wait;			/* for its lock */
};

/*
 * The roots files are read from.  Files keep their descriptor open and
 * are read again with pread from offset 0, which makes the kernel
 * produce fresh text without an open and close per interval; a change
 * of root (the next --procfs snapshot) bumps gen and reopens them.
 */
enum root { ROOT_PROC, ROOT_SYS };

/*
 * The texts of counter files, as one pass read them (tape.c).  A tape
 * cleared for the next pass keeps its files' memory, nalloc of them,
 * for the same files to come again in the same order.
 */
struct tape_file {
	enum root root;
	char	*path;
	char	*text;		/* NUL-terminated */
	size_t	 len, size;
};

struct tape {
	struct tape_file *f;
	size_t	 n, nalloc, cap;
	double	 ts;		/* when they were read: the set's stamp */
	double	 uptime;	/* and by CLOCK_BOOTTIME; NaN: not live reads */
	char	*boot;		/* the boot they were read in, or NULL */
};

void	 tape_init(struct tape *);
void	 tape_clear(struct tape *);
void	 tape_free(struct tape *);
struct tape_file *tape_find(const struct tape *, enum root, const char *);
void	 tape_put(struct tape *, enum root, const char *, const char *, size_t);

/*
 * With --state, each pass's counter files go on rec; the first pass
 * (the baseline) reads them from play, the last run's, instead of the
 * kernel.  missed: a counter file play did not hold was read from the
 * kernel.
 */
struct src {
	const char **dirs[2];
	size_t	 ndirs[2];
	size_t	 cur[2];	/* index into dirs now open as fd */
	int	 fd[2];
	unsigned gen[2];
	struct tape *rec, *play;
	int	 missed;
	char	*scratch;	/* the text of the brief files, one at a time */
	size_t	 scratch_cap;
};

struct pfile {
	enum root root;
	const char *path;	/* relative to the root */
	int	 multi;		/* made of many records: a short read is no end */
	int	 counters;	/* rates are taken of it: carried by --state */
	int	 brief;		/* its text is done with before another file is read */
	int	 fd;
	unsigned gen;
	char	*buf;
	size_t	 len, cap;
};

void	 src_init(struct src *, const struct sample_opts *);
void	 src_step(struct src *, unsigned long long);
void	 src_free(struct src *);
int	 src_rootfd(struct src *, enum root);
void	 pfile_init(struct pfile *, enum root, const char *);
int	 pfile_read(struct src *, struct pfile *);
int	 pfile_changed(struct src *, struct pfile *);
void	 pfile_close(struct pfile *);
void	 pfile_free(struct pfile *);

/* A process's /proc/PID/stat line, the fields xm reads of it (pid.c). */
struct pid_stat {
	char	 comm[64];	/* as the kernel has it: 15 bytes, a kworker's more */
	char	 state;
	unsigned long long ticks;	/* utime + stime, clock ticks */
	unsigned long long threads, start, rss_pages;
};

int	 pid_stat_parse(const char *, size_t, struct pid_stat *);
int	 pid_exited(char);
int	 pid_io_read(int, pid_t, unsigned long long *, unsigned long long *);
long	 pid_fds_count(int, pid_t);
int	 pid_statm_pages(int, pid_t, unsigned long long *);
size_t	 pid_series(char *, size_t, const char *, const char *, pid_t);

/* What a family sees of the sampler while it reads and reports. */
struct sampler {
	const struct sample_opts *o;
	struct src src;
	struct record_writer w;
	char	*head;		/* the set's stamp, TAB, the host: each line's first fields */
	size_t	 headlen;
	size_t	 hostlen;
	double	 dt;		/* seconds since the previous set */
	double	 live_dt;	/* since the kernel's own previous reading, not --state's */
	int	 report;	/* 0 for the baseline read before the first set */
	int	 rates;		/* 0: one --procfs snapshot, which has none */
	unsigned long long pass;	/* reads so far, the baseline the first */
	struct pfile stat;	/* /proc/stat, read once a pass (sampler_stat) */
	unsigned long long stat_pass;
	int	 stat_errno;	/* why that read failed; 0: it did not */
	int	 stat_missed;	/* read from the kernel while playing back (--state) */
	struct pfile loadavg;	/* /proc/loadavg, for load and procs */
	unsigned long long loadavg_pass;
	int	 loadavg_errno;
	int	 loadavg_missed;
	unsigned warned;	/* FAM_BIT of families that warned */
	int	 psi_said;	/* the notice of a kernel without PSI given */
	int	 status;
};

extern const char *const sample_family_names[FAM_N];

/* The set's stamp and host, the metric and v: a line. */
static inline void
sampler_put_n(struct sampler *s, const char *metric, size_t len, double v)
{
	record_put_row_number(&s->w, s->head, s->headlen, 2, metric, len, v);
}

/* A count read from the kernel, with all its digits (xm(7)). */
static inline void
sampler_put_u64_n(struct sampler *s, const char *metric, size_t len, unsigned long long v)
{
	record_put_row_u64(&s->w, s->head, s->headlen, 2, metric, len, v);
}

/* Inline, so that a metric written as a literal has its length counted once, by the compiler. */
static inline void
sampler_put(struct sampler *s, const char *metric, double v)
{
	sampler_put_n(s, metric, strlen(metric), v);
}

static inline void
sampler_put_u64(struct sampler *s, const char *metric, unsigned long long v)
{
	sampler_put_u64_n(s, metric, strlen(metric), v);
}
int	 sampler_stat(struct sampler *);
int	 sampler_loadavg(struct sampler *);
void	 sampler_fail(struct sampler *, enum family, const struct pfile *,
	    const char *);
void	 sampler_warn(struct sampler *, enum family, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

/*
 * A module reads one kind of source and reports the families in its
 * mask.  sample() is called once before the first set with report == 0
 * (counters only remember) and then once a set.
 */
struct module {
	unsigned mask;
	void	*(*open)(struct sampler *);
	void	 (*sample)(void *, struct sampler *);
	void	 (*close)(void *);
};

extern const struct module cpu_module, mem_module, disk_module, io_module,
    net_module, load_module, proc_module, top_module, cgroup_module, synth_module,
    pressure_module, vm_module, fd_module, procs_module, tcp_module, sensors_module;

int	 sample_run(const struct sample_opts *);

/*
 * What --state carries from one run to the next (carry.c): the last
 * run's counter files, to play back as this one's baseline, and this
 * run's, the set being read (rec) and the last one written out (sent),
 * which is what is saved: a set that never reached the reader leaves
 * its counters for the next run to measure from.
 */
struct carry {
	struct state st;
	struct tape play, tape[2];
	struct tape *rec, *sent;
	int	 pending;	/* rec holds a set not yet written out */
	int	 played;	/* the baseline was play's */
	unsigned fresh;		/* a bit a module that took the kernel's baseline */
};

int	 carry_open(struct carry *, const struct sample_opts *, int *);
void	 carry_boot(struct carry *, struct src *);
int	 carry_can_play(struct carry *, const struct sample_opts *, double);
void	 carry_pass(struct carry *, double, double);
void	 carry_sent(struct carry *);
int	 carry_close(struct carry *);

struct state_reader;
extern const struct state_grammar sample_grammar;
int	 tape_save(void *, FILE *);
const char *tape_load(void *, struct state_reader *);

/* Small parsing helpers shared by the modules. */
/* Whether the text at p, before end, begins with the n bytes at s. */
static inline int
sample_begins(const char *p, const char *end, const char *s, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

static inline const char *
sample_skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

const char *sample_parse_u64(const char *, const char *, unsigned long long *);
size_t	 sample_parse_row(const char **, const char *, unsigned long long *, size_t);
const char *sample_next_line(const char *, const char *);
const char *sample_count_at(const char *, const char *, size_t, const char *, size_t,
    unsigned long long *);
double	 sample_rate(unsigned long long, unsigned long long, double);

#endif
