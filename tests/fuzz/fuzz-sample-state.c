/*
 * fuzz-sample-state: xm-sample's state file loader (--state).  Whatever
 * the bytes, a load takes the file or says why not, and a file it takes,
 * saved, loads again and saves the same bytes: every text it held comes
 * back byte for byte through the escapes of #text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "sample.h"
#include "state.h"

/* Load the bytes; NULL, or the saved text of what was loaded in *text. */
static const char *
load_save(void *arg, const uint8_t *data, size_t size, char **text, size_t *len)
{
	static char whybuf[128];
	struct state_reader sr;
	struct tape t;
	const char *why;
	FILE *f;
	int fd = fuzz_fd(data, size);

	(void)arg;
	tape_init(&t);
	if ((why = state_read_begin(&sr, &sample_grammar, fd, "state")) == NULL) {
		why = tape_load(&t, &sr);
		state_read_end(&sr);
	}
	if (why == NULL) {
		if ((f = open_memstream(text, len)) == NULL)
			abort();
		if (tape_save(&t, f) != 0)
			fuzz_fail("a state taken could not be saved");
		fclose(f);
	} else {
		snprintf(whybuf, sizeof whybuf, "%s", why);
		why = whybuf;
	}
	close(fd);
	tape_free(&t);
	return why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_quiet();
	fuzz_round_trip(data, size, load_save, NULL);
	return 0;
}
