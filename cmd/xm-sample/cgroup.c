/*
 * cgroup.c: memory and CPU use against the limits of the cgroup xm-sample
 * runs in (a container, a systemd slice), cgroup v2 or v1.  The limit in
 * force is the smallest along the path up to the root; with none there
 * is nothing to report.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pressure.h"
#include "sample.h"
#include "xm.h"

/* v1 writes "no limit" as the largest page-aligned long; anything this big is none. */
#define NO_LIMIT (1ULL << 62)

/*
 * Where there is no limit, look again only this often (seconds): most
 * machines have none, and reading the files up the tree every interval
 * would cost more than all the rest of the cgroup family.
 */
#define RECHECK 60

struct cfile {
	char	*path;
	struct pfile f;
};

struct ctl {
	int	 v2;
	struct cfile *limit;	/* per level, own cgroup first */
	struct cfile *period;	/* v1 cpu only */
	size_t	 nlevel;
	struct cfile usage;
	struct cfile stat;	/* memory only */
};

struct cgroup {
	struct ctl mem, cpu;
	int	 has_mem, has_cpu;
	unsigned long long mem_limit;	/* 0: none */
	double	 cpus;			/* the CPU quota in CPUs; 0: none */
	double	 mem_wait, cpu_wait;	/* seconds to the next look for one */
	unsigned long long prev_ns;
	int	 have_prev;
	struct psi psi;		/* cgroup v2's own pressure */
	char	*psi_path[3];
	int	 has_psi;
};

static void
cfile_init(struct cfile *c, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;

	c->path = xm_malloc(n);
	snprintf(c->path, n, "%s/%s", dir, name);
	pfile_init(&c->f, ROOT_SYS, c->path);
}

static void
cfile_free(struct cfile *c)
{
	if (c->path == NULL)
		return;
	pfile_free(&c->f);
	free(c->path);
	c->path = NULL;
}

static int
exists(struct sampler *s, const char *path)
{
	int root = src_rootfd(&s->src, ROOT_SYS);

	return root != -1 && faccessat(root, path, F_OK, 0) == 0;
}

/* A v2 cgroup other than the root, which alone has no cgroup.type. */
static int
is_child(struct sampler *s, const char *dir)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/cgroup.type", dir);
	return exists(s, path);
}

/* The cgroup path of a controller in /proc/self/cgroup, or NULL. */
static char *
find_path(char *text, const char *controller, int *v2)
{
	char *line, *next, *ctls, *path, *c, *save;
	char *found = NULL;

	for (line = text; line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((ctls = strchr(line, ':')) == NULL ||
		    (path = strchr(ctls + 1, ':')) == NULL)
			continue;
		*path++ = '\0';
		ctls++;
		if (*ctls == '\0' && strcmp(line, "0:") == 0 && found == NULL) {
			found = path;	/* v2, unless a v1 line names the controller */
			*v2 = 1;
			continue;
		}
		for (c = strtok_r(ctls, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
			if (strcmp(c, controller) == 0) {
				*v2 = 0;
				return path;
			}
		}
	}
	return found;
}

/*
 * Our cgroup's directory for a controller, under the first base that
 * has it (NULL if none); in a container the cgroup's own directory is
 * often the mount itself.
 */
static char *
locate(struct sampler *s, const char *self, const char *controller,
    const char *const *v1_bases, int *v2, const char **base)
{
	char *text = xm_strdup(self), *path, dir[4096];
	size_t i;

	*base = NULL;
	*v2 = 0;
	if ((path = find_path(text, controller, v2)) != NULL) {
		if (*v2)
			*base = exists(s, "fs/cgroup/cgroup.controllers") ?
			    "fs/cgroup" : "fs/cgroup/unified";
		else
			for (i = 0; v1_bases[i] != NULL && *base == NULL; i++)
				if (exists(s, v1_bases[i]))
					*base = v1_bases[i];
	}
	if (*base == NULL) {
		free(text);
		return NULL;
	}
	snprintf(dir, sizeof dir, "%s%s", *base, strcmp(path, "/") == 0 ? "" : path);
	if (!exists(s, dir))
		snprintf(dir, sizeof dir, "%s", *base);
	free(text);
	return xm_strdup(dir);
}

/* The limit files (and v1 period files) of dir and each ancestor up to base. */
static void
ctl_levels(struct ctl *c, const char *own, const char *base, const char *limit,
    const char *period)
{
	char *dir = xm_strdup(own), *slash;
	size_t n = 0;

	for (;;) {
		c->limit = xm_reallocarray(c->limit, n + 1, sizeof *c->limit);
		cfile_init(&c->limit[n], dir, limit);
		if (period != NULL) {
			c->period = xm_reallocarray(c->period, n + 1, sizeof *c->period);
			cfile_init(&c->period[n], dir, period);
		}
		n++;
		if (strcmp(dir, base) == 0 || (slash = strrchr(dir, '/')) == NULL)
			break;
		*slash = '\0';
	}
	c->nlevel = n;
	free(dir);
}

static void
ctl_free(struct ctl *c)
{
	size_t i;

	for (i = 0; i < c->nlevel; i++) {
		cfile_free(&c->limit[i]);
		if (c->period != NULL)
			cfile_free(&c->period[i]);
	}
	free(c->limit);
	free(c->period);
	cfile_free(&c->usage);
	cfile_free(&c->stat);
}

static void *
cgroup_open(struct sampler *s)
{
	static const char *const psi_files[3] = {
		"cpu.pressure", "memory.pressure", "io.pressure"
	};
	static const char *const psi_names[PSI_N] = {
		"cgroup_pressure_cpu_some_percent", "cgroup_pressure_cpu_full_percent",
		"cgroup_pressure_memory_some_percent", "cgroup_pressure_memory_full_percent",
		"cgroup_pressure_io_some_percent", "cgroup_pressure_io_full_percent"
	};
	static const char *const no_bases[] = { NULL };
	static const char *const mem_bases[] = { "fs/cgroup/memory", NULL };
	static const char *const cpu_bases[] = {
		"fs/cgroup/cpu,cpuacct", "fs/cgroup/cpu", "fs/cgroup/cpuacct,cpu", NULL
	};
	static const char *const acct_bases[] = {
		"fs/cgroup/cpu,cpuacct", "fs/cgroup/cpuacct", "fs/cgroup/cpuacct,cpu", NULL
	};
	struct cgroup *cg;
	struct pfile self;
	const char *base, *acct_base;
	char *dir, *acct;
	size_t n;
	int i, v2, acct_v2;

	pfile_init(&self, ROOT_PROC, "self/cgroup");
	if (pfile_read(&s->src, &self) == -1) {
		pfile_free(&self);
		return NULL;	/* no cgroups here: nothing to report, nothing wrong */
	}
	cg = xm_calloc(1, sizeof *cg);
	if ((dir = locate(s, self.buf, "memory", mem_bases, &v2, &base)) != NULL) {
		cg->mem.v2 = v2;
		ctl_levels(&cg->mem, dir, base, v2 ? "memory.max" : "memory.limit_in_bytes", NULL);
		cfile_init(&cg->mem.usage, dir, v2 ? "memory.current" : "memory.usage_in_bytes");
		cfile_init(&cg->mem.stat, dir, "memory.stat");
		cg->has_mem = 1;
		free(dir);
	}
	if ((dir = locate(s, self.buf, "cpu", cpu_bases, &v2, &base)) != NULL) {
		cg->cpu.v2 = v2;
		if (v2) {
			ctl_levels(&cg->cpu, dir, base, "cpu.max", NULL);
			cfile_init(&cg->cpu.usage, dir, "cpu.stat");
			cg->cpu.usage.f.counters = 1;
			cg->has_cpu = 1;
		} else if ((acct = locate(s, self.buf, "cpuacct", acct_bases,
		    &acct_v2, &acct_base)) != NULL) {
			/* v1 counts CPU time in cpuacct, which may be mounted apart. */
			ctl_levels(&cg->cpu, dir, base, "cpu.cfs_quota_us", "cpu.cfs_period_us");
			cfile_init(&cg->cpu.usage, acct, "cpuacct.usage");
			cg->cpu.usage.f.counters = 1;
			cg->has_cpu = 1;
			free(acct);
		}
		free(dir);
	}
	/*
	 * No controller names the pressure files: every v2 cgroup has them.
	 * The root's (no cgroup.type) are the system's, the pressure family.
	 */
	if ((dir = locate(s, self.buf, "", no_bases, &v2, &base)) != NULL &&
	    is_child(s, dir)) {
		for (i = 0; i < 3; i++) {
			n = strlen(dir) + strlen(psi_files[i]) + 2;
			cg->psi_path[i] = xm_malloc(n);
			snprintf(cg->psi_path[i], n, "%s/%s", dir, psi_files[i]);
		}
		psi_init(&cg->psi, ROOT_SYS, (const char *const *)cg->psi_path,
		    psi_names, FAM_CGROUP);
		/* none before Linux 4.20: the pressure family says so, if asked */
		cg->psi.quiet_enoent = 1;
		cg->has_psi = 1;
	}
	free(dir);
	pfile_free(&self);
	return cg;
}

static int
read_u64(struct sampler *s, struct cfile *c, unsigned long long *v)
{
	const char *p;

	if (pfile_read(&s->src, &c->f) == -1)
		return -1;
	p = sample_parse_u64(c->f.buf, c->f.buf + c->f.len, v);
	return p == NULL ? -1 : 0;
}

/* The value of "key N" in a flat keyed file such as memory.stat. */
static int
read_key(struct sampler *s, struct cfile *c, const char *key, unsigned long long *v)
{
	const char *line, *end;
	size_t n = strlen(key);

	if (pfile_read(&s->src, &c->f) == -1)
		return -1;
	end = c->f.buf + c->f.len;
	for (line = c->f.buf; line < end; line = sample_next_line(line, end))
		if ((size_t)(end - line) > n && memcmp(line, key, n) == 0 && line[n] == ' ')
			return sample_parse_u64(line + n, end, v) ? 0 : -1;
	return -1;
}

/* The smallest memory limit on the way up, or 0 for none. */
static unsigned long long
memory_limit(struct sampler *s, struct ctl *c)
{
	unsigned long long v, min = 0;
	size_t i;

	for (i = 0; i < c->nlevel; i++)
		if (read_u64(s, &c->limit[i], &v) == 0 && v < NO_LIMIT && (min == 0 || v < min))
			min = v;
	return min;
}

/* The smallest CPU quota on the way up, in CPUs, or 0 for none. */
static double
cpu_limit(struct sampler *s, struct ctl *c)
{
	unsigned long long quota, period;
	double cpus, min = 0;
	const char *p, *end;
	size_t i;

	for (i = 0; i < c->nlevel; i++) {
		if (c->v2) {
			/* cpu.max: "QUOTA PERIOD", or "max PERIOD" for none */
			if (pfile_read(&s->src, &c->limit[i].f) == -1)
				continue;
			end = c->limit[i].f.buf + c->limit[i].f.len;
			if ((p = sample_parse_u64(c->limit[i].f.buf, end, &quota)) == NULL ||
			    sample_parse_u64(p, end, &period) == NULL)
				continue;
		} else {
			/* cpu.cfs_quota_us is -1 for none, which parse_u64 refuses */
			if (read_u64(s, &c->limit[i], &quota) == -1 ||
			    read_u64(s, &c->period[i], &period) == -1)
				continue;
		}
		if (quota == 0 || period == 0)
			continue;
		cpus = (double)quota / (double)period;
		if (min == 0 || cpus < min)
			min = cpus;
	}
	return min;
}

static void
cpu_sample(struct cgroup *cg, struct sampler *s)
{
	unsigned long long ns;

	if (cg->cpus > 0 || (cg->cpu_wait -= s->dt) <= 0) {
		cg->cpus = cpu_limit(s, &cg->cpu);
		cg->cpu_wait = RECHECK;
	}
	if (cg->cpus == 0 ||
	    (cg->cpu.v2 ? read_key(s, &cg->cpu.usage, "usage_usec", &ns) :
	    read_u64(s, &cg->cpu.usage, &ns)) == -1) {
		cg->have_prev = 0;
		return;
	}
	if (cg->cpu.v2)
		ns *= 1000;
	if (s->report && s->rates && cg->have_prev && ns >= cg->prev_ns && s->dt > 0)
		sampler_put(s, "cgroup_cpu_usage_percent",
		    100.0 * (double)(ns - cg->prev_ns) / 1e9 / s->dt / cg->cpus);
	cg->prev_ns = ns;
	cg->have_prev = 1;
}

static void
cgroup_sample(void *st, struct sampler *s)
{
	struct cgroup *cg = st;
	unsigned long long usage, inactive, used;

	if (cg->has_mem && s->report) {
		if (cg->mem_limit != 0 || (cg->mem_wait -= s->dt) <= 0) {
			cg->mem_limit = memory_limit(s, &cg->mem);
			cg->mem_wait = RECHECK;
		}
		if (cg->mem_limit != 0 && read_u64(s, &cg->mem.usage, &usage) == 0) {
			/* The working set, as docker stats and kubectl top count it. */
			if (read_key(s, &cg->mem.stat, cg->mem.v2 ? "inactive_file" :
			    "total_inactive_file", &inactive) == -1)
				inactive = 0;
			used = inactive < usage ? usage - inactive : 0;
			sampler_put_u64(s, "cgroup_memory_used_bytes", used);
			sampler_put_u64(s, "cgroup_memory_limit_bytes", cg->mem_limit);
			sampler_put(s, "cgroup_memory_usage_percent",
			    100.0 * (double)used / (double)cg->mem_limit);
		}
	}
	if (cg->has_cpu)
		cpu_sample(cg, s);
	if (cg->has_psi)
		psi_sample(&cg->psi, s);
}

static void
cgroup_close(void *st)
{
	struct cgroup *cg = st;
	int i;

	ctl_free(&cg->mem);
	ctl_free(&cg->cpu);
	if (cg->has_psi)
		psi_free(&cg->psi);
	for (i = 0; i < 3; i++)
		free(cg->psi_path[i]);
	free(cg);
}

const struct module cgroup_module = {
	FAM_BIT(FAM_CGROUP), cgroup_open, cgroup_sample, cgroup_close
};
