/*
 * view.c: what the screen shows and how, as the person at it chooses:
 * which panels in what order (--panels, or "panels" in the config file),
 * the processes' order and each CPU's bar to begin with, the filter.
 * The config file, ~/.config/xm/show, is a line a setting:
 *
 *	# a comment
 *	panels system,processes,alerts,trends
 *	sort memory
 *	per-cpu on
 */
#include <err.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"
#include "xm.h"

static const char *const part_names[PART_N] = {
	"system", "disks", "processes", "alerts", "trends", "other"
};

static const char *const sort_names[] = { "cpu", "memory", "io" };

void
view_init(struct view *v)
{
	int i;

	memset(v, 0, sizeof *v);
	for (i = 0; i < PART_N; i++)
		v->parts[i] = i;
	v->nparts = PART_N;
	v->sort = SORT_CPU;
	v->focus = PANEL_TRENDS;
}

/*
 * The panels a comma-separated list names, in its order: 0, or -1 with
 * why filled in, the view as it was.
 */
int
view_parts(struct view *v, const char *list, char *why, size_t size)
{
	int parts[PART_N], n = 0, i, k;
	const char *p = list, *e;
	char q[XM_QUOTE_MAX];
	size_t len;

	for (;;) {
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < PART_N; i++)
			if (strlen(part_names[i]) == len && strncmp(part_names[i], p, len) == 0)
				break;
		if (i == PART_N) {
			snprintf(why, size, "no panel \"%s\" (system, disks, processes, "
			    "alerts, trends, other)", xm_quote(q, p, len));
			return -1;
		}
		for (k = 0; k < n; k++)
			if (parts[k] == i) {
				snprintf(why, size, "%s twice", part_names[i]);
				return -1;
			}
		parts[n++] = i;
		if (e == NULL)
			break;
		p = e + 1;
	}
	memcpy(v->parts, parts, sizeof parts);
	v->nparts = n;
	return 0;
}

/* One line of the config file, blanks trimmed: 0, or -1 with why filled in. */
static int
setting(struct view *v, char *line, char *why, size_t size)
{
	char *key = line, *val, q[XM_QUOTE_MAX];
	size_t i;

	val = key + strcspn(key, " \t");
	if (*val != '\0')
		*val++ = '\0';
	val += strspn(val, " \t");
	if (strcmp(key, "panels") == 0)
		return view_parts(v, val, why, size);
	if (strcmp(key, "sort") == 0) {
		for (i = 0; i < sizeof sort_names / sizeof sort_names[0]; i++)
			if (strcmp(val, sort_names[i]) == 0) {
				v->sort = (int)i;
				return 0;
			}
		snprintf(why, size, "sort \"%s\": not cpu, memory or io",
		    xm_quote(q, val, strlen(val)));
		return -1;
	}
	if (strcmp(key, "per-cpu") == 0) {
		if (strcmp(val, "on") == 0 || strcmp(val, "off") == 0) {
			v->per_cpu = strcmp(val, "on") == 0;
			return 0;
		}
		snprintf(why, size, "per-cpu \"%s\": not on or off",
		    xm_quote(q, val, strlen(val)));
		return -1;
	}
	snprintf(why, size, "\"%s\": no such setting (panels, sort, per-cpu)",
	    xm_quote(q, key, strlen(key)));
	return -1;
}

/*
 * The settings of the config file at path, where there is one: a line
 * that is none is said, with its number, and passed over; the screen
 * starts all the same.
 */
void
view_config(struct view *v, const char *path)
{
	char *line = NULL, *s, *e, why[256];
	size_t cap = 0, no = 0;
	ssize_t n;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		if (errno != ENOENT)
			warn("%s", path);
		return;
	}
	while ((n = getline(&line, &cap, f)) != -1) {
		no++;
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		for (e = line + n; e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if (setting(v, s, why, sizeof why) == -1)
			warnx("%s: line %zu: %s", path, no, why);
	}
	free(line);
	fclose(f);
}

/*
 * Whether a series' name, len bytes at m, passes the filter: holds it,
 * or, where it has a glob's *, ? or [, matches it whole.
 */
int
view_match(const struct view *v, const char *m, size_t len)
{
	char name[1024];

	if (v->filter[0] == '\0')
		return 1;
	if (len >= sizeof name)
		len = sizeof name - 1;
	memcpy(name, m, len);
	name[len] = '\0';
	if (strpbrk(v->filter, "*?[") != NULL)
		return fnmatch(v->filter, name, 0) == 0;
	return strstr(name, v->filter) != NULL;
}
