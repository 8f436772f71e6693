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

/* Load the bytes; NULL, or the saved text of what was loaded in *text (if no rule changed). */
static const char *
load_save(const void *data, size_t size, int adopt, char **text, size_t *len)
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *first = NULL, *again = NULL;
	size_t flen = 0, alen = 0;
	const char *why;

	fuzz_quiet();
	setup();
	load_save(data, size, 1, NULL, NULL);
	if (load_save(data, size, 0, &first, &flen) != NULL || first == NULL)
		return 0;
	if ((why = load_save(first, flen, 0, &again, &alen)) != NULL)
		fuzz_fail("a state saved is refused: %s\n%s", why, first);
	if (again == NULL || flen != alen || memcmp(first, again, flen) != 0)
		fuzz_fail("a state saved, loaded and saved again differs:\n%s\n---\n%s", first,
		    again ? again : "(rules changed)");
	free(first);
	free(again);
	return 0;
}
