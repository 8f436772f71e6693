/* run.c: read the stream, keep each sample, say what xm-buffer has to say. */
#include <err.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffer.h"
#include "num.h"
#include "sig.h"
#include "state.h"
#include "xm.h"

static const char *const summary_header[] = {
	"ts", "host", "metric", "value", "n", "mean", "min", "max", "stddev",
	"p50", "p90", "p95", "p99", "trend", "first_ts", "last_ts"
};

struct run {
	struct buffer b;
	struct record_reader *r;
	int	 headed;	/* the header for the columns in force is out */
	int	 status;
};

/* The input's columns, then ours; or the summary's. */
static void
put_header(struct run *x)
{
	const struct buffer_opts *o = x->b.o;
	const char *const *in;
	const char **names;
	size_t n, i;

	x->headed = 1;
	if (!o->header)
		return;
	if (o->summary) {
		record_put_header(&x->b.w, summary_header,
		    sizeof summary_header / sizeof summary_header[0]);
		return;
	}
	n = record_columns(x->r, &in);
	names = xm_reallocarray(NULL, n + (size_t)o->ncols + (size_t)o->nforecast + 1,
	    sizeof *names);
	memcpy(names, in, n * sizeof *names);
	for (i = 0; i < (size_t)o->ncols; i++)
		names[n + i] = column_names[o->cols[i]];
	for (i = 0; i < (size_t)o->nforecast; i++)
		names[n + (size_t)o->ncols + i] = o->forecast_name[i];
	if (o->seasonal)
		names[n + (size_t)o->ncols + (size_t)o->nforecast] = "season_zscore";
	record_put_header(&x->b.w, names, n + (size_t)o->ncols + (size_t)o->nforecast +
	    (size_t)o->seasonal);
	free(names);
}

static void
headed(struct run *x)
{
	if (!x->headed)
		put_header(x);
}

/* Forget the series gone quiet; a line of theirs still to come goes out if put. */
static void
forget(struct run *x, int put)
{
	if (put && (x->b.npend > 0 || x->b.o->summary))
		headed(x);
	buffer_forget(&x->b, put);
}

/*
 * A series whose newest sample lies ahead of this record by more than
 * a window holds samples of a clock its host has left: it starts
 * afresh, said once, its --every line still to come out first.
 */
static void
afresh(struct run *x, struct series *s, const struct record *rec, int64_t p)
{
	char q[XM_QUOTE_MAX], span[NUM_MAX];

	if (!s->afresh) {
		num_format_span(span, s->base + s->newest / 1000.0 - rec->ts);
		warnx("line %zu: ts \"%s\" is %s behind the newest sample of its series, "
		    "more than its window: the series starts afresh", rec->lineno,
		    xm_quote(q, rec->field[COL_TS], rec->len[COL_TS]), span);
		s->afresh = 1;
	}
	if (s->pending && p != s->period) {
		headed(x);
		buffer_put_line(&x->b, s);
	}
	buffer_afresh(&x->b, s);
}

/* One record: its series, its sample, and whatever goes out now. */
static int
take(struct run *x, struct record *rec)
{
	struct buffer *b = &x->b;
	const struct buffer_opts *o = b->o;
	struct series *s;
	char q[XM_QUOTE_MAX];
	int64_t p = 0;
	enum series_found found;
	size_t kept;
	int k;

	if ((o->every > 0 || o->summary) && (kept = buffer_kept_size(b, rec)) > KEPT_MAX) {
		record_bad(x->r, rec->lineno, "%zu bytes from the value on, more than the %d "
		    "a series keeps for its line", kept, KEPT_MAX);
		return -1;
	}
	if (buffer_forget_due(b, 0))
		forget(x, 1);
	b->since++;
	s = (struct series *)series_get(&b->series, rec, sizeof *s, &found);
	if (found == SERIES_FULL && buffer_forget_due(b, 1)) {
		forget(x, 1);
		s = (struct series *)series_get(&b->series, rec, sizeof *s, &found);
	}
	if (found == SERIES_BAD) {
		record_metric_bad(x->r, rec);
		return -1;
	}
	if (s == NULL) {
		series_refuse(&b->series, rec->lineno, "dropped");
		return 0;
	}
	buffer_host(b, s, rec);
	if (o->every > 0) {
		if (buffer_period(b, rec->ts, &p) == -1) {
			record_bad(x->r, rec->lineno, "ts \"%s\" is too far on to count in periods of --every",
			    xm_quote(q, rec->field[COL_TS], rec->len[COL_TS]));
			return -1;
		}
		if (p == s->period && !s->pending) {
			record_bad(x->r, rec->lineno, "ts \"%s\" falls in a period already written",
			    xm_quote(q, rec->field[COL_TS], rec->len[COL_TS]));
			return -1;
		}
		/*
		 * A period is over for a series at its first sample of a later
		 * one; for a series gone quiet, when the stream is two periods
		 * on, which leaves the others a period to be late in.
		 */
		if (p > b->period) {
			headed(x);
			buffer_put_pending(b, p - 1);
			b->period = p;
		}
		if (s->pending && p > s->period)
			buffer_put_line(b, s);
	}
	if ((k = buffer_add(b, s, rec->ts, rec->value)) == BUFFER_BEHIND) {
		afresh(x, s, rec, p);
		k = buffer_add(b, s, rec->ts, rec->value);
	}
	if (k == -1) {
		record_bad(x->r, rec->lineno, "ts \"%s\" is older than the newest sample of its series",
		    xm_quote(q, rec->field[COL_TS], rec->len[COL_TS]));
		return -1;
	}
	if (o->summary) {
		buffer_keep(b, s, rec);
	} else if (o->every > 0) {
		buffer_keep(b, s, rec);
		buffer_pend(b, s, p);
	} else {
		headed(x);
		buffer_put(b, s, rec);
	}
	return 0;
}

static const char *
load(void *b, struct state_reader *sr)
{
	return buffer_load(b, sr);
}

/* 0, or -1 (said) if the file can be neither read nor set aside. */
static int
load_state(struct run *x, struct state *st)
{
	int k = state_load(st, &buffer_grammar, load, &x->b);

	if (k != 0)
		x->status = XM_EXIT_FAIL;
	return k == -1 ? -1 : 0;
}

static int
save(void *b, FILE *f)
{
	return buffer_save(b, f);
}

static void
save_state(struct run *x, struct state *st)
{
	if (state_save(st, save, &x->b) != 0)
		x->status = XM_EXIT_FAIL;
}

int
buffer_run(const struct buffer_opts *o)
{
	struct run x;
	struct record rec;
	struct state st;
	int sigfd, k, sig, closed = 0, live;

	memset(&x, 0, sizeof x);
	buffer_init(&x.b, o);
	/* Signals first: a run waiting its turn for the state may be told to go. */
	sigfd = sig_open(SIGUSR1);
	sig_pipe(o->state != NULL);
	if (o->state != NULL) {
		sig_let(1);
		k = state_lock(&st, o->state, o->wait);
		sig_let(0);
		if (k < 0 || load_state(&x, &st) == -1) {
			if (k >= 0)
				state_unlock(&st);
			buffer_free(&x.b);
			close(sigfd);
			return k == -1 ? XM_EXIT_OK : XM_EXIT_FAIL;
		}
	}
	x.r = record_reader_new(STDIN_FILENO, (o->csv ? RECORD_CSV : 0) | RECORD_METRIC_LATER);
	record_reader_flush(x.r, stdout);
	record_reader_batch(x.r, &x.b.w);
	record_reader_signal(x.r, sigfd);

	for (;;) {
		k = record_read(x.r, &rec);
		if (k == RECORD_EOF)
			break;
		if (k == RECORD_ERROR) {
			x.status = XM_EXIT_FAIL;
			break;
		}
		if (k == RECORD_CLOSED) {
			/* the reader left: as at the end of input, but with nothing more to say */
			xm_stdout_gone();
			closed = 1;
			break;
		}
		if (k == RECORD_SIGNAL) {
			if ((sig = sig_take(sigfd)) != SIGUSR1)
				break;
			if (o->summary) {
				headed(&x);
				buffer_put_summary(&x.b);
				record_flush(&x.b.w);
				if (sig_flush(stdout) != 0)
					break;
			}
			continue;
		}
		if (k == RECORD_HEADER) {
			/* Lines to come carry the old columns: out with them under the old header. */
			if (o->every > 0)
				buffer_put_pending(&x.b, INT64_MAX);
			x.headed = 0;
			if (!o->summary)
				put_header(&x);
			continue;
		}
		if (k == RECORD_COMMENT) {
			headed(&x);
			record_put_fields(&x.b.w, &rec);
			record_end(&x.b.w);
			continue;
		}
		if ((k == RECORD_BAD || take(&x, &rec) == -1) && o->strict)
			break;
	}

	/*
	 * Ended by a signal while the reader had stopped reading: what is
	 * not out stays unwritten, and the state is saved all the same.
	 */
	live = record_stream_end(&x.b.w, closed);
	/* What the state will not keep, forgotten: a line of it still to come goes out now or never. */
	if (o->state != NULL)
		forget(&x, live);
	if (live) {
		headed(&x);
		/* Saved, a period's line waits for the next run to see the period end. */
		if (o->every > 0 && o->state == NULL)
			buffer_put_pending(&x.b, INT64_MAX);
		if (o->summary)
			buffer_put_summary(&x.b);
		record_flush(&x.b.w);
	}
	if (o->state != NULL) {
		save_state(&x, &st);
		state_unlock(&st);
	}
	if (record_reader_end(x.r) != 0)
		x.status = XM_EXIT_FAIL;
	if (series_say_refused(&x.b.series, "dropped") > 0)
		x.status = XM_EXIT_FAIL;
	record_reader_close(x.r, closed);
	buffer_free(&x.b);
	close(sigfd);
	return x.status;
}
