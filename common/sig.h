/* sig.h: the signals that end an xm program, taken through a descriptor. */
#ifndef SIG_H
#define SIG_H

int	sig_open(int);
int	sig_take(int);

#endif
