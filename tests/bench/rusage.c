/*
 * rusage: run a command RUNS times, its output thrown away, its input
 * read again from the start each time (a file), and print a line a run:
 * CPU seconds (user + system), wall seconds, peak resident set in kB.
 *
 *	rusage RUNS command [arg ...]
 *	cpu 0.000812 wall 0.001403 maxrss 1636
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct rusage ru;
	double t0, wall;
	int runs, i, status, null;
	pid_t pid;

	if (argc < 3 || (runs = atoi(argv[1])) < 1)
		errx(2, "usage: rusage runs command [arg ...]");
	if ((null = open("/dev/null", O_WRONLY)) == -1)
		err(1, "/dev/null");
	for (i = 0; i < runs; i++) {
		lseek(0, 0, SEEK_SET);
		t0 = now();
		if ((pid = fork()) == -1)
			err(1, "fork");
		if (pid == 0) {
			dup2(null, 1);
			execvp(argv[2], argv + 2);
			err(127, "%s", argv[2]);
		}
		if (wait4(pid, &status, 0, &ru) == -1)
			err(1, "wait4");
		wall = now() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			errx(1, "%s failed (status %d)", argv[2], status);
		printf("cpu %.6f wall %.6f maxrss %ld\n",
		    (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
		    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, wall, ru.ru_maxrss);
		fflush(stdout);
	}
	return 0;
}
