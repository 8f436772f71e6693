/* xm.c: allocation that dies, safe quoting for messages, the exit path. */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xm.h"

#ifndef XM_VERSION
#define XM_VERSION "0"
#endif

void *
xm_malloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		err(XM_EXIT_FAIL, "unable to allocate %zu bytes", n);
	return p;
}

void *
xm_calloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		err(XM_EXIT_FAIL, "unable to allocate %zu bytes", n * size);
	return p;
}

void *
xm_reallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if ((p = reallocarray(old, n ? n : 1, size ? size : 1)) == NULL)
		err(XM_EXIT_FAIL, "unable to allocate %zu items of %zu bytes", n, size);
	return p;
}

char *
xm_strdup(const char *s)
{
	return xm_strndup(s, strlen(s));
}

char *
xm_strndup(const char *s, size_t n)
{
	char *p = xm_malloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Whether s is one of the n strings of list. */
int
xm_listed(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return 1;
	return 0;
}

/*
 * Make stream text fit for a message on a terminal: every byte outside
 * printable ASCII becomes a C escape (so neither C0 nor C1 controls nor
 * broken UTF-8 reach the terminal), and long text is cut with "..." so
 * one bad record cannot flood stderr.
 */
const char *
xm_quote(char dst[XM_QUOTE_MAX], const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		if (o + 4 > XM_QUOTE_MAX - 4) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		c = (unsigned char)s[i];
		if (c == '\\' || c == '"') {
			dst[o++] = '\\';
			dst[o++] = (char)c;
		} else if (c == '\t') {
			dst[o++] = '\\';
			dst[o++] = 't';
		} else if (c < 0x20 || c > 0x7e) {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
	return dst;
}

/*
 * getopt names the program by argv[0], which is whatever path started
 * it; every other message uses the short name, so getopt gets it too.
 */
void
xm_init(char *argv[])
{
	extern char *program_invocation_short_name;

	argv[0] = program_invocation_short_name;
}

void
xm_version(void)
{
	extern char *program_invocation_short_name;

	printf("%s %s\n", program_invocation_short_name, XM_VERSION);
	exit(xm_close_stdout());
}

/*
 * Records go out in blocks of 64 KiB when they come fast; each program
 * flushes by itself whenever it is about to wait (xm(7), STREAMING).
 * The buffer is ours: glibc takes the size only with the buffer, and
 * would write to a pipe 4 KiB at a time.
 */
void
xm_buffer_stdout(void)
{
	static char buf[XM_STDOUT_BUF];

	setvbuf(stdout, buf, _IOFBF, sizeof buf);
}

/* A failed write to stdout has been reported: once is enough. */
static int stdout_said;

/*
 * Right after a write or a flush of f: if f is stdout and the write
 * failed (a full disk), say so now, while errno still tells why.  A
 * reader gone is no failure, nor a write a signal broke off (EINTR, or
 * EAGAIN once the signal made stdout non-blocking, sig.c): the program
 * is on its way out, and drops what it could not write.
 */
void
xm_stdout_check(FILE *f)
{
	if (f != stdout || stdout_said || !ferror(f) || errno == EPIPE || errno == EINTR ||
	    errno == EAGAIN)
		return;
	warn("stdout");
	stdout_said = 1;
}

/*
 * Every main leaves through here: a write that failed (full disk) must
 * show in the exit status, while a reader that went away is no error.
 */
int
xm_close_stdout(void)
{
	int failed = ferror(stdout);

	errno = 0;
	if (fflush(stdout) == EOF || fclose(stdout) == EOF) {
		if (errno == EPIPE)
			return XM_EXIT_OK;
		if (!stdout_said)
			warn("stdout");
		return XM_EXIT_FAIL;
	}
	if (failed) {
		/* said when it failed, or else its errno went with it */
		if (!stdout_said)
			warnx("stdout: write error");
		return XM_EXIT_FAIL;
	}
	return XM_EXIT_OK;
}

/*
 * The end of a main whose work ended with status: stdout closed, and a
 * write that failed is fail (1, or 3 for a Nagios plugin) unless the
 * status says already that something did.
 */
int
xm_finish(int status, int fail)
{
	if (xm_close_stdout() != XM_EXIT_OK && status == XM_EXIT_OK)
		return fail;
	return status;
}

/*
 * Whether writing to f failed because its reader has gone: a pipe or
 * socket no one reads.  Seen only where SIGPIPE is ignored, as by a
 * program that keeps state (xm(7), STREAMING).
 */
int
xm_out_gone(FILE *f)
{
	struct pollfd p;

	if (!ferror_unlocked(f))
		return 0;
	p.fd = fileno_unlocked(f);
	p.events = POLLOUT;
	p.revents = 0;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

/*
 * The reader of stdout has gone (RECORD_CLOSED): what waits in the
 * buffer can go nowhere, and the error is no failure of ours.
 */
void
xm_stdout_gone(void)
{
	__fpurge(stdout);
	clearerr(stdout);
}

/* Seconds on CLOCK_MONOTONIC: for spans, never for record time. */
double
xm_monotonic(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* The wall clock, in seconds since the epoch. */
double
xm_realtime(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}
