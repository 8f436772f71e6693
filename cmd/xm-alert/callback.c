/*
 * callback.c: each event runs every -x command as /bin/sh -c CMD, the
 * command as the user wrote it and the stream's text only in the
 * environment.  Children start in the order of the events, at most
 * CALLBACK_RUNNING at once, and never two for one command and alert at
 * once, so an alert's resolution cannot overtake its firing; they run
 * in a process group of their own, with a clean signal mask, stdin from
 * /dev/null and stdout onto our stderr (the stream is ours); a child
 * past --exec-timeout is killed with its group.  Their ends come as
 * SIGCHLD, their deadlines as SIGALRM, both through the signalfd.  When
 * CALLBACK_QUEUE jobs wait, the next event waits for room: the stream
 * is held up rather than an event lost.
 */
#include <sys/time.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

#include "callback.h"
#include "sig.h"
#include "xm.h"

extern char **environ;

void
callback_init(struct callbacks *cb, char **cmds, size_t n, double timeout)
{
	memset(cb, 0, sizeof *cb);
	/* an ignored SIGCHLD, inherited, would reap the children unseen */
	if (n > 0)
		signal(SIGCHLD, SIG_DFL);
	cb->cmds = cmds;
	cb->ncmd = n;
	cb->timeout = timeout;
}

static void
free_env(char **env)
{
	char **p;

	for (p = env; p != NULL && *p != NULL; p++)
		free(*p);
	free(env);
}

void
callback_free(struct callbacks *cb)
{
	size_t i;

	for (i = 0; i < cb->len; i++)
		free_env(cb->q[(cb->head + i) % cb->cap].env);
	for (i = 0; i < cb->nrun; i++) {
		kill(-cb->run[i].pid, SIGKILL);
		waitpid(cb->run[i].pid, NULL, 0);
		free_env(cb->run[i].job.env);
	}
	free(cb->q);
}

/* Whether environment entry e sets one of the names vars set. */
static int
overridden(const char *e, char *const *vars, size_t nvars)
{
	size_t i, len = strcspn(e, "=");

	for (i = 0; i < nvars; i++)
		if (strncmp(e, vars[i], len + 1) == 0)
			return 1;
	return 0;
}

/* Our environment, then the event's variables in place of any of the same name. */
static char **
make_env(char *const *vars, size_t nvars)
{
	size_t n = 0, i, k = 0;
	char **env;

	while (environ[n] != NULL)
		n++;
	env = xm_reallocarray(NULL, n + nvars + 1, sizeof *env);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "XM_", 3) != 0 || !overridden(environ[i], vars, nvars))
			env[k++] = xm_strdup(environ[i]);
	for (i = 0; i < nvars; i++)
		env[k++] = xm_strdup(vars[i]);
	env[k] = NULL;
	return env;
}

static int settle(struct callbacks *, int, size_t, size_t, int);

/*
 * The event to every command; vars are NAME=value strings.  0, or the
 * signal that ended the wait for room in the queue: the event is queued
 * all the same, past the limit, and the caller should read no more.
 * Once the callbacks are abandoned, events are only counted as lost.
 */
int
callback_event(struct callbacks *cb, char *const *vars, size_t nvars, const char *id,
    const char *ev, int sigfd)
{
	struct callback_job *j;
	size_t c, need = cb->ncmd < CALLBACK_QUEUE ? cb->ncmd : CALLBACK_QUEUE;

	int sig = 0;

	if (cb->abandoned) {
		cb->lost += cb->ncmd;
		return 0;
	}
	if (cb->len + need > CALLBACK_QUEUE)
		sig = settle(cb, sigfd, CALLBACK_QUEUE - need, CALLBACK_RUNNING, 0);
	for (c = 0; c < cb->ncmd; c++) {
		if (cb->len == cb->cap) {
			size_t old = cb->cap, i;

			cb->cap = cb->cap ? 2 * cb->cap : 16;
			cb->q = xm_reallocarray(cb->q, cb->cap, sizeof *cb->q);
			/* unwrap: the jobs that wrapped round move after the others */
			for (i = 0; i < cb->head + cb->len - old && cb->head + cb->len > old; i++)
				cb->q[old + i] = cb->q[i];
		}
		j = &cb->q[(cb->head + cb->len++) % cb->cap];
		j->cmd = c;
		j->env = make_env(vars, nvars);
		snprintf(j->id, sizeof j->id, "%s", id);
		snprintf(j->ev, sizeof j->ev, "%s", ev);
	}
	callback_tend(cb);
	return sig;
}

static int
busy(const struct callbacks *cb, const struct callback_job *j)
{
	size_t i;

	for (i = 0; i < cb->nrun; i++)
		if (cb->run[i].job.cmd == j->cmd && strcmp(cb->run[i].job.id, j->id) == 0)
			return 1;
	return 0;
}

static void
report(struct callbacks *cb, const struct callback_job *j, const char *what)
{
	char q[XM_QUOTE_MAX];

	warnx("-x \"%s\": %s %s: %s", xm_quote(q, cb->cmds[j->cmd], strlen(cb->cmds[j->cmd])),
	    j->ev, j->id, what);
	cb->failed = 1;
}

static void
start(struct callbacks *cb, struct callback_job *j)
{
	static const int deflt[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGALRM, SIGQUIT, SIGUSR1 };
	posix_spawnattr_t at;
	posix_spawn_file_actions_t fa;
	sigset_t none, def;
	char *argv[] = { "sh", "-c", cb->cmds[j->cmd], NULL };
	pid_t pid;
	size_t i;
	int e;

	sigemptyset(&none);
	sigemptyset(&def);
	for (i = 0; i < sizeof deflt / sizeof deflt[0]; i++)
		sigaddset(&def, deflt[i]);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETPGROUP);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	e = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, j->env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e != 0) {
		report(cb, j, strerror(e));
		free_env(j->env);
		return;
	}
	cb->run[cb->nrun].pid = pid;
	cb->run[cb->nrun].deadline = xm_monotonic() + cb->timeout;
	cb->run[cb->nrun].killed = 0;
	cb->run[cb->nrun].job = *j;
	cb->nrun++;
}

/* Arm SIGALRM for the nearest deadline, or disarm it. */
static void
arm(const struct callbacks *cb)
{
	struct itimerval it;
	double next = INFINITY, now = xm_monotonic(), d;
	long long us;
	size_t i;

	memset(&it, 0, sizeof it);
	for (i = 0; i < cb->nrun; i++)
		if (!cb->run[i].killed && cb->run[i].deadline < next)
			next = cb->run[i].deadline;
	if (next < INFINITY) {
		d = next - now > 0.001 ? next - now : 0.001;
		us = (long long)ceil(d * 1e6);
		it.it_value.tv_sec = (time_t)(us / 1000000);
		it.it_value.tv_usec = (suseconds_t)(us % 1000000);
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Reap the children that ended, kill those past their deadline, start
 * those waiting as far as the rules allow.  Called at SIGCHLD, SIGALRM
 * and after each event.
 */
void
callback_tend(struct callbacks *cb)
{
	double now = xm_monotonic();
	char what[64];
	size_t i = 0;
	int st;
	pid_t p;

	while (i < cb->nrun) {
		p = waitpid(cb->run[i].pid, &st, WNOHANG);
		if (p == 0) {
			if (!cb->run[i].killed && now >= cb->run[i].deadline) {
				kill(-cb->run[i].pid, SIGKILL);
				cb->run[i].killed = 1;
				snprintf(what, sizeof what, "killed after %gs", cb->timeout);
				report(cb, &cb->run[i].job, what);
			}
			i++;
			continue;
		}
		if (p > 0 && !cb->run[i].killed) {
			what[0] = '\0';
			if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
				snprintf(what, sizeof what, "exit status %d", WEXITSTATUS(st));
			else if (WIFSIGNALED(st))
				snprintf(what, sizeof what, "killed by signal %d", WTERMSIG(st));
			if (what[0] != '\0')
				report(cb, &cb->run[i].job, what);
		}
		free_env(cb->run[i].job.env);
		cb->run[i] = cb->run[--cb->nrun];
	}
	while (!cb->abandoned && cb->len > 0 && cb->nrun < CALLBACK_RUNNING &&
	    !busy(cb, &cb->q[cb->head])) {
		start(cb, &cb->q[cb->head]);
		cb->head = (cb->head + 1) % cb->cap;
		cb->len--;
	}
	arm(cb);
}

/*
 * An ending signal came while waiting: kill those running, forget those
 * waiting (and lost more, of an event not yet queued), say how many.
 */
static void
abandon(struct callbacks *cb)
{
	size_t i, killed = cb->nrun, lost = 0;

	for (i = 0; i < cb->nrun; i++) {
		kill(-cb->run[i].pid, SIGKILL);
		waitpid(cb->run[i].pid, NULL, 0);
		free_env(cb->run[i].job.env);
	}
	cb->nrun = 0;
	for (i = 0; i < cb->len; i++)
		free_env(cb->q[(cb->head + i) % cb->cap].env);
	lost += cb->len;
	cb->len = 0;
	if (killed > 0 || lost > 0)
		warnx("ending: %zu callback%s killed, %zu not run", killed, killed == 1 ? "" : "s",
		    lost);
	cb->abandoned = 1;
	arm(cb);
}

/*
 * Tend the callbacks until at most maxlen wait and maxrun run.  0, or
 * the ending signal that came meanwhile, which with give_up abandons
 * them and else just ends the wait.
 */
static int
settle(struct callbacks *cb, int sigfd, size_t maxlen, size_t maxrun, int give_up)
{
	struct pollfd pfd = { .fd = sigfd, .events = POLLIN };
	int sig;

	callback_tend(cb);
	while (cb->len > maxlen || cb->nrun > maxrun) {
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			break;
		sig = sig_take(sigfd);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			if (give_up)
				abandon(cb);
			return sig;
		}
		callback_tend(cb);
	}
	return 0;
}

/*
 * At the end: wait for the callbacks running and to come, each within
 * its timeout.  0, or the ending signal that cut it short.
 */
int
callback_drain(struct callbacks *cb, int sigfd)
{
	return settle(cb, sigfd, 0, 0, 1);
}
