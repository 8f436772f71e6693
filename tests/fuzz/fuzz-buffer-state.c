/*
 * fuzz-buffer-state: xm-buffer's state file loader.  Whatever the bytes,
 * a load takes the file or says why not, and a file it takes, saved,
 * loads again and saves the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffer.h"
#include "fuzz.h"

static void
opts(struct buffer_opts *o)
{
	int c;

	memset(o, 0, sizeof *o);
	o->size = 1000;
	o->window = 300;
	o->halflife = 3600;
	o->max_series = 100000;
	o->header = 1;
	o->ncols = C_NCOL;
	for (c = 0; c < C_NCOL; c++)
		o->cols[c] = (enum column)c;
	/* #season lines of 10 s in two buckets are taken, others passed over */
	if (season_shape_parse(&o->season, "10s/5s") != 0)
		abort();
	o->seasonal = 1;
}

/* Load the bytes; NULL, or the saved text of what was loaded in *text. */
static const char *
load_save(void *o, const uint8_t *data, size_t size, char **text, size_t *len)
{
	static char whybuf[128];
	struct state_reader sr;
	struct buffer b;
	const char *why;
	FILE *f;
	int fd = fuzz_fd(data, size);

	buffer_init(&b, o);
	if ((why = state_read_begin(&sr, &buffer_grammar, fd, "state")) == NULL) {
		why = buffer_load(&b, &sr);
		state_read_end(&sr);
	}
	if (why == NULL) {
		if ((f = open_memstream(text, len)) == NULL)
			abort();
		if (buffer_save(&b, f) != 0)
			fuzz_fail("a state taken could not be saved");
		fclose(f);
	} else {
		snprintf(whybuf, sizeof whybuf, "%s", why);
		why = whybuf;
	}
	close(fd);
	buffer_free(&b);
	return why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buffer_opts o;

	fuzz_quiet();
	opts(&o);
	fuzz_round_trip(data, size, load_save, &o);
	return 0;
}
