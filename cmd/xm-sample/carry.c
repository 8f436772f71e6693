/*
 * carry.c: --state, the counters carried from one run to the next.  A
 * run holds the file's lock from before it reads the last run's counters
 * until it has saved its own, those of the last set it wrote out whole.
 */
#include <err.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample.h"
#include "sig.h"
#include "state.h"
#include "xm.h"

/*
 * Lock and read the state file: 0, or -1 when a signal came while
 * waiting for the lock (the run ends, status 0), or -2 (said) when it
 * cannot be used.  *status is made a failure if the file was set aside.
 */
int
carry_open(struct carry *c, const struct sample_opts *o, int *status)
{
	int k;

	memset(c, 0, sizeof *c);
	tape_init(&c->play);
	tape_init(&c->tape[0]);
	tape_init(&c->tape[1]);
	c->rec = &c->tape[0];
	c->sent = &c->tape[1];
	/* a run waiting its turn for the state may be told to go */
	sig_let(1);
	k = state_lock(&c->st, o->state, o->wait);
	sig_let(0);
	if (k < 0)
		return k;
	/* one that can be neither read nor set aside must not be written over */
	if ((k = state_load(&c->st, &sample_grammar, tape_load, &c->play)) == -1) {
		state_unlock(&c->st);
		return -2;
	}
	if (k == 1)
		*status = XM_EXIT_FAIL;
	return 0;
}

/*
 * The boot the kernel's counters count from, which the last run's must
 * be of too; "-" where it cannot tell (a copy of /proc without the file).
 */
void
carry_boot(struct carry *c, struct src *src)
{
	struct pfile f;
	char *id;

	pfile_init(&f, ROOT_PROC, "sys/kernel/random/boot_id");
	if (pfile_read(src, &f) == -1 || f.len == 0)
		id = xm_strdup("-");
	else
		id = xm_strndup(f.buf, strcspn(f.buf, "\n\t"));
	pfile_free(&f);
	c->tape[0].boot = id;
	c->tape[1].boot = xm_strdup(id);
}

/*
 * Whether the last run's counters can be this one's baseline: read in
 * this boot (those of another counted from zero since: silently not),
 * and, where the times are the stream's (--start), before this run's
 * first set, stamped first.  Live, CLOCK_BOOTTIME measures the span, and
 * no clock set back can make it run backwards.
 */
int
carry_can_play(struct carry *c, const struct sample_opts *o, double first)
{
	char ts[NUM_MAX];

	if (c->play.boot == NULL || c->rec->boot == NULL || strcmp(c->play.boot, c->rec->boot) != 0)
		return 0;
	if ((!o->simulated && !isnan(c->play.uptime)) || c->play.ts < first)
		return 1;
	num_format_ts(ts, c->play.ts);
	warnx("%s: read at %s, not before this run's first set (a clock set back?); "
	    "rates start from now", o->state, ts);
	return 0;
}

/* A pass begins: its counter files go on a clean tape, stamped. */
void
carry_pass(struct carry *c, double ts, double uptime)
{
	tape_clear(c->rec);
	c->rec->ts = ts;
	c->rec->uptime = uptime;
	c->pending = 1;
}

/* What was read last has been written out whole: it is what to save. */
void
carry_sent(struct carry *c)
{
	struct tape *t;

	if (!c->pending)
		return;
	t = c->sent;
	c->sent = c->rec;
	c->rec = t;
	c->pending = 0;
}

/*
 * Save the counters of the last set written out (or of the baseline,
 * the last run's again where it played them back), and let the file go:
 * 0, or -1 (said).
 */
int
carry_close(struct carry *c)
{
	int rc;

	rc = state_save(&c->st, tape_save, c->sent);
	state_unlock(&c->st);
	tape_free(&c->play);
	tape_free(&c->tape[0]);
	tape_free(&c->tape[1]);
	return rc;
}
