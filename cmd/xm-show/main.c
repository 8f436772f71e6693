/* xm-show: the dashboard on a terminal, plain text elsewhere, Prometheus and tables for programs. */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "http.h"
#include "num.h"
#include "option.h"
#include "run.h"
#include "show.h"
#include "xm.h"

enum {
	OPT_ASCII = CHAR_MAX + 1, OPT_CSV, OPT_FLAP, OPT_FOLLOW, OPT_FORGET, OPT_HISTORY, OPT_HOST,
	OPT_MAX_SERIES, OPT_ONCE, OPT_ONLY, OPT_PANELS, OPT_PREFIX, OPT_STRICT, OPT_WEB_CONFIG
};

static const struct option longopts[] = {
	{ "help",	no_argument,		NULL, 'h' },
	{ "listen",	required_argument,	NULL, 'l' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "output-file", required_argument,	NULL, 'O' },
	{ "refresh",	required_argument,	NULL, 'r' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "width",	required_argument,	NULL, 'W' },
	{ "ascii",	no_argument,		NULL, OPT_ASCII },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "flap",	required_argument,	NULL, OPT_FLAP },
	{ "follow",	no_argument,		NULL, OPT_FOLLOW },
	{ "forget",	required_argument,	NULL, OPT_FORGET },
	{ "history",	no_argument,		NULL, OPT_HISTORY },
	{ "host",	required_argument,	NULL, OPT_HOST },
	{ "max-series",	required_argument,	NULL, OPT_MAX_SERIES },
	{ "once",	no_argument,		NULL, OPT_ONCE },
	{ "only",	required_argument,	NULL, OPT_ONLY },
	{ "panels",	required_argument,	NULL, OPT_PANELS },
	{ "prefix",	required_argument,	NULL, OPT_PREFIX },
	{ "strict",	no_argument,		NULL, OPT_STRICT },
	{ "web-config",	required_argument,	NULL, OPT_WEB_CONFIG },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: xm-show [-r seconds] [--ascii] [--host glob] [--only glob]...\n"
    "               [--once | --follow] [-W columns] [--panels list]\n"
    "               [-o text|prom|json|influx|csv|tsv] [-O file]\n"
    "               [--prefix name] [-l [address:]port [--web-config file]]\n"
    "               [--csv] [--max-series n] [--forget seconds] [--strict]\n"
    "       xm-show --history [--flap seconds] [-o text|csv|tsv] [--csv]\n";

/* --help: the synopsis, then a line an option, as sar and the GNU tools print them. */
static const char help[] =
    "\n"
    "Draw an xm stream: a dashboard, plain text, Prometheus metrics, JSON, InfluxDB\n"
    "line protocol or a table.\n"
    "\n"
    "  -r, --refresh seconds    redraw (and write) every so often; 2 by default\n"
    "      --ascii              draw without Unicode\n"
    "      --host glob          show only the hosts the glob matches\n"
    "      --only glob          show only the metrics a glob matches; repeatable\n"
    "      --once               plain text once at the end, even on a terminal\n"
    "      --follow             plain text every refresh too, even on a terminal\n"
    "  -W, --width columns      plain text this wide, 80 to 1000; 80 by default\n"
    "      --panels list        these panels, in this order: system, disks,\n"
    "                           processes, alerts, trends, other\n"
    "  -o, --output format      text, prom, json, influx, csv or tsv, instead of\n"
    "                           the live screen\n"
    "  -O, --output-file file   write it to file, replaced whole each time\n"
    "      --prefix name        the start of every Prometheus name, and the InfluxDB\n"
    "                           measurement; xm_ by default\n"
    "  -l, --listen [address:]port\n"
    "                           serve /metrics and the JSON API over HTTP;\n"
    "                           127.0.0.1 unless given\n"
    "      --web-config file    with -l: TLS, client certificates, users, headers,\n"
    "                           as node_exporter's --web.config.file\n"
    "      --csv                read CSV instead of TAB-separated records\n"
    "      --max-series n       keep at most n series; 100000 by default\n"
    "      --forget seconds     forget a series quiet for longer; 1h by default,\n"
    "                           0 for never\n"
    "      --strict             stop at the first malformed record\n"
    "      --history            read an alert log and write its report at the end\n"
    "      --flap seconds       with --history: a firing this soon after the same\n"
    "                           alert resolved is a flap; 600 by default\n"
    "  -h, --help               print this help and exit\n"
    "  -V, --version            print the version and exit\n"
    "\n"
    "See xm-show(1).\n";

/* A Prometheus name may start so: [a-zA-Z_:][a-zA-Z0-9_:]*, or be empty. */
static int
prom_prefix(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    s[i] == '_' || s[i] == ':' || (i > 0 && s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

int
main(int argc, char *argv[])
{
	struct show_opts o = {
		.refresh = 2, .width = 80, .prefix = "xm_", .max_series = 100000, .color = 1,
		.flap = 600, .forget = 3600
	};
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
	char host[HTTP_HOST_MAX], port[6];
	const char *why, *panels = NULL, *home, *xdg;
	char config[PATH_MAX], bad[256];
	unsigned long long n;
	int ch, status;

	xm_init(argv);
	option_init(synopsis);
	while ((ch = getopt_long(argc, argv, "hl:O:o:r:VW:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			option_help(help);
			break;
		case 'l':
			if (http_parse(optarg, host, port, &why) != 0)
				option_bad("--listen", optarg, why);
			o.listen = optarg;
			break;
		case 'O':
			o.out = option_file("-O", optarg);
			break;
		case 'o':
			if ((o.format = show_format_find(optarg)) == NULL)
				option_bad("-o", optarg,
				    "not an output (text, prom, json, influx, csv, tsv)");
			break;
		case 'r':
			o.refresh = option_seconds("-r", optarg, 0.1, 86400,
			    "not a duration from 0.1s to 1d");
			break;
		case 'V':
			xm_version();
			break;
		case 'W':
			if (num_parse_count(optarg, 1000, &n) != 0 || n < 80)
				option_bad("-W", optarg, "not a width from 80 to 1000");
			o.width = (int)n;
			break;
		case OPT_ASCII:
			o.ascii = 1;
			break;
		case OPT_CSV:
			o.csv = 1;
			break;
		case OPT_FLAP:
			o.flap = option_seconds("--flap", optarg, 0, INFINITY, "not a duration");
			break;
		case OPT_FOLLOW:
			o.follow = 1;
			break;
		case OPT_FORGET:
			o.forget = option_seconds("--forget", optarg, 0, INFINITY,
			    "not a duration");
			break;
		case OPT_HISTORY:
			o.history = 1;
			break;
		case OPT_HOST:
			o.host = optarg;
			break;
		case OPT_MAX_SERIES:
			o.max_series = option_max_series(optarg);
			break;
		case OPT_ONCE:
			o.once = 1;
			break;
		case OPT_ONLY:
			o.only = xm_reallocarray(o.only, o.nonly + 1, sizeof *o.only);
			o.only[o.nonly++] = optarg;
			break;
		case OPT_PREFIX:
			if (!prom_prefix(optarg))
				option_bad("--prefix", optarg,
				    "not the start of a Prometheus name");
			o.prefix = optarg;
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_PANELS:
			panels = optarg;
			break;
		case OPT_WEB_CONFIG:
			o.web_config = optarg;
			break;
		default:
			option_usage();
		}
	}
	option_end(argc, argv);
	/* the config file's settings, then the command line's */
	view_init(&o.view);
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	config[0] = '\0';
	if (xdg != NULL && *xdg == '/')
		snprintf(config, sizeof config, "%s/xm/show", xdg);
	else if (home != NULL && *home != '\0')
		snprintf(config, sizeof config, "%s/.config/xm/show", home);
	if (config[0] != '\0')
		view_config(&o.view, config);
	if (panels != NULL && view_parts(&o.view, panels, bad, sizeof bad) == -1)
		option_bad("--panels", panels, bad);
	if (o.web_config != NULL && o.listen == NULL) {
		warnx("--web-config: of --listen, which is not given");
		option_usage();
	}
	if (o.format != NULL && o.format->each != NULL && o.out != NULL) {
		warnx("-o %s: each sample as it comes, to standard output: not with -O",
		    o.format->name);
		option_usage();
	}
	if (o.once && o.follow) {
		warnx("--once and --follow: one or the other");
		option_usage();
	}
	if (o.history) {
		/* a report at the end of the log, not a board of the moment */
		if (o.listen != NULL || o.out != NULL || o.once || o.follow ||
		    (o.format != NULL && !o.format->table &&
		    o.format != show_format_find("text"))) {
			warnx("--history: a report, with -o text, csv or tsv and nothing else");
			option_usage();
		}
		xm_buffer_stdout();
		return xm_finish(history_run(&o), XM_EXIT_FAIL);
	}
	if (nc != NULL && *nc != '\0')
		o.color = 0;
	/*
	 * The live screen on a terminal that can draw one; plain text
	 * elsewhere, and on a dumb terminal again at every refresh; with
	 * --listen and nothing asked of stdout, nothing but /metrics.
	 */
	if (o.listen != NULL && o.format == NULL && o.out == NULL && !o.once && !o.follow &&
	    !isatty(STDOUT_FILENO)) {
		o.serve_only = 1;
		o.format = show_format_find("prom");
	}
	if (o.format == NULL && (o.out != NULL || o.once || o.follow || !isatty(STDOUT_FILENO) ||
	    term == NULL || strcmp(term, "dumb") == 0 || *term == '\0')) {
		o.format = show_format_find("text");
		if (!o.once && o.out == NULL && isatty(STDOUT_FILENO))
			o.follow = 1;
	}

	xm_buffer_stdout();
	status = show_run(&o);
	free(o.only);
	return xm_finish(status, XM_EXIT_FAIL);
}
