/*
 * tape.c: the texts of the counter files a set read, kept to be played
 * back as the first reading of the next run (--state): its first rates
 * then span all the time since the last run, and an OOM kill or a burst
 * of errors between two cron runs is not lost.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

void
tape_init(struct tape *t)
{
	memset(t, 0, sizeof *t);
	t->uptime = NAN;
}

void
tape_clear(struct tape *t)
{
	t->n = 0;
	t->ts = 0;
	t->uptime = NAN;
}

void
tape_free(struct tape *t)
{
	size_t i;

	for (i = 0; i < t->nalloc; i++) {
		free(t->f[i].path);
		free(t->f[i].text);
	}
	free(t->f);
	free(t->boot);
	tape_init(t);
}

struct tape_file *
tape_find(const struct tape *t, enum root root, const char *path)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->f[i].root == root && strcmp(t->f[i].path, path) == 0)
			return &t->f[i];
	return NULL;
}

/* The next file of the tape, in the memory of the one there last pass if any. */
static struct tape_file *
tape_add(struct tape *t, enum root root, const char *path)
{
	struct tape_file *f;

	if (t->n == t->nalloc) {
		if (t->nalloc == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 16;
			t->f = xm_reallocarray(t->f, t->cap, sizeof *t->f);
		}
		memset(&t->f[t->nalloc++], 0, sizeof *t->f);
	}
	f = &t->f[t->n++];
	if (f->path == NULL || strcmp(f->path, path) != 0) {
		free(f->path);
		f->path = xm_strdup(path);
	}
	f->root = root;
	return f;
}

/* Keep len bytes of text as path's, in place of any text kept before. */
void
tape_put(struct tape *t, enum root root, const char *path, const char *text, size_t len)
{
	struct tape_file *f;

	if ((f = tape_find(t, root, path)) == NULL)
		f = tape_add(t, root, path);
	if (f->size < len + 1) {
		free(f->text);
		f->size = len + 1;
		f->text = xm_malloc(f->size);
	}
	if (len > 0)
		memcpy(f->text, text, len);
	f->text[len] = '\0';
	f->len = len;
}
