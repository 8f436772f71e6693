/*
 * state.c: state files.  A run holds an exclusive flock on FILE.lock from
 * before it reads FILE until after it has written it, so overlapping runs
 * (cron) take turns and neither loses what the other saved.  FILE itself
 * is only ever replaced whole: written to a temporary file beside it,
 * synced, renamed over it, and the directory synced, so a crash leaves
 * the old state or the new, never half of one.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
 * Take the lock: with wait, waiting for another run to finish with it,
 * -1 if a signal came first (the caller lets its signals through
 * meanwhile); without, -2 with a message if another run holds it.  -2
 * with a message too if it cannot be taken at all.
 */
int
state_lock(struct state *st, const char *path, int wait)
{
	size_t n = strlen(path) + 6;
	char *lock = xm_malloc(n);
	int rc = 0;

	st->path = path;
	st->tmp = NULL;
	snprintf(lock, n, "%s.lock", path);
	if ((st->lockfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) == -1) {
		say_dir(path, lock);
		free(lock);
		return -2;
	}
	if (flock(st->lockfd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		rc = -2;
		if (errno == EINTR)
			rc = -1;
		else if (errno == EWOULDBLOCK)
			warnx("%s: in use by another run; try again when it ends", path);
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
 * The file to write the new state in, beside the old.  Under the lock it
 * is FILE.tmp, one name, so a run killed while writing it leaves no
 * litter that the next would not write over; without one (xm-show -O),
 * a name of its own.
 */
FILE *
state_create(struct state *st)
{
	size_t n = strlen(st->path) + 8;
	FILE *f;
	int fd;

	st->tmp = xm_malloc(n);
	if (st->lockfd >= 0) {
		snprintf(st->tmp, n, "%s.tmp", st->path);
		if (unlink(st->tmp) == -1 && errno != ENOENT)
			fd = -1;
		else
			fd = open(st->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	} else {
		snprintf(st->tmp, n, "%s.XXXXXX", st->path);
		fd = mkostemp(st->tmp, O_CLOEXEC);
	}
	if (fd == -1) {
		warn("%s", st->tmp);
		free(st->tmp);
		st->tmp = NULL;
		return NULL;
	}
	fchmod(fd, 0644);
	if ((f = fdopen(fd, "w")) == NULL)
		err(XM_EXIT_FAIL, "fdopen");
	return f;
}

/*
 * Put the written file in place of the old one; 0, or -1 with a message,
 * the old one kept and the new one gone.  A write that failed on the way
 * (a full disk) left its error on f: it fails here.
 */
int
state_commit(struct state *st, FILE *f)
{
	char *dir = xm_strdup(st->path);
	int fd, rc = 0, failed = ferror(f);

	errno = 0;
	if (fflush(f) == EOF || fsync(fileno(f)) == -1) {
		warn("%s", st->tmp);
		rc = -1;
	} else if (failed) {
		warnx("%s: write error", st->tmp);
		rc = -1;
	}
	if (fclose(f) == EOF && rc == 0) {
		warn("%s", st->tmp);
		rc = -1;
	}
	if (rc == 0 && rename(st->tmp, st->path) == -1) {
		warn("%s", st->path);
		rc = -1;
	}
	if (rc == -1) {
		unlink(st->tmp);
	} else if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(dir);
	free(st->tmp);
	st->tmp = NULL;
	return rc;
}

void
state_unlock(struct state *st)
{
	close(st->lockfd);
	st->lockfd = -1;
}
