/*
 * run.c: one run of xm-show: the stream read into the board, and what
 * it shows written at the end of input, and with --follow or -O at
 * every refresh too; on a terminal, the live screen (live.c) instead.
 */
#include <err.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "live.h"
#include "run.h"
#include "sig.h"
#include "state.h"
#include "text.h"
#include "wake.h"
#include "xm.h"

/*
 * The output of the format, to stdout or written whole to -O's file: 0,
 * -1 if it failed, 1 if an ending signal came while a reader that does
 * not read held it up (what was not written is dropped).
 */
static int
emit(const struct board *b, FILE *out)
{
	struct state st;
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	int rc = 0;

	if (b->o->out == NULL) {
		if ((f = open_memstream(&buf, &len)) == NULL)
			err(XM_EXIT_FAIL, "open_memstream");
		b->o->format->write(b, f);
		if (fclose(f) == EOF)
			err(XM_EXIT_FAIL, "open_memstream");
		if (isatty(fileno(out)))
			text_tty(buf, len);
		sig_let(1);
		if (fwrite(buf, 1, len, out) != len || fflush(out) == EOF) {
			xm_stdout_check(out);
			rc = -1;
		}
		sig_let(0);
		free(buf);
		if (sig_caught()) {
			sig_abandon(out);
			return 1;
		}
		return rc;
	}
	memset(&st, 0, sizeof st);
	st.path = b->o->out;
	st.lockfd = -1;
	if ((f = state_create(&st)) == NULL)
		return -1;
	b->o->format->write(b, f);
	return state_commit(&st, f);
}

/* The body of a page: the board as it stands between two records. */
static void
serve_body(void *arg, const struct http_ask *q, FILE *f)
{
	if (q->page == HTTP_METRICS)
		prom_serve(arg, f, xm_monotonic());
	else
		json_serve(arg, f, q);
}

/* Every line read changes the board or its counts of lines. */
static unsigned long long
serve_gen(void *arg)
{
	const struct board *b = arg;

	return (unsigned long long)b->read + b->skipped + b->series.refused;
}

/* SIGHUP: the web config file read again. */
static void
reload(void *srv)
{
	http_reload(srv);
}

/*
 * Each sample as it comes (-o influx): its line made in a memory
 * stream, then written as the other programs write theirs, gathered
 * until input runs dry, a signal let through while a write waits on
 * a reader that does not read, no control character raw to a terminal.
 */
struct lines {
	const struct board *b;
	FILE	*f;
	char	*buf;
	size_t	 len;
	struct record_writer *w;
};

static void
each_line(void *arg, const struct series *s)
{
	struct lines *l = arg;

	l->b->o->format->each(l->b, s, l->f);
	if (fflush(l->f) == EOF)
		err(XM_EXIT_FAIL, "open_memstream");
	record_put(l->w, l->buf, l->len);
	record_end(l->w);
	fseeko(l->f, 0, SEEK_SET);
}

int
show_run(const struct show_opts *o)
{
	struct board b;
	struct wake w;
	struct record_reader *r = record_reader_new(STDIN_FILENO,
	    (o->csv ? RECORD_CSV : 0) | RECORD_METRIC_LATER);
	struct http *srv = NULL;
	const struct header *h = NULL;
	struct lines line = { NULL, NULL, NULL, 0, NULL };
	int k, e, closed = 0, status = XM_EXIT_OK;

	board_init(&b, o);
	record_reader_signal(r, wake_init(&w, o->format == NULL || o->follow || o->out ?
	    o->refresh : 0, o->format == NULL ? SIGWINCH : 0));
	if (o->listen != NULL) {
		srv = http_open(o->listen, o->web_config, o->refresh, serve_body, serve_gen, &b);
		wake_serve(&w, http_fd(srv), http_serve, srv);
		/* on the live screen, SIGHUP is the terminal gone, and ends it */
		if (o->web_config != NULL && o->format != NULL)
			wake_hup(&w, reload, srv);
	}
	if (o->format != NULL && o->format->each != NULL) {
		memset(&line, 0, sizeof line);
		line.b = &b;
		if ((line.f = open_memstream(&line.buf, &line.len)) == NULL)
			err(XM_EXIT_FAIL, "open_memstream");
		line.w = xm_malloc(sizeof *line.w);
		record_writer_init(line.w, stdout, RECORD_INTERRUPTIBLE | RECORD_BATCH);
		record_reader_flush(r, stdout);
		record_reader_batch(r, line.w);
		b.each = each_line;
		b.each_arg = &line;
	}
	if (o->format == NULL) {
		status = live_run(&b, r, &w, srv);
		goto out;
	}
	while ((k = board_read(&b, r, &h, o->strict)) != RECORD_EOF) {
		if (k == RECORD_ERROR) {
			status = XM_EXIT_FAIL;
			break;
		}
		if (k == RECORD_CLOSED) {
			closed = 1;
			goto out;
		}
		if (k != RECORD_SIGNAL)
			continue;
		if (sig_caught())
			goto out;
		k = wake_take(&w, 0);
		if (k == WAKE_END)
			break;
		if (k == WAKE_TICK && (e = emit(&b, stdout)) != 0) {
			if (e == 1)
				goto out;
			status = XM_EXIT_FAIL;
		}
	}
	if (k == RECORD_EOF)
		http_final(srv);
	if (!o->serve_only && (e = emit(&b, stdout)) != 0) {
		if (e == 1)
			goto out;	/* the signal that cut the write short ends the serving too */
		status = XM_EXIT_FAIL;
	}
	/* the last state stays up, for Prometheus to see it go stale, until told to end */
	if (srv != NULL && k == RECORD_EOF)
		while (wake_take(&w, -1) != WAKE_END)
			;
out:
	if (line.w != NULL) {
		record_stream_end(line.w, closed);
		free(line.w);
		fclose(line.f);
		free(line.buf);
	}
	if (record_reader_end(r) != 0 && status == XM_EXIT_OK)
		status = XM_EXIT_FAIL;
	if (series_say_refused(&b.series, "not shown") > 0)
		status = XM_EXIT_FAIL;
	record_reader_close(r, closed);
	http_close(srv);
	wake_free(&w);
	board_free(&b);
	return status;
}
