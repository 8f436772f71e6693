/* xm-sample: print this machine's performance metrics as xm records, every interval. */
#include <sys/utsname.h>

#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sample.h"
#include "xm.h"

enum {
	OPT_HOST = CHAR_MAX + 1, OPT_PER_CPU, OPT_PROCFS, OPT_SEED, OPT_START,
	OPT_SYNTHETIC, OPT_SYSFS
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
	{ "host",	required_argument,	NULL, OPT_HOST },
	{ "per-cpu",	no_argument,		NULL, OPT_PER_CPU },
	{ "procfs",	required_argument,	NULL, OPT_PROCFS },
	{ "seed",	required_argument,	NULL, OPT_SEED },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "synthetic",	no_argument,		NULL, OPT_SYNTHETIC },
	{ "sysfs",	required_argument,	NULL, OPT_SYSFS },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f, int status)
{
	fprintf(f,
	    "usage: xm-sample [-H] [-i seconds] [-m families] [-n count] [-P name]...\n"
	    "                 [-p pid]... [--host name] [--per-cpu] [--procfs dir]...\n"
	    "                 [--sysfs dir]... [--synthetic [--seed n]] [--start ts]\n");
	exit(status);
}

static void
bad(const char *opt, const char *arg, const char *what)
{
	xm_bad_arg(opt, arg, what);
	usage(stderr, XM_EXIT_USAGE);
}

static unsigned
parse_families(const char *arg)
{
	char *list = xm_strdup(arg), *name, *save;
	unsigned mask = 0;
	int f;

	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (f = 0; f < FAM_N; f++)
			if (strcmp(name, family_names[f]) == 0)
				break;
		if (f == FAM_N)
			bad("-m", name, "not a family (cpu, memory, swap, disk, io, "
			    "net, load, process, cgroup, app)");
		mask |= FAM_BIT(f);
	}
	free(list);
	if (mask == 0)
		bad("-m", arg, "names no family");
	return mask;
}

static void
append(const char ***list, size_t *n, const char *s)
{
	*list = xm_reallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = s;
}

int
main(int argc, char *argv[])
{
	struct sample_opts o = { .interval = 1, .header = 1 };
	struct utsname un;
	unsigned long long n;
	int ch, status, seeded = 0;

	xm_init(argv);
	while ((ch = getopt_long(argc, argv, "Hhi:m:n:P:p:V", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			o.header = 0;
			break;
		case 'h':
			usage(stdout, XM_EXIT_OK);
			break;
		case 'i':
			if (num_parse_seconds(optarg, &o.interval) != 0 ||
			    o.interval < 0.001 || o.interval > 1e6)
				bad("-i", optarg, "not an interval from 1ms to 1000000s");
			break;
		case 'm':
			o.families = parse_families(optarg);
			break;
		case 'n':
			if (num_parse_count(optarg, ULLONG_MAX, &o.count) != 0 || o.count == 0)
				bad("-n", optarg, "not a count of at least 1");
			break;
		case 'P':
			if (*optarg == '\0' || strlen(optarg) > 15)
				bad("-P", optarg, "not a command name (1 to 15 bytes)");
			append(&o.names, &o.nname, optarg);
			break;
		case 'p':
			if (num_parse_count(optarg, INT_MAX, &n) != 0 || n == 0)
				bad("-p", optarg, "not a process ID");
			o.pids = xm_reallocarray(o.pids, o.npid + 1, sizeof *o.pids);
			o.pids[o.npid++] = (pid_t)n;
			break;
		case 'V':
			xm_version();
			break;
		case OPT_HOST:
			if (*optarg == '\0' || strpbrk(optarg, "\t\r\n") != NULL)
				bad("--host", optarg, "not a host name");
			o.host = optarg;
			break;
		case OPT_PER_CPU:
			o.per_cpu = 1;
			break;
		case OPT_PROCFS:
			append(&o.procfs, &o.nprocfs, optarg);
			break;
		case OPT_SEED:
			if (num_parse_count(optarg, ULLONG_MAX, &o.seed) != 0)
				bad("--seed", optarg, "not a number");
			seeded = 1;
			break;
		case OPT_START:
			if (num_parse_ts(optarg, &o.start) != 0 || o.start >= 1e11)
				bad("--start", optarg, "not a timestamp");
			o.simulated = 1;
			break;
		case OPT_SYNTHETIC:
			o.synthetic = 1;
			break;
		case OPT_SYSFS:
			append(&o.sysfs, &o.nsysfs, optarg);
			break;
		default:
			usage(stderr, XM_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 0) {
		warnx("%s: unexpected argument", argv[0]);
		usage(stderr, XM_EXIT_USAGE);
	}

	if (o.synthetic) {
		if (o.npid || o.nname || (o.families & (FAM_BIT(FAM_PROCESS) | FAM_BIT(FAM_CGROUP)))) {
			warnx("--synthetic makes no process or cgroup metrics");
			usage(stderr, XM_EXIT_USAGE);
		}
		if (o.families == 0)
			o.families = ~(FAM_BIT(FAM_PROCESS) | FAM_BIT(FAM_CGROUP));
		if (!seeded)
			o.seed = (unsigned long long)time(NULL) ^ (unsigned long long)getpid() << 32;
	} else {
		if (o.families & FAM_BIT(FAM_APP)) {
			warnx("-m app: application metrics come only with --synthetic");
			usage(stderr, XM_EXIT_USAGE);
		}
		if (seeded) {
			warnx("--seed is for --synthetic");
			usage(stderr, XM_EXIT_USAGE);
		}
		if (o.families == 0)
			o.families = ~(FAM_BIT(FAM_PROCESS) | FAM_BIT(FAM_APP));
		if (o.npid || o.nname)
			o.families |= FAM_BIT(FAM_PROCESS);
		else if (o.families & FAM_BIT(FAM_PROCESS)) {
			warnx("-m process: name the processes with -p or -P");
			usage(stderr, XM_EXIT_USAGE);
		}
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
	if (xm_close_stdout() != 0)
		status = XM_EXIT_FAIL;
	return status;
}
