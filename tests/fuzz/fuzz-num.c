/*
 * fuzz-num: the stream's numbers, each way against a second
 * implementation.  Parsing: accepted exactly when a POSIX regular
 * expression of xm(7)'s grammar matches and strtod gives a finite value,
 * and then to strtod's very double.  Formatting: printf's "%.10g", but
 * for the integers below 1e15 written in full, -0 written as 0, and the
 * largest doubles rounded down, not past the largest; what it writes
 * num_parse reads.
 */
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "num.h"

static regex_t value_re, ts_re;

static void
compile(void)
{
	static int done;

	if (done++)
		return;
	if (regcomp(&value_re, "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$",
	    REG_EXTENDED | REG_NOSUB) != 0 ||
	    regcomp(&ts_re, "^[0-9]+(\\.[0-9]+)?$", REG_EXTENDED | REG_NOSUB) != 0)
		abort();
}

/* num_format against printf, and a ts written back as it reads. */
static void
format(double v)
{
	char got[NUM_MAX], want[64];
	size_t n;
	double back;

	n = num_format(got, v);
	if (n != strlen(got))
		fuzz_fail("num_format(%a): length %zu for \"%s\"", v, n, got);
	if (v == 0)
		snprintf(want, sizeof want, "0");
	else if (fabs(v) < 1e15 && v == trunc(v))
		snprintf(want, sizeof want, "%.0f", v);
	else if (isnan(v))
		snprintf(want, sizeof want, "NaN");
	else if (isinf(v))
		snprintf(want, sizeof want, v > 0 ? "+Inf" : "-Inf");
	else if (fabs(v) >= 1.7976931345e308)
		snprintf(want, sizeof want, "%s1.797693134e+308", v < 0 ? "-" : "");
	else
		snprintf(want, sizeof want, "%.10g", v);
	if (strcmp(got, want) != 0)
		fuzz_fail("num_format(%a) = \"%s\", printf says \"%s\"", v, got, want);
	if (isfinite(v) && num_parse(got, &back) != 0)
		fuzz_fail("num_format(%a) = \"%s\", which num_parse refuses", v, got);
	if (v >= 0 && v < 1e15) {
		n = num_format_ts(got, v);
		if (n != strlen(got) || regexec(&ts_re, got, 0, NULL, 0) != 0)
			fuzz_fail("num_format_ts(%a) = \"%s\": not a ts", v, got);
		if (num_parse_ts(got, &back) != 0 || fabs(back - v) > 0.0005 + v * 1e-15)
			fuzz_fail("num_format_ts(%a) = \"%s\": not the ts to the ms", v, got);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	double v, ref;
	int ok, want;

	compile();
	/* the bytes as a string: parsed as a value and as a ts */
	if (memchr(data, '\0', size) == NULL) {
		ok = num_parse(s, &v) == 0;
		ref = strtod(s, NULL);
		want = regexec(&value_re, s, 0, NULL, 0) == 0 && isfinite(ref);
		if (ok != want)
			fuzz_fail("num_parse(\"%s\") %s, the grammar and strtod say %s", s,
			    ok ? "takes it" : "refuses it", want ? "take" : "refuse");
		if (ok && memcmp(&v, &ref, sizeof v) != 0)
			fuzz_fail("num_parse(\"%s\") = %a, strtod = %a", s, v, ref);
		if (ok)
			format(v);
		ok = num_parse_ts(s, &v) == 0;
		want = regexec(&ts_re, s, 0, NULL, 0) == 0 && isfinite(ref);
		if (ok != want)
			fuzz_fail("num_parse_ts(\"%s\") %s, the grammar says %s", s,
			    ok ? "takes it" : "refuses it", want ? "take" : "refuse");
		if (ok && v != ref)
			fuzz_fail("num_parse_ts(\"%s\") = %a, strtod = %a", s, v, ref);
	}
	/* the first eight bytes as a double, whatever its bits */
	if (size >= sizeof v) {
		memcpy(&v, data, sizeof v);
		format(v);
	}
	free(s);
	return 0;
}
