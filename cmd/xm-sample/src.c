/* src.c: the /proc and /sys roots and the files read from them. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample.h"
#include "xm.h"

static const char *default_dirs[2][1] = { { "/proc" }, { "/sys" } };

void
src_init(struct src *s, const struct sample_opts *o)
{
	int i;

	s->dirs[ROOT_PROC] = o->nprocfs ? o->procfs : default_dirs[ROOT_PROC];
	s->ndirs[ROOT_PROC] = o->nprocfs ? o->nprocfs : 1;
	s->dirs[ROOT_SYS] = o->nsysfs ? o->sysfs : default_dirs[ROOT_SYS];
	s->ndirs[ROOT_SYS] = o->nsysfs ? o->nsysfs : 1;
	for (i = 0; i < 2; i++) {
		s->fd[i] = -1;
		s->gen[i] = 0;
		s->cur[i] = (size_t)-1;
	}
	s->rec = s->play = NULL;
	s->missed = 0;
	s->scratch = NULL;
	s->scratch_cap = 0;
	src_step(s, 0);
}

/* Read set k (0: the baseline) from the k-th root given, or the last. */
void
src_step(struct src *s, unsigned long long k)
{
	size_t idx;
	int i;

	for (i = 0; i < 2; i++) {
		idx = k < s->ndirs[i] ? (size_t)k : s->ndirs[i] - 1;
		if (idx == s->cur[i])
			continue;
		if (s->fd[i] != -1)
			close(s->fd[i]);
		s->fd[i] = open(s->dirs[i][idx], O_PATH | O_DIRECTORY | O_CLOEXEC);
		s->cur[i] = idx;
		s->gen[i]++;
	}
}

void
src_free(struct src *s)
{
	int i;

	for (i = 0; i < 2; i++)
		if (s->fd[i] != -1)
			close(s->fd[i]);
	free(s->scratch);
}

/* The root's descriptor, or -1 with errno set. */
int
src_rootfd(struct src *s, enum root root)
{
	if (s->fd[root] == -1)
		errno = ENOENT;
	return s->fd[root];
}

void
pfile_init(struct pfile *f, enum root root, const char *path)
{
	memset(f, 0, sizeof *f);
	f->root = root;
	f->path = path;
	f->fd = -1;
}

static void
buf_fit(struct pfile *f, size_t len)
{
	if (f->buf != NULL && len < f->cap)
		return;
	free(f->buf);
	for (f->cap = 4096; f->cap <= len; f->cap *= 2)
		;
	f->buf = xm_malloc(f->cap);
}

/* The last run's text of a counter file, if it is playing back: 1. */
static int
play_back(struct src *s, struct pfile *f)
{
	struct tape_file *t;

	if (s->play == NULL || !f->counters ||
	    (t = tape_find(s->play, f->root, f->path)) == NULL)
		return 0;
	buf_fit(f, t->len);
	memcpy(f->buf, t->text, t->len + 1);
	f->len = t->len;
	return 1;
}

/*
 * Read the whole file into f->buf, NUL-terminated; 0, or -1 with errno
 * set.  Most /proc and /sys files are one record that the kernel makes
 * whole on the first read, so a read shorter than asked is the end.  A
 * file of many records (f->multi: net/dev, diskstats, mounts) comes a
 * kernel buffer at a time, and only a zero-length read ends it.
 */
static int
read_text(struct src *s, struct pfile *f)
{
	ssize_t n;
	int root;

	if (play_back(s, f))
		goto done;
	if (f->fd == -1 || f->gen != s->gen[f->root]) {
		pfile_close(f);
		if ((root = src_rootfd(s, f->root)) == -1)
			return -1;
		if ((f->fd = openat(root, f->path, O_RDONLY | O_CLOEXEC)) == -1)
			return -1;
		f->gen = s->gen[f->root];
	}
	buf_fit(f, 0);
	f->len = 0;
	for (;;) {
		if (f->len + 1 == f->cap) {
			f->cap *= 2;
			f->buf = xm_reallocarray(f->buf, f->cap, 1);
		}
		n = pread(f->fd, f->buf + f->len, f->cap - f->len - 1, (off_t)f->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		f->len += (size_t)n;
		if (!f->multi && f->len + 1 < f->cap)
			break;
	}
	f->buf[f->len] = '\0';
	/* one the last run did not read, or could not, and this one can */
	if (s->play != NULL && f->counters)
		s->missed = 1;
done:
	if (s->rec != NULL && f->counters)
		tape_put(s->rec, f->root, f->path, f->buf, f->len);
	return 0;
}

/*
 * A brief file is read into the source's one scratch buffer, which the
 * next brief file's text replaces: the texts of a set take the room of
 * the longest, not of them all, and stay in the processor's cache.
 */
int
pfile_read(struct src *s, struct pfile *f)
{
	int r;

	if (!f->brief)
		return read_text(s, f);
	f->buf = s->scratch;
	f->cap = s->scratch_cap;
	r = read_text(s, f);
	s->scratch = f->buf;
	s->scratch_cap = f->cap;
	return r;
}

/*
 * Whether f must be read again: always, but for a mount table the
 * kernel flags changes to (POLLPRI on /proc/PID/mounts), which spares
 * reading it every interval.  A plain file (a --procfs copy) never
 * flags: it is read again only when the root changes.
 */
int
pfile_changed(struct src *s, struct pfile *f)
{
	struct pollfd p;

	if (f->fd == -1 || f->gen != s->gen[f->root])
		return 1;
	p.fd = f->fd;
	p.events = POLLPRI;
	return poll(&p, 1, 0) > 0 && (p.revents & (POLLPRI | POLLERR)) != 0;
}

void
pfile_close(struct pfile *f)
{
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
}

void
pfile_free(struct pfile *f)
{
	pfile_close(f);
	if (!f->brief)
		free(f->buf);
	f->buf = NULL;
}
