/* test-num: strict parsing and canonical formatting of stream numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "tap.h"

static void
parse_ok(const char *s, double want)
{
	double v = -12345;

	ok(num_parse(s, &v) == 0 && v == want, "num_parse(\"%s\") = %.17g", s, want);
}

static void
parse_bad(const char *s)
{
	double v;

	ok(num_parse(s, &v) == -1, "num_parse(\"%s\") fails", s);
}

static void
format(double v, const char *want)
{
	char buf[NUM_MAX];
	size_t n = num_format(buf, v);

	ok(n == strlen(want) && is_str(buf, want, "num_format"), "  of %.17g", v);
}

static void
format_ts(double v, const char *want)
{
	char buf[NUM_MAX];

	is_str((num_format_ts(buf, v), buf), want, "num_format_ts");
}

static void
seconds(const char *s, int rc, double want)
{
	double v = -1;

	ok(num_parse_seconds(s, &v) == rc && (rc != 0 || v == want),
	    "num_parse_seconds(\"%s\") %s", s, rc ? "fails" : "parses");
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* num_format against printf("%.10g"), or "%.0f" for the whole numbers it writes in full. */
static void
format_matches_printf(void)
{
	char got[NUM_MAX], want[64];
	unsigned long long bits;
	int i, bad = 0, shown = 0;
	double v;

	for (i = 0; i < 2000000; i++) {
		switch (i % 4) {
		case 0:		/* any finite double */
			do {
				bits = next();
				memcpy(&v, &bits, sizeof v);
			} while (!isfinite(v));
			break;
		case 1:		/* magnitudes a sampler sees, 1e-8 to 1e16 */
			v = (double)(next() >> 11) * 0x1.0p-53 * pow(10, (double)(next() % 25) - 8);
			break;
		case 2:		/* short decimals: ties and carries */
			v = (double)(long long)(next() % 100000000000ULL) / pow(10, (double)(next() % 12));
			break;
		default:	/* near powers of ten */
			v = nextafter(pow(10, (double)(next() % 40) - 20), (next() & 1) ? 0 : 1e300);
			break;
		}
		if (next() & 1)
			v = -v;
		num_format(got, v);
		if (fabs(v) < 1e15 && v == (double)(long long)v)
			snprintf(want, sizeof want, "%.0f", v == 0 ? 0 : v);
		else
			snprintf(want, sizeof want, "%.10g", v);
		if (strcmp(got, want) != 0) {
			if (shown++ < 5)
				printf("#   %.17g: got %s, printf %s\n", v, got, want);
			bad++;
		}
	}
	ok(bad == 0, "num_format matches printf on 2000000 values (%d differ)", bad);
}

/* num_parse against strtod, bit for bit, on random decimal text. */
static void
parse_matches_strtod(void)
{
	char text[64];
	double got, got_n, want;
	int i, k, n, bad = 0, shown = 0;
	size_t o;

	for (i = 0; i < 1000000; i++) {
		o = 0;
		if (next() % 4 == 0)
			text[o++] = '-';
		n = 1 + (int)(next() % 22);
		for (k = 0; k < n; k++) {
			if (k == (int)(next() % (unsigned)(n + 1)) && strchr(text, '.') == NULL)
				text[o++] = '.';
			text[o++] = (char)('0' + next() % 10);
		}
		text[o] = '\0';
		if (next() % 3 == 0)
			o += (size_t)snprintf(text + o, sizeof text - o, "e%d", (int)(next() % 60) - 30);
		memset(strchr(text, '\0'), 0, sizeof text - strlen(text));
		want = strtod(text, NULL);
		if (num_parse(text, &got) != 0 || memcmp(&got, &want, sizeof got) != 0 ||
		    num_parse_n(text, strlen(text), &got_n) != 0 ||
		    memcmp(&got_n, &want, sizeof got) != 0) {
			if (shown++ < 5)
				printf("#   \"%s\": got %.17g, strtod %.17g\n", text, got, want);
			bad++;
		}
	}
	ok(bad == 0, "num_parse and num_parse_n match strtod on 1000000 decimals (%d differ)", bad);
}

int
main(void)
{
	unsigned long long n;
	double v;

	parse_ok("0", 0);
	parse_ok("12.5", 12.5);
	parse_ok("-3", -3);
	parse_ok("+7.", 7);
	parse_ok(".25", 0.25);
	parse_ok("1e3", 1000);
	parse_ok("1.5E-3", 0.0015);
	parse_ok("1e-320", 1e-320);	/* subnormal: tiny, yet finite */
	parse_ok("1.7976931348623157e308", 1.7976931348623157e308);
	parse_bad("");
	parse_bad("abc");
	parse_bad(" 1");
	parse_bad("1 ");
	parse_bad("12,5");
	parse_bad(".");
	parse_bad("-");
	parse_bad("1e");
	parse_bad("1e+");
	parse_bad("inf");
	parse_bad("nan");
	parse_bad("NaN");
	parse_bad("0x10");
	parse_bad("1e999");
	parse_bad("--1");

	ok(num_parse_ts("1764311214.250", &v) == 0 && v == 1764311214.25, "ts with fraction");
	ok(num_parse_ts("0", &v) == 0 && v == 0, "ts zero");
	ok(num_parse_ts("-1", &v) == -1, "negative ts fails");
	ok(num_parse_ts("1e9", &v) == -1, "ts with exponent fails");
	ok(num_parse_ts("12.", &v) == -1, "ts with empty fraction fails");
	ok(num_parse_ts(".5", &v) == -1, "ts without whole seconds fails");
	ok(num_parse_ts("+5", &v) == -1, "ts with a sign fails");
	ok(num_parse_ts("", &v) == -1, "empty ts fails");
	ok(num_parse_ts_n("1764311214", 10, &v) == 0 && v == 1764311214, "ts, its length known");
	ok(num_parse_ts_n("17643112.4", 10, &v) == 0 && v == 17643112.4, "ts, eight digits and a fraction");
	ok(num_parse_n("1234567/9", 9, &v) == -1, "eight bytes that are not all digits fail");
	ok(num_parse_n("12345678:", 9, &v) == -1, "a colon after eight digits fails");
	ok(num_parse_n("123456781234567812", 18, &v) == 0 && v == 123456781234567812.0,
	    "eighteen digits, eight at a time");

	format(60, "60");
	format(0.1, "0.1");
	format(12.5, "12.5");
	format(1234567891234.5, "1.234567891e+12");
	format(-0.0, "0");
	format(-3, "-3");
	format(25769803776.0, "25769803776");
	format(999999999999999.0, "999999999999999");
	format(1e15, "1e+15");
	format(1.0 / 3, "0.3333333333");
	format(-2.5e-7, "-2.5e-07");
	format(NAN, "NaN");
	format(-INFINITY, "-Inf");

	format_ts(1764311214.25, "1764311214.25");
	format_ts(1764311214.0, "1764311214");
	format_ts(1764311214.1, "1764311214.1");
	format_ts(1764311214.007, "1764311214.007");
	format_ts(1764311214.9996, "1764311215");
	format_ts(1e15, "1000000000000000");
	format_ts(-5, "0");

	seconds("10", 0, 10);
	seconds("0.5", 0, 0.5);
	seconds(".5", 0, 0.5);
	seconds("250ms", 0, 0.25);
	seconds("10s", 0, 10);
	seconds("5m", 0, 300);
	seconds("1.5h", 0, 5400);
	seconds("2d", 0, 172800);
	seconds("", -1, 0);
	seconds("-1", -1, 0);
	seconds("1x", -1, 0);
	seconds("1e3", -1, 0);
	seconds("5.", -1, 0);
	seconds("m", -1, 0);

	ok(num_parse_count("0", 10, &n) == 0 && n == 0, "count 0");
	ok(num_parse_count("100", 100, &n) == 0 && n == 100, "count at max");
	ok(num_parse_count("101", 100, &n) == -1, "count over max fails");
	ok(num_parse_count("18446744073709551615", ~0ULL, &n) == 0 && n == ~0ULL,
	    "count up to 2^64-1");
	ok(num_parse_count("18446744073709551616", ~0ULL, &n) == -1, "count past 2^64-1 fails");
	ok(num_parse_count("9", 5, &n) == -1, "count digit over small max fails");
	ok(num_parse_count("-1", 10, &n) == -1, "negative count fails");
	ok(num_parse_count("1.5", 10, &n) == -1, "fractional count fails");
	ok(num_parse_count("", 10, &n) == -1, "empty count fails");

	format(1234567890.5, "1234567890");	/* an exact tie rounds to even */
	format(1234567891.5, "1234567892");
	format(9999999999.7, "1e+10");
	format(0.00012345678915, "0.0001234567891");	/* the double is below the tie */
	format(6004.5609015, "6004.560901");			/* by 6e-17 */
	format(1e-5 * 1.5, "1.5e-05");
	format(123456789012.25, "1.23456789e+11");
	format(-1e-300 * 1.25, "-1.25e-300");
	/* just under a power of ten, by less than the tenth digit: found by fuzz-num */
	format(-0x1.fffffffff2cffp+1023, "-1.797693134e+308");
	format(1.7976931348623157e308, "1.797693134e+308");
	format(1.7976931344e308, "1.797693134e+308");
	format(0x1.a36e2eb1100dfp-14, "9.999999999e-05");
	format(9.99999999949e-05, "9.999999999e-05");
	format(9.99999999951e-05, "0.0001");
	format_matches_printf();
	parse_matches_strtod();
	return tap_done();
}
