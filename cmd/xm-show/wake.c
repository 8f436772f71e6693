/*
 * wake.c: the reader's wait, one epoll descriptor over the refresh
 * timer, the signals and what else is added.  The reader looks at it
 * only when its buffer runs dry: per record there is nothing to pay.
 */
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include <err.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "sig.h"
#include "wake.h"
#include "xm.h"

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

/* At SIGHUP, call hup(arg), inside wake_take, instead of ending: asked for, even under nohup(1). */
void
wake_hup(struct wake *w, void (*hup)(void *), void *arg)
{
	w->hup = hup;
	w->huparg = arg;
	sig_keep(SIGHUP);
	sig_watch(w->sigfd, SIGHUP);
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
			if (sig == SIGHUP && w->hup != NULL) {
				w->hup(w->huparg);
				continue;
			}
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
