/*
 * run.c: read the stream into the board, and write what it shows: at
 * the end of input, and with --follow or -O at every refresh too.  The
 * reader wakes for the refresh timer and the signals through one epoll
 * descriptor, looked at only when its buffer runs dry: per record there
 * is nothing to pay for them.
 */
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"
#include "run.h"
#include "sig.h"
#include "state.h"
#include "text.h"
#include "xm.h"

static const char *const fixed[] = { "ts", "host", "metric", "value" };

int
wake_init(struct wake *w, double refresh, int extra)
{
	struct itimerspec its;
	struct epoll_event e;

	memset(w, 0, sizeof *w);
	w->sigfd = sig_open(extra);
	sig_pipe(0);
	w->timer = -1;
	w->servefd = -1;
	if ((w->ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(XM_EXIT_FAIL, "epoll_create1");
	memset(&e, 0, sizeof e);
	e.events = EPOLLIN;
	e.data.fd = w->sigfd;
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, w->sigfd, &e) == -1)
		err(XM_EXIT_FAIL, "epoll_ctl");
	if (refresh > 0) {
		if ((w->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) == -1)
			err(XM_EXIT_FAIL, "timerfd_create");
		memset(&its, 0, sizeof its);
		its.it_interval.tv_sec = (time_t)refresh;
		its.it_interval.tv_nsec = (long)((refresh - floor(refresh)) * 1e9);
		its.it_value = its.it_interval;
		timerfd_settime(w->timer, 0, &its, NULL);
		e.data.fd = w->timer;
		if (epoll_ctl(w->ep, EPOLL_CTL_ADD, w->timer, &e) == -1)
			err(XM_EXIT_FAIL, "epoll_ctl");
	}
	return w->ep;
}

void
wake_add(struct wake *w, int fd)
{
	struct epoll_event e;

	memset(&e, 0, sizeof e);
	e.events = EPOLLIN;
	e.data.fd = fd;
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, fd, &e) == -1)
		err(XM_EXIT_FAIL, "epoll_ctl");
}

/* Call serve(arg) whenever fd is readable, inside wake_take: the caller sees nothing of it. */
void
wake_serve(struct wake *w, int fd, void (*serve)(void *), void *arg)
{
	w->servefd = fd;
	w->serve = serve;
	w->servearg = arg;
	wake_add(w, fd);
}

void
wake_free(struct wake *w)
{
	close(w->ep);
	close(w->sigfd);
	if (w->timer >= 0)
		close(w->timer);
}

/*
 * What woke us, waiting up to ms (-1: for ever): WAKE_TICK when the
 * refresh is due, WAKE_END for a signal that ends the program, the
 * extra signal's number, WAKE_FD for the added descriptor, 0 for none.
 */
int
wake_take(struct wake *w, int ms)
{
	struct epoll_event e[4];
	uint64_t ticks;
	int n, i, r = 0, sig;

	while ((n = epoll_wait(w->ep, e, 4, ms)) == -1)
		if (errno != EINTR)
			err(XM_EXIT_FAIL, "epoll_wait");
	for (i = 0; i < n; i++) {
		if (e[i].data.fd == w->timer) {
			if (read(w->timer, &ticks, sizeof ticks) > 0 && r == 0)
				r = WAKE_TICK;
		} else if (e[i].data.fd == w->servefd) {
			w->serve(w->servearg);
		} else if (e[i].data.fd == w->sigfd) {
			sig = sig_take(w->sigfd);
			if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
				return WAKE_END;
			if (sig != 0)
				r = sig;
		} else if (r == 0) {
			r = WAKE_FD;
		}
	}
	return r;
}

/* Read a record into the board: 0, or a RECORD_ kind the caller must see to. */
int
show_read(struct board *b, struct record_reader *r, const struct header **h, int strict)
{
	const char *const *names;
	struct record rec;
	size_t n;
	int k;

	for (;;) {
		k = record_read(r, &rec);
		if (k == RECORD_HEADER) {
			n = record_columns(r, &names);
			/* past HEADERS: read as bare records, the first four columns */
			if ((*h = board_header(b, names, n)) == NULL)
				*h = board_header(b, fixed, 4);
		} else if (k == RECORD_OK) {
			if (*h == NULL)
				*h = board_header(b, fixed, 4);
			k = board_take(b, *h, &rec);
			if (k == -1 && b->dropped == 1)
				warnx("line %zu: more than %zu series; new ones are not shown",
				    rec.lineno, b->o->max_series);
			if (k != -2)
				return 0;
			record_metric_bad(r, &rec);
			b->skipped = record_skipped(r);
			if (strict)
				return RECORD_ERROR;
		} else if (k == RECORD_BAD) {
			b->skipped = record_skipped(r);
			if (strict)
				return RECORD_ERROR;
		} else if (k != RECORD_COMMENT) {
			return k;
		}
	}
}

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

/* The body of /metrics: the board as it stands between two records. */
static void
serve_body(void *arg, FILE *f)
{
	prom_serve(arg, f, xm_monotonic());
}

/* Every line read changes the board or its counts of lines. */
static unsigned long long
serve_gen(void *arg)
{
	const struct board *b = arg;

	return (unsigned long long)b->read + b->skipped + b->dropped;
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
	int k, e, status = XM_EXIT_OK;

	board_init(&b, o);
	record_reader_signal(r, wake_init(&w, o->format == NULL || o->follow || o->out ?
	    o->refresh : 0, o->format == NULL ? SIGWINCH : 0));
	if (o->listen != NULL) {
		srv = http_open(o->listen, o->refresh, serve_body, serve_gen, &b);
		wake_serve(&w, http_fd(srv), http_serve, srv);
	}
	if (o->format == NULL) {
		status = live_run(&b, r, &w, srv);
		goto out;
	}
	while ((k = show_read(&b, r, &h, o->strict)) != RECORD_EOF) {
		if (k == RECORD_ERROR) {
			status = XM_EXIT_FAIL;
			break;
		}
		if (k == RECORD_CLOSED)
			goto out;
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
	if (record_reader_end(r) != 0 && status == XM_EXIT_OK)
		status = XM_EXIT_FAIL;
	if (b.dropped > 0) {
		warnx("%zu record%s of new series not shown (--max-series %zu)", b.dropped,
		    b.dropped == 1 ? "" : "s", o->max_series);
		status = XM_EXIT_FAIL;
	}
	record_reader_free(r);
	http_close(srv);
	wake_free(&w);
	board_free(&b);
	return status;
}
