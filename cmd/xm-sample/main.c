/* xm-sample: print this machine's performance metrics as xm records, every interval. */
#include <sys/utsname.h>
#include <sys/vfs.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "option.h"
#include "sample.h"
#include "state.h"
#include "xm.h"

enum {
	OPT_FSTYPE_EXCLUDE = CHAR_MAX + 1, OPT_FSTYPE_INCLUDE, OPT_HOST,
	OPT_MOUNT_EXCLUDE, OPT_MOUNT_INCLUDE, OPT_PER_CPU, OPT_PROCFS, OPT_ROOTFS,
	OPT_SEED, OPT_START, OPT_STATE, OPT_SYNTHETIC, OPT_SYSFS, OPT_TOP, OPT_WAIT
};

static const struct option longopts[] = {
	{ "no-header",	no_argument,		NULL, 'H' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "interval",	required_argument,	NULL, 'i' },
	{ "families",	required_argument,	NULL, 'm' },
	{ "count",	required_argument,	NULL, 'n' },
	{ "name",	required_argument,	NULL, 'P' },
	{ "pid",	required_argument,	NULL, 'p' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "fstype-exclude", required_argument,	NULL, OPT_FSTYPE_EXCLUDE },
	{ "fstype-include", required_argument,	NULL, OPT_FSTYPE_INCLUDE },
	{ "host",	required_argument,	NULL, OPT_HOST },
	{ "mount-exclude", required_argument,	NULL, OPT_MOUNT_EXCLUDE },
	{ "mount-include", required_argument,	NULL, OPT_MOUNT_INCLUDE },
	{ "per-cpu",	no_argument,		NULL, OPT_PER_CPU },
	{ "procfs",	required_argument,	NULL, OPT_PROCFS },
	{ "rootfs",	required_argument,	NULL, OPT_ROOTFS },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "state",	required_argument,	NULL, OPT_STATE },
	{ "synthetic",	no_argument,		NULL, OPT_SYNTHETIC },
	{ "sysfs",	required_argument,	NULL, OPT_SYSFS },
	{ "top",	required_argument,	NULL, OPT_TOP },
	{ "wait",	required_argument,	NULL, OPT_WAIT },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: xm-sample [-H] [-i seconds] [-m families] [-n count] [-P name]...\n"
    "                 [-p pid]... [--top n] [--host name] [--per-cpu]\n"
    "                 [--procfs dir]... [--sysfs dir]... [--rootfs dir]\n"
    "                 [--mount-include glob]... [--mount-exclude glob]...\n"
    "                 [--fstype-include glob]... [--fstype-exclude glob]...\n"
    "                 [--synthetic [--seed n]] [--start ts]\n"
    "                 [--state file [--wait seconds]]\n";

/* --help: the synopsis, then a line an option, as sar and GNU tools have it. */
static const char help[] =
    "\n"
    "Print this machine's performance metrics as xm records, every interval.\n"
    "\n"
    "  -H, --no-header            leave out the header line\n"
    "  -i, --interval seconds     a set every interval, 1ms to 1000000s (default 1)\n"
    "  -m, --families list        only these families, comma-separated (see METRICS)\n"
    "  -n, --count count          stop after count sets (default: go on)\n"
    "  -P, --name name            watch the processes of this command name\n"
    "  -p, --pid pid              watch this process\n"
    "      --top n                the n processes using the most CPU, memory and I/O\n"
    "      --host name            the host field (default: uname -n)\n"
    "      --per-cpu              the cpu family for each CPU too, cpu=\"N\"\n"
    "      --procfs dir           read dir as /proc; given again, a copy a set\n"
    "      --sysfs dir            read dir as /sys; given again, a copy a set\n"
    "      --rootfs dir           measure the filesystems mounted under dir\n"
    "      --mount-include glob   report filesystems mounted where glob matches\n"
    "      --mount-exclude glob   leave out filesystems mounted where glob matches\n"
    "      --fstype-include glob  report filesystems of the types glob matches\n"
    "      --fstype-exclude glob  leave out filesystems of the types glob matches\n"
    "      --synthetic            lifelike made-up data instead of this machine's\n"
    "      --seed n               the made-up data's seed (default: from the clock)\n"
    "      --start ts             stamp set k ts + k * interval and never sleep\n"
    "      --state file           carry the counters from run to run in file: the\n"
    "                             first rates span the time since the last run\n"
    "      --wait seconds         wait at most so long for another run's lock on\n"
    "                             the state file (default 60)\n"
    "  -h, --help                 print this help and exit\n"
    "  -V, --version              print the version and exit\n"
    "\n"
    "The metrics, the filesystems left out, and examples: man xm-sample.\n";

/* "not a family (cpu, memory, ...)": every name, so the list never lags. */
static void
bad_family(const char *name)
{
	char why[256];
	size_t len;
	int f;

	len = (size_t)snprintf(why, sizeof why, "not a family (");
	for (f = 0; f < FAM_N && len < sizeof why; f++)
		len += (size_t)snprintf(why + len, sizeof why - len, "%s%s",
		    f == 0 ? "" : ", ", sample_family_names[f]);
	if (len < sizeof why)
		snprintf(why + len, sizeof why - len, ")");
	option_bad("-m", name, why);
}

static unsigned
parse_families(const char *arg)
{
	char *list = xm_strdup(arg), *name, *save;
	unsigned mask = 0;
	int f;

	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (f = 0; f < FAM_N; f++)
			if (strcmp(name, sample_family_names[f]) == 0)
				break;
		if (f == FAM_N)
			bad_family(name);
		mask |= FAM_BIT(f);
	}
	free(list);
	if (mask == 0)
		option_bad("-m", arg, "names no family");
	return mask;
}

static void
append(const char ***list, size_t *n, const char *s)
{
	*list = xm_reallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = s;
}

static void
append_glob(struct globs *g, const char *opt, const char *s)
{
	if (*s == '\0')
		option_bad(opt, s, "not a glob");
	append(&g->v, &g->n, s);
}

/*
 * A directory to read from: there, and a directory, or one line and
 * exit 2 at once, not a warning a set later.  1 when it is a mounted
 * proc filesystem (live), 0 for a plain directory (a copy).
 */
static int
check_dir(const char *opt, const char *dir)
{
	struct statfs sf;
	int fd, live;

	if ((fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		option_warn(opt, dir, strerror(errno));
		exit(XM_EXIT_USAGE);
	}
	live = fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
	close(fd);
	return live;
}

int
main(int argc, char *argv[])
{
	struct sample_opts o = { .interval = 1, .header = 1, .wait = STATE_WAIT };
	struct utsname un;
	unsigned long long n;
	char *rootfs = NULL;
	size_t i;
	int ch, status, seeded = 0, live = 0;

	xm_init(argv);
	option_init(synopsis);
	while ((ch = getopt_long(argc, argv, "Hhi:m:n:P:p:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			o.header = 0;
			break;
		case 'h':
			option_help(help);
			break;
		case 'i':
			o.interval = option_seconds("-i", optarg, 0.001, 1e6,
			    "not an interval from 1ms to 1000000s");
			break;
		case 'm':
			o.families = parse_families(optarg);
			break;
		case 'n':
			o.count = option_count("-n", optarg, ULLONG_MAX);
			break;
		case 'P':
			if (*optarg == '\0' || strlen(optarg) > 15)
				option_bad("-P", optarg, "not a command name (1 to 15 bytes)");
			append(&o.names, &o.nname, optarg);
			break;
		case 'p':
			if (num_parse_count(optarg, INT_MAX, &n) != 0 || n == 0)
				option_bad("-p", optarg, "not a process ID");
			o.pids = xm_reallocarray(o.pids, o.npid + 1, sizeof *o.pids);
			o.pids[o.npid++] = (pid_t)n;
			break;
		case 'V':
			xm_version();
			break;
		case OPT_FSTYPE_EXCLUDE:
			append_glob(&o.type_excl, "--fstype-exclude", optarg);
			break;
		case OPT_FSTYPE_INCLUDE:
			append_glob(&o.type_incl, "--fstype-include", optarg);
			break;
		case OPT_MOUNT_EXCLUDE:
			append_glob(&o.mount_excl, "--mount-exclude", optarg);
			break;
		case OPT_MOUNT_INCLUDE:
			append_glob(&o.mount_incl, "--mount-include", optarg);
			break;
		case OPT_HOST:
			if (*optarg == '\0' || strpbrk(optarg, "\t\r\n") != NULL)
				option_bad("--host", optarg, "not a host name");
			o.host = optarg;
			break;
		case OPT_PER_CPU:
			o.per_cpu = 1;
			break;
		case OPT_PROCFS:
			append(&o.procfs, &o.nprocfs, optarg);
			break;
		case OPT_ROOTFS:
			o.rootfs = optarg;
			break;
		case OPT_SEED:
			if (num_parse_count(optarg, ULLONG_MAX, &o.seed) != 0)
				option_bad("--seed", optarg, "not a number");
			seeded = 1;
			break;
		case OPT_START:
			if (num_parse_ts(optarg, &o.start) != 0 || o.start >= 1e11)
				option_bad("--start", optarg, "not a timestamp");
			o.simulated = 1;
			break;
		case OPT_STATE:
			o.state = option_file("--state", optarg);
			break;
		case OPT_SYNTHETIC:
			o.synthetic = 1;
			break;
		case OPT_SYSFS:
			append(&o.sysfs, &o.nsysfs, optarg);
			break;
		case OPT_TOP:
			if (num_parse_count(optarg, 1000, &n) != 0 || n == 0)
				option_bad("--top", optarg, "not a count from 1 to 1000");
			o.top = (size_t)n;
			break;
		case OPT_WAIT:
			o.wait = option_wait(optarg);
			break;
		default:
			option_usage();
		}
	}
	option_end(argc, argv);
	/*
	 * Made-up times over live reads would divide real counts by made-up
	 * spans; one copy of /proc has a span with --state's counters before it.
	 */
	if (o.simulated && !o.synthetic && o.nprocfs < 2 && !(o.state != NULL && o.nprocfs == 1)) {
		warnx("--start is for --synthetic, or --procfs given twice or more, "
		    "or once with --state");
		option_usage();
	}
	if (o.synthetic && o.state != NULL) {
		warnx("--state carries this machine's counters, which --synthetic does not read");
		option_usage();
	}

	if (o.synthetic) {
		if (o.npid || o.nname || o.top ||
		    (o.families & (FAM_BIT(FAM_PROCESS) | FAM_BIT(FAM_CGROUP)))) {
			warnx("--synthetic makes no process or cgroup metrics");
			option_usage();
		}
		if (o.families == 0)
			o.families = ~(FAM_BIT(FAM_PROCESS) | FAM_BIT(FAM_CGROUP));
		if (!seeded)
			o.seed = (unsigned long long)time(NULL) ^ (unsigned long long)getpid() << 32;
	} else {
		if (o.families & FAM_BIT(FAM_APP)) {
			warnx("-m app: application metrics come only with --synthetic");
			option_usage();
		}
		if (seeded) {
			warnx("--seed is for --synthetic");
			option_usage();
		}
		if (o.families == 0)
			o.families = ~(FAM_BIT(FAM_PROCESS) | FAM_BIT(FAM_APP));
		if (o.npid || o.nname || o.top)
			o.families |= FAM_BIT(FAM_PROCESS);
		else if (o.families & FAM_BIT(FAM_PROCESS)) {
			warnx("-m process: name the processes with -p, -P or --top");
			option_usage();
		}
		for (i = 0; i < o.nprocfs; i++)
			live |= check_dir("--procfs", o.procfs[i]);
		/* a mounted proc gives live reads, whatever it is called and however often */
		if (o.simulated && live) {
			warnx("--start is for recorded --procfs copies; a proc filesystem is read live");
			option_usage();
		}
		for (i = 0; i < o.nsysfs; i++)
			check_dir("--sysfs", o.sysfs[i]);
		if (o.rootfs != NULL) {
			check_dir("--rootfs", o.rootfs);
			o.rootfs = rootfs = xm_strdup(o.rootfs);
			/* "/host/" is "/host"; "/" is no root to measure under */
			for (i = strlen(rootfs); i > 0 && rootfs[i - 1] == '/'; i--)
				rootfs[i - 1] = '\0';
			if (*rootfs == '\0')
				o.rootfs = NULL;
		}
		/* One copy of /proc is one reading; a mounted one reads anew each set. */
		o.snapshot = o.nprocfs == 1 && !live;
	}
	if (o.host == NULL) {
		if (uname(&un) == -1)
			err(XM_EXIT_FAIL, "uname");
		o.host = un.nodename;
	}

	xm_buffer_stdout();
	status = sample_run(&o);
	free(o.procfs);
	free(o.sysfs);
	free(o.pids);
	free(o.names);
	free(rootfs);
	free(o.mount_incl.v);
	free(o.mount_excl.v);
	free(o.type_incl.v);
	free(o.type_excl.v);
	return xm_finish(status, XM_EXIT_FAIL);
}
