/*
 * samplefloor: the least a sampler can do, as a yardstick for xm-sample: every
 * interval, open, read and close the /proc files xm-sample reads by
 * default and statvfs the root filesystem, parsing nothing, printing
 * nothing.
 *
 *	samplefloor INTERVAL COUNT	(INTERVAL 0: no sleeping at all)
 */
#include <sys/statvfs.h>

#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static const char *const files[] = {
	"/proc/stat", "/proc/meminfo", "/proc/mounts", "/proc/diskstats",
	"/proc/net/dev", "/proc/loadavg",
};

int
main(int argc, char *argv[])
{
	static char buf[65536];
	struct statvfs sv;
	struct timespec next;
	double interval;
	long count, k;
	size_t i;
	int fd;

	if (argc != 3)
		errx(2, "usage: samplefloor interval count");
	interval = atof(argv[1]);
	count = atol(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (k = 0; k <= count; k++) {
		for (i = 0; i < sizeof files / sizeof files[0]; i++) {
			if ((fd = open(files[i], O_RDONLY)) == -1)
				err(1, "%s", files[i]);
			while (read(fd, buf, sizeof buf) > 0)
				;
			close(fd);
		}
		statvfs("/", &sv);
		if (k == count || interval <= 0)
			continue;
		next.tv_nsec += (long)(interval * 1e9);
		next.tv_sec += next.tv_nsec / 1000000000;
		next.tv_nsec %= 1000000000;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}
