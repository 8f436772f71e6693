/*
 * live.c: the dashboard on the terminal, through ncursesw.  The stream
 * comes on stdin, so keys come from /dev/tty; the screen is redrawn at
 * every refresh and at once on a resize, never per record.  Messages
 * about bad records would tear the screen: while it is up, stderr is a
 * pipe read here, its first ERR_KEEP bytes kept and the rest counted,
 * and they go out on the real stderr when the screen is gone -- by
 * atexit too, should the program die of err(3) meanwhile.
 */
#include <sys/ioctl.h>

#include <curses.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "live.h"
#include "xm.h"

#define ERR_KEEP 65536

/* What stderr said while the screen was up. */
struct errs {
	int	 rd;		/* the pipe's end we read; -1: not caught */
	int	 saved;		/* the real stderr */
	char	*buf;
	size_t	 len;
	size_t	 lost;		/* lines past ERR_KEEP */
};

struct live {
	struct board *b;
	struct page page;
	attr_t attr[AT_N];
	int	 eof;
	struct view view;
	int	 paused;	/* no redraw at a tick: the stream is still read */
	int	 help;		/* the keys' page is up */
	int	 typing;	/* the filter is being typed, into view.filter */
	size_t	 seen;		/* records at the last redraw */
	double	 at;		/* its time, CLOCK_MONOTONIC seconds */
	double	 rate;
};

static void
colours(struct live *l, int color)
{
	static const short fg[AT_N] = {
		-1, COLOR_GREEN, COLOR_CYAN, COLOR_YELLOW, COLOR_RED, COLOR_WHITE, -1, -1,
		COLOR_YELLOW
	};
	short i;

	l->attr[AT_NONE] = A_NORMAL;
	l->attr[AT_OK] = A_NORMAL;
	l->attr[AT_INFO] = A_NORMAL;
	l->attr[AT_WARNING] = A_BOLD;
	l->attr[AT_CRITICAL] = A_BOLD | A_REVERSE;
	l->attr[AT_EMERGENCY] = A_BOLD | A_REVERSE;
	l->attr[AT_TITLE] = A_BOLD;
	l->attr[AT_DIM] = A_DIM;
	l->attr[AT_HIGH] = A_BOLD | A_UNDERLINE;	/* with colour too */
	if (!color || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (i = 1; i < AT_N; i++) {
		if (fg[i] < 0)
			continue;
		init_pair(i, fg[i], i == AT_EMERGENCY ? COLOR_RED : -1);
		l->attr[i] = COLOR_PAIR(i) | (i >= AT_WARNING ? A_BOLD : 0) |
		    (i == AT_HIGH ? A_UNDERLINE : 0);
	}
}

/*
 * The panel the scrolling keys move: the one chosen, while it is cut
 * short, else the first that is; -1 when none is.
 */
static int
focus(struct view *v)
{
	int i;

	if (v->cut & 1u << v->focus)
		return v->focus;
	for (i = 0; i < PANEL_N; i++)
		if (v->cut & 1u << i)
			return v->focus = i;
	return -1;
}

/* The next panel cut short after the one in focus, round. */
static void
focus_next(struct view *v)
{
	int i, f = focus(v);

	if (f < 0)
		return;
	for (i = 1; i <= PANEL_N; i++)
		if (v->cut & 1u << (f + i) % PANEL_N) {
			v->focus = (f + i) % PANEL_N;
			return;
		}
}

/* A page of the panel in focus: the rows it shows between its lines of more. */
static int
page_rows(const struct view *v)
{
	int n = v->room[v->focus] - 2;

	return n < 1 ? 1 : n;
}

/* Move the panel in focus by n rows; the drawing keeps it within them. */
static void
scroll_by(struct view *v, int n)
{
	int f = focus(v);

	if (f < 0)
		return;
	if (n < 0 && v->off[f] < -n)
		v->off[f] = 0;
	else if (n > 0 && v->off[f] > INT_MAX - n)
		v->off[f] = INT_MAX;
	else
		v->off[f] += n;
}

static void
draw(struct live *l)
{
	const struct page *p = &l->page;
	const struct piece *pc;
	double now = xm_monotonic();
	size_t i, k;

	if (now - l->at >= 0.5 || l->at == 0) {
		l->rate = l->at == 0 ? 0 : (double)(l->b->records - l->seen) / (now - l->at);
		l->seen = l->b->records;
		l->at = now;
	}
	page_clear(&l->page);
	l->page.width = COLS;
	if (l->help)
		panels_help(&l->page);
	else
		panels_draw(l->b, &l->page, LINES > 1 ? LINES - 1 : 1, l->rate, &l->view);
	erase();
	for (i = 0; i < p->nline && (int)i < LINES - 1; i++) {
		move((int)i, 0);
		for (k = 0; k < p->lines[i].npiece; k++) {
			pc = &p->pieces[p->lines[i].first + k];
			attrset(l->attr[pc->attr]);
			addnstr(p->text + pc->off, (int)pc->len);
		}
	}
	attrset(l->attr[l->paused ? AT_HIGH : AT_DIM]);
	move(LINES - 1, 0);
	if (l->typing) {
		addstr(" /");
		addstr(l->view.filter);
		addstr("_  Enter keeps it  Esc clears it");
		attrset(A_NORMAL);
		refresh();
		return;
	}
	if (l->paused)
		addstr(" paused: p goes on ");
	else if (l->eof)
		addstr(" end of input ");
	if (l->view.filter[0] != '\0') {
		addstr(" filter ");
		addstr(l->view.filter);
		addstr("  Esc clears ");
	}
	/* where a panel is cut short, which one the scrolling keys move */
	if (!l->help && focus(&l->view) >= 0)
		printw(" %s: j k PgUp PgDn Home End  Tab next ", panel_names[l->view.focus]);
	addstr(" ? keys  q quits");
	attrset(A_NORMAL);
	refresh();
}

static void
resize(struct live *l)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	draw(l);
}

/*
 * A key while the filter is typed: printable text goes on it, as it is
 * typed; Backspace takes the last off, Enter keeps it, Esc clears it.
 */
static void
type_key(struct live *l, int c)
{
	char *f = l->view.filter;
	size_t n = strlen(f);

	if (c == '\n' || c == '\r' || c == KEY_ENTER) {
		l->typing = 0;
	} else if (c == 27) {
		l->typing = 0;
		f[0] = '\0';
	} else if (c == KEY_BACKSPACE || c == 127 || c == '\b') {
		if (n > 0)
			f[n - 1] = '\0';
	} else if (c >= ' ' && c < 127 && n + 1 < sizeof l->view.filter) {
		f[n] = (char)c;
		f[n + 1] = '\0';
	}
}

/* The keys typed: 1 if one says quit. */
static int
keys(struct live *l)
{
	int c;

	while ((c = getch()) != ERR) {
		if ((c == 'q' || c == 'Q') && !l->typing)
			return 1;
		if (c == KEY_RESIZE) {
			draw(l);
			continue;
		}
		if (l->typing) {
			type_key(l, c);
			draw(l);
			continue;
		}
		if (l->help) {
			/* any key leaves the keys' page, and does only that */
			l->help = 0;
		} else if (c == '?' || c == 'h') {
			l->help = 1;
		} else if (c == 'P') {
			l->view.sort = SORT_CPU;
		} else if (c == 'M') {
			l->view.sort = SORT_MEM;
		} else if (c == 'I') {
			l->view.sort = SORT_IO;
		} else if (c == 'p' || c == ' ') {
			l->paused = !l->paused;
		} else if (c == 'j' || c == KEY_DOWN) {
			scroll_by(&l->view, 1);
		} else if (c == 'k' || c == KEY_UP) {
			scroll_by(&l->view, -1);
		} else if (c == KEY_NPAGE) {
			scroll_by(&l->view, focus(&l->view) < 0 ? 0 : page_rows(&l->view));
		} else if (c == KEY_PPAGE) {
			scroll_by(&l->view, focus(&l->view) < 0 ? 0 : -page_rows(&l->view));
		} else if (c == KEY_HOME) {
			scroll_by(&l->view, INT_MIN / 2);
		} else if (c == KEY_END) {
			scroll_by(&l->view, INT_MAX);
		} else if (c == '\t') {
			focus_next(&l->view);
		} else if (c == '1') {
			l->view.per_cpu = !l->view.per_cpu;
		} else if (c == '/') {
			l->typing = 1;
			l->view.filter[0] = '\0';
		} else if (c == 27) {
			l->view.filter[0] = '\0';
		} else if (c == 'L' - '@') {
			clearok(curscr, TRUE);
		} else {
			continue;	/* a key of no meaning: nothing happens */
		}
		draw(l);
	}
	return 0;
}

/* Read what the program said on stderr: kept while there is room, else counted. */
static void
errs_read(struct errs *e)
{
	char buf[4096];
	ssize_t n, i;

	if (e->rd < 0)
		return;
	while ((n = read(e->rd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			if (e->len < ERR_KEEP)
				e->buf[e->len++] = buf[i];
			else if (buf[i] == '\n')
				e->lost++;
		}
	}
}

/* Catch stderr, if it is the terminal the screen is on. */
static void
errs_catch(struct errs *e)
{
	int fd[2];

	memset(e, 0, sizeof *e);
	e->rd = e->saved = -1;
	if (!isatty(STDERR_FILENO) || pipe2(fd, O_CLOEXEC | O_NONBLOCK) == -1)
		return;
	/*
	 * Both ends never block: a flood of messages between two reads
	 * loses what the pipe cannot hold, never hangs the program that
	 * reads it.  The count of records skipped is told at the end anyway.
	 */
	fcntl(fd[1], F_SETPIPE_SZ, 1 << 20);
	fflush(stderr);
	e->saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	dup2(fd[1], STDERR_FILENO);
	close(fd[1]);
	e->rd = fd[0];
	e->buf = xm_malloc(ERR_KEEP);
}

/* Give stderr back, and say there what was said meanwhile. */
static void
errs_release(struct errs *e)
{
	if (e->rd < 0)
		return;
	fflush(stderr);
	errs_read(e);
	dup2(e->saved, STDERR_FILENO);
	clearerr(stderr);
	close(e->saved);
	close(e->rd);
	e->rd = -1;
	fwrite(e->buf, 1, e->len, stderr);
	if (e->lost > 0)
		warnx("%zu more line%s of messages not shown", e->lost, e->lost == 1 ? "" : "s");
	free(e->buf);
	e->buf = NULL;
}

/*
 * Should the program end while the screen is up (err(3) on a failed
 * allocation, say), the terminal and stderr are put back on the way
 * out: the only state here that outlives a call, for atexit's sake.
 */
static struct errs *screen_up;

static void
put_back(void)
{
	if (screen_up == NULL)
		return;
	endwin();
	errs_release(screen_up);
	screen_up = NULL;
}

/* Whether the locale of the environment writes UTF-8: else the screen is ASCII. */
static int
utf8_terminal(void)
{
	locale_t env = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	const char *cs;
	int yes;

	if (env == (locale_t)0)
		return 0;
	cs = nl_langinfo_l(CODESET, env);
	yes = cs != NULL && strcmp(cs, "UTF-8") == 0;
	freelocale(env);
	return yes;
}

int
live_run(struct board *b, struct record_reader *r, struct wake *w, struct http *srv)
{
	struct live l;
	struct errs errs;
	const struct header *h = NULL;
	FILE *tty;
	SCREEN *scr;
	int k, quit = 0, status = XM_EXIT_OK;

	if ((tty = fopen("/dev/tty", "re")) == NULL) {
		warn("/dev/tty");
		return XM_EXIT_FAIL;
	}
	setlocale(LC_CTYPE, "");
	memset(&l, 0, sizeof l);
	l.b = b;
	l.view = b->o->view;
	page_init(&l.page, 80, b->o->ascii || !utf8_terminal());
	if ((scr = newterm(NULL, stdout, tty)) == NULL) {
		warnx("cannot draw on this terminal (TERM=%s)", getenv("TERM"));
		fclose(tty);
		page_free(&l.page);
		return XM_EXIT_FAIL;
	}
	errs_catch(&errs);
	screen_up = &errs;
	atexit(put_back);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	/* a lone Esc clears the filter soon; an arrow over a slow link stays one key */
	set_escdelay(100);
	colours(&l, b->o->color);
	wake_add(w, fileno(tty));
	if (errs.rd >= 0)
		wake_add(w, errs.rd);
	draw(&l);
	while (!quit) {
		if (!l.eof) {
			k = board_read(b, r, &h, b->o->strict);
			if (k == 0)
				continue;
			if (k == RECORD_EOF || k == RECORD_ERROR) {
				if (k == RECORD_ERROR)
					status = XM_EXIT_FAIL;
				http_final(srv);
				l.eof = 1;
				draw(&l);
				continue;
			}
			k = wake_take(w, 0);
		} else {
			k = wake_take(w, -1);
		}
		if (k == WAKE_END)
			break;
		/* at a tick, a redraw only for news: records, or a rate that is to fall to 0 */
		if (k == WAKE_TICK && !l.paused && (b->records != l.seen || l.rate != 0))
			draw(&l);
		else if (k == SIGWINCH)
			resize(&l);
		else if (k == WAKE_FD) {
			errs_read(&errs);
			quit = keys(&l);
		}
	}
	put_back();
	delscreen(scr);
	fclose(tty);
	page_free(&l.page);
	return status;
}
