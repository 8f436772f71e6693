/*
 * fuzz-metric: series identifiers.  metric_check takes exactly what a
 * POSIX regular expression of xm(7)'s grammar matches; an identifier it
 * takes, split here into its name and unescaped label values, is built
 * again by metric_build byte for byte (where no value holds a control
 * character, which metric_build makes '?').
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "metric.h"

#define LABEL "[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\[\\\\\"n])*\""

static regex_t re;

/*
 * The name and the labels of an identifier metric_check took, in place;
 * 0, or -1 if a value has a control character or there are too many.
 */
static int
split(char *s, const char **labels, size_t max)
{
	char *p = strchr(s, '{'), *o;
	size_t n = 0;

	labels[0] = NULL;
	if (p == NULL)
		return 0;
	*p++ = '\0';
	while (*p != '\0') {
		if (n + 2 >= max)
			return -1;
		labels[n++] = p;
		p = strchr(p, '=');
		*p = '\0';
		labels[n++] = o = p += 2;
		for (; *p != '"'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return -1;
			if (*p == '\\')
				*o++ = *++p == 'n' ? '\n' : *p;
			else
				*o++ = *p;
		}
		*o = '\0';
		p++;		/* past the quote, at ',' or '}' */
		p++;
	}
	labels[n] = NULL;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int compiled;
	const char *labels[2 * 64 + 1];
	char *s, *copy, built[METRIC_MAX];
	size_t n;
	int ok, want;

	if (!compiled++ && regcomp(&re, "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{" LABEL "(," LABEL ")*\\})?$",
	    REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	s = fuzz_str(data, size);
	ok = metric_check(s, size) == NULL;
	/* the regular expression cannot see past a NUL; a field never holds one */
	if (memchr(data, '\0', size) == NULL) {
		want = regexec(&re, s, 0, NULL, 0) == 0;
		if (ok != want)
			fuzz_fail("metric_check(\"%s\") %s it, the grammar says %s", s,
			    ok ? "takes" : "refuses", want ? "take" : "refuse");
		copy = strdup(s);
		if (ok && size < METRIC_MAX && split(copy, labels, sizeof labels / sizeof labels[0]) == 0) {
			n = metric_build(built, sizeof built, copy, labels);
			if (n != size || strcmp(built, s) != 0)
				fuzz_fail("metric_build gives \"%s\" back for \"%s\"", built, s);
		}
		free(copy);
	}
	free(s);
	return 0;
}
