/* wake.h: what wakes the reader besides its input: the refresh, the signals, other descriptors. */
#ifndef WAKE_H
#define WAKE_H

enum { WAKE_TICK = -1, WAKE_END = -2, WAKE_FD = -3 };

/* What the reader waits on besides its input, as one descriptor. */
struct wake {
	int	 ep;		/* epoll of the rest */
	int	 sigfd;
	int	 timer;		/* the refresh; -1: none */
	int	 servefd;	/* served inside wake_take; -1: none */
	void	(*serve)(void *);
	void	*servearg;
	void	(*hup)(void *);	/* SIGHUP, when it ends nothing */
	void	*huparg;
};

int	 wake_init(struct wake *, double, int);
void	 wake_add(struct wake *, int);
void	 wake_serve(struct wake *, int, void (*)(void *), void *);
void	 wake_hup(struct wake *, void (*)(void *), void *);
int	 wake_take(struct wake *, int);
void	 wake_free(struct wake *);

#endif
