/*
 * test-range: the Monitoring Plugins' own range cases (lib/tests/test_utils.c
 * and Monitoring::Plugin's t/Monitoring-Plugin-Range.t), and the rules built on them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "range.h"
#include "rule.h"
#include "tap.h"

static const struct {
	const char *s;
	int ok;
	double lo, hi;
	int inside;
} parses[] = {
	{ "6", 1, 0, 6, 0 },
	{ "-7:23", 1, -7, 23, 0 },
	{ ":5.75", 1, 0, 5.75, 0 },
	{ "~:-95.99", 1, -INFINITY, -95.99, 0 },
	{ "10:", 1, 10, INFINITY, 0 },
	{ "123456789012345:", 1, 123456789012345.0, INFINITY, 0 },
	{ "12345678901234567890:", 1, 12345678901234567890.0, INFINITY, 0 },
	{ "~:0", 1, -INFINITY, 0, 0 },
	{ "@0:657.8210567", 1, 0, 657.8210567, 1 },
	{ "@1:1", 1, 1, 1, 1 },
	{ "1:1", 1, 1, 1, 0 },
	{ "2:1", 0, 0, 0, 0 },
	{ ":", 0, 0, 0, 0 },
	{ "1:~", 0, 0, 0, 0 },
	{ "foo", 0, 0, 0, 0 },
	{ "1-10", 0, 0, 0, 0 },
	{ "10:~", 0, 0, 0, 0 },
	{ "1-10:2.4", 0, 0, 0, 0 },
	{ "1,10", 0, 0, 0, 0 },
	/* the C parser's strtod would take these; the guidelines' grammar does not */
	{ "1:12%%", 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0 },
	{ "10abc", 0, 0, 0, 0 },
	{ "1:2:3", 0, 0, 0, 0 },
	{ "~", 0, 0, 0, 0 },
	{ "-5", 0, 0, 0, 0 },
	{ "nan", 0, 0, 0, 0 },
	{ "1e400", 0, 0, 0, 0 },
};

static const struct {
	const char *s;
	double v;
	int alerts;
} checks[] = {
	{ "6", -1, 1 }, { "6", 0, 0 }, { "6", 4, 0 }, { "6", 6, 0 }, { "6", 6.1, 1 },
	{ "6", 79.999999, 1 },
	{ "-7:23", -23, 1 }, { "-7:23", -7, 0 }, { "-7:23", -1, 0 }, { "-7:23", 0, 0 },
	{ "-7:23", 4, 0 }, { "-7:23", 23, 0 }, { "-7:23", 23.1, 1 }, { "-7:23", 79.999999, 1 },
	{ ":5.75", -1, 1 }, { ":5.75", 0, 0 }, { ":5.75", 4, 0 }, { ":5.75", 5.75, 0 },
	{ ":5.75", 5.7501, 1 }, { ":5.75", 6, 1 }, { ":5.75", 6.1, 1 }, { ":5.75", 79.999999, 1 },
	{ "~:-95.99", -1001341, 0 }, { "~:-95.99", -96, 0 }, { "~:-95.99", -95.999, 0 },
	{ "~:-95.99", -95.99, 0 }, { "~:-95.99", -95.989, 1 }, { "~:-95.99", -95, 1 },
	{ "~:-95.99", 0, 1 }, { "~:-95.99", 5.7501, 1 }, { "~:-95.99", 79.999999, 1 },
	{ "10:", -95.999, 1 }, { "10:", -1, 1 }, { "10:", 0, 1 }, { "10:", 9.91, 1 },
	{ "10:", 10, 0 }, { "10:", 11.1, 0 }, { "10:", 123456789012346, 0 },
	{ "123456789012345:", -95.999, 1 }, { "123456789012345:", -1, 1 },
	{ "123456789012345:", 0, 1 }, { "123456789012345:", 123456789012344.91, 1 },
	{ "123456789012345:", 123456789012345, 0 }, { "123456789012345:", 123456789012345.61, 0 },
	{ "123456789012345:", 123456789012346, 0 },
	{ "12345678901234567890:", 12345678901234567890.0 / 1.1, 1 },
	{ "12345678901234567890:", 12345678901234567890.0, 0 },
	{ "12345678901234567890:", 12345678901234567890.0 * 2, 0 },
	{ "~:0", 0.5, 1 }, { "~:0", -10, 0 }, { "~:0", 0, 0 }, { "~:0", -123456789012344.91, 0 },
	{ "~:0", -1, 0 }, { "~:0", 0.001, 1 }, { "~:0", 123456789012345, 1 },
	{ "@0:657.8210567", 32.88, 1 }, { "@0:657.8210567", -2, 0 },
	{ "@0:657.8210567", 657.8210567, 1 }, { "@0:657.8210567", 0, 1 },
	{ "@0:657.8210567", -134151, 0 }, { "@0:657.8210567", -1, 0 },
	{ "@0:657.8210567", 0.001, 1 }, { "@0:657.8210567", 657.9, 0 },
	{ "@0:657.8210567", 123456789012345, 0 },
	{ "@1:1", 0.5, 0 }, { "@1:1", 1, 1 }, { "@1:1", 5.2, 0 },
	{ "1:1", 0.5, 1 }, { "1:1", 1, 0 }, { "1:1", 5.2, 1 }, { "1:1", -1, 1 }, { "1:1", 0, 1 },
	{ "1:1", 1.001, 1 },
};

static void
ranges(void)
{
	struct range r;
	size_t i, bad = 0;
	int k;

	for (i = 0; i < sizeof parses / sizeof parses[0]; i++) {
		k = range_parse(&r, parses[i].s) == 0;
		if (k != parses[i].ok || (k && (r.lo != parses[i].lo || r.hi != parses[i].hi ||
		    r.inside != parses[i].inside))) {
			diag("range \"%s\": %s", parses[i].s, k ? "wrong bounds" : "refused");
			bad++;
		}
	}
	ok(bad == 0, "%zu range strings parsed or refused as the Monitoring Plugins' tests say",
	    sizeof parses / sizeof parses[0]);
	for (bad = 0, i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		range_parse(&r, checks[i].s);
		if (range_alerts(&r, checks[i].v) != checks[i].alerts) {
			diag("range \"%s\" value %.17g: wrong", checks[i].s, checks[i].v);
			bad++;
		}
	}
	ok(bad == 0, "%zu values at, inside and outside the bounds alert as theirs do",
	    sizeof checks / sizeof checks[0]);

	range_parse(&r, "80");
	ok(range_side(&r, 95) == 1 && range_side(&r, -1) == -1,
	    "\"80\": 95 is above it, -1 below it");
	ok(!range_clear(&r, 79, 2, 1) && range_clear(&r, 78, 2, 1) && range_clear(&r, 80, 0, 1),
	    "clear of \"80\" from above by a margin of 2: 78 is, 79 is not");
	ok(range_clear(&r, 0, 2, 1) && range_clear(&r, 1, 2, 1) && !range_clear(&r, 1, 2, -1) &&
	    range_clear(&r, 2, 2, -1) && !range_clear(&r, 79, 2, 0) && !range_clear(&r, 1, 2, 0),
	    "the margin holds at the bound crossed only: 0 and 1 clear \"80\" from above");
	ok(range_clear(&r, 0, 100, 1) && range_clear(&r, 0, 80, 1) && !range_clear(&r, 0.5, 100, 1),
	    "a margin wider than \"80\" from above: only its lower bound, 0, is clear");
	range_parse(&r, "10:20");
	ok(range_clear(&r, 19.5, 1, -1) && !range_clear(&r, 10.5, 1, -1) &&
	    range_clear(&r, 10.5, 1, 1) && !range_clear(&r, 19.5, 1, 1),
	    "\"10:20\" by 1: from below 10.5 is not clear, 19.5 is; from above the other way");
	range_parse(&r, "@10:20");
	ok(range_side(&r, 15) == 0 && !range_clear(&r, 21, 2, 0) && range_clear(&r, 22.5, 2, 0) &&
	    range_clear(&r, 7, 2, 0),
	    "clear of \"@10:20\" by 2: 21 is not, 22.5 and 7 are");
}

static void
rules(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "no metric" },
		{ "cpu", "no level (info=, warn=, crit= or emerg=)" },
		{ "cpu warn=abc", "\"abc\": not a range (10, 10:, ~:10, 10:20, @10:20)" },
		{ "cpu warn=1 warn=2", "warn: given twice" },
		{ "cpu warn=1 colour=red", "\"colour\": not a key (field, host, info, warn, crit, emerg, for, hysteresis, repeat)" },
		{ "cpu warn=1 for=0", "for=\"0\": not a count or a duration (3, 90s, 5m)" },
		{ "cpu warn=1 for=-1m", "for=\"-1m\": not a count or a duration (3, 90s, 5m)" },
		{ "cpu warn=1 for=1.5", "for=\"1.5\": not a count or a duration (3, 90s, 5m)" },
		{ "cpu warn=1 hysteresis=-2", "hysteresis=\"-2\": not a number of at least 0" },
		{ "cpu warn=1 repeat=never", "repeat=\"never\": not a duration (30m, 1h)" },
		{ "cpu 70", "\"70\": not key=value" },
		{ "cpu warn=1 field=", "field: empty" },
		{ "cpu warn=1 field=a\001b", "a control character" },
		{ "cpu warn=1 host=\177", "a control character" },
		{ "cpu warn=90 crit=80", "crit=80 alerts where warn=90 does not: the levels are in the wrong order" },
		{ "free warn=10: emerg=20:", "emerg=20: alerts where warn=10: does not: the levels are in the wrong order" },
		{ "m info=@0:10 crit=@-1:10", "crit=@-1:10 alerts where info=@0:10 does not: the levels are in the wrong order" },
	};
	struct rule r;
	char why[256];
	size_t i;
	int k;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		k = rule_parse(&r, bad[i].text, why, sizeof why);
		ok(k == -1 && strcmp(why, bad[i].why) == 0, "rule \"%s\": %s", bad[i].text, why);
	}
	k = rule_parse(&r, "  disk_usage_percent{*}  warn=80 crit=~:90  host=web*\tfield=mean for=5m "
	    "hysteresis=2.5 repeat=1h ", why, sizeof why);
	ok(k == 0 && strcmp(r.text, "disk_usage_percent{*} warn=80 crit=~:90 host=web* field=mean "
	    "for=5m hysteresis=2.5 repeat=1h") == 0 && strcmp(r.field, "mean") == 0 &&
	    r.for_s == 300 && r.hysteresis == 2.5 && r.repeat == 3600 && !r.literal,
	    "a rule with every key");
	ok(rule_matches(&r, "web1", "disk_usage_percent{mountpoint=\"/\"}") &&
	    !rule_matches(&r, "db1", "disk_usage_percent{mountpoint=\"/\"}") &&
	    !rule_matches(&r, "web1", "disk_usage_percent"), "globs over the whole metric and host");
	ok(rule_severity(&r, 50) == SEV_OK && rule_severity(&r, 85) == SEV_WARNING &&
	    rule_severity(&r, 95) == SEV_CRITICAL && rule_severity(&r, -1) == SEV_WARNING,
	    "the highest level whose range alerts wins; crit has no floor, warn one at 0");
	rule_free(&r);
	k = rule_parse(&r, "m warn=1 for=3", why, sizeof why);
	ok(k == 0 && r.for_n == 3 && r.for_s == 0 && strcmp(r.field, "value") == 0 && r.literal,
	    "for=3 counts samples; field is value unless named");
	rule_free(&r);
	for (k = 0, i = 0; rule_defaults[i] != NULL; i++) {
		k |= rule_parse(&r, rule_defaults[i], why, sizeof why);
		if (k == 0)
			rule_free(&r);
	}
	ok(k == 0 && i == 24, "the twenty-four default rules parse");
	k = rule_parse(&r, rule_defaults[i - 1], why, sizeof why);
	ok(k == 0 && strcmp(r.field, "rzscore") == 0 && r.for_s == 60 && r.hysteresis == 2 &&
	    rule_severity(&r, -6.01) == SEV_INFO && rule_severity(&r, -6) == SEV_OK &&
	    rule_severity(&r, 6) == SEV_OK && rule_severity(&r, 6.01) == SEV_INFO &&
	    rule_matches(&r, "h", "disk_usage_percent{mountpoint=\"/\"}"),
	    "the anomaly rule, the last: |rzscore| past 6 for a minute, info, any series");
	rule_free(&r);
	k = rule_parse(&r, rule_defaults[5], why, sizeof why);
	ok(k == 0 && strcmp(r.field, "eta_seconds") == 0 && r.for_s == 900 && r.hysteresis == 3600 &&
	    rule_severity(&r, 14400) == SEV_CRITICAL &&
	    rule_severity(&r, 0) == SEV_CRITICAL && rule_severity(&r, 14400.5) == SEV_OK &&
	    !rule_matches(&r, "h", "disk_used_bytes{mountpoint=\"/\"}"),
	    "the forecast rule: a disk full within 4 h for 15 minutes is critical");
	rule_free(&r);
	ok(severity_parse("critical") == SEV_CRITICAL && severity_parse("bad") == -1, "severity names");
}

int
main(void)
{
	ranges();
	rules();
	return tap_done();
}
