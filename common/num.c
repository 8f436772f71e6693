/* num.c: strict parsing and canonical formatting of stream numbers. */
#include <math.h>
#include <stdint.h>
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

/* The powers of ten a double holds exactly. */
static const double exact10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
	1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Read a decimal with optional sign, fraction and exponent (each as the
 * caller allows) that ends at the NUL.  When its significant digits fit
 * in 53 bits and its exponent within 10^22, the value is one multiply or
 * divide of two exact doubles, so correctly rounded (Clinger's fast
 * path); that is nearly every number a sampler writes.  Anything else
 * is left to strtod.
 */
/*
 * Eight ASCII digits at p, as a number (the SWAR method of simdjson's
 * parse_eight_digits_unrolled); -1 if they are not all digits.
 */
static inline long long
eight_digits(const char *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	memcpy(&w, p, 8);
	if (((w & 0xF0F0F0F0F0F0F0F0ULL) |
	    (((w + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) != 0x3333333333333333ULL)
		return -1;
	w -= 0x3030303030303030ULL;
	w = w * 10 + (w >> 8);
	w = ((w & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	    ((w >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
	return (long long)w;
#else
	(void)p;
	return -1;
#endif
}

/* The digits from p on, before end, into m: where they stop. */
static inline const char *
run_of_digits(const char *p, const char *end, unsigned long long *m)
{
	unsigned long long v = *m;
	long long d8;
	unsigned d;

	while (end - p >= 8 && (d8 = eight_digits(p)) >= 0) {
		v = v * 100000000 + (unsigned long long)d8;
		p += 8;
	}
	for (; p < end && (d = (unsigned)(unsigned char)*p - '0') < 10; p++)
		v = v * 10 + d;
	*m = v;
	return p;
}

static int
scan(const char *s, const char *end, int signed_exp, double *v)
{
	const char *p = s, *q;
	unsigned long long m = 0;
	long e = 0, x = 0;
	int sig = 0, many = 0, xneg = 0, ok;
	long whole, frac = 0;
	double r;

	if (signed_exp && (*p == '+' || *p == '-'))
		p++;
	/* Nearly every number: nineteen digits at most, no exponent. */
	q = run_of_digits(p, end, &m);
	whole = q - p;
	if (*q == '.') {
		const char *f = q + 1;

		q = run_of_digits(f, end, &m);
		frac = q - f;
		ok = whole + frac > 0 && (signed_exp || (whole > 0 && frac > 0));
	} else {
		ok = whole > 0;
	}
	if (ok && *q == '\0' && whole + frac <= 19) {
		if (m == 0) {
			r = 0;
		} else if (m <= (1ULL << 53) && frac <= 22) {
			r = (double)m;
			r = frac > 0 ? r / exact10[frac] : r;
		} else {
			r = strtod(p, NULL);
		}
		*v = *s == '-' ? -r : r;
		return 0;
	}
	m = 0;
	e = 0;
	for (q = p; *q >= '0' && *q <= '9'; q++) {
		if (sig < 19) {
			m = m * 10 + (unsigned)(*q - '0');
			sig += m != 0;
		} else {
			many = 1;
			e++;
		}
	}
	if (q == p && !signed_exp)
		return -1;	/* a timestamp has whole seconds */
	if (*q == '.') {
		const char *f = ++q;

		for (; *q >= '0' && *q <= '9'; q++) {
			if (sig < 19) {
				m = m * 10 + (unsigned)(*q - '0');
				sig += m != 0;
				e--;
			} else {
				many = 1;
			}
		}
		if (q == f && q - 1 == p)
			return -1;	/* "." alone */
		if (q == f && !signed_exp)
			return -1;	/* a timestamp's fraction has digits */
	} else if (q == p) {
		return -1;
	}
	if (signed_exp && (*q == 'e' || *q == 'E')) {
		q++;
		if (*q == '+' || *q == '-')
			xneg = *q++ == '-';
		if (!(*q >= '0' && *q <= '9'))
			return -1;
		for (; *q >= '0' && *q <= '9'; q++)
			if (x < 100000)
				x = x * 10 + (*q - '0');
		e += xneg ? -x : x;
	}
	if (*q != '\0')
		return -1;
	if (m == 0) {
		r = 0;
	} else if (!many && m <= (1ULL << 53) && e >= -22 && e <= 22) {
		r = (double)m;
		r = e < 0 ? r / exact10[-e] : r * exact10[e];
	} else {
		r = strtod(p, NULL);
	}
	if (!isfinite(r))
		return -1;
	*v = *s == '-' ? -r : r;
	return 0;
}

/*
 * A value is a finite decimal: [+-] digits [. digits] [e [+-] digits],
 * with digits on at least one side of the point.  strtod alone would
 * also take "inf", "nan", hex floats and leading blanks.
 */
int
num_parse(const char *s, double *v)
{
	return scan(s, s + strlen(s), 1, v);
}

/* num_parse of s, whose length is known: len bytes, a NUL after them. */
int
num_parse_n(const char *s, size_t len, double *v)
{
	return scan(s, s + len, 1, v);
}

/* A timestamp: Unix seconds, digits with an optional fraction. */
int
num_parse_ts(const char *s, double *v)
{
	return scan(s, s + strlen(s), 0, v);
}

int
num_parse_ts_n(const char *s, size_t len, double *v)
{
	return scan(s, s + len, 0, v);
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

static const char pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* How many decimal digits n has. */
static size_t
ndigits(unsigned long long n)
{
	size_t k = 1;

	for (; n >= 10000; n /= 10000)
		k += 4;
	return k + (n >= 10) + (n >= 100) + (n >= 1000);
}

/* n in decimal, two digits a step, written from the end backwards. */
static size_t
format_uint(char *buf, unsigned long long n)
{
	size_t len = ndigits(n), i = len;

	while (n >= 100) {
		i -= 2;
		buf[i] = pairs[2 * (n % 100)];
		buf[i + 1] = pairs[2 * (n % 100) + 1];
		n /= 100;
	}
	if (n >= 10) {
		buf[0] = pairs[2 * n];
		buf[1] = pairs[2 * n + 1];
	} else {
		buf[0] = (char)('0' + n);
	}
	buf[len] = '\0';
	return len;
}

/*
 * The ten significant digits of a (> 0) with decimal exponent e, that is
 * a rounded to an integer in [10^9, 10^10) after scaling by 10^(9 - e).
 * The scaling is one correctly rounded operation on exact operands, off
 * by at most 1.2e-6 here, so its rounding is printf's unless the scaled
 * value is that close to a half.  Such a near tie (an 11-digit decimal
 * ending in 5 gives one) and a scale past 10^22 come back as -1, for
 * printf to settle.
 */
static long long
ten_digits(double a, int e, long long *whole)
{
	double x, f;
	long long m;
	int k = 9 - e;

	*whole = -1;
	if (k > 22 || k < -22)
		return -1;
	x = k >= 0 ? a * exact10[k] : a / exact10[-k];
	*whole = m = (long long)x;
	f = x - (double)m;	/* exact: x < 2^34 */
	if (f > 0.5 - 4e-6 && f < 0.5 + 4e-6)
		return -1;
	return f > 0.5 ? m + 1 : m;
}

static size_t
put_digits(char *o, const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		o[i] = d[i];
	return n;
}

/*
 * Integers below 1e15 are written exactly, in full (byte counters stay
 * exact and awk-friendly); anything else as printf's "%.10g" would, the
 * precision xm(7) promises, without printf's cost (about a tenth).
 * -0 is written as 0, and the few doubles that printf would round past
 * the largest one are rounded down.
 */
size_t
num_format(char buf[NUM_MAX], double v)
{
	char d[12];
	double a = fabs(v);
	unsigned long long bits;
	unsigned hi, lo;
	long long m, whole;
	size_t n, o = 0;
	int e, i;

	if (v == 0) {
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}
	if (a < 1e15 && v == (double)(long long)v) {
		if (v < 0) {
			buf[0] = '-';
			return 1 + format_uint(buf + 1, (unsigned long long)-v);
		}
		return format_uint(buf, (unsigned long long)v);
	}
	if (isnan(v))
		return (size_t)snprintf(buf, NUM_MAX, "NaN");
	if (isinf(v))
		return (size_t)snprintf(buf, NUM_MAX, v > 0 ? "+Inf" : "-Inf");
	/* ten digits rounded up past the largest double would read back as no number */
	if (a >= 1.7976931345e308)
		return (size_t)snprintf(buf, NUM_MAX, "%s1.797693134e+308", v < 0 ? "-" : "");
	/*
	 * The decimal exponent: a first guess from the binary one, mended by
	 * the digits before rounding, which a value just under a power of ten
	 * rounds up to (9.9999999996e-05 is 1e-04, not 10000000000e-14).  A
	 * rounding that carries into an eleventh digit is printf's to settle.
	 */
	memcpy(&bits, &a, sizeof bits);
	e = (int)((bits >> 52) & 0x7ff) - 1023;
	e = (int)(e * 0.30102999566398120);
	m = ten_digits(a, e, &whole);
	if (whole >= 0 && whole < 1000000000LL)
		m = ten_digits(a, --e, &whole);
	else if (whole >= 10000000000LL)
		m = ten_digits(a, ++e, &whole);
	if (m < 1000000000LL || m >= 10000000000LL || whole < 1000000000LL ||
	    whole >= 10000000000LL)
		return (size_t)snprintf(buf, NUM_MAX, "%.10g", v);
	/* Two halves of five digits each, so the divisions do not wait on each other. */
	hi = (unsigned)(m / 100000);
	lo = (unsigned)(m % 100000);
	d[0] = (char)('0' + hi / 10000);
	memcpy(d + 1, pairs + 2 * (hi / 100 % 100), 2);
	memcpy(d + 3, pairs + 2 * (hi % 100), 2);
	d[5] = (char)('0' + lo / 10000);
	memcpy(d + 6, pairs + 2 * (lo / 100 % 100), 2);
	memcpy(d + 8, pairs + 2 * (lo % 100), 2);
	for (n = 10; d[n - 1] == '0'; n--)
		;
	if (v < 0)
		buf[o++] = '-';
	if (e < -4 || e >= 10) {
		/* d.ddde+XX, as %g past its precision */
		buf[o++] = d[0];
		if (n > 1) {
			buf[o++] = '.';
			o += put_digits(buf + o, d + 1, n - 1);
		}
		buf[o++] = 'e';
		buf[o++] = e < 0 ? '-' : '+';
		if (e < 0)
			e = -e;
		if (e >= 100)
			buf[o++] = (char)('0' + e / 100);
		buf[o++] = (char)('0' + e / 10 % 10);
		buf[o++] = (char)('0' + e % 10);
	} else if (e < 0) {
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = -1; i > e; i--)
			buf[o++] = '0';
		o += put_digits(buf + o, d, n);
	} else if ((size_t)e + 1 >= n) {
		o += put_digits(buf + o, d, n);
		for (i = (int)n; i <= e; i++)
			buf[o++] = '0';
	} else {
		o += put_digits(buf + o, d, (size_t)e + 1);
		buf[o++] = '.';
		o += put_digits(buf + o, d + e + 1, n - (size_t)e - 1);
	}
	buf[o] = '\0';
	return o;
}

/*
 * An integer as it is, every digit (a counter read from the kernel):
 * 18446744073709551615 at most, past what a double holds exactly.
 */
size_t
num_format_u64(char buf[NUM_MAX], unsigned long long n)
{
	return format_uint(buf, n);
}

/*
 * Timestamps to the millisecond, without trailing zeros, and never in
 * exponent notation (xm(7) wants digits and a point only).
 */
size_t
num_format_ts(char buf[NUM_MAX], double ts)
{
	unsigned long long ms;
	size_t len;
	unsigned frac;

	if (!(ts >= 0))
		ts = 0;
	if (ts >= 1e15)
		return (size_t)snprintf(buf, NUM_MAX, "%.0f", ts < 1e20 ? ts : 1e20);
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

/*
 * Seconds as people read a span: 3d4h, 2h5m, 3m20s, 45s; to the second,
 * nothing below 0 nor past 1e15.
 */
size_t
num_format_span(char buf[NUM_MAX], double secs)
{
	long long t = isfinite(secs) && secs > 0 ? llround(secs < 1e15 ? secs : 1e15) : 0;

	if (t >= 86400)
		return (size_t)snprintf(buf, NUM_MAX, "%lldd%lldh", t / 86400, t % 86400 / 3600);
	if (t >= 3600)
		return (size_t)snprintf(buf, NUM_MAX, "%lldh%lldm", t / 3600, t % 3600 / 60);
	if (t >= 60)
		return (size_t)snprintf(buf, NUM_MAX, "%lldm%llds", t / 60, t % 60);
	return (size_t)snprintf(buf, NUM_MAX, "%llds", t);
}

/*
 * v as exactly as a float64 holds it: in the fewest digits that read
 * back as v (17 at most), so that a count past 10^15 or a time to the
 * millisecond keeps every digit, where num_format keeps ten.
 */
void
num_format_exact(char buf[NUM_MAX], double v)
{
	int prec;

	/* a whole number in full, as a count is written; past 10^17, an exponent */
	if (v == floor(v) && fabs(v) < 1e17) {
		snprintf(buf, NUM_MAX, "%.0f", v);
		return;
	}
	/* no fewer digits than the whole part has, so no exponent below 10^17 */
	prec = fabs(v) >= 1 && fabs(v) < 1e17 ? (int)floor(log10(fabs(v))) + 1 : 1;
	for (; prec < 17; prec++) {
		snprintf(buf, NUM_MAX, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, NUM_MAX, "%.17g", v);
}

/*
 * Whether s is a number as JSON spells one, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
 * which InfluxDB's line protocol takes as a float too.
 */
int
num_is_json(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return 0;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		if (*++s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	return *s == '\0';
}
