/*
 * fuzz-alert-state: xm-alert's state file loader, under the default
 * rules, for a run and for --list (which adopts the rules saved).
 * Whatever the bytes, a load takes the file or says why not; a file it
 * takes, under rules unchanged, saved, loads again and saves the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "fuzz.h"

static struct alert_opts o;

static void
setup(void)
{
	struct rule *rules;
	char why[256];
	size_t n;

	if (o.rules != NULL)
		return;
	for (n = 0; rule_defaults[n] != NULL; n++)
		;
	if ((rules = calloc(n, sizeof *rules)) == NULL)
		abort();
	for (n = 0; rule_defaults[n] != NULL; n++)
		if (rule_parse(&rules[n], rule_defaults[n], why, sizeof why) != 0)
			abort();
	o.rules = rules;
	o.nrules = n;
	o.exec_timeout = 10;
	o.max_series = 100000;
	o.header = 1;
}

/*
 * Load the bytes, adopting the rules saved as --list does or not; NULL,
 * or the saved text of what was loaded in *text (if no rule changed).
 */
static const char *
load(const uint8_t *data, size_t size, int adopt, char **text, size_t *len)
{
	static char whybuf[128];
	struct state_reader sr;
	struct alerts a;
	const char *why;
	size_t changed = 0;
	FILE *f;
	int fd = fuzz_fd(data, size);

	alerts_init(&a, &o);
	if ((why = state_read_begin(&sr, &alerts_grammar, fd, "state")) == NULL) {
		why = alerts_load(&a, &sr, adopt, &changed);
		state_read_end(&sr);
	}
	if (why != NULL) {
		snprintf(whybuf, sizeof whybuf, "%s", why);
		why = whybuf;
	} else if (changed == 0 && text != NULL) {
		if ((f = open_memstream(text, len)) == NULL)
			abort();
		if (alerts_save(&a, f) != 0)
			fuzz_fail("a state taken could not be saved");
		fclose(f);
	}
	close(fd);
	alerts_free(&a);
	return why;
}

/* A run's load, under the rules in force (fuzz_round_trip's). */
static const char *
load_save(void *arg, const uint8_t *data, size_t size, char **text, size_t *len)
{
	(void)arg;
	return load(data, size, 0, text, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	setup();
	load(data, size, 1, NULL, NULL);
	fuzz_round_trip(data, size, load_save, NULL);
	return 0;
}
