/*
 * fuzz-metric: series identifiers.  metric_check takes exactly what a
 * POSIX regular expression of xm(7)'s grammar matches, no longer than
 * METRIC_MAX, whose label names are all different and none starts with
 * "__"; an identifier it takes, split here into its name and unescaped
 * label values, is built again by metric_build byte for byte (where no
 * value holds a control character, which metric_build makes '?').
 * metric_sort puts its labels in order of their names, the same labels
 * and the same length, still an identifier metric_check takes; it
 * leaves one alone exactly when metric_sorted says it is in order.
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "metric.h"

#define LABEL "[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\[\\\\\"n])*\""

static regex_t re;

/* A label of an identifier the grammar matches: its name, and all of it. */
struct lab {
	const char *at;
	size_t	 namelen, len;
};

/* The labels of s, which the grammar matches, into l; their count. */
static size_t
labels_of(const char *s, struct lab *l)
{
	const char *p = strchr(s, '{');
	size_t n = 0;

	while (p != NULL && *p != '}') {
		l[n].at = ++p;
		p = strchr(p, '=');
		l[n].namelen = (size_t)(p - l[n].at);
		for (p += 2; *p != '"'; p++)
			if (*p == '\\')
				p++;
		l[n].len = (size_t)(++p - l[n].at);
		n++;
	}
	return n;
}

static int
same_name(const struct lab *a, const struct lab *b)
{
	return a->namelen == b->namelen && memcmp(a->at, b->at, a->namelen) == 0;
}

/* Whether no two of the n labels share a name, and none starts with "__". */
static int
names_ok(const struct lab *l, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (l[i].namelen >= 2 && l[i].at[0] == '_' && l[i].at[1] == '_')
			return 0;
		for (j = 0; j < i; j++)
			if (same_name(&l[i], &l[j]))
				return 0;
	}
	return 1;
}

/* a's name before b's, byte by byte, a prefix first. */
static int
before(const struct lab *a, const struct lab *b)
{
	size_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
	int c = memcmp(a->at, b->at, n);

	return c < 0 || (c == 0 && a->namelen < b->namelen);
}

/* s, which metric_check took, sorted: as the properties above say. */
static void
sorted_well(const char *s, size_t size)
{
	static struct lab a[METRIC_MAX], b[METRIC_MAX];
	const char *brace = strchr(s, '{');
	char *t = strdup(s);
	size_t n, i, j, head = brace != NULL ? (size_t)(brace - s) + 1 : size;

	metric_sort(t, size);
	if (strlen(t) != size || metric_check(t, size) != NULL)
		fuzz_fail("metric_sort(\"%s\") gives \"%s\"", s, t);
	if (metric_sorted(s, size) != (strcmp(s, t) == 0))
		fuzz_fail("metric_sorted(\"%s\") says %d, metric_sort gives \"%s\"", s,
		    metric_sorted(s, size), t);
	if (!metric_sorted(t, size))
		fuzz_fail("metric_sorted(\"%s\"), which metric_sort gave, says 0", t);
	n = labels_of(s, a);
	if (labels_of(t, b) != n || strncmp(s, t, head) != 0)
		fuzz_fail("metric_sort(\"%s\") gives \"%s\": another name or count", s, t);
	for (i = 0; i < n; i++) {
		if (i > 0 && !before(&b[i - 1], &b[i]))
			fuzz_fail("metric_sort(\"%s\") gives \"%s\": out of order", s, t);
		for (j = 0; j < n && !same_name(&a[i], &b[j]); j++)
			;
		if (j == n || a[i].len != b[j].len || memcmp(a[i].at, b[j].at, a[i].len) != 0)
			fuzz_fail("metric_sort(\"%s\") gives \"%s\": label %zu lost", s, t, i + 1);
	}
	free(t);
}

/*
 * The name and the labels of an identifier metric_check took, in place;
 * 0, or -1 if a value has a control character or there are too many.
 */
static int
split(char *s, const char **labels, size_t max)
{
	char *p = strchr(s, '{'), *o;
	size_t n = 0;

	labels[0] = NULL;
	if (p == NULL)
		return 0;
	*p++ = '\0';
	while (*p != '\0') {
		if (n + 2 >= max)
			return -1;
		labels[n++] = p;
		p = strchr(p, '=');
		*p = '\0';
		labels[n++] = o = p += 2;
		for (; *p != '"'; p++) {
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return -1;
			if (*p == '\\')
				*o++ = *++p == 'n' ? '\n' : *p;
			else
				*o++ = *p;
		}
		*o = '\0';
		p++;		/* past the quote, at ',' or '}' */
		p++;
	}
	labels[n] = NULL;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int compiled;
	static struct lab l[METRIC_MAX];
	const char *labels[2 * 64 + 1];
	char *s, *copy, built[METRIC_MAX + 1];
	size_t n;
	int ok, want;

	if (!compiled++ && regcomp(&re, "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{" LABEL "(," LABEL ")*\\})?$",
	    REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	s = fuzz_str(data, size);
	ok = metric_check(s, size) == NULL;
	(void)metric_sorted(s, size);	/* whatever the bytes, it only looks */
	/* the regular expression cannot see past a NUL; a field never holds one */
	if (memchr(data, '\0', size) == NULL) {
		want = regexec(&re, s, 0, NULL, 0) == 0 && size <= METRIC_MAX &&
		    names_ok(l, labels_of(s, l));
		if (ok != want)
			fuzz_fail("metric_check(\"%s\") %s it, the grammar says %s", s,
			    ok ? "takes" : "refuses", want ? "take" : "refuse");
		if (ok)
			sorted_well(s, size);
		copy = strdup(s);
		if (ok && split(copy, labels, sizeof labels / sizeof labels[0]) == 0) {
			n = metric_build(built, sizeof built, copy, labels);
			if (n != size || strcmp(built, s) != 0)
				fuzz_fail("metric_build gives \"%s\" back for \"%s\"", built, s);
		}
		free(copy);
	}
	free(s);
	return 0;
}
