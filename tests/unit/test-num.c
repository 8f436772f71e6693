/* test-num: strict parsing and canonical formatting of stream numbers. */
#include <math.h>
#include <stdio.h>
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
	ok(num_parse_ts("", &v) == -1, "empty ts fails");

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
	return tap_done();
}
