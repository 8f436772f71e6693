/* dev.h: devices that come and go between reads. */
#ifndef DEV_H
#define DEV_H

#include <stddef.h>

#include "metric.h"

struct sampler;

#define DEV_METRICS	16
#define DEV_COUNTERS	8
#define DEV_TEXT	160

struct dev {
	char	 name[64];
	size_t	 namelen;
	char	*metric[DEV_METRICS];	/* built once, when the device first shows */
	size_t	 mlen[DEV_METRICS];
	unsigned long long prev[DEV_COUNTERS], cur[DEV_COUNTERS];
	unsigned long long gauge;	/* a level read as it is: I/Os in flight */
	int	 have_prev;	/* prev holds the previous read's counters */
	int	 seen;		/* in the latest read */
	int	 skip;		/* never reported: a partition, say */
	int	 idle;		/* not reported now: never used yet */
	int	 real;		/* counted in the host's total: no stacked or virtual one */
	unsigned char textlen;	/* of text; 0: none kept */
	char	 text[DEV_TEXT];	/* the counts' text cur was last read from */
};

struct devtab {
	struct dev *d;
	size_t	 n, cap, cursor;
	const char *const *metrics;
	int	 nmetric;
};

void	 devtab_init(struct devtab *, const char *const *, int);
struct dev *devtab_get(struct devtab *, const char *, size_t, int *);
void	 devtab_sweep(struct devtab *);
void	 devtab_put_rates(struct devtab *, struct sampler *, int, int);
void	 devtab_put_scaled(struct devtab *, struct sampler *, int, int, double);
void	 devtab_put_total(struct devtab *, struct sampler *, const char *, int, int);
void	 dev_put(struct sampler *, const struct dev *, int, double);
void	 dev_put_u64(struct sampler *, const struct dev *, int, unsigned long long);
int	 dev_virtual(struct sampler *, const char *, const char *);
int	 dev_text_same(const struct dev *, const char *, size_t);
void	 dev_text_keep(struct dev *, const char *, size_t);
void	 devtab_rotate(struct devtab *);
void	 devtab_free(struct devtab *);

#endif
