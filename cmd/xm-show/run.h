/* run.h: one run of xm-show: the stream read, the refresh and the signals waited for. */
#ifndef RUN_H
#define RUN_H

#include "http.h"
#include "show.h"

enum { WAKE_TICK = -1, WAKE_END = -2, WAKE_FD = -3 };

/* What the reader waits on besides its input, as one descriptor. */
struct wake {
	int	 ep;		/* epoll of the rest */
	int	 sigfd;
	int	 timer;		/* the refresh; -1: none */
	int	 servefd;	/* served inside wake_take; -1: none */
	void	(*serve)(void *);
	void	*servearg;
};

int	 wake_init(struct wake *, double, int);
void	 wake_add(struct wake *, int);
void	 wake_serve(struct wake *, int, void (*)(void *), void *);
int	 wake_take(struct wake *, int);
void	 wake_free(struct wake *);

int	 show_read(struct board *, struct record_reader *, const struct header **, int);
int	 show_run(const struct show_opts *);
int	 live_run(struct board *, struct record_reader *, struct wake *, struct http *);

#endif
