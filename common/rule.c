/*
 * rule.c: a rule of xm-alert, one line of text:
 *
 *	METRIC-GLOB [field=COLUMN] [host=HOST-GLOB] [info=RANGE] [warn=RANGE]
 *	    [crit=RANGE] [emerg=RANGE] [for=N|DURATION] [hysteresis=X]
 *	    [repeat=DURATION]
 *
 * words separated by blanks, at least one level.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "rule.h"
#include "xm.h"

const char *const severity_names[SEV_N] = { "ok", "info", "warning", "critical", "emergency" };

/*
 * For a run given no rules: thresholds that hold before they page and
 * let go with a margin, in record time, so noise does not cry wolf
 * whether samples come a second or a minute apart.  xm-alert(1) says
 * where each figure comes from.
 */
const char *const rule_defaults[] = {
	"cpu_usage_percent info=90 for=15m hysteresis=10",
	"memory_usage_percent warn=90 crit=95 for=15m hysteresis=5",
	"swap_usage_percent warn=80 crit=95 for=15m hysteresis=5",
	"load1_per_cpu warn=2 for=15m hysteresis=0.5",
	"disk_usage_percent{*} warn=90 crit=95 for=30m hysteresis=1",
	"disk_usage_percent{*} field=eta_seconds crit=@0:14400 for=15m hysteresis=3600",
	"response_time_seconds warn=2 crit=5 emerg=10 for=5m hysteresis=0.5",
	"error_rate_percent warn=5 crit=10 emerg=25 for=5m hysteresis=1",
	"pressure_memory_full_percent warn=10 crit=40 for=5m hysteresis=5",
	"pressure_io_full_percent warn=25 for=15m hysteresis=5",
	"pressure_cpu_some_percent info=50 for=15m hysteresis=10",
	"memory_major_faults_per_second warn=500 for=15m hysteresis=100",
	"memory_oom_kills_per_second warn=0",
	"file_handles_usage_percent warn=70 crit=90 for=15m hysteresis=5",
	"disk_inodes_usage_percent{*} warn=95 crit=97 for=1h hysteresis=1",
	"disk_queue_length{*} warn=10 for=30m hysteresis=2",
	"tcp_listen_overflows_per_second warn=0 for=5m",
	"tcp_retransmit_percent warn=5 for=15m hysteresis=1",
	"network_receive_errors_percent{*} warn=1 for=1h hysteresis=0.5",
	"network_transmit_errors_percent{*} warn=1 for=1h hysteresis=0.5",
	"disk_readonly{*} warn=0 for=5m",
	"temperature_margin_celsius{*} warn=10: crit=5: for=5m hysteresis=2",
	"process_count{*} crit=1: for=1m",
	"* field=rzscore info=-6:6 for=1m hysteresis=2",
	NULL
};

static const char *const level_keys[SEV_N] = { NULL, "info", "warn", "crit", "emerg" };

int
severity_parse(const char *s)
{
	int i;

	for (i = 0; i < SEV_N; i++)
		if (strcmp(s, severity_names[i]) == 0)
			return i;
	return -1;
}

static int
fail(char *why, size_t size, const char *fmt, const char *word)
{
	char q[XM_QUOTE_MAX];

	snprintf(why, size, fmt, xm_quote(q, word, strlen(word)));
	return -1;
}

/* One key=value word; -1 with why filled in. */
static int
word(struct rule *r, char *w, char *why, size_t size)
{
	char *v = strchr(w, '=');
	unsigned long long n;
	int i;

	if (v == NULL)
		return fail(why, size, "\"%s\": not key=value", w);
	*v++ = '\0';
	for (i = SEV_INFO; i < SEV_N; i++) {
		if (strcmp(w, level_keys[i]) != 0)
			continue;
		if (r->level_text[i] != NULL)
			return fail(why, size, "%s: given twice", w);
		if (range_parse(&r->level[i], v) != 0)
			return fail(why, size, "\"%s\": not a range (10, 10:, ~:10, 10:20, @10:20)", v);
		r->level_text[i] = xm_strdup(v);
		return 0;
	}
	if (strcmp(w, "field") == 0 || strcmp(w, "host") == 0) {
		char **dst = *w == 'f' ? &r->field : &r->host;

		if (*v == '\0')
			return fail(why, size, "%s: empty", w);
		free(*dst);
		*dst = xm_strdup(v);
	} else if (strcmp(w, "for") == 0) {
		r->for_s = 0;
		if (num_parse_count(v, 1000000000, &n) == 0 && n > 0)
			r->for_n = (unsigned long)n;
		else if (num_parse_seconds(v, &r->for_s) != 0 || !(r->for_s > 0) ||
		    strspn(v, "0123456789.") == strlen(v))
			return fail(why, size, "for=\"%s\": not a count or a duration (3, 90s, 5m)", v);
	} else if (strcmp(w, "hysteresis") == 0) {
		if (num_parse(v, &r->hysteresis) != 0 || r->hysteresis < 0)
			return fail(why, size, "hysteresis=\"%s\": not a number of at least 0", v);
	} else if (strcmp(w, "repeat") == 0) {
		if (num_parse_seconds(v, &r->repeat) != 0 || !(r->repeat > 0))
			return fail(why, size, "repeat=\"%s\": not a duration (30m, 1h)", v);
	} else {
		return fail(why, size, "\"%s\": not a key (field, host, info, warn, crit, "
		    "emerg, for, hysteresis, repeat)", w);
	}
	return 0;
}

/*
 * Each level's range within the range of every lower level: a value
 * that is critical is a warning too.  "warn=90 crit=80" on an upper
 * bound would make 85 critical and not a warning, surely a slip.
 */
static int
levels_in_order(const struct rule *r, char *why, size_t size)
{
	int i, j;

	for (j = SEV_INFO + 1; j < SEV_N; j++) {
		for (i = SEV_INFO; i < j; i++) {
			if (r->level_text[i] == NULL || r->level_text[j] == NULL ||
			    range_within(&r->level[i], &r->level[j]))
				continue;
			snprintf(why, size, "%s=%s alerts where %s=%s does not: "
			    "the levels are in the wrong order", level_keys[j], r->level_text[j],
			    level_keys[i], r->level_text[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * Parse text into r; -1 with the reason in why (the caller names the
 * rule).  r is then freed.
 */
int
rule_parse(struct rule *r, const char *text, char *why, size_t size)
{
	static const char blanks[] = " \t";
	char *copy = xm_strdup(text), *w, *save;
	int i, any = 0;

	memset(r, 0, sizeof *r);
	/* its text goes down the stream and into the state file, a field each */
	for (i = 0; text[i] != '\0'; i++) {
		if (((unsigned char)text[i] < 0x20 && text[i] != '\t') || text[i] == 0x7f) {
			snprintf(why, size, "a control character");
			free(copy);
			return -1;
		}
	}
	/* The words joined by one space: how the rule is shown, and what its alert_id hashes. */
	r->text = xm_malloc(strlen(text) + 1);
	r->text[0] = '\0';
	r->for_n = 1;
	if ((w = strtok_r(copy, blanks, &save)) == NULL) {
		snprintf(why, size, "no metric");
		goto bad;
	}
	strcat(r->text, w);
	r->metric = xm_strdup(w);
	r->literal = strpbrk(w, "*?[\\") == NULL;
	while ((w = strtok_r(NULL, blanks, &save)) != NULL) {
		strcat(strcat(r->text, " "), w);
		if (word(r, w, why, size) != 0)
			goto bad;
	}
	for (i = SEV_INFO; i < SEV_N; i++)
		any |= r->level_text[i] != NULL;
	if (!any) {
		snprintf(why, size, "no level (info=, warn=, crit= or emerg=)");
		goto bad;
	}
	if (levels_in_order(r, why, size) != 0)
		goto bad;
	if (r->field == NULL)
		r->field = xm_strdup("value");
	free(copy);
	return 0;
bad:
	free(copy);
	rule_free(r);
	return -1;
}

/*
 * A line of a rules file (-c), as getline read it: the rule it holds,
 * its line end and leading blanks cut off, in place; or NULL for a
 * blank line or one whose first word starts with '#'.
 */
char *
rule_line(char *line, size_t len)
{
	char *p;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	p = line + strspn(line, " \t");
	return *p == '\0' || *p == '#' ? NULL : p;
}

void
rule_free(struct rule *r)
{
	int i;

	free(r->text);
	free(r->metric);
	free(r->host);
	free(r->field);
	for (i = 0; i < SEV_N; i++)
		free(r->level_text[i]);
	memset(r, 0, sizeof *r);
}

/* Whether the rule is for this host and metric: globs over the whole of each. */
int
rule_matches(const struct rule *r, const char *host, const char *metric)
{
	if (r->literal ? strcmp(r->metric, metric) != 0 : fnmatch(r->metric, metric, 0) != 0)
		return 0;
	return r->host == NULL || fnmatch(r->host, host, 0) == 0;
}

/* The highest level whose range v raises. */
int
rule_severity(const struct rule *r, double v)
{
	int i;

	for (i = SEV_EMERGENCY; i > SEV_OK; i--)
		if (r->level_text[i] != NULL && range_alerts(&r->level[i], v))
			return i;
	return SEV_OK;
}
