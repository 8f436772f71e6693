/* test-state: the grammar every state file keeps, read and written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "state.h"
#include "tap.h"

static const char *const header[] = { "ts", "host", "metric", "value", "extra" };
static const char *const comments[] = { "#kept", NULL };
static const struct state_grammar g = {
	"#test state 2", "#test state 1", header, 5, comments, 2
};

/* A descriptor on the text, as a state file. */
static int
file(const char *text)
{
	FILE *f = tmpfile();
	int fd;

	fputs(text, f);
	fflush(f);
	fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/*
 * Read text through the grammar, counting records as series and
 * comments as samples: the lines it gave, as "R" and "C", and then
 * "done" or why it is refused.
 */
static void
reads(const char *text, const char *want, const char *name)
{
	struct state_reader sr;
	struct record rec;
	enum state_line k;
	const char *why;
	char got[256] = "";
	int fd = file(text);

	if ((why = state_read_begin(&sr, &g, fd, "st")) != NULL) {
		snprintf(got, sizeof got, "%s", why);
	} else {
		while ((k = state_read(&sr, &rec)) == STATE_RECORD || k == STATE_COMMENT) {
			strcat(got, k == STATE_RECORD ? "R " : "C ");
			sr.count[k == STATE_RECORD ? 0 : 1]++;
		}
		strcat(got, k == STATE_DONE ? "done" : sr.why);
		state_read_end(&sr);
	}
	close(fd);
	is_str(got, want, name);
}

int
main(void)
{
	struct record_writer w;
	char *out = NULL;
	size_t len = 0, count[2] = { 3, 40 };
	FILE *f;

	reads("#test state 2\n#ts\thost\tmetric\tvalue\textra\n1\th\tm\t1\t-\n#kept\tx\n#end\t1\t1\n",
	    "R C done", "a whole file");
	reads("#test state 1\n1\th\tm\t1\t-\n#end\t1\t0\n", "R done", "the older version, no header");
	reads("#test state 3\n#end\t0\t0\n",
	    "no \"#test state 2\" line: not a state file, or another version", "another version");
	reads("", "no \"#test state 2\" line: not a state file, or another version", "empty");
	reads("#test state 2", "no \"#test state 2\" line: not a state file, or another version",
	    "a first line without its end");
	reads("#test state 2\n1\th\tm\t1\t-\n", "R truncated: no #end line", "no #end");
	reads("#test state 2\n1\th\tm\t1\t-\n#end\t2\t0\n",
	    "R its #end line does not match the lines before it", "#end counts one too many");
	reads("#test state 2\n#end\t0\n", "its #end line does not match the lines before it",
	    "#end of one count");
	reads("#test state 2\n#other\t1\n#end\t0\t0\n",
	    "its #end line does not match the lines before it", "a #line not the program's");
	reads("#test state 2\n#end\t0\t0\n1\th\tm\t1\t-\n", "lines after #end", "a line after #end");
	reads("#test state 2\n1\th\tm\t1\n#end\t1\t0\n", "a line of the wrong shape",
	    "a record of four fields");
	reads("#test state 2\n1\th\tm\tx\t-\n#end\t1\t0\n", "a malformed line", "a value not a number");

	f = open_memstream(&out, &len);
	state_put_begin(&w, f, &g);
	state_put_exact(&w, 0.1);
	state_put_exact_ts(&w, 1e20);
	state_put_exact_ts(&w, 1764300000.5);
	record_end(&w);
	state_put_end(f, &g, count);
	fclose(f);
	is_str(out, "#test state 2\n#ts\thost\tmetric\tvalue\textra\n"
	    "0.10000000000000001\t100000000000000000000\t1764300000.5\n#end\t3\t40\n",
	    "written: first line, header, exact numbers, #end with its counts");
	free(out);
	return tap_done();
}
