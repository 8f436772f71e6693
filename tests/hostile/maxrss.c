/*
 * maxrss: run a command with the standard descriptors it was given and
 * write the largest resident set it reached, in kB, to a file; exit as
 * it did (128 + the signal if one ended it).
 *
 *	maxrss FILE command [arg ...]
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	struct rusage ru;
	FILE *f;
	pid_t pid;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: maxrss file command [arg ...]\n");
		return 2;
	}
	if ((pid = fork()) == -1)
		err(2, "fork");
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		err(127, "%s", argv[2]);
	}
	if (wait4(pid, &status, 0, &ru) == -1)
		err(2, "wait4");
	if ((f = fopen(argv[1], "w")) == NULL || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 ||
	    fclose(f) == EOF)
		err(2, "%s", argv[1]);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
