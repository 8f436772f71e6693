/*
 * pid.c: what /proc/PID tells of a process: its stat line, its storage
 * I/O (/proc/PID/io) and its open descriptors (/proc/PID/fd), as ps,
 * top and htop read them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "metric.h"
#include "sample.h"

/*
 * "pid (comm) state ppid ..." -- comm may hold blanks and parentheses,
 * so the fields are counted from the last ')'.  After it, as proc(5)
 * numbers them: utime 14 and stime 15 (clock ticks), num_threads 20,
 * starttime 22 (tells a reused PID), rss 24 (pages).  0, or -1 when the
 * line is none of that.
 */
int
pid_stat_parse(const char *buf, size_t len, struct pid_stat *ps)
{
	const char *open = memchr(buf, '(', len), *close, *q, *end = buf + len;
	unsigned long long v;
	size_t n;
	int field;

	close = memrchr(buf, ')', len);
	if (open == NULL || close == NULL || close < open)
		return -1;
	n = (size_t)(close - open - 1);
	if (n > sizeof ps->comm - 1)
		n = sizeof ps->comm - 1;
	memcpy(ps->comm, open + 1, n);
	ps->comm[n] = '\0';
	q = sample_skip_space(close + 1, end);
	if (q == end || *q == '\n')
		return -1;
	ps->state = *q;
	while (q < end && *q != ' ')
		q++;
	ps->ticks = 0;
	for (field = 4; field <= 24; field++) {
		/* Some fields (tty_nr, priority, nice) may be negative: skip them whole. */
		q = sample_skip_space(q, end);
		if (q < end && *q == '-')
			q++;
		if ((q = sample_parse_u64(q, end, &v)) == NULL)
			return -1;
		if (field == 14 || field == 15)
			ps->ticks += v;
		else if (field == 20)
			ps->threads = v;
		else if (field == 22)
			ps->start = v;
		else if (field == 24)
			ps->rss_pages = v;
	}
	return 0;
}

/* Whether the state letter is of a process that has exited, reaped or not. */
int
pid_exited(char state)
{
	return state == 'Z' || state == 'X' || state == 'x';
}

/*
 * The bytes a process had storage read and write for it (read_bytes and
 * write_bytes of /proc/PID/io), as iotop and htop's IO_READ_RATE take
 * them: 0, or -1 with errno set (EACCES: another user's process, without
 * CAP_SYS_PTRACE).
 */
int
pid_io_read(int root, pid_t pid, unsigned long long *rd, unsigned long long *wr)
{
	char path[32], buf[512];
	const char *p, *end;
	ssize_t n;
	int fd, got = 0;

	snprintf(path, sizeof path, "%d/io", (int)pid);
	if ((fd = openat(root, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return -1;
	end = buf + n;
	for (p = buf; p < end; p = sample_next_line(p, end)) {
		if (sample_begins(p, end, "read_bytes:", 11) &&
		    sample_parse_u64(p + 11, end, rd) != NULL)
			got |= 1;
		else if (sample_begins(p, end, "write_bytes:", 12) &&
		    sample_parse_u64(p + 12, end, wr) != NULL)
			got |= 2;
	}
	if (got != 3) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/*
 * Resident pages, the second number of /proc/PID/statm, as ps -o rss
 * and top's RES take them: 0, or -1 with errno set.
 */
int
pid_statm_pages(int root, pid_t pid, unsigned long long *pages)
{
	char path[32], buf[256];
	const char *q;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%d/statm", (int)pid);
	if ((fd = openat(root, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0)
		return -1;
	if ((q = sample_parse_u64(buf, buf + n, pages)) == NULL ||
	    sample_parse_u64(q, buf + n, pages) == NULL) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* How many descriptors a process has open: -1 with errno set where it cannot be told. */
long
pid_fds_count(int root, pid_t pid)
{
	char path[32];
	struct dirent *e;
	DIR *d;
	long n = 0;
	int fd;

	snprintf(path, sizeof path, "%d/fd", (int)pid);
	if ((fd = openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	errno = 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (errno != 0) {
		/* a count cut short is none */
		fd = errno;
		closedir(d);
		errno = fd;
		return -1;
	}
	closedir(d);
	return n;
}

/* A process's series: metric{comm="...",pid="..."}, 0 (and an empty dst) when it does not fit. */
size_t
pid_series(char *dst, size_t cap, const char *metric, const char *comm, pid_t pid)
{
	char num[16];
	/* by name, as xm(7) orders labels */
	const char *const lab[] = { "comm", comm, "pid", num, NULL };

	snprintf(num, sizeof num, "%d", (int)pid);
	return metric_build(dst, cap, metric, lab);
}
