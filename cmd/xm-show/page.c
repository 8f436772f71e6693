/*
 * page.c: a page of text lines, each a list of pieces of one attribute,
 * that the live screen draws with colours and plain mode prints as
 * they are.  Text from the stream goes in only through page_safe, which
 * lets no control character or escape sequence through: a metric name
 * must not move the cursor or retitle the terminal.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "show.h"
#include "text.h"
#include "xm.h"

/*
 * How wide a character is, the terminal's own way: wcwidth(3), in
 * C.UTF-8 whatever the locale of the environment, so that plain text
 * is laid out alike everywhere.  This thread's locale is set to it once.
 */
static int wide_ok = -1;

void
page_init(struct page *p, int width, int ascii)
{
	locale_t l;

	memset(p, 0, sizeof *p);
	p->width = width;
	p->ascii = ascii;
	if (wide_ok == -1) {
		l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		wide_ok = l != (locale_t)0 && uselocale(l) != (locale_t)0;
	}
}

void
page_free(struct page *p)
{
	free(p->text);
	free(p->pieces);
	free(p->lines);
}

void
page_clear(struct page *p)
{
	p->len = p->npiece = p->nline = 0;
}

void
page_newline(struct page *p)
{
	if (p->nline == p->linecap) {
		p->linecap = p->linecap ? 2 * p->linecap : 64;
		p->lines = xm_reallocarray(p->lines, p->linecap, sizeof *p->lines);
	}
	p->lines[p->nline].first = (uint32_t)p->npiece;
	p->lines[p->nline].npiece = 0;
	p->lines[p->nline].width = 0;
	p->nline++;
}

/*
 * Columns a code point takes, -1 if it is not printable; without
 * C.UTF-8, a table: East Asian wide ones two, combining marks none.
 */
static int
cwidth(long c)
{
	if (c < 0x80)
		return c >= 0x20 && c < 0x7f ? 1 : -1;
	if (wide_ok == 1)
		return wcwidth((wchar_t)c);
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* Columns the UTF-8 text takes (our own text: valid, printable). */
int
text_width(const char *s, size_t n)
{
	size_t i = 0, len;
	int w = 0;
	long c;

	while (i < n) {
		c = text_utf8(s + i, n - i, &len);
		w += c < 0 || cwidth(c) < 0 ? 1 : cwidth(c);
		i += len;
	}
	return w;
}

static void
add(struct page *p, int attr, const char *s, size_t n, int w)
{
	struct line *l;
	struct piece *pc;

	if (n == 0)
		return;
	if (p->nline == 0)
		page_newline(p);
	l = &p->lines[p->nline - 1];
	if (p->len + n > p->cap) {
		p->cap = 2 * (p->len + n) + 256;
		p->text = xm_reallocarray(p->text, p->cap, 1);
	}
	memcpy(p->text + p->len, s, n);
	pc = l->npiece > 0 ? &p->pieces[p->npiece - 1] : NULL;
	if (pc != NULL && pc->attr == attr && pc->off + pc->len == p->len) {
		pc->len += (uint32_t)n;
	} else {
		if (p->npiece == p->piececap) {
			p->piececap = p->piececap ? 2 * p->piececap : 256;
			p->pieces = xm_reallocarray(p->pieces, p->piececap, sizeof *p->pieces);
		}
		pc = &p->pieces[p->npiece++];
		pc->attr = (uint8_t)attr;
		pc->off = (uint32_t)p->len;
		pc->len = (uint32_t)n;
		l->npiece++;
	}
	p->len += n;
	l->width += w;
}

/* Columns left on the current line. */
int
page_room(const struct page *p)
{
	return p->nline == 0 ? p->width : p->width - p->lines[p->nline - 1].width;
}

/* Our own text, cut at the edge of the page. */
void
page_putn(struct page *p, int attr, const char *s, size_t n)
{
	size_t i = 0, len;
	int room = page_room(p), w = 0, cw;
	long c;

	while (i < n) {
		c = text_utf8(s + i, n - i, &len);
		cw = c < 0 || cwidth(c) < 0 ? 1 : cwidth(c);
		if (w + cw > room)
			break;
		w += cw;
		i += len;
	}
	if (i > 0)
		add(p, attr, s, i, w);
}

void
page_put(struct page *p, int attr, const char *s)
{
	page_putn(p, attr, s, strlen(s));
}

void
page_printf(struct page *p, int attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		page_putn(p, attr, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/*
 * Text from the stream, at most max columns (and the room left): control
 * characters (C0, DEL, C1) and bytes that are not UTF-8 become "?", and
 * anything but ASCII too on an ASCII page; what does not fit ends in
 * "~" (ASCII) or "…".
 */
static long
safe_char(const struct page *p, const char *s, size_t n, size_t *len)
{
	long c = text_utf8(s, n, len);

	if (text_control(c) || (p->ascii && c >= 0x80) || cwidth(c) < 0)
		return '?';
	return c;
}

void
page_safe(struct page *p, int attr, const char *s, size_t n, int max)
{
	char out[1024];
	size_t i, o = 0, len;
	int w = 0, cw, all = 0, room = page_room(p);
	long c;

	if (max > room)
		max = room;
	if (max <= 0)
		return;
	for (i = 0; i < n; i += len)
		all += cwidth(safe_char(p, s + i, n - i, &len));
	for (i = 0; i < n && o + 8 < sizeof out; i += len) {
		c = safe_char(p, s + i, n - i, &len);
		cw = cwidth(c);
		/* room for the mark, if it may not all go in */
		if (w + cw > (all > max || n + 8 >= sizeof out ? max - 1 : max))
			break;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
		}
		w += cw;
	}
	if (i < n) {
		memcpy(out + o, p->ascii ? "~" : "\u2026", p->ascii ? 1 : 3);
		o += p->ascii ? 1 : 3;
		w++;
	}
	add(p, attr, out, o, w);
}

/*
 * As page_safe, but what does not fit is cut from the middle: the end of
 * a name ("_total", "_per_second") often tells it from its neighbours.
 */
void
page_safe_mid(struct page *p, int attr, const char *s, size_t n, int max)
{
	size_t i, len, head = 0, tail = n;
	int all = 0, w, hw, tw;

	if (max > page_room(p))
		max = page_room(p);
	for (i = 0; i < n; i += len)
		all += cwidth(safe_char(p, s + i, n - i, &len));
	if (all <= max || max < 5) {
		page_safe(p, attr, s, n, max);
		return;
	}
	tw = (max - 1) / 2;
	hw = max - 1 - tw;
	/* head: the characters that fit in hw; tail: those from where all - tw begins */
	for (i = 0, w = 0; i < n; i += len) {
		int cw = cwidth(safe_char(p, s + i, n - i, &len));

		if (w + cw <= hw)
			head = i + len;
		if (w >= all - tw && tail == n)
			tail = i;
		w += cw;
	}
	page_safe(p, attr, s, head, hw);
	page_put(p, attr, p->ascii ? "~" : "\u2026");
	page_safe(p, attr, s + tail, n - tail, tw);
}

/* Spaces up to column col. */
void
page_pad(struct page *p, int col)
{
	static const char spaces[] = "                                                                ";
	int have = p->nline ? p->lines[p->nline - 1].width : 0, n;

	if (col > p->width)
		col = p->width;
	while (have < col) {
		n = col - have < (int)sizeof spaces - 1 ? col - have : (int)sizeof spaces - 1;
		add(p, AT_NONE, spaces, (size_t)n, n);
		have += n;
	}
}

/* As plain text: each line without trailing blanks. */
void
page_write(const struct page *p, FILE *f)
{
	const struct line *l;
	const struct piece *pc;
	size_t i, k, end;

	for (i = 0; i < p->nline; i++) {
		l = &p->lines[i];
		if (l->npiece > 0) {
			pc = &p->pieces[l->first];
			end = pc[l->npiece - 1].off + pc[l->npiece - 1].len;
			while (end > pc[0].off && p->text[end - 1] == ' ')
				end--;
			for (k = 0; k < l->npiece && pc[k].off < end; k++)
				fwrite(p->text + pc[k].off, 1, (pc[k].off + pc[k].len < end ?
				    pc[k].off + pc[k].len : end) - pc[k].off, f);
		}
		putc('\n', f);
	}
}

/* The lines of src after those of dst, each piece in its attribute. */
void
page_append(struct page *dst, const struct page *src)
{
	const struct piece *pc;
	size_t i, k;

	for (i = 0; i < src->nline; i++) {
		page_newline(dst);
		for (k = 0; k < src->lines[i].npiece; k++) {
			pc = &src->pieces[src->lines[i].first + k];
			page_putn(dst, pc->attr, src->text + pc->off, pc->len);
		}
	}
}
