/* callback.h: -x commands run for each event, beside the stream, never in its way. */
#ifndef CALLBACK_H
#define CALLBACK_H

#include <sys/types.h>

#include <stddef.h>

#define CALLBACK_RUNNING 4	/* at most this many at once */
#define CALLBACK_QUEUE 1000	/* jobs waiting their turn, at most: then the stream waits */

struct callback_job {
	size_t	 cmd;
	char	**env;
	char	 id[17];
	char	 ev[16];
};

struct callbacks {
	char	**cmds;
	size_t	 ncmd;
	double	 timeout;
	struct callback_job *q;	/* a ring of jobs waiting */
	size_t	 head, len, cap;
	struct {
		pid_t	 pid;
		double	 deadline;	/* CLOCK_MONOTONIC seconds */
		int	 killed;
		struct callback_job job;
	} run[CALLBACK_RUNNING];
	size_t	 nrun;
	size_t	 lost;		/* jobs of events after they were abandoned */
	int	 abandoned;
	int	 failed;
};

void	 callback_init(struct callbacks *, char **, size_t, double);
void	 callback_free(struct callbacks *);
int	 callback_event(struct callbacks *, char *const *, size_t, const char *, const char *,
	    int);
void	 callback_tend(struct callbacks *);
int	 callback_drain(struct callbacks *, int);

#endif
