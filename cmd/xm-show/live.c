/*
 * live.c: the dashboard on the terminal, through ncursesw.  The stream
 * comes on stdin, so keys come from /dev/tty; the screen is redrawn at
 * every refresh and at once on a resize, never per record.  Messages
 * about bad records would tear the screen: while it is up they go to a
 * temporary file, and out on stderr when it is gone.
 */
#include <sys/ioctl.h>

#include <curses.h>
#include <err.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "xm.h"

struct live {
	struct board *b;
	struct page page;
	attr_t attr[AT_N];
	int	 eof;
	size_t	 seen;		/* records at the last redraw */
	double	 at;		/* its time, CLOCK_MONOTONIC seconds */
	double	 rate;
};

static double
monotonic(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

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
	l->attr[AT_HIGH] = A_BOLD | A_UNDERLINE;
	if (!color || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	for (i = 1; i < AT_N; i++) {
		if (fg[i] < 0)
			continue;
		init_pair(i, fg[i], i == AT_EMERGENCY ? COLOR_RED : -1);
		l->attr[i] = COLOR_PAIR(i) | (i >= AT_WARNING ? A_BOLD : 0);
	}
}

static void
draw(struct live *l)
{
	const struct page *p = &l->page;
	const struct run *r;
	double now = monotonic();
	size_t i, k;

	if (now - l->at >= 0.5 || l->at == 0) {
		l->rate = l->at == 0 ? 0 : (double)(l->b->records - l->seen) / (now - l->at);
		l->seen = l->b->records;
		l->at = now;
	}
	page_clear(&l->page);
	l->page.width = COLS;
	panels_draw(l->b, &l->page, LINES > 1 ? LINES - 1 : 1, l->rate);
	erase();
	for (i = 0; i < p->nline && (int)i < LINES - 1; i++) {
		move((int)i, 0);
		for (k = 0; k < p->lines[i].nrun; k++) {
			r = &p->runs[p->lines[i].first + k];
			attrset(l->attr[r->attr]);
			addnstr(p->text + r->off, (int)r->len);
		}
	}
	attrset(l->attr[AT_DIM]);
	mvaddstr(LINES - 1, 0, l->eof ? " end of input; q quits" : " q quits");
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

/* The keys typed: 1 if one says quit. */
static int
keys(struct live *l)
{
	int c;

	while ((c = getch()) != ERR) {
		if (c == 'q' || c == 'Q')
			return 1;
		if (c == KEY_RESIZE) {
			draw(l);
		} else if (c == 'L' - '@') {
			clearok(curscr, TRUE);
			draw(l);
		}
	}
	return 0;
}

/* What was said on stderr while the screen was up, now that it is not. */
static void
replay(FILE *saved, int fd)
{
	char buf[4096];
	size_t n;

	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	close(fd);
	rewind(saved);
	while ((n = fread(buf, 1, sizeof buf, saved)) > 0)
		fwrite(buf, 1, n, stderr);
	fclose(saved);
}

int
live_run(struct board *b, struct record_reader *r, struct wake *w)
{
	struct live l;
	const struct header *h = NULL;
	const char *cs;
	FILE *tty, *errs = NULL;
	SCREEN *scr;
	int k, quit = 0, errfd = -1, status = XM_EXIT_OK;

	if ((tty = fopen("/dev/tty", "r")) == NULL) {
		warn("/dev/tty");
		return XM_EXIT_FAIL;
	}
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	memset(&l, 0, sizeof l);
	l.b = b;
	page_init(&l.page, 80, b->o->ascii || cs == NULL || strcmp(cs, "UTF-8") != 0);
	if ((scr = newterm(NULL, stdout, tty)) == NULL) {
		warnx("cannot draw on this terminal (TERM=%s)", getenv("TERM"));
		fclose(tty);
		page_free(&l.page);
		return XM_EXIT_FAIL;
	}
	if (isatty(STDERR_FILENO) && (errs = tmpfile()) != NULL) {
		fflush(stderr);
		errfd = dup(STDERR_FILENO);
		dup2(fileno(errs), STDERR_FILENO);
	}
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	colours(&l, b->o->color);
	wake_add(w, fileno(tty));
	draw(&l);
	while (!quit) {
		if (!l.eof) {
			k = show_read(b, r, &h, b->o->strict);
			if (k == 0)
				continue;
			if (k == RECORD_EOF || k == RECORD_ERROR) {
				if (k == RECORD_ERROR)
					status = XM_EXIT_FAIL;
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
		if (k == WAKE_TICK)
			draw(&l);
		else if (k == SIGWINCH)
			resize(&l);
		else if (k == WAKE_FD)
			quit = keys(&l);
	}
	endwin();
	delscreen(scr);
	fclose(tty);
	page_free(&l.page);
	if (errs != NULL)
		replay(errs, errfd);
	return status;
}
