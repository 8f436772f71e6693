/* test-tail: a record's fields from its value on, kept and written again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "tail.h"
#include "tap.h"

/* The line tail_put makes of t, at most upto fields, after a "ts" field. */
static char *
put(const struct tail *t, size_t upto)
{
	struct record_writer w;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	record_writer_init(&w, f, 0);
	record_put(&w, "ts", 2);
	tail_put(&w, t, upto);
	record_end(&w);
	record_flush(&w);
	fclose(f);
	return out;
}

int
main(void)
{
	char *field[] = { "42.5", "web", "", "x" };
	size_t len[] = { 4, 3, 0, 1 };
	struct tail t = { 0 };
	const char *p = NULL, *f;
	size_t n;
	char *out;

	ok(tail_size(len, 4) == 12, "size: the fields and a byte after each");
	ok(tail_size(len, 0) == 0, "size of none");

	out = put(&t, SIZE_MAX);
	is_str(out, "ts\n", "nothing kept: no fields");
	free(out);
	f = tail_field(&t, &p, &n);
	ok(n == 1 && memcmp(f, "-", 1) == 0, "nothing kept: a field reads -");

	tail_keep(&t, field, len, 4, 1024);
	ok(t.n == 4 && t.len == 12, "all four kept");
	out = put(&t, SIZE_MAX);
	is_str(out, "ts\t42.5\tweb\t\tx\n", "written as they came, the empty one too");
	free(out);
	out = put(&t, 1);
	is_str(out, "ts\t42.5\n", "at most upto of them");
	free(out);

	tail_keep(&t, field, len, 4, 9);
	ok(t.n == 4 && t.len == 9, "max 9 bytes: the first two kept, four counted");
	out = put(&t, SIZE_MAX);
	is_str(out, "ts\t42.5\tweb\t-\t-\n", "the fields past max read -");
	free(out);
	p = NULL;
	f = tail_field(&t, &p, &n);
	ok(n == 4 && memcmp(f, "42.5", 4) == 0, "first field");
	f = tail_field(&t, &p, &n);
	ok(n == 3 && memcmp(f, "web", 3) == 0, "second field");
	f = tail_field(&t, &p, &n);
	ok(n == 1 && *f == '-', "past the kept: -");
	tail_keep(&t, field, len, 4, 10);
	p = NULL;
	tail_field(&t, &p, &n);
	tail_field(&t, &p, &n);
	f = tail_field(&t, &p, &n);
	ok(t.len == 10 && n == 0 && f != NULL, "max 10 bytes: the empty third kept, not -");

	tail_keep(&t, field, len, 1, 1024);
	out = put(&t, SIZE_MAX);
	is_str(out, "ts\t42.5\n", "kept again, shorter: only the new");
	free(out);
	tail_free(&t);
	ok(t.b == NULL && t.n == 0 && t.cap == 0, "freed and zeroed");
	return tap_done();
}
