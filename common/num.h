/* num.h: numbers as the xm stream spells them (see xm(7)). */
#ifndef NUM_H
#define NUM_H

#include <stddef.h>

/* Room for any number num_format or num_format_ts writes, NUL included. */
#define NUM_MAX 32

/*
 * A number and the text num_format gave it, kept to be written again
 * while it stays the same (record_put_kept): a window's min and max
 * change seldom.  len 0: nothing kept.
 */
struct num_text {
	double	 v;
	unsigned char len;
	char	 text[23];
};

int	num_parse(const char *, double *);
int	num_parse_ts(const char *, double *);
int	num_parse_n(const char *, size_t, double *);
int	num_parse_ts_n(const char *, size_t, double *);
int	num_parse_seconds(const char *, double *);
int	num_parse_count(const char *, unsigned long long, unsigned long long *);
size_t	num_format(char [NUM_MAX], double);
size_t	num_format_ts(char [NUM_MAX], double);
size_t	num_format_u64(char [NUM_MAX], unsigned long long);
size_t	num_format_span(char [NUM_MAX], double);
void	num_format_exact(char [NUM_MAX], double);
int	num_is_json(const char *);

#endif
