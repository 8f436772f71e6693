/*
 * sig.c: block SIGINT, SIGTERM and SIGHUP (and one extra signal, if the
 * caller wants it) and deliver them through a signalfd, so the main loop
 * learns of them where it waits, never inside a handler.  The mask is
 * inherited across exec: anything an xm program starts must reset it.
 */
#include <sys/signalfd.h>

#include <err.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "sig.h"
#include "xm.h"

int
sig_open(int extra)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	if (extra != 0)
		sigaddset(&set, extra);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		err(XM_EXIT_FAIL, "sigprocmask");
	if ((fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		err(XM_EXIT_FAIL, "signalfd");
	return fd;
}

/* The next pending signal's number, or 0 when none is pending. */
int
sig_take(int fd)
{
	struct signalfd_siginfo si;
	ssize_t n;

	while ((n = read(fd, &si, sizeof si)) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof si)
		return 0;
	return (int)si.ssi_signo;
}
