/*
 * latency: how long a record takes through a pipeline: write COUNT
 * records at RATE a second into `sh -c COMMAND`, each with its number
 * as its value, and time each from its write to the output line that
 * carries the same value in its fourth field.  Prints the median and
 * the 99th percentile in microseconds.  One record first, not timed,
 * lets the programs start:
 *
 *	latency RATE COUNT COMMAND
 *	median 84 p99 161 lost 0
 */
#include <sys/wait.h>

#include <err.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char *argv[])
{
	static char buf[1 << 16];
	double rate, start, next, *sent, *lat;
	long count, i = 0, got = 0, n = 0, seq;
	size_t have = 0;
	int in[2], out[2], status;
	char line[128], *p, *nl, *f;
	struct pollfd pfd;
	ssize_t r;
	pid_t pid;

	if (argc != 4 || (rate = atof(argv[1])) <= 0 || (count = atol(argv[2])) < 1)
		errx(2, "usage: latency rate count command");
	sent = calloc((size_t)count, sizeof *sent);
	lat = calloc((size_t)count, sizeof *lat);
	if (sent == NULL || lat == NULL || pipe(in) == -1 || pipe(out) == -1)
		err(1, "setup");
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		execl("/bin/sh", "sh", "-c", argv[3], (char *)NULL);
		err(127, "sh");
	}
	close(in[0]);
	close(out[1]);
	pfd.fd = out[0];
	pfd.events = POLLIN;
	n = snprintf(line, sizeof line, "1764300000\th\tprobe_seconds\t-1\n");
	if (write(in[1], line, (size_t)n) != n)
		err(1, "write");
	do {
		if ((r = read(out[0], buf + have, sizeof buf - have)) <= 0)
			errx(1, "nothing came out");
		have += (size_t)r;
		buf[have] = '\0';
	} while (strstr(buf, "\t-1") == NULL && have < sizeof buf - 1);
	have = 0;
	start = next = now();
	while (got < count) {
		double t = now(), wait = i < count ? next - t : 5;
		struct timespec ts;

		if (i < count && wait <= 0) {
			n = snprintf(line, sizeof line, "%.3f\th\tprobe_seconds\t%ld\n",
			    1764300001 + (t - start), i);
			sent[i] = now();
			if (write(in[1], line, (size_t)n) != n)
				err(1, "write");
			if (++i == count)
				close(in[1]);
			next = start + (double)i / rate;
			continue;
		}
		ts.tv_sec = (time_t)wait;
		ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
		if (ppoll(&pfd, 1, &ts, NULL) <= 0) {
			if (i == count)
				break;	/* five seconds with nothing: the rest is lost */
			continue;
		}
		if ((r = read(out[0], buf + have, sizeof buf - have)) <= 0)
			break;
		t = now();
		have += (size_t)r;
		for (p = buf; (nl = memchr(p, '\n', have - (size_t)(p - buf))) != NULL; p = nl + 1) {
			*nl = '\0';
			if (*p == '#')
				continue;
			f = p;
			for (int k = 0; k < 3 && f != NULL; k++)
				if ((f = strchr(f, '\t')) != NULL)
					f++;
			if (f == NULL || (seq = atol(f)) < 0 || seq >= count || lat[seq] != 0)
				continue;
			lat[seq] = t - sent[seq];
			got++;
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
	}
	close(out[0]);
	waitpid(pid, &status, 0);
	for (i = 0, n = 0; i < count; i++)
		if (lat[i] > 0)
			lat[n++] = lat[i];
	if (n == 0)
		errx(1, "no record came out");
	qsort(lat, (size_t)n, sizeof *lat, by_value);
	printf("median %.0f p99 %.0f lost %ld\n", lat[n / 2] * 1e6, lat[(size_t)(n * 0.99)] * 1e6,
	    count - n);
	return 0;
}
