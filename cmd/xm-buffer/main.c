/* xm-buffer: keep a window of history per series and append its statistics. */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "num.h"
#include "option.h"
#include "state.h"
#include "xm.h"

/* A window's times are 32-bit milliseconds: 24 days is the most it may span. */
#define MAX_WINDOW (24 * 86400.0)

enum {
	OPT_COLUMNS = CHAR_MAX + 1, OPT_CSV, OPT_EVERY, OPT_FORECAST, OPT_FORGET, OPT_HALFLIFE,
	OPT_LIMIT, OPT_MAX_SERIES, OPT_SEASON, OPT_STATE, OPT_STRICT, OPT_SUMMARY, OPT_WAIT
};

static const struct option longopts[] = {
	{ "no-header",	no_argument,		NULL, 'H' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "size",	required_argument,	NULL, 's' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "window",	required_argument,	NULL, 'w' },
	{ "columns",	required_argument,	NULL, OPT_COLUMNS },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "every",	required_argument,	NULL, OPT_EVERY },
	{ "forecast",	required_argument,	NULL, OPT_FORECAST },
	{ "forget",	required_argument,	NULL, OPT_FORGET },
	{ "halflife",	required_argument,	NULL, OPT_HALFLIFE },
	{ "limit",	required_argument,	NULL, OPT_LIMIT },
	{ "max-series",	required_argument,	NULL, OPT_MAX_SERIES },
	{ "season",	required_argument,	NULL, OPT_SEASON },
	{ "state",	required_argument,	NULL, OPT_STATE },
	{ "strict",	no_argument,		NULL, OPT_STRICT },
	{ "summary",	no_argument,		NULL, OPT_SUMMARY },
	{ "wait",	required_argument,	NULL, OPT_WAIT },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: xm-buffer [-H] [-s size] [-w seconds] [--columns list] [--csv]\n"
    "                 [--every seconds | --summary] [--forecast duration]...\n"
    "                 [--forget duration] [--halflife seconds]\n"
    "                 [--limit metric=value]... [--max-series n]\n"
    "                 [--season period[/bucket]] [--state file] [--strict]\n"
    "                 [--wait seconds]\n";

/* --help: the synopsis, then a line for each option. */
static const char help[] =
    "\n"
    "  -H, --no-header       write no header line\n"
    "  -s, --size N          keep at most N samples a series (default 1000)\n"
    "  -w, --window S        keep samples no older than S before the newest (300s)\n"
    "      --columns LIST    append these columns: n, mean, min, max, stddev, slope,\n"
    "                        trend, baseline, zscore, rzscore, eta_seconds\n"
    "      --forecast D      append forecast_D, the window's line D ahead; up to 8\n"
    "      --limit M=V       the limit eta_seconds counts to for metrics M (a glob)\n"
    "      --csv             read and write CSV\n"
    "      --every S         one line a series every S instead of one a record\n"
    "      --summary         a line a series at the end: percentiles, trend, span\n"
    "      --halflife S      the baseline's half-life (default 1h)\n"
    "      --forget D        forget a series quiet for longer than D (default the\n"
    "                        longest of 1h, 2 windows, the half-life, the season;\n"
    "                        0 never)\n"
    "      --season P[/B]    append season_zscore: against the same time of period P\n"
    "      --max-series N    keep at most N series (default 100000)\n"
    "      --state FILE      keep the windows and baselines in FILE between runs\n"
    "      --wait S          wait at most S for another run's lock on --state (60s)\n"
    "      --strict          stop at the first malformed record\n"
    "  -h, --help            print this help and exit\n"
    "  -V, --version         print the version and exit\n"
    "\nSee xm-buffer(1).\n";

static void
parse_columns(struct buffer_opts *o, const char *arg)
{
	char *list = xm_strdup(arg), *name, *save;
	int c, i;

	o->ncols = 0;
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (c = 0; c < C_NCOL; c++)
			if (strcmp(name, column_names[c]) == 0)
				break;
		if (c == C_NCOL)
			option_bad("--columns", name, "not a column (n, mean, min, max, "
			    "stddev, slope, trend, baseline, zscore, rzscore, eta_seconds)");
		for (i = 0; i < o->ncols; i++)
			if (o->cols[i] == (enum column)c)
				option_bad("--columns", name, "named twice");
		o->cols[o->ncols++] = (enum column)c;
	}
	free(list);
	if (o->ncols == 0)
		option_bad("--columns", arg, "names no column");
}

/* --forecast DURATION: a column forecast_DURATION, the duration as written. */
static void
add_forecast(struct buffer_opts *o, const char *arg)
{
	double h;
	size_t n = strlen("forecast_") + strlen(arg) + 1;
	int i;

	h = option_seconds("--forecast", arg, 0, 1e9, "not a duration of at most 1e9 seconds");
	for (i = 0; i < o->nforecast; i++)
		if (strcmp(o->forecast_name[i] + strlen("forecast_"), arg) == 0)
			option_bad("--forecast", arg, "named twice");
	if (o->nforecast == FORECAST_MAX)
		option_bad("--forecast", arg, "one too many: 8 at most");
	o->forecast[o->nforecast] = h;
	o->forecast_name[o->nforecast] = xm_malloc(n);
	snprintf(o->forecast_name[o->nforecast++], n, "forecast_%s", arg);
}

/* --limit METRIC=VALUE, split at the last =: labels may hold one. */
static void
add_limit(struct buffer_opts *o, char *arg)
{
	char *eq = strrchr(arg, '=');
	double v;

	if (eq == NULL || eq == arg || num_parse(eq + 1, &v) != 0)
		option_bad("--limit", arg, "not METRIC=VALUE");
	*eq = '\0';
	o->limit = xm_reallocarray(o->limit, o->nlimit + 1, sizeof *o->limit);
	o->limit[o->nlimit].glob = arg;
	o->limit[o->nlimit++].value = v;
}

/*
 * How long a series may be quiet before it is forgotten, unless
 * --forget says: an hour, and no less than would throw away what a gap
 * leaves standing: two windows, a half-life of the baseline (which then
 * still weighs half), a period of --season (a nightly job's profile).
 */
static double
forget_default(const struct buffer_opts *o)
{
	double d = 3600;

	if (2 * o->window > d)
		d = 2 * o->window;
	if (o->halflife > d)
		d = o->halflife;
	if (o->seasonal && o->season.period > d)
		d = o->season.period;
	return d;
}

int
main(int argc, char *argv[])
{
	struct buffer_opts o = {
		.size = 1000, .window = 300, .halflife = 3600, .max_series = 100000, .forget = -1,
		.header = 1, .wait = STATE_WAIT
	};
	const char *size = NULL;
	unsigned long long n;
	int ch, c, status;

	xm_init(argv);
	option_init(synopsis);
	/* every column but rzscore, whose sorted window costs more than all the rest */
	for (c = 0; c < C_NCOL; c++)
		if (c != C_RZSCORE)
			o.cols[o.ncols++] = (enum column)c;
	while ((ch = getopt_long(argc, argv, "Hhs:Vw:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'H':
			o.header = 0;
			break;
		case 'h':
			option_help(help);
			break;
		case 's':
			size = optarg;
			break;
		case 'V':
			xm_version();
			break;
		case 'w':
			o.window = option_seconds("-w", optarg, 0.001, MAX_WINDOW,
			    "not a duration from 1ms to 24 days");
			break;
		case OPT_COLUMNS:
			parse_columns(&o, optarg);
			break;
		case OPT_CSV:
			o.csv = 1;
			break;
		case OPT_EVERY:
			o.every = option_duration("--every", optarg);
			break;
		case OPT_FORECAST:
			add_forecast(&o, optarg);
			break;
		case OPT_LIMIT:
			add_limit(&o, optarg);
			break;
		case OPT_FORGET:
			if ((o.forget = option_forget(optarg)) == 0)
				o.forget = INFINITY;
			break;
		case OPT_HALFLIFE:
			o.halflife = option_duration("--halflife", optarg);
			break;
		case OPT_MAX_SERIES:
			o.max_series = option_max_series(optarg);
			break;
		case OPT_SEASON:
			if (season_shape_parse(&o.season, optarg) != 0)
				option_bad("--season", optarg, "not PERIOD or PERIOD/BUCKET "
				    "(1d, 7d/1h): 2 to 10080 buckets a period");
			o.seasonal = 1;
			break;
		case OPT_STATE:
			o.state = option_file("--state", optarg);
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_SUMMARY:
			o.summary = 1;
			break;
		case OPT_WAIT:
			o.wait = option_wait(optarg);
			break;
		default:
			option_usage();
		}
	}
	option_end(argc, argv);
	if (o.summary && (o.every > 0 || o.seasonal)) {
		warnx("%s and --summary: one or the other", o.every > 0 ? "--every" : "--season");
		option_usage();
	}
	/* Without deques (--summary needs none) a window may hold more. */
	if (size != NULL) {
		if (num_parse_count(size, o.summary ? RING_MAX : RING_MAX_DEQUE, &n) != 0 || n == 0)
			option_bad("-s", size, o.summary ? "not a count from 1 to 16777216" :
			    "not a count from 1 to 65536 (more with --summary)");
		o.size = (uint32_t)n;
	}

	if (o.forget < 0)
		o.forget = forget_default(&o);

	xm_buffer_stdout();
	status = buffer_run(&o);
	for (c = 0; c < o.nforecast; c++)
		free(o.forecast_name[c]);
	free(o.limit);
	return xm_finish(status, XM_EXIT_FAIL);
}
