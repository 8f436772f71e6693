/* test-metric: series identifiers, checked and built. */
#include <stdio.h>
#include <string.h>

#include "metric.h"
#include "tap.h"

static void
valid(const char *s)
{
	const char *why = metric_check(s, strlen(s));

	ok(why == NULL, "valid: %s%s%s", s, why ? " -- " : "", why ? why : "");
}

static void
invalid(const char *s, const char *want)
{
	is_str(metric_check(s, strlen(s)), want, s);
}

/* s put in order by metric_sort, which must say it was not already exactly when it changes. */
static void
sorts_to(const char *s, const char *want)
{
	char buf[256];
	size_t n = strlen(s);

	snprintf(buf, sizeof buf, "%s", s);
	metric_sort(buf, n);
	is_str(buf, want, s);
	ok(metric_sorted(s, n) == (strcmp(s, want) == 0), "  metric_sorted says %s",
	    strcmp(s, want) == 0 ? "in order" : "out of order");
}

/* A metric of n bytes: m{a="vvv..."}. */
static const char *
of_length(char *buf, size_t n)
{
	memcpy(buf, "m{a=\"", 5);
	memset(buf + 5, 'v', n - 7);
	memcpy(buf + n - 2, "\"}", 3);
	return buf;
}

int
main(void)
{
	char big[METRIC_MAX + 2];
	const char *const mp[] = { "mountpoint", "/", NULL };
	const char *const two[] = { "pid", "42", "comm", "a\"b\\c\nd\te\x1b", NULL };
	char buf[METRIC_MAX];
	const char *m, *v;
	size_t n, ml;

	valid("cpu_usage_percent");
	valid("a");
	valid(":a:b_c9");
	valid("_x");
	valid("disk_usage_percent{mountpoint=\"/\"}");
	valid("network_receive_bytes_per_second{device=\"eth0\"}");
	valid("x{a=\"b\",c_2=\"\"}");
	valid("x{a=\"q\\\"uote \\\\ new\\nline { } , = ✓\"}");

	invalid("", "empty metric name");
	invalid("9lives", "metric name must start with a letter, '_' or ':'");
	invalid("a-b", "bad character in metric name");
	invalid("a b", "bad character in metric name");
	invalid("x{}", "bad label name");
	invalid("x{9=\"a\"}", "bad label name");
	invalid("x{a:b=\"c\"}", "label name not followed by '='");
	invalid("x{a}", "label name not followed by '='");
	invalid("x{a=b}", "label value not quoted");
	invalid("x{a=\"b}", "unterminated label value");
	invalid("x{a=\"\\t\"}", "bad escape in label value");
	invalid("x{a=\"b\"", "missing '}'");
	invalid("x{a=\"b\",}", "bad label name");
	invalid("x{a=\"b\";c=\"d\"}", "expected ',' or '}' after label value");
	invalid("x{a=\"b\"}y", "text after '}'");

	/* what would make a whole exposition invalid */
	invalid("m{a=\"1\",a=\"2\"}", "label name used twice");
	invalid("m{b=\"1\",a=\"2\",b=\"3\"}", "label name used twice");
	invalid("m{a=\"1\",b=\"2\",c=\"3\",a=\"4\"}", "label name used twice");
	invalid("n{__name__=\"x\"}", "label names starting with \"__\" are reserved");
	invalid("n{a=\"x\",__b=\"y\"}", "label names starting with \"__\" are reserved");
	invalid("n{__=\"x\"}", "label names starting with \"__\" are reserved");
	valid("n{_a=\"x\",a_=\"y\",a__b=\"z\"}");
	valid("__m{a=\"x\"}");
	valid("m{ab=\"1\",a=\"2\",b=\"1\"}");
	valid(of_length(big, METRIC_MAX));
	is_str(metric_check(of_length(big, METRIC_MAX + 1), METRIC_MAX + 1), "longer than 2048 bytes",
	    "a metric of 2049 bytes");

	/* labels are a set: one order, byte by byte by name, a prefix first */
	sorts_to("m", "m");
	sorts_to("m{a=\"1\"}", "m{a=\"1\"}");
	sorts_to("m{a=\"2\",b=\"1\"}", "m{a=\"2\",b=\"1\"}");
	sorts_to("m{b=\"1\",a=\"2\"}", "m{a=\"2\",b=\"1\"}");
	sorts_to("m{pid=\"42\",comm=\"a,b\"}", "m{comm=\"a,b\",pid=\"42\"}");
	sorts_to("m{ab=\"\",a=\"\",B=\"\",_=\"\",a0=\"\"}", "m{B=\"\",_=\"\",a=\"\",a0=\"\",ab=\"\"}");
	sorts_to("m{c=\"x\\\\\",b=\"\\\",a=\\\"\",a=\"}\"}", "m{a=\"}\",b=\"\\\",a=\\\"\",c=\"x\\\\\"}");
	sorts_to("m{z=\"\",y=\"\",x=\"\",w=\"\"}", "m{w=\"\",x=\"\",y=\"\",z=\"\"}");
	ok(metric_sorted("m{a=\"1\",a=\"2\"}", 14) == 0, "a name twice is not in order");
	/* sixteen bytes a look: names and values across the steps, short and long */
	sorts_to("m{b=\"\",a=\"\"}", "m{a=\"\",b=\"\"}");
	sorts_to("process_resident_memory_bytes{comm=\"my (weird) app\",pid=\"4242\"}",
	    "process_resident_memory_bytes{comm=\"my (weird) app\",pid=\"4242\"}");
	sorts_to("process_resident_memory_bytes{pid=\"4242\",comm=\"my (weird) app\"}",
	    "process_resident_memory_bytes{comm=\"my (weird) app\",pid=\"4242\"}");
	sorts_to("http_requests{code=\"200\",handler=\"/api/v1/query_range\",method=\"GET\",zone=\"a\"}",
	    "http_requests{code=\"200\",handler=\"/api/v1/query_range\",method=\"GET\",zone=\"a\"}");
	sorts_to("http_requests{code=\"200\",handler=\"/api/v1/query_range\",zone=\"a\",method=\"GET\"}",
	    "http_requests{code=\"200\",handler=\"/api/v1/query_range\",method=\"GET\",zone=\"a\"}");
	sorts_to("http_requests{aaaaaaaaaaaaaaaaaaaab=\"\",aaaaaaaaaaaaaaaaaaaa=\"\"}",
	    "http_requests{aaaaaaaaaaaaaaaaaaaa=\"\",aaaaaaaaaaaaaaaaaaaab=\"\"}");
	sorts_to("http_requests{code=\"200\",handler=\"/a\\\"pi\",method=\"GET\"}",
	    "http_requests{code=\"200\",handler=\"/a\\\"pi\",method=\"GET\"}");
	/* an escape past the first step: looked at again from the brace */
	sorts_to("m{b=\"0123456789\",a=\"\\\\\"}", "m{a=\"\\\\\",b=\"0123456789\"}");
	sorts_to("http_requests{method=\"GET\",handler=\"/a\\\\\",code=\"200\"}",
	    "http_requests{code=\"200\",handler=\"/a\\\\\",method=\"GET\"}");

	n = metric_build(buf, sizeof buf, "load1", NULL);
	ok(n == 5 && strcmp(buf, "load1") == 0, "build without labels");
	n = metric_build(buf, sizeof buf, "disk_usage_percent", mp);
	is_str(buf, "disk_usage_percent{mountpoint=\"/\"}", "build one label");
	ok(n == strlen(buf), "build returns the length");
	metric_build(buf, sizeof buf, "p", two);
	is_str(buf, "p{pid=\"42\",comm=\"a\\\"b\\\\c\\nd?e?\"}", "build escapes values");
	valid(buf);
	ok(metric_build(buf, 10, "disk_usage_percent", NULL) == 0, "too long for cap");
	ok(metric_build(buf, 19, "disk_usage_percent", NULL) == 18, "exactly fits");
	ok(metric_build(buf, 34, "disk_usage_percent", mp) == 0, "labels too long for cap");
	ok(metric_build(buf, 35, "disk_usage_percent", mp) == 34, "labels exactly fit");

	/* the family and labels of an identifier, read apart */
	m = "disk_usage_percent{device=\"/dev/x\\\"y\",mountpoint=\"/\"}";
	ml = strlen(m);
	ok(metric_family_is(m, ml, "disk_usage_percent"), "family is its name");
	ok(!metric_family_is(m, ml, "disk_usage"), "family is not a prefix of it");
	ok(!metric_family_is("disk_usage_percent_x", 20, "disk_usage_percent"), "nor longer");
	ok(metric_family_ends(m, ml, "_percent"), "family ends in _percent");
	ok(!metric_family_ends(m, ml, "\"}"), "the labels are no part of its end");
	ok(!metric_family_ends("percent", 7, "_percent"), "a suffix longer than the family");
	v = metric_labels(m, ml, &n);
	ok(v != NULL && n == ml - 18 && memcmp(v, "{device", 7) == 0 && v[n - 1] == '}',
	    "labels with their braces");
	ok(metric_labels("load1", 5, &n) == NULL && n == 0, "no labels");
	v = metric_label_value(m, ml, "mountpoint", &n);
	ok(v != NULL && n == 1 && *v == '/', "label value");
	v = metric_label_value(m, ml, "device", &n);
	ok(v != NULL && n == 9 && memcmp(v, "/dev/x\\\"y", 9) == 0, "label value as written, escapes and all");
	ok(metric_label_value(m, ml, "mount", &n) == NULL, "no label of a prefix of a name");
	ok(metric_label_value("m{ab=\"x\",a=\"y\"}", 16, "a", &n) != NULL && n == 1,
	    "the label, not one whose name it begins");
	ok(metric_label_value("load1", 5, "a", &n) == NULL, "no label without labels");
	return tap_done();
}
