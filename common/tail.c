/* tail.c: a record's fields from its value on, kept for a later line. */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "tail.h"
#include "xm.h"

/* The bytes n fields take kept. */
size_t
tail_size(const size_t *len, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		o += len[i] + 1;
	return o;
}

/*
 * Keep the n fields, as many of them as max bytes hold: those past
 * that read "-" (no value, xm(7)), so that a record of thousands of
 * columns costs no more.
 */
void
tail_keep(struct tail *t, char *const *field, const size_t *len, size_t n, size_t max)
{
	size_t i, k, o = 0;

	for (k = 0; k < n && o + len[k] + 1 <= max; k++)
		o += len[k] + 1;
	if (o > t->cap) {
		t->cap = (uint32_t)o;
		t->b = xm_reallocarray(t->b, o, 1);
	}
	for (o = 0, i = 0; i < k; i++) {
		memcpy(t->b + o, field[i], len[i]);
		o += len[i];
		t->b[o++] = '\n';
	}
	t->len = (uint32_t)o;
	t->n = (uint32_t)n;
}

/* The kept field at *p (NULL: the first), *p moved on to the next: "-" past those kept. */
const char *
tail_field(const struct tail *t, const char **p, size_t *len)
{
	const char *f = *p == NULL ? t->b : *p, *nl;

	if (f == NULL || f >= t->b + t->len) {
		*len = 1;
		return "-";
	}
	nl = memchr(f, '\n', (size_t)(t->b + t->len - f));
	*len = (size_t)(nl - f);
	*p = nl + 1;
	return f;
}

/* The fields, at most upto of them, onto the writer's line. */
void
tail_put(struct record_writer *w, const struct tail *t, size_t upto)
{
	const char *p = NULL, *f;
	size_t i, len;

	for (i = 0; i < t->n && i < upto; i++) {
		f = tail_field(t, &p, &len);
		record_put(w, f, len);
	}
}

void
tail_free(struct tail *t)
{
	free(t->b);
	memset(t, 0, sizeof *t);
}
