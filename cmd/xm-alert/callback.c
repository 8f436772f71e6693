/*
 * callback.c: each event runs every -x command as /bin/sh -c CMD, the
 * command as the user wrote it and the stream's text only in the
 * environment.  Children start in the order of the events, at most
 * CALLBACK_RUNNING at once, and never two for one command and alert at
 * once, nor one before an earlier of the same command and alert is
 * delivered, so an alert's resolution cannot overtake its firing; they
 * run in a process group of their own, with a clean signal mask, stdin
 * from /dev/null and stdout onto our stderr (the stream is ours); a
 * child past --exec-timeout is killed with its group.  A notification
 * is delivered when its command ends with status 0; one that fails is
 * tried again after CALLBACK_BACKOFF seconds, twice as long each time
 * after, CALLBACK_TRIES times in all, while the others go on.  Their
 * ends come as SIGCHLD, their deadlines and retries as SIGALRM, both
 * through the signalfd.  When CALLBACK_QUEUE jobs wait, the next event
 * waits for room: the stream is held up rather than an event lost.
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

/* FNV-1a of a command's text, as the state file names it (16 hex digits). */
void
callback_cmd_id(char id[17], const char *cmd)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *cmd != '\0'; cmd++)
		h = (h ^ (unsigned char)*cmd) * 0x100000001b3ULL;
	snprintf(id, 17, "%016llx", (unsigned long long)h);
}

void
callback_init(struct callbacks *cb, char **cmds, size_t n, double timeout)
{
	size_t i;

	memset(cb, 0, sizeof *cb);
	/* an ignored SIGCHLD, inherited, would reap the children unseen */
	if (n > 0)
		signal(SIGCHLD, SIG_DFL);
	cb->cmds = cmds;
	cb->ncmd = n;
	cb->cmd_id = xm_reallocarray(NULL, n + 1, sizeof *cb->cmd_id);
	for (i = 0; i < n; i++)
		callback_cmd_id(cb->cmd_id[i], cmds[i]);
	cb->timeout = timeout;
}

void
callback_free(struct callbacks *cb)
{
	size_t i;

	for (i = 0; i < cb->len; i++) {
		if (cb->q[i].pid > 0) {
			kill(-cb->q[i].pid, SIGKILL);
			waitpid(cb->q[i].pid, NULL, 0);
		}
		free(cb->q[i].vars);
	}
	free(cb->q);
	free(cb->keys);
	free(cb->cmd_id);
}

/* Whether environment entry e sets one of the names of the n variables in vars. */
static int
overridden(const char *e, const char *vars, size_t n)
{
	size_t i, len = strcspn(e, "=");

	for (i = 0; i < n; i++, vars += strlen(vars) + 1)
		if (strncmp(e, vars, len + 1) == 0)
			return 1;
	return 0;
}

/* Our environment, then the job's variables in place of any of the same name. */
static char **
make_env(const struct callback_job *j)
{
	const char *v;
	size_t n = 0, nvars = 0, i, k = 0;
	char **env;

	for (v = j->vars; v < j->vars + j->varslen; v += strlen(v) + 1)
		nvars++;
	while (environ[n] != NULL)
		n++;
	env = xm_reallocarray(NULL, n + nvars + 1, sizeof *env);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "XM_", 3) != 0 || !overridden(environ[i], j->vars, nvars))
			env[k++] = environ[i];
	for (v = j->vars; v < j->vars + j->varslen; v += strlen(v) + 1)
		env[k++] = (char *)v;
	env[k] = NULL;
	return env;
}

/* The value of variable name (with its '=') among the job's, or "". */
static const char *
var(const char *vars, size_t len, const char *name)
{
	const char *v;
	size_t n = strlen(name);

	for (v = vars; v < vars + len; v += strlen(v) + 1)
		if (strncmp(v, name, n) == 0)
			return v + n;
	return "";
}

/* A job of command cmd for the event in vars (len bytes, taken), last in the queue. */
static void
add(struct callbacks *cb, size_t cmd, uint32_t tries, char *vars, size_t len)
{
	struct callback_job *j;
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;

	if (cb->len == cb->cap) {
		cb->cap = cb->cap ? 2 * cb->cap : 16;
		cb->q = xm_reallocarray(cb->q, cb->cap, sizeof *cb->q);
	}
	j = &cb->q[cb->len++];
	memset(j, 0, sizeof *j);
	j->vars = vars;
	j->varslen = len;
	j->cmd = cmd;
	j->tries = tries;
	j->due = -INFINITY;
	snprintf(j->id, sizeof j->id, "%s", var(vars, len, "XM_ALERT_ID="));
	snprintf(j->ev, sizeof j->ev, "%s", var(vars, len, "XM_EVENT="));
	for (p = j->id; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	/* never 0, which is no key in the walk's set */
	j->key = (h ^ cmd * 0x9e3779b97f4a7c15ULL) | 1;
}

static int settle(struct callbacks *, int, size_t);

/*
 * The event to every command; vars are NAME=value strings, XM_ALERT_ID
 * and XM_EVENT among them.  0, or the signal that ended the wait for
 * room in the queue: the event is queued all the same, past the limit,
 * and the caller should read no more.  Once the callbacks are abandoned,
 * events are queued and not run: they are left for the state file.
 */
int
callback_event(struct callbacks *cb, char *const *vars, size_t nvars, int sigfd)
{
	size_t c, i, len = 0, o, need = cb->ncmd < CALLBACK_QUEUE ? cb->ncmd : CALLBACK_QUEUE;
	char *blob;
	int sig = 0;

	if (cb->ncmd == 0)
		return 0;
	if (!cb->abandoned && cb->len + need > CALLBACK_QUEUE)
		sig = settle(cb, sigfd, need);
	for (i = 0; i < nvars; i++)
		len += strlen(vars[i]) + 1;
	for (c = 0; c < cb->ncmd; c++) {
		blob = xm_malloc(len);
		for (o = 0, i = 0; i < nvars; i++) {
			memcpy(blob + o, vars[i], strlen(vars[i]) + 1);
			o += strlen(vars[i]) + 1;
		}
		add(cb, c, 0, blob, len);
	}
	callback_tend(cb);
	return sig;
}

/* A notification not yet delivered when a run before this one ended: tried at once. */
void
callback_restore(struct callbacks *cb, size_t cmd, uint32_t tries, const char *vars, size_t len)
{
	char *blob = xm_malloc(len);

	memcpy(blob, vars, len);
	add(cb, cmd, tries, blob, len);
}

static void
report(const struct callbacks *cb, const struct callback_job *j, const char *what,
    const char *then)
{
	char q[XM_QUOTE_MAX];

	warnx("-x \"%s\": %s %s: %s; %s", xm_quote(q, cb->cmds[j->cmd], strlen(cb->cmds[j->cmd])),
	    j->ev, j->id, what, then);
}

/* A try of j failed: what, said; tried again after a while, or given up. */
static void
failed(struct callbacks *cb, struct callback_job *j, const char *what)
{
	char then[64];
	double wait;

	j->pid = 0;
	if (++j->tries >= CALLBACK_TRIES) {
		snprintf(then, sizeof then, "given up after %u tries", (unsigned)j->tries);
		report(cb, j, what, then);
		cb->given_up++;
		j->done = 1;
		return;
	}
	wait = ldexp(CALLBACK_BACKOFF, (int)j->tries - 1);
	j->due = xm_monotonic() + wait;
	snprintf(then, sizeof then, "trying again in %gs", wait);
	report(cb, j, what, then);
}

static void
start(struct callbacks *cb, struct callback_job *j)
{
	static const int deflt[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGALRM, SIGQUIT, SIGUSR1 };
	posix_spawnattr_t at;
	posix_spawn_file_actions_t fa;
	sigset_t none, def;
	char *argv[] = { "sh", "-c", cb->cmds[j->cmd], NULL }, **env;
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
	env = make_env(j);
	e = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (e != 0) {
		failed(cb, j, strerror(e));
		return;
	}
	j->pid = pid;
	j->deadline = xm_monotonic() + cb->timeout;
	j->killed = 0;
	cb->nrun++;
}

/* Arm SIGALRM for the nearest deadline or retry, or disarm it. */
static void
arm(const struct callbacks *cb)
{
	struct itimerval it;
	double next = INFINITY, now = xm_monotonic(), d;
	long long us;
	size_t i;

	memset(&it, 0, sizeof it);
	for (i = 0; i < cb->len; i++) {
		if (cb->q[i].pid > 0 && !cb->q[i].killed && cb->q[i].deadline < next)
			next = cb->q[i].deadline;
		if (cb->q[i].pid == 0 && !cb->abandoned && cb->q[i].due > now &&
		    cb->q[i].due < next)
			next = cb->q[i].due;
	}
	if (next < INFINITY) {
		d = next - now > 0.001 ? next - now : 0.001;
		us = (long long)ceil(d * 1e6);
		it.it_value.tv_sec = (time_t)(us / 1000000);
		it.it_value.tv_usec = (suseconds_t)(us % 1000000);
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Whether key was met before on this walk; it is met now. */
static int
met(struct callbacks *cb, uint64_t key)
{
	size_t i = (size_t)(key >> 17) & (cb->keycap - 1);

	for (; cb->keys[i] != 0; i = (i + 1) & (cb->keycap - 1))
		if (cb->keys[i] == key)
			return 1;
	cb->keys[i] = key;
	return 0;
}

/*
 * Start the jobs waiting that may, in order: due, room to run, and no
 * job before them of the same command and alert, running or waiting.
 */
static void
start_due(struct callbacks *cb, double now)
{
	size_t i;

	if (cb->abandoned || cb->len == 0)
		return;
	if (cb->keycap < 2 * cb->len) {
		while (cb->keycap < 2 * cb->len)
			cb->keycap = cb->keycap ? 2 * cb->keycap : 64;
		free(cb->keys);
		cb->keys = xm_reallocarray(NULL, cb->keycap, sizeof *cb->keys);
	}
	memset(cb->keys, 0, cb->keycap * sizeof *cb->keys);
	for (i = 0; i < cb->len && cb->nrun < CALLBACK_RUNNING; i++)
		if (!met(cb, cb->q[i].key) && cb->q[i].pid == 0 && cb->q[i].due <= now)
			start(cb, &cb->q[i]);
}

/* Take the jobs done out of the queue, the others in their order. */
static void
compact(struct callbacks *cb)
{
	size_t i, k = 0;

	for (i = 0; i < cb->len; i++) {
		if (cb->q[i].done)
			free(cb->q[i].vars);
		else
			cb->q[k++] = cb->q[i];
	}
	cb->len = k;
}

/*
 * Reap the children that ended, kill those past their deadline, start
 * those waiting as far as the rules allow.  Called at SIGCHLD, SIGALRM
 * and after each event.
 */
void
callback_tend(struct callbacks *cb)
{
	struct callback_job *j;
	double now = xm_monotonic();
	char what[64];
	size_t i;
	int st;
	pid_t p;

	for (i = 0; i < cb->len; i++) {
		j = &cb->q[i];
		if (j->pid == 0)
			continue;
		p = waitpid(j->pid, &st, WNOHANG);
		if (p == 0) {
			if (!j->killed && now >= j->deadline) {
				kill(-j->pid, SIGKILL);
				j->killed = 1;
			}
			continue;
		}
		cb->nrun--;
		if (j->killed)
			snprintf(what, sizeof what, "killed after %gs", cb->timeout);
		else if (p < 0)
			snprintf(what, sizeof what, "%s", strerror(errno));
		else if (WIFSIGNALED(st))
			snprintf(what, sizeof what, "killed by signal %d", WTERMSIG(st));
		else if (WEXITSTATUS(st) != 0)
			snprintf(what, sizeof what, "exit status %d", WEXITSTATUS(st));
		else
			what[0] = '\0';
		if (what[0] == '\0') {
			j->pid = 0;
			j->done = 1;
		} else {
			failed(cb, j, what);
		}
	}
	compact(cb);
	start_due(cb, now);
	compact(cb);	/* those that could not start, given up */
	arm(cb);
}

/*
 * An ending signal came while waiting: kill those running, start no
 * more, say how many.  None of them counts as a try: they are left, with
 * those waiting, for the state file.
 */
static void
abandon(struct callbacks *cb)
{
	size_t i, killed = 0;

	for (i = 0; i < cb->len; i++) {
		if (cb->q[i].pid == 0)
			continue;
		kill(-cb->q[i].pid, SIGKILL);
		waitpid(cb->q[i].pid, NULL, 0);
		cb->q[i].pid = 0;
		killed++;
	}
	cb->nrun = 0;
	if (cb->len > 0)
		warnx("ending: %zu callback%s killed, %zu not run", killed, killed == 1 ? "" : "s",
		    cb->len - killed);
	cb->abandoned = 1;
	arm(cb);
}

/*
 * The queue is full: tend the callbacks until there is room for need
 * jobs.  0, or the ending signal that came meanwhile, which ends the
 * wait.
 */
static int
settle(struct callbacks *cb, int sigfd, size_t need)
{
	struct pollfd pfd = { .fd = sigfd, .events = POLLIN };
	int sig;

	callback_tend(cb);
	while (cb->len + need > CALLBACK_QUEUE) {
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			break;
		sig = sig_take(sigfd);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			return sig;
		callback_tend(cb);
	}
	return 0;
}

/*
 * At the end: wait for the callbacks running and for those that can
 * start now, each within its timeout; not for a retry yet to come, which
 * is left in the queue with those after it.  0, or the ending signal that
 * cut it short (abandon).
 */
int
callback_drain(struct callbacks *cb, int sigfd)
{
	struct pollfd pfd = { .fd = sigfd, .events = POLLIN };
	int sig;

	callback_tend(cb);
	while (cb->nrun > 0) {
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			break;
		sig = sig_take(sigfd);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			abandon(cb);
			return sig;
		}
		callback_tend(cb);
	}
	return 0;
}
