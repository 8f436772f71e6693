/* sig.h: the signals that end an xm program, taken through a descriptor. */
#ifndef SIG_H
#define SIG_H

#include <stdio.h>
#include <time.h>

int	sig_open(int);
void	sig_watch(int, int);
void	sig_keep(int);
int	sig_take(int);
int	sig_sleep(const struct timespec *);
int	sig_flush(FILE *);
void	sig_unblock(void);
void	sig_let(int);
int	sig_caught(void);
size_t	sig_fwrite(const void *, size_t, FILE *);
int	sig_abandon(FILE *);
void	sig_pipe(int);

#endif
