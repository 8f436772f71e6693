/*
 * range.c: the Monitoring Plugins' threshold ranges, parsed as their
 * development guidelines define them, but strictly: where their own
 * parser reads "abc" or "10x" as 0 and 10 by strtod, a range here must be
 * numbers and nothing else.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "range.h"
#include "xm.h"

/* A finite decimal, as the stream writes numbers: the whole of s[0..len). */
static int
bound(const char *s, size_t len, double *v)
{
	char *b = xm_strndup(s, len);
	int rc = num_parse(b, v);

	free(b);
	return rc;
}

/* -1 for a string that is not a range. */
int
range_parse(struct range *r, const char *s)
{
	const char *colon;

	r->inside = *s == '@';
	if (r->inside)
		s++;
	r->lo = 0;
	r->hi = INFINITY;
	if ((colon = strchr(s, ':')) == NULL) {
		if (bound(s, strlen(s), &r->hi) != 0)
			return -1;
		return r->lo <= r->hi ? 0 : -1;
	}
	/* "~:" is open below, ":5" starts at 0, "10:" is open above; ":" alone says nothing */
	if (colon - s == 1 && *s == '~')
		r->lo = -INFINITY;
	else if (colon > s && bound(s, (size_t)(colon - s), &r->lo) != 0)
		return -1;
	if (colon[1] == '\0')
		return colon > s ? 0 : -1;
	if (bound(colon + 1, strlen(colon + 1), &r->hi) != 0)
		return -1;
	return r->lo <= r->hi ? 0 : -1;
}

/* Whether v raises the alert. */
int
range_alerts(const struct range *r, double v)
{
	int in = v >= r->lo && v <= r->hi;

	return r->inside ? in : !in;
}

/*
 * The side an alerting value of an outside range is on: 1 above it, -1
 * below it; 0 for an inside ("@") range, which a value leaves either way.
 */
int
range_side(const struct range *r, double v)
{
	if (r->inside)
		return 0;
	return v > r->hi ? 1 : -1;
}

/*
 * Whether v is clear of the alert by at least margin: that far inside
 * the quiet part of the range from the bound the alert crossed (side as
 * range_side gives it; 0 for both bounds).  A value that falls from
 * above "80" to 0 is clear of it whatever the margin: the bound at 0 is
 * not the one it crossed.  With margin 0, !range_alerts.
 */
int
range_clear(const struct range *r, double v, double margin, int side)
{
	double lo = r->lo, hi = r->hi;

	if (r->inside)
		return v < lo - margin || v > hi + margin;
	/* a margin as wide as the range moves its bound no further than the other */
	if (side >= 0)
		hi = hi - margin > lo ? hi - margin : lo;
	if (side <= 0)
		lo = lo + margin < hi ? lo + margin : hi;
	return v >= lo && v <= hi;
}

/*
 * Whether inner, a higher level's range, is in order with outer, a
 * lower one's: on each side where both alert, inner's bound no nearer
 * the quiet middle than outer's, so that a value critical there is a
 * warning too; inside ("@") ranges, inner within outer.  Ranges that
 * alert on different sides, or of the two kinds, have no order to keep:
 * "warn=~:5 crit=-10:10" is a rule with a floor of its own for crit.
 */
int
range_within(const struct range *outer, const struct range *inner)
{
	if (outer->inside != inner->inside)
		return 1;
	if (inner->inside)
		return inner->lo >= outer->lo && inner->hi <= outer->hi;
	if (isfinite(inner->hi) && isfinite(outer->hi) && inner->hi < outer->hi)
		return 0;
	return !(isfinite(inner->lo) && isfinite(outer->lo) && inner->lo > outer->lo);
}
