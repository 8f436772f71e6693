/* num.c: strict parsing and canonical formatting of stream numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

static const char *
digits(const char *s)
{
	while (*s >= '0' && *s <= '9')
		s++;
	return s;
}

/*
 * A value is a finite decimal: [+-] digits [. digits] [e [+-] digits],
 * with digits on at least one side of the point.  strtod alone would
 * also take "inf", "nan", hex floats and leading blanks.
 */
int
num_parse(const char *s, double *v)
{
	const char *p = s, *q;
	char *end;
	int mant;

	if (*p == '+' || *p == '-')
		p++;
	q = digits(p);
	mant = q > p;
	if (*q == '.') {
		p = q + 1;
		q = digits(p);
		mant |= q > p;
	}
	if (!mant)
		return -1;
	if (*q == 'e' || *q == 'E') {
		p = q + 1;
		if (*p == '+' || *p == '-')
			p++;
		q = digits(p);
		if (q == p)
			return -1;
	}
	if (*q != '\0')
		return -1;
	*v = strtod(s, &end);
	if (!isfinite(*v))
		return -1;
	return 0;
}

/* A timestamp: Unix seconds, digits with an optional fraction. */
int
num_parse_ts(const char *s, double *v)
{
	const char *q = digits(s);

	if (q == s)
		return -1;
	if (*q == '.') {
		const char *f = q + 1;

		q = digits(f);
		if (q == f)
			return -1;
	}
	if (*q != '\0')
		return -1;
	*v = strtod(s, NULL);
	return isfinite(*v) ? 0 : -1;
}

/* A duration: a plain decimal with an optional unit ms, s, m, h or d. */
int
num_parse_seconds(const char *s, double *v)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {
		{ "", 1 }, { "s", 1 }, { "ms", 0.001 }, { "m", 60 },
		{ "h", 3600 }, { "d", 86400 },
	};
	const char *q = digits(s), *f;
	size_t i;

	if (*q == '.') {
		f = q + 1;
		q = digits(f);
		if (q == f)
			return -1;
	}
	if (q == s)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(q, units[i].unit) == 0) {
			*v = strtod(s, NULL) * units[i].scale;
			return isfinite(*v) ? 0 : -1;
		}
	}
	return -1;
}

/* A count: plain decimal digits, at most max. */
int
num_parse_count(const char *s, unsigned long long max, unsigned long long *v)
{
	unsigned long long n = 0;
	unsigned d;
	const char *p;

	if (*s == '\0')
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		d = (unsigned)(*p - '0');
		if (n > max / 10 || (n == max / 10 && d > max % 10))
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

static size_t
format_uint(char *buf, unsigned long long n)
{
	char tmp[24];
	size_t i = 0, len;

	do {
		tmp[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	len = i;
	while (i)
		*buf++ = tmp[--i];
	*buf = '\0';
	return len;
}

/*
 * Integers below 1e15 are written exactly, in full (byte counters stay
 * exact and awk-friendly); anything else with 10 significant digits,
 * the precision xm(7) promises.  -0 is written as 0.
 */
size_t
num_format(char buf[NUM_MAX], double v)
{
	int n;

	if (v == 0) {
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}
	if (fabs(v) < 1e15 && v == (double)(long long)v) {
		if (v < 0) {
			buf[0] = '-';
			return 1 + format_uint(buf + 1, (unsigned long long)-v);
		}
		return format_uint(buf, (unsigned long long)v);
	}
	if (isnan(v))
		n = snprintf(buf, NUM_MAX, "NaN");
	else if (isinf(v))
		n = snprintf(buf, NUM_MAX, v > 0 ? "+Inf" : "-Inf");
	else
		n = snprintf(buf, NUM_MAX, "%.10g", v);
	return (size_t)n;
}

/* Timestamps to the millisecond, without trailing zeros. */
size_t
num_format_ts(char buf[NUM_MAX], double ts)
{
	unsigned long long ms;
	size_t len;
	unsigned frac;

	if (!(ts >= 0) || ts >= 1e15)
		return num_format(buf, ts);
	ms = (unsigned long long)(ts * 1000 + 0.5);
	len = format_uint(buf, ms / 1000);
	frac = (unsigned)(ms % 1000);
	if (frac) {
		buf[len++] = '.';
		buf[len++] = (char)('0' + frac / 100);
		buf[len++] = (char)('0' + frac / 10 % 10);
		buf[len++] = (char)('0' + frac % 10);
		while (buf[len - 1] == '0')
			len--;
		buf[len] = '\0';
	}
	return len;
}
