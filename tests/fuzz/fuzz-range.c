/*
 * fuzz-range: the Monitoring Plugins' ranges.  range_parse takes exactly
 * what the guidelines' grammar allows, read strictly (each bound all of a
 * finite decimal, start not above end); a range alerts by its
 * definition; with no margin, range_clear is not range_alerts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "range.h"

/* A whole bound: one finite strtod number of the characters a number has. */
static int
bound(const char *s, size_t len, double *v)
{
	char *end, *b;
	int ok;

	if (len == 0 || strspn(s, "+-0123456789.eE") < len)
		return 0;
	b = strndup(s, len);
	*v = strtod(b, &end);
	ok = *end == '\0' && isfinite(*v);
	free(b);
	return ok;
}

/* The grammar, written apart from range.c: [@] then END, START:, ~:, START:END or ~:END. */
static int
model(const char *s, struct range *r)
{
	const char *colon;

	r->inside = *s == '@';
	s += r->inside;
	r->lo = 0;
	r->hi = INFINITY;
	colon = strchr(s, ':');
	if (colon == NULL)
		return bound(s, strlen(s), &r->hi) && r->hi >= 0;
	if (strchr(colon + 1, ':') != NULL)
		return 0;
	if (colon == s + 1 && s[0] == '~')
		r->lo = -INFINITY;
	else if (colon > s && !bound(s, (size_t)(colon - s), &r->lo))
		return 0;
	if (colon[1] == '\0')
		return colon > s;
	return bound(colon + 1, strlen(colon + 1), &r->hi) && r->lo <= r->hi;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct range got, want;
	char *s;
	double probe[9];
	int ok, k, i, alerts;

	if (memchr(data, '\0', size) != NULL)
		return 0;
	s = fuzz_str(data, size);
	ok = range_parse(&got, s) == 0;
	k = model(s, &want);
	if (ok != k)
		fuzz_fail("range_parse(\"%s\") %s it, the grammar says %s", s,
		    ok ? "takes" : "refuses", k ? "take" : "refuse");
	if (ok) {
		if (got.lo != want.lo || got.hi != want.hi || got.inside != want.inside)
			fuzz_fail("range_parse(\"%s\") = %s%a:%a, the grammar says %s%a:%a", s,
			    got.inside ? "@" : "", got.lo, got.hi, want.inside ? "@" : "",
			    want.lo, want.hi);
		probe[0] = got.lo;
		probe[1] = got.hi;
		probe[2] = nextafter(got.lo, -INFINITY);
		probe[3] = nextafter(got.hi, INFINITY);
		probe[4] = 0;
		probe[5] = -1e300;
		probe[6] = 1e300;
		probe[7] = (got.lo + got.hi) / 2;
		probe[8] = -0.0;
		for (i = 0; i < 9; i++) {
			if (isnan(probe[i]))
				continue;
			alerts = (probe[i] >= got.lo && probe[i] <= got.hi) != !got.inside;
			if (range_alerts(&got, probe[i]) != alerts)
				fuzz_fail("\"%s\" at %a: range_alerts %d", s, probe[i], !alerts);
			if (range_clear(&got, probe[i], 0, range_side(&got, probe[i])) == alerts)
				fuzz_fail("\"%s\" at %a: range_clear with no margin is range_alerts", s,
				    probe[i]);
		}
	}
	free(s);
	return 0;
}
