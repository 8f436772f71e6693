/* xm.h: what every xm program shares: exit codes, allocation, stdout. */
#ifndef XM_H
#define XM_H

#include <stddef.h>
#include <stdio.h>

enum {
	XM_EXIT_OK = 0,
	XM_EXIT_FAIL = 1,	/* runtime error, or records skipped */
	XM_EXIT_USAGE = 2
};

/* The size of stdout's buffer (xm_buffer_stdout), a block of output. */
#define XM_STDOUT_BUF 65536

/* Longest text xm_quote writes, NUL included. */
#define XM_QUOTE_MAX 80

void	*xm_malloc(size_t);
void	*xm_calloc(size_t, size_t);
void	*xm_reallocarray(void *, size_t, size_t);
char	*xm_strdup(const char *);
char	*xm_strndup(const char *, size_t);
int	 xm_listed(const char *, const char *const *, size_t);

const char *xm_quote(char [XM_QUOTE_MAX], const char *, size_t);
void	 xm_init(char *[]);
void	 xm_version(void);
void	 xm_buffer_stdout(void);
int	 xm_close_stdout(void);
int	 xm_finish(int, int);
void	 xm_stdout_check(FILE *);
int	 xm_out_gone(FILE *);
void	 xm_stdout_gone(void);
double	 xm_monotonic(void);
double	 xm_realtime(void);

#endif
