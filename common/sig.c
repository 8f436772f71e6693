/*
 * sig.c: the signals that end an xm program -- SIGINT, SIGTERM, SIGHUP,
 * and one more if the caller wants it -- are kept blocked and taken
 * through a signalfd (or, by a program that waits only on the clock,
 * sigtimedwait), so the main loop learns of them where it waits, never
 * inside a handler.
 *
 * One wait is not on input: a write to a reader that stopped reading.
 * sig_flush unblocks those that end the program around the flush (the
 * extra signal, SIGUSR1 say, stays with the signalfd), and their handler
 * only notes the signal; without SA_RESTART the write then fails with EINTR
 * and the program can end instead of hanging on the pipe.
 *
 * The blocked mask is inherited across exec: anything an xm program
 * starts must reset it.
 */
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio_ext.h>
#include <string.h>
#include <unistd.h>

#include "sig.h"
#include "xm.h"

/*
 * Written only by the handler; a flag is all a handler may safely do.
 * caught is taken by sig_take; ended stays, for sig_abandon.
 */
static volatile sig_atomic_t caught, ended;
static int dropped;		/* sig_fwrite wrote nothing more after a signal */
static sigset_t watched;	/* all, for the signalfd */
static sigset_t ending;		/* those that end the program: let through to flush */

/*
 * Let through only where a write may block on a reader that stopped
 * reading.  stdio goes on with a write the signal cut short, and would
 * block again: stdout does not block any more, the program is ending.
 */
static void
note(int signo)
{
	int fl, e = errno;

	caught = signo;
	ended = 1;
	if ((fl = fcntl(STDOUT_FILENO, F_GETFL)) != -1)
		fcntl(STDOUT_FILENO, F_SETFL, fl | O_NONBLOCK);
	errno = e;
}

int
sig_open(int extra)
{
	static const int ends[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;
	int fd;

	/*
	 * A hangup ignored stays ignored, and unwatched: nohup(1) means it,
	 * and one blocked would be kept for the signalfd all the same.  An
	 * ignored SIGINT is watched: a shell ignores it for every command
	 * it runs in the background, and kill -INT means to end one.
	 */
	sigemptyset(&ending);
	sigaddset(&ending, SIGINT);
	sigaddset(&ending, SIGTERM);
	if (sigaction(SIGHUP, NULL, &old) == -1 || old.sa_handler != SIG_IGN)
		sigaddset(&ending, SIGHUP);
	watched = ending;
	if (extra != 0)
		sigaddset(&watched, extra);
	if (sigprocmask(SIG_BLOCK, &watched, NULL) == -1)
		err(XM_EXIT_FAIL, "sigprocmask");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = note;
	sigemptyset(&sa.sa_mask);
	/*
	 * The handler is for the moments they are let through, when one
	 * left ignored would be lost: an ignored SIGINT gets it too.
	 */
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (sigismember(&ending, ends[i]))
			sigaction(ends[i], &sa, NULL);
	if ((fd = signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK)) == -1)
		err(XM_EXIT_FAIL, "signalfd");
	return fd;
}

/* Take signo through the signalfd fd too, as sig_open's extra one. */
void
sig_watch(int fd, int signo)
{
	sigset_t one;

	sigemptyset(&one);
	sigaddset(&one, signo);
	sigaddset(&watched, signo);
	if (sigprocmask(SIG_BLOCK, &one, NULL) == -1 || signalfd(fd, &watched, 0) == -1)
		err(XM_EXIT_FAIL, "signalfd");
}

/*
 * signo ends the program no more: it comes through the descriptor
 * alone, for the program to act on (SIGHUP, to read a file again).
 */
void
sig_keep(int signo)
{
	sigdelset(&ending, signo);
}

/* The signal the handler noted while it was let through, taken; or 0. */
static int
take_caught(void)
{
	int s = caught;

	caught = 0;
	return s;
}

/* The next pending signal's number, or 0 when none is pending. */
int
sig_take(int fd)
{
	struct signalfd_siginfo si;
	ssize_t n;
	int s;

	if ((s = take_caught()) != 0)
		return s;
	while ((n = read(fd, &si, sizeof si)) == -1 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof si)
		return 0;
	return (int)si.ssi_signo;
}

/*
 * Sleep for *ts, or until a watched signal comes: its number, taken as
 * sig_take takes it, or 0 when the time is up.  For a program whose
 * only wait is on the clock (xm-sample): sigtimedwait costs the kernel
 * less than a poll of the signalfd, and a sampler waits every interval.
 */
int
sig_sleep(const struct timespec *ts)
{
	int s;

	if ((s = take_caught()) != 0)
		return s;
	if ((s = sigtimedwait(&watched, NULL, ts)) > 0)
		return s;
	if (errno != EAGAIN && errno != EINTR)
		err(XM_EXIT_FAIL, "sigtimedwait");
	return 0;
}

/*
 * Let the signals through for good, to the handler: for a program that
 * never waits on input and may block in any write (xm-sample --start).
 * sig_take still tells what came.
 */
void
sig_unblock(void)
{
	sigprocmask(SIG_UNBLOCK, &ending, NULL);
}

/* Let the signals that end the program through (1), or hold them again (0). */
void
sig_let(int on)
{
	sigprocmask(on ? SIG_UNBLOCK : SIG_BLOCK, &ending, NULL);
}

/*
 * Whether a write to f can wait on a reader: not one to a regular file
 * or /dev/null, which ends (ENOSPC at worst) with no reader to wait on,
 * and then a flush needs no signals let through, nor two calls to the
 * kernel for it.  Asked of standard output once: it is the same file
 * for the program's life.
 */
static int
may_wait(FILE *f)
{
	static int out = -1;
	struct stat sb;
	int w;

	if (fileno(f) == STDOUT_FILENO && out != -1)
		return out;
	w = fstat(fileno(f), &sb) == -1 || !(S_ISREG(sb.st_mode) ||
	    (S_ISCHR(sb.st_mode) && major(sb.st_rdev) == 1 && minor(sb.st_rdev) == 3));
	if (fileno(f) == STDOUT_FILENO)
		out = w;
	return w;
}

/*
 * Flush f with the signals let through; the signal that came meanwhile,
 * or 0.  After a signal, what f could not write is dropped: the reader
 * is not reading, and the program is on its way out.
 */
int
sig_flush(FILE *f)
{
	if (!may_wait(f)) {
		fflush(f);
		xm_stdout_check(f);
		return caught;
	}
	sigprocmask(SIG_UNBLOCK, &ending, NULL);
	fflush(f);
	xm_stdout_check(f);
	sigprocmask(SIG_BLOCK, &ending, NULL);
	sig_abandon(f);
	return caught;
}

/* Whether a signal that ends the program came while it was let through. */
int
sig_caught(void)
{
	return caught != 0;
}

/*
 * fwrite, but where it would have to write to f, not just fill its
 * buffer, and so may block on a reader that stopped reading, with the
 * signals let through as sig_flush does.  Once one came, nothing more
 * is written: sig_abandon drops it.
 */
size_t
sig_fwrite(const void *p, size_t n, FILE *f)
{
	size_t k = 0;

	if (__fpending(f) + n < __fbufsize(f))
		return fwrite_unlocked(p, 1, n, f);
	sigprocmask(SIG_UNBLOCK, &ending, NULL);
	if (!ended) {
		k = fwrite_unlocked(p, 1, n, f);
		xm_stdout_check(f);
	}
	sigprocmask(SIG_BLOCK, &ending, NULL);
	if (ended)
		dropped = 1;
	return k;
}

/*
 * After a signal, drop what f failed to write: the reader is not
 * reading, and a last flush on the way out would only block again.
 * 1 if anything was dropped.
 */
int
sig_abandon(FILE *f)
{
	if (ended && (ferror(f) || dropped)) {
		__fpurge(f);
		clearerr(f);
		return 1;
	}
	return 0;
}

/*
 * SIGPIPE: its default, so a closed reader ends the program quietly,
 * whatever the parent left ignored; or, for a program that keeps state
 * (keep), ignored, so the failed write comes back as EPIPE and the
 * program can save before it goes (RECORD_CLOSED).
 */
void
sig_pipe(int keep)
{
	signal(SIGPIPE, keep ? SIG_IGN : SIG_DFL);
}
