/* callback.h: -x commands run for each event, beside the stream, never in its way. */
#ifndef CALLBACK_H
#define CALLBACK_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define CALLBACK_RUNNING 4	/* at most this many at once */
#define CALLBACK_QUEUE 1000	/* jobs waiting their turn, at most: then the stream waits */
#define CALLBACK_TRIES 6	/* a notification is tried at most this often, then given up */
#define CALLBACK_BACKOFF 10	/* seconds before its second try, twice as long before each after */

/*
 * A notification: one event to one command, until the command ends with
 * status 0 (delivered) or has failed CALLBACK_TRIES times (given up).
 */
struct callback_job {
	char	*vars;		/* the event's NAME=value strings, a NUL after each */
	size_t	 varslen;
	size_t	 cmd;
	uint64_t key;		/* of the command and the alert: their jobs go in order */
	double	 due;		/* CLOCK_MONOTONIC seconds: not tried before */
	double	 deadline;	/* running: killed after */
	pid_t	 pid;		/* running; 0: waiting */
	uint32_t tries;		/* those that failed */
	uint8_t	 killed;	/* past its deadline */
	uint8_t	 done;
	char	 id[17];
	char	 ev[16];
};

struct callbacks {
	char	**cmds;
	size_t	 ncmd;
	char	(*cmd_id)[17];	/* of each command: callback_cmd_id */
	double	 timeout;
	struct callback_job *q;	/* in the order of their events, those running too */
	size_t	 len, cap;
	size_t	 nrun;
	uint64_t *keys;		/* the keys met on a walk of q */
	size_t	 keycap;
	size_t	 given_up;
	int	 abandoned;
};

void	 callback_init(struct callbacks *, char **, size_t, double);
void	 callback_free(struct callbacks *);
void	 callback_cmd_id(char [17], const char *);
int	 callback_event(struct callbacks *, char *const *, size_t, int);
void	 callback_restore(struct callbacks *, size_t, uint32_t, const char *, size_t);
void	 callback_tend(struct callbacks *);
int	 callback_drain(struct callbacks *, int);

#endif
