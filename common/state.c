/*
 * state.c: state files.  A run holds an exclusive flock on FILE.lock (its
 * owner's alone) from before it reads FILE until after it has written
 * it, so overlapping runs (cron) take turns, each waiting for so long and
 * no longer, and neither loses what the other saved.  FILE itself
 * is only ever replaced whole: written to a temporary file beside it,
 * synced, renamed over it, and the directory synced, so a crash leaves
 * the old state or the new, never half of one.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "sig.h"
#include "state.h"
#include "xm.h"

/*
 * Whether path is a regular file, or none yet; else say what it is.  A
 * directory or a symbolic link where the state should be is someone
 * else's: neither read, nor moved aside, nor written over.
 */
static int
regular(const char *path)
{
	struct stat sb;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? 1 : (warn("%s", path), 0);
	if (S_ISREG(sb.st_mode))
		return 1;
	warnx("%s: %s, not a state file: not read, not written", path,
	    S_ISLNK(sb.st_mode) ? "a symbolic link" : S_ISDIR(sb.st_mode) ? "a directory" :
	    "not a regular file");
	return 0;
}

/*
 * The lock could not be made: where the directory of the state file is
 * missing, or is no directory, that is what to say.
 */
static void
say_dir(const char *path, const char *lock)
{
	const char *slash = strrchr(path, '/');
	int e = errno;

	if ((e == ENOENT || e == ENOTDIR) && slash != NULL && slash != path) {
		warnx("%.*s: %s, for the state file %s", (int)(slash - path), path,
		    e == ENOENT ? "no such directory" : "not a directory", path);
		return;
	}
	errno = e;
	warn("%s", lock);
}

/*
 * Open the lock file, made so that only its owner can lock it: flock
 * needs no more than a descriptor open for reading, so a lock file
 * others can read is one anyone can hold.  One that is not ours (planted
 * where others may write), not a plain file, or with other names (a
 * hard link to a file of ours elsewhere) is not used: -1, said.
 */
static int
lock_open(const char *path, const char *lock)
{
	struct stat sb;
	char why[64];
	int fd;

	if ((fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600)) == -1) {
		say_dir(path, lock);
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		warn("%s", lock);
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode))
		snprintf(why, sizeof why, "not a regular file");
	else if (sb.st_uid != geteuid())
		snprintf(why, sizeof why, "owned by uid %lu, not by this user",
		    (unsigned long)sb.st_uid);
	else if (sb.st_nlink > 1)
		snprintf(why, sizeof why, "a file with other names (hard links)");
	else if ((sb.st_mode & 077) == 0 || fchmod(fd, 0600) == 0)
		return fd;
	else
		snprintf(why, sizeof why, "%s", strerror(errno));
	warnx("%s: %s: not taken as the lock of %s", lock, why, path);
	close(fd);
	return -1;
}

static void
tick(int signo)
{
	(void)signo;
}

/*
 * flock, waiting at most wait seconds (none: 0).  SIGALRM, let through
 * meanwhile to a handler that does nothing, cuts the wait short with
 * EINTR every tenth of a second, for the clock and for a signal that
 * ends the run to be looked at, one that came just before flock began
 * to wait too.  Time run out is EWOULDBLOCK; EINTR, an ending signal.
 */
static int
lock_wait(int fd, double wait)
{
	struct sigaction sa, old;
	struct itimerval it, off;
	sigset_t alrm, mask;
	double deadline = xm_monotonic() + wait;
	int rc, e = 0;

	if ((rc = flock(fd, LOCK_EX | LOCK_NB)) == 0 || errno != EWOULDBLOCK || wait <= 0)
		return rc;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tick;	/* no SA_RESTART: flock returns EINTR */
	sigemptyset(&sa.sa_mask);
	memset(&it, 0, sizeof it);
	memset(&off, 0, sizeof off);
	it.it_value.tv_usec = it.it_interval.tv_usec = 100000;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigaction(SIGALRM, &sa, &old);
	sigprocmask(SIG_UNBLOCK, &alrm, &mask);
	setitimer(ITIMER_REAL, &it, NULL);
	for (;;) {
		if (sig_caught()) {
			rc = -1;
			e = EINTR;
			break;
		}
		if ((rc = flock(fd, LOCK_EX)) == 0 || (e = errno) != EINTR)
			break;
		if (xm_monotonic() >= deadline) {
			e = EWOULDBLOCK;
			break;
		}
	}
	/* disarmed while SIGALRM still goes to tick: none is left pending */
	setitimer(ITIMER_REAL, &off, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	sigaction(SIGALRM, &old, NULL);
	errno = e;
	return rc;
}

/*
 * Who holds the flock on fd's file, as /proc/locks tells by its device
 * and inode: "pid N (comm)"; "another process" where it cannot tell (no
 * /proc, a holder in another pid namespace, the lock let go meanwhile).
 */
static const char *
lock_holder(int fd, char *buf, size_t size)
{
	struct stat sb;
	char line[256], type[16], comm[32], q[XM_QUOTE_MAX];
	unsigned maj, min;
	unsigned long ino;
	long pid = 0;
	size_t n = 0;
	FILE *f;

	if (fstat(fd, &sb) == -1 || (f = fopen("/proc/locks", "re")) == NULL)
		return "another process";
	/* "1: FLOCK  ADVISORY  WRITE 1234 fe:00:10952995 0 EOF"; a waiter's has "->" before FLOCK */
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%lu", type, &pid, &maj, &min,
		    &ino) == 5 && strcmp(type, "FLOCK") == 0 && pid > 0 &&
		    maj == major(sb.st_dev) && min == minor(sb.st_dev) && ino == sb.st_ino)
			break;
		pid = 0;
	}
	fclose(f);
	if (pid <= 0)
		return "another process";
	snprintf(line, sizeof line, "/proc/%ld/comm", pid);
	if ((f = fopen(line, "re")) != NULL) {
		n = fread(comm, 1, sizeof comm - 1, f);
		fclose(f);
	}
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	if (n == 0)
		snprintf(buf, size, "pid %ld", pid);
	else
		snprintf(buf, size, "pid %ld (%s)", pid, xm_quote(q, comm, n));
	return buf;
}

/*
 * Take the lock, waiting up to wait seconds for another run to finish
 * with it: -1 if a signal came first (the caller lets its signals
 * through meanwhile).  With wait 0, not waiting at all.  -2 with a
 * message if another run holds it still, or it cannot be taken at all.
 */
int
state_lock(struct state *st, const char *path, double wait)
{
	size_t n = strlen(path) + 6;
	char *lock = xm_malloc(n), who[XM_QUOTE_MAX + 32];
	int rc = 0;

	memset(st, 0, sizeof *st);
	st->path = path;
	snprintf(lock, n, "%s.lock", path);
	if ((st->lockfd = lock_open(path, lock)) == -1) {
		free(lock);
		return -2;
	}
	if (lock_wait(st->lockfd, wait) == -1) {
		rc = -2;
		if (errno == EINTR)
			rc = -1;
		else if (errno == EWOULDBLOCK && wait <= 0)
			warnx("%s: in use by another run; try again when it ends", path);
		else if (errno == EWOULDBLOCK)
			warnx("%s: still locked by %s after --wait %gs: not read, not saved", path,
			    lock_holder(st->lockfd, who, sizeof who), wait);
		else
			warn("%s: flock", lock);
		close(st->lockfd);
		st->lockfd = -1;
	}
	free(lock);
	if (rc == 0 && !regular(path)) {
		close(st->lockfd);
		st->lockfd = -1;
		rc = -2;
	}
	return rc;
}

/* The state file to read; -1 when there is none yet, -2 (said) when it cannot be read. */
int
state_open(struct state *st)
{
	int fd = open(st->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd == -1 && errno != ENOENT) {
		warn("%s", st->path);
		return -2;
	}
	return fd;
}

/*
 * A file that cannot be trusted is kept for a person to look at, never
 * dropped: moved to FILE.bad, or FILE.bad.1 and on if that is taken, so
 * one set aside earlier is not lost either.  0, or -1 (said) if it
 * cannot be moved, and then the run must not go on to write over it.
 */
int
state_set_aside(struct state *st, const char *why)
{
	size_t n = strlen(st->path) + 16;
	char *bad = xm_malloc(n);
	int i, rc = -1;

	for (i = 0; i < 1000; i++) {
		snprintf(bad, n, i ? "%s.bad.%d" : "%s.bad", st->path, i);
		rc = renameat2(AT_FDCWD, st->path, AT_FDCWD, bad, RENAME_NOREPLACE);
		if (rc == -1 && (errno == EINVAL || errno == ENOSYS) &&
		    (rc = link(st->path, bad)) == 0)	/* no RENAME_NOREPLACE here */
			rc = unlink(st->path);
		if (rc == 0 || errno != EEXIST)
			break;
	}
	if (rc == -1)
		warn("%s: %s; and it cannot be moved aside", st->path, why);
	else
		warnx("%s: %s; moved aside to %s, starting afresh", st->path, why, bad);
	free(bad);
	return rc;
}

/*
 * What a file is created with, as open(2) does it: 0666 less the umask.
 * Read by setting it and back: no thread of an xm program creates a
 * file meanwhile.
 */
static mode_t
created_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/*
 * -O's file, which no lock guards: written with no name at all
 * (O_TMPFILE), so that a run killed while writing it leaves nothing
 * behind, and named only once whole (publish).  -1 where the filesystem
 * cannot, or no /proc is there to name it by.
 */
static int
create_unnamed(struct state *st)
{
	char *dir = xm_strdup(st->path), proc[32];
	int fd = open(dirname(dir), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);

	free(dir);
	if (fd == -1)
		return -1;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (faccessat(AT_FDCWD, proc, F_OK, AT_SYMLINK_NOFOLLOW) == -1) {
		close(fd);
		return -1;
	}
	st->unnamed = 1;
	return fd;
}

/*
 * The file to write the new state in, beside the old, created as the
 * umask says.  Under the lock it is FILE.tmp, one name, so a run killed
 * while writing it leaves no litter that the next would not write over.
 * Without one (xm-show -O), a file of no name, to be FILE.tmp only from
 * when it is whole until it is renamed; where that cannot be, a name of
 * its own, FILE.XXXXXX.
 */
FILE *
state_create(struct state *st)
{
	size_t n = strlen(st->path) + 8;
	FILE *f;
	int fd;

	st->tmp = xm_malloc(n);
	st->unnamed = 0;
	if (st->lockfd >= 0) {
		snprintf(st->tmp, n, "%s.tmp", st->path);
		if (unlink(st->tmp) == -1 && errno != ENOENT)
			fd = -1;
		else
			fd = open(st->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	} else if ((fd = create_unnamed(st)) >= 0) {
		snprintf(st->tmp, n, "%s.tmp", st->path);
	} else {
		snprintf(st->tmp, n, "%s.XXXXXX", st->path);
		if ((fd = mkostemp(st->tmp, O_CLOEXEC)) != -1)
			fchmod(fd, created_mode());
	}
	if (fd == -1) {
		warn("%s", st->tmp);
		free(st->tmp);
		st->tmp = NULL;
		return NULL;
	}
	if ((f = fdopen(fd, "w")) == NULL)
		err(XM_EXIT_FAIL, "fdopen");
	return f;
}

/* Whether f was written whole and is on the disk: 0, or -1 with a message. */
static int
synced(struct state *st, FILE *f)
{
	int failed = ferror(f);

	errno = 0;
	if (fflush(f) == EOF || fsync(fileno(f)) == -1) {
		warn("%s", st->tmp);
		return -1;
	}
	if (failed) {
		warnx("%s: write error", st->tmp);
		return -1;
	}
	return 0;
}

/*
 * Name the unnamed file fd FILE.tmp, then rename it over FILE.  Only a
 * whole file ever has that name: one there already was left by a run
 * killed between the two steps, or is another writer's between them,
 * and may go; that writer then finds its name gone, as this one may,
 * when the other has put its own file (or this one's) in place: a whole
 * file stands either way, never a torn one.
 */
static int
publish(struct state *st, int fd)
{
	char proc[32];
	int i;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	for (i = 0; i < 16; i++) {
		if (linkat(AT_FDCWD, proc, AT_FDCWD, st->tmp, AT_SYMLINK_FOLLOW) == -1) {
			if (errno == EEXIST && (unlink(st->tmp) == 0 || errno == ENOENT))
				continue;
			warn("%s", st->tmp);
			return -1;
		}
		if (rename(st->tmp, st->path) == 0 || errno == ENOENT)
			return 0;
		warn("%s", st->path);
		unlink(st->tmp);
		return -1;
	}
	warnx("%s: other runs writing it kept taking %s", st->path, st->tmp);
	return -1;
}

/*
 * Put the written file in place of the old one; 0, or -1 with a message,
 * the old one kept and the new one gone.  A write that failed on the way
 * (a full disk) left its error on f: it fails here.
 */
int
state_commit(struct state *st, FILE *f)
{
	char *dir;
	int fd, rc = synced(st, f);

	if (st->unnamed) {
		if (rc == 0)
			rc = publish(st, fileno(f));
		fclose(f);	/* flushed and synced: a file of no name has nothing more to lose */
	} else {
		if (fclose(f) == EOF && rc == 0) {
			warn("%s", st->tmp);
			rc = -1;
		}
		if (rc == 0 && rename(st->tmp, st->path) == -1) {
			warn("%s", st->path);
			rc = -1;
		}
		if (rc == -1)
			unlink(st->tmp);
	}
	if (rc == 0) {
		dir = xm_strdup(st->path);
		if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
			fsync(fd);
			close(fd);
		}
		free(dir);
	}
	free(st->tmp);
	st->tmp = NULL;
	st->unnamed = 0;
	return rc;
}

void
state_unlock(struct state *st)
{
	close(st->lockfd);
	st->lockfd = -1;
}

/*
 * Read the state file of grammar g, if there is one, by load(arg, sr),
 * which reads its lines by state_read and says why the file cannot be
 * trusted, if it cannot: then it is set aside.  0 when read or there
 * was none; 1 when set aside; -1 (said) when it can be neither read nor
 * set aside, and must not be written over.
 */
int
state_load(struct state *st, const struct state_grammar *g,
    const char *(*load)(void *, struct state_reader *), void *arg)
{
	struct state_reader sr;
	const char *why;
	int fd = state_open(st), rc = 0;

	if (fd < 0)
		return fd == -1 ? 0 : -1;
	if ((why = state_read_begin(&sr, g, fd, st->path)) == NULL) {
		why = load(arg, &sr);
		state_read_end(&sr);
	}
	if (why != NULL)
		rc = state_set_aside(st, why) == -1 ? -1 : 1;
	close(fd);
	return rc;
}

/* Write the state whole by save(arg, f), or not at all: 0, or -1 (said). */
int
state_save(struct state *st, int (*save)(void *, FILE *), void *arg)
{
	FILE *f = state_create(st);

	if (f == NULL)
		return -1;
	save(arg, f);		/* a write that failed is f's error: state_commit sees it */
	return state_commit(st, f);
}

/* Whether the file at fd begins with the line want. */
static int
begins(int fd, const char *want)
{
	char buf[64];
	size_t n;

	if (want == NULL || (n = strlen(want)) + 1 > sizeof buf ||
	    pread(fd, buf, n + 1, 0) != (ssize_t)(n + 1))
		return 0;
	return memcmp(buf, want, n) == 0 && buf[n] == '\n';
}

/*
 * Begin reading the state file at fd, named path in messages: NULL, or
 * why it is none of g's (its first line says so, before any line is
 * read as a record).
 */
const char *
state_read_begin(struct state_reader *sr, const struct state_grammar *g, int fd,
    const char *path)
{
	memset(sr, 0, sizeof *sr);
	sr->g = g;
	sr->path = path;
	if (!begins(fd, g->version) && !begins(fd, g->older)) {
		snprintf(sr->whybuf, sizeof sr->whybuf,
		    "no \"%s\" line: not a state file, or another version", g->version);
		return sr->whybuf;
	}
	sr->r = record_reader_new(fd, RECORD_SAVED);
	record_reader_name(sr->r, path);
	return NULL;
}

/* Whether rec is the #end line of what was read. */
static int
is_end(const struct state_reader *sr, const struct record *rec)
{
	char want[32];
	size_t i;

	if (rec->nfield != 1 + sr->g->ncount || strcmp(rec->field[0], "#end") != 0)
		return 0;
	for (i = 0; i < sr->g->ncount && i < STATE_COUNTS; i++) {
		snprintf(want, sizeof want, "%zu", sr->count[i]);
		if (strcmp(rec->field[1 + i], want) != 0)
			return 0;
	}
	return 1;
}

/* Whether rec is a #line the program reads itself. */
static int
is_comment(const struct state_reader *sr, const struct record *rec)
{
	const char *const *c;

	for (c = sr->g->comments; *c != NULL; c++)
		if (strcmp(rec->field[0], *c) == 0)
			return 1;
	return 0;
}

/*
 * The next line for the program: a record of the grammar's columns, or
 * a #line of its own; STATE_DONE after an #end line that matches what
 * the program counted, and nothing after it; STATE_BAD, and in
 * sr->why the reason, for anything else.
 */
enum state_line
state_read(struct state_reader *sr, struct record *rec)
{
	int k;

	for (;;) {
		if ((k = record_read(sr->r, rec)) == RECORD_EOF) {
			sr->why = "truncated: no #end line";
			return sr->ended ? STATE_DONE : STATE_BAD;
		}
		sr->line++;
		if (k == RECORD_BAD || k == RECORD_ERROR) {
			sr->why = "a malformed line";
			return STATE_BAD;
		}
		if (sr->ended) {
			sr->why = "lines after #end";
			return STATE_BAD;
		}
		if (sr->line == 1 || k == RECORD_HEADER)
			continue;
		if (k == RECORD_COMMENT && is_comment(sr, rec))
			return STATE_COMMENT;
		if (k == RECORD_COMMENT) {
			sr->why = "its #end line does not match the lines before it";
			if (!(sr->ended = is_end(sr, rec)))
				return STATE_BAD;
			continue;
		}
		if (k != RECORD_OK || rec->nfield != sr->g->ncol) {
			sr->why = "a line of the wrong shape";
			return STATE_BAD;
		}
		return STATE_RECORD;
	}
}

void
state_read_end(struct state_reader *sr)
{
	record_reader_free(sr->r);
	sr->r = NULL;
}

/* The first line and the header, through a writer of f's. */
void
state_put_begin(struct record_writer *w, FILE *f, const struct state_grammar *g)
{
	record_writer_init(w, f, 0);
	fprintf(f, "%s\n", g->version);
	record_put_header(w, g->header, g->ncol);
}

/* The #end line, of the counts of what was written (the writer flushed). */
void
state_put_end(FILE *f, const struct state_grammar *g, const size_t *count)
{
	size_t i;

	fputs("#end", f);
	for (i = 0; i < g->ncount; i++)
		fprintf(f, "\t%zu", count[i]);
	putc('\n', f);
}

/* A number that reads back exactly: 17 digits. */
void
state_put_exact(struct record_writer *w, double v)
{
	char buf[32];

	record_put(w, buf, (size_t)snprintf(buf, sizeof buf, "%.17g", v));
}

/*
 * A ts exactly, in the digits and point xm(7) allows a ts: %.17g but
 * where it would take an exponent (past 10^16, where every double is
 * whole, and below 10^-4).
 */
void
state_put_exact_ts(struct record_writer *w, double v)
{
	char buf[400];
	const char *fmt = v >= 1e16 ? "%.0f" : v > 0 && v < 1e-4 ? "%.40f" : "%.17g";

	record_put(w, buf, (size_t)snprintf(buf, sizeof buf, fmt, v));
}
