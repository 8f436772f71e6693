/* run.h: one run of xm-alert over its input, and the ways it ends. */
#ifndef RUN_H
#define RUN_H

#include "alert.h"
#include "callback.h"
#include "state.h"

struct run {
	struct alerts a;
	struct record_reader *r;
	struct record_writer w;
	struct callbacks cb;
	struct state st;
	int	*col;		/* per rule: its field's column in the header in force; -1: none */
	int	*said;		/* per rule: its missing column was reported */
	int	*quiet;		/* per rule: a default, whose column may be missing */
	uint8_t	*matched;	/* per rule: some record's series was one of its */
	int	 sigfd;
	int	 headed;
	int	 status;
	int	 broken;	/* reading the input failed */
	int	 closed;	/* the reader of stdout left (RECORD_CLOSED) */
	int	 ending;
	int	 unsaved;	/* saving the state failed */	/* a signal came while the stream waited for the callbacks */
	size_t	 skipped_check;	/* --check: records that could not be checked */
	int	 adopt;		/* the state's series keep the rules they were saved under */
	size_t	 changed;	/* the state's alerts under rules that changed */
};

int	 alert_run(const struct alert_opts *);
int	 alert_list(const struct alert_opts *);
int	 alert_resolve(const struct alert_opts *, const char *);
int	 check_report(struct run *);
size_t	 unmatched_rules(const struct run *, const char **, size_t);

#endif
