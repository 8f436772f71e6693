/* tap.c: TAP output for the C unit tests; tap_done is main's return value. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static int planned, failed;

int
ok(int pass, const char *fmt, ...)
{
	va_list ap;

	planned++;
	if (!pass)
		failed++;
	printf("%s %d - ", pass ? "ok" : "not ok", planned);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return pass;
}

int
is_str(const char *got, const char *want, const char *name)
{
	int pass = got != NULL && strcmp(got, want) == 0;

	if (!ok(pass, "%s", name))
		printf("#   got:  \"%s\"\n#   want: \"%s\"\n", got ? got : "(null)", want);
	return pass;
}

int
is_num(double got, double want, const char *name)
{
	int pass = got == want;

	if (!ok(pass, "%s", name))
		printf("#   got:  %.17g\n#   want: %.17g\n", got, want);
	return pass;
}

/* A number below n from a xorshift generator: the same on every run. */
unsigned
tap_rand(unsigned n)
{
	static unsigned long long rng = 0x2545F4914F6CDD1DULL;

	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

int
tap_done(void)
{
	printf("1..%d\n", planned);
	fflush(stdout);
	return failed != 0;
}

/* A comment line in the TAP stream: why a test is about to fail. */
void
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}
