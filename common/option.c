/*
 * option.c: what every main says of its command line: the synopsis on a
 * mistake, --help, and the words for the options the programs share
 * (durations, counts, --state, --wait, --forget, a word left over).
 */
#include <err.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "option.h"
#include "xm.h"

static const char *synopsis = "";
static int status = XM_EXIT_USAGE;
static int deferred, failed;

/* The usage lines, as usage and --help print them. */
void
option_init(const char *s)
{
	synopsis = s;
}

/*
 * A usage status that hangs on an option which may stand after the
 * mistake (xm-alert --check): the mistake is said at once, and the
 * program ends for it at option_end, once every option has been read.
 */
void
option_defer(void)
{
	deferred = 1;
}

/* Whether a mistake waits for option_end; the options after it are not acted on. */
int
option_failed(void)
{
	return failed;
}

void
option_status(int s)
{
	status = s;
}

/* The synopsis on stderr and the usage status; under option_defer, only marked. */
void
option_usage(void)
{
	if (deferred) {
		failed = 1;
		opterr = 0;	/* one mistake said: getopt says no more */
		return;
	}
	fputs(synopsis, stderr);
	exit(status);
}

/* --help: the synopsis, then the options' lines, to stdout. */
void
option_help(const char *text)
{
	fputs(synopsis, stdout);
	fputs(text, stdout);
	exit(xm_close_stdout());
}

/* A bad option argument, as every program words it: "-n: "0": not a count". */
void
option_warn(const char *opt, const char *arg, const char *what)
{
	char q[XM_QUOTE_MAX];

	warnx("%s: \"%s\": %s", opt, xm_quote(q, arg, strlen(arg)), what);
}

void
option_bad(const char *opt, const char *arg, const char *what)
{
	option_warn(opt, arg, what);
	option_usage();
}

/* Seconds from min to max (num_parse_seconds), or what is wrong with them. */
double
option_seconds(const char *opt, const char *arg, double min, double max, const char *what)
{
	double v = 0;

	if (num_parse_seconds(arg, &v) != 0 || v < min || v > max)
		option_bad(opt, arg, what);
	return v;
}

double
option_duration(const char *opt, const char *arg)
{
	return option_seconds(opt, arg, 0.001, INFINITY, "not a duration of at least 1ms");
}

/* --forget: any zero duration is never, returned as 0. */
double
option_forget(const char *arg)
{
	double v;

	if (num_parse_seconds(arg, &v) == 0 && v == 0)
		return 0;
	return option_duration("--forget", arg);
}

/* --wait: how long another run's lock on --state is waited for. */
double
option_wait(const char *arg)
{
	return option_seconds("--wait", arg, 0, 1e9, "not a duration of at most 1e9 seconds");
}

unsigned long long
option_count(const char *opt, const char *arg, unsigned long long max)
{
	unsigned long long n = 0;

	if (num_parse_count(arg, max, &n) != 0 || n == 0)
		option_bad(opt, arg, "not a count of at least 1");
	return n;
}

size_t
option_max_series(const char *arg)
{
	return (size_t)option_count("--max-series", arg, SIZE_MAX / 2);
}

const char *
option_file(const char *opt, const char *arg)
{
	if (*arg == '\0')
		option_bad(opt, arg, "not a file name");
	return arg;
}

/* After getopt: a mistake that waited ends the program now, and so does a word left over. */
void
option_end(int argc, char *argv[])
{
	deferred = 0;
	if (failed)
		option_usage();
	if (optind < argc) {
		warnx("%s: unexpected argument", argv[optind]);
		option_usage();
	}
}
