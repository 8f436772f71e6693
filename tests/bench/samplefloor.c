/*
 * samplefloor: the least a sampler can do, as a yardstick for xm-sample
 * with its default families: every interval, read again the files they
 * read, on descriptors kept open, with pread from offset 0 as xm-sample
 * does (a file of many records until a read of nothing, the others in
 * one read); poll the mount table for a change; statvfs each mountpoint
 * given (by default the root), but before the first set, which xm-sample
 * reads only to have counters to take rates from.  It parses nothing and prints nothing.
 * The files: /proc's stat, meminfo, loadavg (cpu, memory, swap, load,
 * procs), diskstats (io), net/dev (net), pressure/cpu, memory and io
 * (pressure), vmstat (vm), sys/fs/file-nr (fd), net/snmp, netstat,
 * sockstat and snmp6 (tcp), and the temperatures of /sys/class/hwmon
 * and thermal (sensors).
 * A file this kernel lacks is left out.  Left out too, as xm-sample reads
 * them only every minute or so: the cgroup limits and the search for
 * sensors.
 *
 *	samplefloor INTERVAL COUNT [MOUNTPOINT ...]	(INTERVAL 0: no sleeping)
 */
#include <sys/statvfs.h>

#include <err.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAXFILE	256

static const struct { const char *path; int multi; } proc_files[] = {
	{ "/proc/stat", 0 }, { "/proc/meminfo", 0 }, { "/proc/diskstats", 1 },
	{ "/proc/net/dev", 1 }, { "/proc/loadavg", 0 }, { "/proc/pressure/cpu", 0 },
	{ "/proc/pressure/memory", 0 }, { "/proc/pressure/io", 0 },
	{ "/proc/vmstat", 1 }, { "/proc/sys/fs/file-nr", 0 }, { "/proc/net/snmp", 0 },
	{ "/proc/net/netstat", 0 }, { "/proc/net/sockstat", 0 }, { "/proc/net/snmp6", 0 },
};

static int fds[MAXFILE], multi[MAXFILE];
static size_t nfile;

static void
keep(const char *path, int many)
{
	int fd;

	if (nfile == MAXFILE || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	fds[nfile] = fd;
	multi[nfile++] = many;
}

/* A hwmon chip of a thermal zone is the zone again: xm-sample reads the zone. */
static int
of_zone(const char *input)
{
	char chip[256], to[512];
	const char *slash = strrchr(input, '/');
	ssize_t n;

	if (slash == NULL || (size_t)(slash - input) >= sizeof chip)
		return 0;
	memcpy(chip, input, (size_t)(slash - input));
	chip[slash - input] = '\0';
	if ((n = readlink(chip, to, sizeof to - 1)) <= 0)
		return 0;
	to[n] = '\0';
	return strstr(to, "devices/virtual/thermal/") != NULL;
}

static void
keep_sensors(void)
{
	glob_t g;
	size_t i;

	if (glob("/sys/class/hwmon/hwmon*/temp*_input", 0, NULL, &g) == 0)
		for (i = 0; i < g.gl_pathc; i++)
			if (!of_zone(g.gl_pathv[i]))
				keep(g.gl_pathv[i], 0);
	globfree(&g);
	if (glob("/sys/class/thermal/thermal_zone*/temp", 0, NULL, &g) == 0)
		for (i = 0; i < g.gl_pathc; i++)
			keep(g.gl_pathv[i], 0);
	globfree(&g);
}

static void
read_all(int fd, int many)
{
	static char buf[65536];
	ssize_t n;
	off_t off = 0;

	while ((n = pread(fd, buf, sizeof buf, off)) > 0 && many)
		off += n;
}

int
main(int argc, char *argv[])
{
	static char *root[] = { "/" };
	struct statvfs sv;
	struct timespec next;
	struct pollfd mounts;
	char **mnt = root;
	double interval;
	long count, k;
	size_t i, nmnt = 1;

	if (argc < 3)
		errx(2, "usage: samplefloor interval count [mountpoint ...]");
	interval = atof(argv[1]);
	count = atol(argv[2]);
	if (argc > 3) {
		mnt = argv + 3;
		nmnt = (size_t)argc - 3;
	}
	for (i = 0; i < sizeof proc_files / sizeof proc_files[0]; i++)
		keep(proc_files[i].path, proc_files[i].multi);
	keep_sensors();
	if ((mounts.fd = open("/proc/mounts", O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "/proc/mounts");
	mounts.events = POLLPRI;
	read_all(mounts.fd, 1);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (k = 0; k <= count; k++) {
		for (i = 0; i < nfile; i++)
			read_all(fds[i], multi[i]);
		if (poll(&mounts, 1, 0) > 0)
			read_all(mounts.fd, 1);
		for (i = 0; i < nmnt && k > 0; i++)
			statvfs(mnt[i], &sv);
		if (k == count || interval <= 0)
			continue;
		next.tv_nsec += (long)(interval * 1e9);
		next.tv_sec += next.tv_nsec / 1000000000;
		next.tv_nsec %= 1000000000;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}
