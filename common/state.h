/* state.h: a state file that outlives one run: locked, saved whole or not at all. */
#ifndef STATE_H
#define STATE_H

#include <stdio.h>

/* Seconds a run waits for the lock by default (--wait): a cron run's minute. */
#define STATE_WAIT 60

struct state {
	const char *path;
	int	 lockfd;
	char	*tmp;		/* the file being written, until it is renamed */
	int	 unnamed;	/* written with no name (O_TMPFILE), given tmp once whole */
};

int	 state_lock(struct state *, const char *, double);
int	 state_open(struct state *);
int	 state_set_aside(struct state *, const char *);
FILE	*state_create(struct state *);
int	 state_commit(struct state *, FILE *);
void	 state_unlock(struct state *);

#endif
