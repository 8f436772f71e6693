/* xm-alert: check the stream against thresholds and keep each series' alert state. */
#include <err.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "option.h"
#include "run.h"
#include "state.h"
#include "xm.h"

enum {
	OPT_CHECK = CHAR_MAX + 1, OPT_CSV, OPT_EXEC_TIMEOUT, OPT_FORGET, OPT_LIST, OPT_MAX_SERIES,
	OPT_RESOLVE, OPT_RULES, OPT_STALE, OPT_STATE, OPT_STRICT, OPT_WAIT
};

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "events",	no_argument,		NULL, 'e' },
	{ "no-header",	no_argument,		NULL, 'H' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "rule",	required_argument,	NULL, 'r' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "exec",	required_argument,	NULL, 'x' },
	{ "check",	no_argument,		NULL, OPT_CHECK },
	{ "csv",	no_argument,		NULL, OPT_CSV },
	{ "exec-timeout", required_argument,	NULL, OPT_EXEC_TIMEOUT },
	{ "forget",	required_argument,	NULL, OPT_FORGET },
	{ "list",	no_argument,		NULL, OPT_LIST },
	{ "max-series",	required_argument,	NULL, OPT_MAX_SERIES },
	{ "resolve",	required_argument,	NULL, OPT_RESOLVE },
	{ "rules",	no_argument,		NULL, OPT_RULES },
	{ "stale",	required_argument,	NULL, OPT_STALE },
	{ "state",	required_argument,	NULL, OPT_STATE },
	{ "strict",	no_argument,		NULL, OPT_STRICT },
	{ "wait",	required_argument,	NULL, OPT_WAIT },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: xm-alert [-eH] [-r rule]... [-c file]... [-x command]...\n"
    "                [--exec-timeout seconds] [--stale seconds] [--state file]\n"
    "                [--check] [--csv] [--forget duration] [--max-series n]\n"
    "                [--strict] [--wait seconds]\n"
    "       xm-alert [-r rule]... [-c file]... --rules\n"
    "       xm-alert --state file [-x command]... --list | --resolve alert_id\n";

/* --help: the synopsis, then a line for each option. */
static const char help[] =
    "\n"
    "  -r, --rule RULE       a rule: METRIC-GLOB [field=COLUMN] [host=GLOB]\n"
    "                        [info= warn= crit= emerg=RANGE] [for=N|DURATION]\n"
    "                        [hysteresis=X] [repeat=DURATION]; more than one\n"
    "  -c, --config FILE     rules from FILE, one a line; # starts a comment\n"
    "      --rules           print the rules in force (the defaults if none given)\n"
    "  -e, --events          write only the records that carry an event\n"
    "  -H, --no-header       write no header line\n"
    "  -x, --exec COMMAND    run COMMAND for each event, told in XM_* variables\n"
    "      --exec-timeout S  kill a command still running after S (default 10s)\n"
    "      --stale S         resolve an alert whose series is quiet for S\n"
    "      --state FILE      keep the alert states in FILE between runs\n"
    "      --wait S          wait at most S for another run's lock on FILE (60s)\n"
    "      --forget D        forget a series quiet for longer than D, 0 never (1h)\n"
    "      --list            print the active alerts of the state file\n"
    "      --resolve ID      resolve the active alert ID by hand\n"
    "      --check           act as a Nagios plugin: a status line, exit 0 to 3\n"
    "      --csv             read and write CSV\n"
    "      --max-series N    keep the state of at most N series (100000)\n"
    "      --strict          stop at the first malformed record\n"
    "  -h, --help            print this help and exit\n"
    "  -V, --version         print the version and exit\n"
    "\nSee xm-alert(1).\n";

/* --check, or --check= which getopt turned down (optopt names it) */
static int
is_check(int ch)
{
	return ch == OPT_CHECK || (ch == '?' && optopt == OPT_CHECK);
}

struct rules {
	struct rule *v;
	size_t	 n, cap;
};

/*
 * One rule from where, or a usage error that names it (-1).  A rule the
 * same as one before (its words joined by one space) is taken once: its
 * alert is named by its text.
 */
static int
add_rule(struct rules *rs, const char *text, const char *where, size_t line)
{
	char why[256], q[XM_QUOTE_MAX];
	size_t i;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 16;
		rs->v = xm_reallocarray(rs->v, rs->cap, sizeof *rs->v);
	}
	if (rule_parse(&rs->v[rs->n], text, why, sizeof why) == 0) {
		for (i = 0; i < rs->n; i++)
			if (strcmp(rs->v[i].text, rs->v[rs->n].text) == 0)
				break;
		if (i == rs->n) {
			rs->n++;
			return 0;
		}
		if (line > 0)
			warnx("%s: line %zu: the same rule as one before: taken once", where, line);
		else
			warnx("-r \"%s\": the same rule as one before: taken once",
			    xm_quote(q, text, strlen(text)));
		rule_free(&rs->v[rs->n]);
		return 0;
	}
	if (line > 0)
		warnx("%s: line %zu: %s", where, line, why);
	else
		warnx("-r \"%s\": %s", xm_quote(q, text, strlen(text)), why);
	option_usage();
	return -1;
}

/* -c: a rule a line; blank lines and lines starting with # are not rules. */
static void
read_rules(struct rules *rs, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *p;
	size_t cap = 0, n = 0;
	ssize_t len;

	if (f == NULL) {
		warn("%s", path);
		option_usage();
		return;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		n++;
		if ((p = rule_line(line, (size_t)len)) != NULL && add_rule(rs, p, path, n) != 0)
			break;
	}
	if (ferror(f)) {
		warn("%s", path);
		option_usage();
	}
	free(line);
	fclose(f);
}

int
main(int argc, char *argv[])
{
	struct alert_opts o = {
		.exec_timeout = 10, .forget = 3600, .max_series = 100000, .header = 1,
		.wait = STATE_WAIT
	};
	struct rules rs = { NULL, 0, 0 };
	const char *resolve = NULL;
	int ch, i, list = 0, show_rules = 0, status;

	xm_init(argv);
	option_init(synopsis);
	/*
	 * A bad command line is UNKNOWN (3) to Nagios under --check, where 2
	 * would read as CRITICAL, and --check may come after the mistake.
	 */
	option_defer();
	while ((ch = getopt_long(argc, argv, "c:eHhr:Vx:", longopts, NULL)) != -1) {
		if (option_failed()) {
			o.check |= is_check(ch);
			continue;
		}
		switch (ch) {
		case 'c':
			read_rules(&rs, optarg);
			break;
		case 'e':
			o.events = 1;
			break;
		case 'H':
			o.header = 0;
			break;
		case 'h':
			option_help(help);
			break;
		case 'r':
			add_rule(&rs, optarg, NULL, 0);
			break;
		case 'V':
			xm_version();
			break;
		case 'x':
			if (*optarg == '\0')
				option_bad("-x", optarg, "not a command");
			o.exec = xm_reallocarray(o.exec, o.nexec + 1, sizeof *o.exec);
			o.exec[o.nexec++] = optarg;
			break;
		case OPT_CHECK:
			o.check = 1;
			break;
		case OPT_CSV:
			o.csv = 1;
			break;
		case OPT_EXEC_TIMEOUT:
			o.exec_timeout = option_duration("--exec-timeout", optarg);
			break;
		case OPT_FORGET:
			o.forget = option_forget(optarg);
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_MAX_SERIES:
			o.max_series = option_max_series(optarg);
			break;
		case OPT_RESOLVE:
			resolve = optarg;
			break;
		case OPT_RULES:
			show_rules = 1;
			break;
		case OPT_STALE:
			o.stale = option_duration("--stale", optarg);
			break;
		case OPT_STATE:
			o.state = option_file("--state", optarg);
			break;
		case OPT_STRICT:
			o.strict = 1;
			break;
		case OPT_WAIT:
			o.wait = option_wait(optarg);
			break;
		default:
			o.check |= is_check(ch);
			option_usage();
		}
	}
	option_status(o.check ? 3 : XM_EXIT_USAGE);
	option_end(argc, argv);
	if ((list || resolve != NULL) && o.state == NULL) {
		warnx("%s needs --state", list ? "--list" : "--resolve");
		option_usage();
	}
	if (list + (resolve != NULL) + show_rules + o.check > 1) {
		warnx("--list, --resolve, --rules and --check: one at a time");
		option_usage();
	}
	if (rs.n == 0)
		for (i = 0; rule_defaults[i] != NULL; i++)
			add_rule(&rs, rule_defaults[i], NULL, 0);
	o.rules = rs.v;
	o.nrules = rs.n;

	xm_buffer_stdout();
	if (show_rules) {
		for (i = 0; i < (int)rs.n; i++)
			printf("%s\n", rs.v[i].text);
		status = XM_EXIT_OK;
	} else if (list) {
		status = alert_list(&o);
	} else if (resolve != NULL) {
		status = alert_resolve(&o, resolve);
	} else {
		status = alert_run(&o);
	}
	for (i = 0; i < (int)rs.n; i++)
		rule_free(&rs.v[i]);
	free(rs.v);
	free(o.exec);
	return xm_finish(status, o.check ? 3 : XM_EXIT_FAIL);
}
