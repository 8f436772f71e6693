/* option.h: the command line as every xm program reads it, and its mistakes worded once. */
#ifndef OPTION_H
#define OPTION_H

#include <stddef.h>

void	 option_init(const char *);
void	 option_defer(void);
int	 option_failed(void);
void	 option_status(int);
void	 option_usage(void);
void	 option_help(const char *);
void	 option_warn(const char *, const char *, const char *);
void	 option_bad(const char *, const char *, const char *);
double	 option_seconds(const char *, const char *, double, double, const char *);
double	 option_duration(const char *, const char *);
double	 option_forget(const char *);
double	 option_wait(const char *);
unsigned long long option_count(const char *, const char *, unsigned long long);
size_t	 option_max_series(const char *);
const char *option_file(const char *, const char *);
void	 option_end(int, char *[]);

#endif
