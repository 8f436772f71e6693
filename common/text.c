/*
 * text.c: text from the stream on its way to a terminal, a Nagios
 * status line, a person: where it is UTF-8, and which characters may
 * not get there as they are.
 */
#include "text.h"

/*
 * The code point at s (n bytes left), its bytes in *len; or -1, *len 1,
 * for a byte that starts none: a stray continuation byte, an overlong
 * form, a surrogate, past U+10FFFF, or cut short.
 */
long
text_utf8(const char *str, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	long c;
	size_t need, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 1, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 2, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 3, c = s[0] & 0x07;
	else
		return -1;
	if (n < need + 1)
		return -1;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((need == 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (need == 3 && (c < 0x10000 || c > 0x10ffff)))
		return -1;
	*len = need + 1;
	return c;
}

/*
 * Whether a code point (or -1, no UTF-8) must not reach a terminal as it
 * is: the C0 and C1 controls and DEL, which move the cursor or retitle
 * the window; the byte-order mark; and the bidirectional overrides and
 * isolates, which reorder what is shown around them.
 */
int
text_control(long c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0xfeff ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * Make text from the stream fit for a terminal, in place: each control
 * character (but TAB and LF, which lay the lines out) and each byte that
 * is not UTF-8 becomes "?", byte for byte, so the length stays.
 */
void
text_tty(char *s, size_t n)
{
	size_t i, k, len;
	long c;

	for (i = 0; i < n; i += len) {
		c = text_utf8(s + i, n - i, &len);
		if (c != '\t' && c != '\n' && text_control(c))
			for (k = 0; k < len; k++)
				s[i + k] = '?';
	}
}
