/*
 * killat: run a command and SIGKILL it after a number of microseconds,
 * as a power cut or the OOM killer would, at a moment a shell's sleep
 * is too coarse to choose.  Exit 0 if it was killed, 1 if it ended
 * first (its status aside).
 *
 *	killat MICROSECONDS command [arg ...]
 */
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct timespec ts;
	long us;
	pid_t pid;
	int status;

	if (argc < 3 || (us = strtol(argv[1], NULL, 10)) < 0)
		errx(2, "usage: killat microseconds command [arg ...]");
	if ((pid = fork()) == -1)
		err(2, "fork");
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = us % 1000000 * 1000;
	while (nanosleep(&ts, &ts) == -1)
		;
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) == -1)
		err(2, "waitpid");
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : 1;
}
