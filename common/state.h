/* state.h: a state file that outlives one run: locked, saved whole or not at all. */
#ifndef STATE_H
#define STATE_H

#include <stddef.h>
#include <stdio.h>

struct record;
struct record_reader;
struct record_writer;

/* Seconds a run waits for the lock by default (--wait): a cron run's minute. */
#define STATE_WAIT 60

struct state {
	const char *path;
	int	 lockfd;
	char	*tmp;		/* the file being written, until it is renamed */
	int	 unnamed;	/* written with no name (O_TMPFILE), given tmp once whole */
};

/*
 * What a program's state file holds, beside what every one does: its
 * first line, an older first line still read, the header of its
 * records, the #lines it reads itself, and the numbers its #end line
 * counts (xm-alert's alerts; xm-buffer's series and samples).
 */
struct state_grammar {
	const char *version;
	const char *older;		/* or NULL */
	const char *const *header;
	size_t	 ncol;
	const char *const *comments;	/* NULL-terminated */
	size_t	 ncount;
};

#define STATE_COUNTS 2

/* A state file being read: count is what the program has read, for #end. */
struct state_reader {
	const struct state_grammar *g;
	struct record_reader *r;
	const char *path;
	size_t	 line;
	size_t	 count[STATE_COUNTS];
	int	 ended;
	const char *why;	/* after STATE_BAD: why the file cannot be trusted */
	char	 whybuf[96];
};

enum state_line { STATE_RECORD, STATE_COMMENT, STATE_DONE, STATE_BAD };

int	 state_lock(struct state *, const char *, double);
int	 state_open(struct state *);
int	 state_set_aside(struct state *, const char *);
FILE	*state_create(struct state *);
int	 state_commit(struct state *, FILE *);
void	 state_unlock(struct state *);
int	 state_load(struct state *, const struct state_grammar *,
	    const char *(*)(void *, struct state_reader *), void *);
int	 state_save(struct state *, int (*)(void *, FILE *), void *);

const char *state_read_begin(struct state_reader *, const struct state_grammar *, int,
	    const char *);
enum state_line state_read(struct state_reader *, struct record *);
void	 state_read_end(struct state_reader *);
void	 state_put_begin(struct record_writer *, FILE *, const struct state_grammar *);
void	 state_put_end(FILE *, const struct state_grammar *, const size_t *);
void	 state_put_exact(struct record_writer *, double);
void	 state_put_exact_ts(struct record_writer *, double);

#endif
