/* range.h: the threshold ranges of the Monitoring Plugins (Nagios) guidelines. */
#ifndef RANGE_H
#define RANGE_H

/*
 * "10" alerts outside 0..10, "10:" below 10, "~:10" above 10, "10:20"
 * outside 10..20, "@10:20" inside 10..20; the bounds are inclusive.
 */
struct range {
	double	 lo, hi;	/* -inf and +inf where a side is open */
	int	 inside;	/* "@": alert inside, not outside */
};

int	 range_parse(struct range *, const char *);
int	 range_alerts(const struct range *, double);
int	 range_side(const struct range *, double);
int	 range_clear(const struct range *, double, double, int);
int	 range_within(const struct range *, const struct range *);

#endif
