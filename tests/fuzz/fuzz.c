/*
 * fuzz.c: the targets' helpers.  A property that does not hold aborts
 * with its reason, which libFuzzer reports as a crash and keeps the
 * input for; the replay of the corpus in make check does the same.
 */
#include <sys/mman.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz: ", stdout);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	abort();
}

/*
 * The programs' messages about bad input are expected by the thousand:
 * their stream, not descriptor 2, goes to /dev/null, so that libFuzzer's
 * and the sanitizers' reports still come out.
 */
void
fuzz_quiet(void)
{
	static int done;
	FILE *null;

	if (done++)
		return;
	if ((null = fopen("/dev/null", "w")) != NULL)
		stderr = null;
}

/* The input as a C string: a copy with a NUL after it. */
char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A descriptor reading the input from its start, as a file or a pipe would give it. */
int
fuzz_fd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd == -1 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/*
 * A state loader's round trip.  load_save(arg, data, size, &text, &len)
 * loads the bytes and says why it will not take them, or takes them and
 * saves what it took into text (left NULL where it may not: xm-alert's
 * rules changed).  A state saved must load again and save the same bytes.
 */
void
fuzz_round_trip(const uint8_t *data, size_t size, fuzz_load_save load_save, void *arg)
{
	char *first = NULL, *again = NULL;
	size_t flen = 0, alen = 0;
	const char *why;

	if (load_save(arg, data, size, &first, &flen) != NULL || first == NULL)
		return;
	if ((why = load_save(arg, (const uint8_t *)first, flen, &again, &alen)) != NULL)
		fuzz_fail("a state saved is refused: %s\n%s", why, first);
	if (again == NULL || flen != alen || memcmp(first, again, flen) != 0)
		fuzz_fail("a state saved, loaded and saved again differs:\n%s\n---\n%s", first,
		    again ? again : "(not saved)");
	free(first);
	free(again);
}
