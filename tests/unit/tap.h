/* tap.h: the least test harness that speaks TAP to tests/run. */
#ifndef TAP_H
#define TAP_H

#include <stddef.h>

int	ok(int, const char *, ...) __attribute__((format(printf, 2, 3)));
int	is_str(const char *, const char *, const char *);
int	is_num(double, double, const char *);
int	tap_done(void);
void	diag(const char *, ...) __attribute__((format(printf, 1, 2)));
unsigned tap_rand(unsigned);

#endif
