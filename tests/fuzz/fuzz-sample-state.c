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
load_save(const void *data, size_t size, char **text, size_t *len)
{
	static char whybuf[128];
	struct state_reader sr;
	struct tape t;
	const char *why;
	FILE *f;
	int fd = fuzz_fd(data, size);

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
	char *first = NULL, *again = NULL;
	size_t flen = 0, alen = 0;
	const char *why;

	fuzz_quiet();
	if (load_save(data, size, &first, &flen) != NULL)
		return 0;
	if ((why = load_save(first, flen, &again, &alen)) != NULL)
		fuzz_fail("a state saved is refused: %s\n%s", why, first);
	if (flen != alen || memcmp(first, again, flen) != 0)
		fuzz_fail("a state saved, loaded and saved again differs:\n%s\n---\n%s", first, again);
	free(first);
	free(again);
	return 0;
}
