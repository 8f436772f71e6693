/*
 * fuzz-rule: xm-alert's rules, as -r gives them and as a -c file holds
 * them, a rule a line.  A rule that parses parses again from its own
 * text to the same rule; its severity at any value is the highest level
 * whose range alerts there.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "rule.h"

static int
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
check(const char *text)
{
	struct rule r, again;
	char why[256];
	double probe[6] = { 0, -1, 1e300, -1e300, 50, 0.5 };
	int i, want, lvl;

	if (rule_parse(&r, text, why, sizeof why) != 0) {
		if (why[0] == '\0')
			fuzz_fail("rule \"%s\" refused without a reason", text);
		return;
	}
	if (rule_parse(&again, r.text, why, sizeof why) != 0)
		fuzz_fail("rule \"%s\" took, but not its own text \"%s\": %s", text, r.text, why);
	if (strcmp(r.text, again.text) != 0 || !same_text(r.metric, again.metric) ||
	    !same_text(r.host, again.host) || !same_text(r.field, again.field) ||
	    r.for_n != again.for_n || r.for_s != again.for_s ||
	    r.hysteresis != again.hysteresis || r.repeat != again.repeat)
		fuzz_fail("rule \"%s\" is another rule read again from \"%s\"", text, r.text);
	for (lvl = SEV_INFO; lvl < SEV_N; lvl++)
		if (!same_text(r.level_text[lvl], again.level_text[lvl]))
			fuzz_fail("rule \"%s\": level %d changed on reading again", text, lvl);
	for (i = 0; i < 6; i++) {
		want = SEV_OK;
		for (lvl = SEV_INFO; lvl < SEV_N; lvl++)
			if (r.level_text[lvl] != NULL && range_alerts(&r.level[lvl], probe[i]))
				want = lvl;
		if (rule_severity(&r, probe[i]) != want)
			fuzz_fail("rule \"%s\" at %g: severity %d, not %d", text, probe[i],
			    rule_severity(&r, probe[i]), want);
	}
	rule_free(&again);
	rule_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *line, *next, *text;

	fuzz_quiet();
	if (memchr(data, '\0', size) != NULL)
		return 0;
	s = fuzz_str(data, size);
	/* the whole input as one -r rule, then as a -c file */
	if (strchr(s, '\n') == NULL)
		check(s);
	for (line = s; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((text = rule_line(line, strlen(line))) != NULL)
			check(text);
	}
	free(s);
	return 0;
}
