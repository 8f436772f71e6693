/* metric.c: check and build series identifiers as xm(7) defines them. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"

/* Bit 1: may start a name; bit 2: may be in one (Prometheus's [a-zA-Z_][a-zA-Z0-9_]*). */
static const unsigned char name_class[256] = {
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2,
	['5'] = 2, ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3, ['G'] = 3,
	['H'] = 3, ['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3, ['M'] = 3, ['N'] = 3,
	['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3, ['S'] = 3, ['T'] = 3, ['U'] = 3,
	['V'] = 3, ['W'] = 3, ['X'] = 3, ['Y'] = 3, ['Z'] = 3, ['_'] = 3,
	['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3, ['g'] = 3,
	['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3, ['l'] = 3, ['m'] = 3, ['n'] = 3,
	['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3, ['s'] = 3, ['t'] = 3, ['u'] = 3,
	['v'] = 3, ['w'] = 3, ['x'] = 3, ['y'] = 3, ['z'] = 3,
};

static int
is_name_start(unsigned char c)
{
	return name_class[c] & 1;
}

static int
is_name_char(unsigned char c)
{
	return name_class[c] & 2;
}

/*
 * Room for the labels of an identifier of METRIC_MAX bytes: a name and
 * a brace, then 5 bytes a label at the least (a="" and a comma or a
 * brace), and one more begun.
 */
#define LABELS (METRIC_MAX / 5 + 1)

/* A label where it lies in an identifier: from its name to its closing quote. */
struct span {
	const char *at;
	size_t	 namelen, len;
};

/* Label names in order byte by byte, as Prometheus orders them: a prefix first. */
static int
name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c != 0 ? c : (alen > blen) - (alen < blen);
}

static int
by_name(const void *p, const void *q)
{
	const struct span *a = p, *b = q;

	return name_cmp(a->at, a->namelen, b->at, b->namelen);
}

/* Whether two of the n labels at l share a name: sorted, they stand side by side. */
static int
has_twins(struct span *l, size_t n)
{
	size_t i;

	qsort(l, n, sizeof *l, by_name);
	for (i = 1; i < n; i++)
		if (by_name(&l[i - 1], &l[i]) == 0)
			return 1;
	return 0;
}

/*
 * Return NULL when s is a valid identifier, else why not.  Labels are
 * as in the Prometheus text format: name="value" pairs joined by commas,
 * at least one, values escaped with \\, \" and \n only.  What would
 * make an exposition invalid is refused too: a label name used twice,
 * or one starting with "__", which Prometheus keeps for itself.  The
 * length is bounded so that a series' cost is (xm(7)).
 */
const char *
metric_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	struct span l[LABELS];
	size_t n = 0;
	int sorted = 1;

	if (p == end)
		return "empty metric name";
	if (len > METRIC_MAX)
		return "longer than 2048 bytes";
	if (!is_name_start(*p) && *p != ':')
		return "metric name must start with a letter, '_' or ':'";
	while (++p < end && (is_name_char(*p) || *p == ':'))
		;
	if (p < end && *p != '{')
		return "bad character in metric name";
	if (p == end)
		return NULL;
	for (;; n++) {
		p++;
		if (p == end || !is_name_start(*p))
			return "bad label name";
		l[n].at = (const char *)p;
		while (++p < end && is_name_char(*p))
			;
		if (p == end || *p != '=')
			return "label name not followed by '='";
		l[n].namelen = (size_t)((const char *)p - l[n].at);
		if (l[n].namelen >= 2 && l[n].at[0] == '_' && l[n].at[1] == '_')
			return "label names starting with \"__\" are reserved";
		if (n > 0 && by_name(&l[n - 1], &l[n]) >= 0)
			sorted = 0;
		if (++p == end || *p != '"')
			return "label value not quoted";
		for (p++; p < end && *p != '"'; p++) {
			if (*p != '\\')
				continue;
			if (++p == end || (*p != '\\' && *p != '"' && *p != 'n'))
				return "bad escape in label value";
		}
		if (p == end)
			return "unterminated label value";
		l[n].len = (size_t)((const char *)p + 1 - l[n].at);
		if (++p == end)
			return "missing '}'";
		if (*p == '}')
			break;
		if (*p != ',')
			return "expected ',' or '}' after label value";
	}
	if (p + 1 != end)
		return "text after '}'";
	if (!sorted && has_twins(l, n + 1))
		return "label name used twice";
	return NULL;
}

/* Whether name a (of alen bytes) comes before name b, as name_cmp orders them. */
static int
name_before(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i, n = alen < blen ? alen : blen;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i];
	return alen < blen;
}

/* metric_sorted by one look at each byte past the brace, escapes and all. */
static int
sorted_walk(const char *s, size_t len, size_t i)
{
	const char *last = NULL;
	size_t name, lastlen = 0;

	for (; i < len; i++) {
		for (name = i; i < len && s[i] != '='; i++)
			;
		if (last != NULL && !name_before(last, lastlen, s + name, i - name))
			return 0;
		last = s + name;
		lastlen = i - name;
		for (i += 2; i < len && s[i] != '"'; i++)
			if (s[i] == '\\')
				i++;
		if (++i >= len || s[i] != ',')
			return 1;
	}
	return 1;
}

#if defined(__SSE2__)
/*
 * The quotes and backslashes among the 16 bytes of s from at, or those
 * of them before len: bit k for the byte at + k.  The last bytes are
 * loaded as the 16 that end at len, or copied, never read past.
 */
static void
chunk_marks(const char *s, size_t len, size_t at, uint32_t *quote, uint32_t *bslash)
{
	char tail[16];
	size_t shift = 0;
	__m128i x;

	if (len - at >= 16) {
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + at));
	} else if (len >= 16) {
		shift = 16 - (len - at);
		x = _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
	} else {
		memset(tail, 0, sizeof tail);
		memcpy(tail, s + at, len - at);
		x = _mm_loadu_si128((const __m128i *)(const void *)tail);
	}
	*quote = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('"'))) >> shift;
	*bslash = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))) >> shift;
}

/*
 * Sixteen bytes a step: with no escape in the labels, their quotes are
 * theirs alone, two a label, and a name runs from the brace, or from
 * two bytes past a closing quote, to the byte before an opening one.
 * With an escape, the walk.
 */
static int
sorted_look(const char *s, size_t len, size_t from)
{
	const char *last = NULL;
	size_t at, pos, n = 0, lastlen = 0, start = from;
	uint32_t q, b;

	for (at = from; at < len; at += 16) {
		chunk_marks(s, len, at, &q, &b);
		if (b != 0)
			return sorted_walk(s, len, from);
		for (; q != 0; q &= q - 1) {
			pos = at + (size_t)__builtin_ctz(q);
			if (n++ % 2 == 1) {
				start = pos + 2;
				continue;
			}
			if (pos <= start)
				return 1;
			if (last != NULL && !name_before(last, lastlen, s + start, pos - 1 - start))
				return 0;
			last = s + start;
			lastlen = pos - 1 - start;
		}
	}
	return 1;
}
#else
static int
sorted_look(const char *s, size_t len, size_t from)
{
	return sorted_walk(s, len, from);
}
#endif

/*
 * Whether the labels of s are in order of their names, each after the
 * one before (metric_sort): a look, all a metric in order costs.  For
 * an identifier metric_check would refuse, it may say either.
 */
int
metric_sorted(const char *s, size_t len)
{
	const char *brace = memchr(s, '{', len);

	return brace == NULL || sorted_look(s, len, (size_t)(brace - s) + 1);
}

/*
 * Put the labels of s, which metric_check took, in order of their
 * names, in place: labels are a set, and this is its one form, the
 * length the same.
 */
void
metric_sort(char *s, size_t len)
{
	struct span l[LABELS];
	struct metric_label m;
	char buf[METRIC_MAX];
	size_t n = 0, pos = 0, o = 0, i;

	while (metric_label_next(s, len, &pos, &m)) {
		l[n].at = m.name;
		l[n].namelen = m.namelen;
		l[n++].len = (size_t)(m.value + m.valuelen + 1 - m.name);
	}
	if (n < 2)
		return;
	qsort(l, n, sizeof *l, by_name);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf[o++] = ',';
		memcpy(buf + o, l[i].at, l[i].len);
		o += l[i].len;
	}
	memcpy(s + metric_family_len(s, len) + 1, buf, o);
}

/*
 * Write name{k="v",...} into dst from a NULL-terminated list of label
 * names and raw values.  Values are escaped for the Prometheus text
 * format; other control characters, which no TSV field may carry and
 * no terminal should see, become '?'.  Return the length, or 0 (and an
 * empty dst) when the identifier does not fit in cap bytes.
 */
size_t
metric_build(char *dst, size_t cap, const char *name, const char *const *labels)
{
	size_t o, n, namelen = strlen(name);
	const char *v;
	unsigned char c;

	if (namelen + 1 > cap)
		goto toolong;
	memcpy(dst, name, namelen);
	o = namelen;
	for (; labels && labels[0]; labels += 2) {
		n = strlen(labels[0]);
		if (o + n + 4 > cap)
			goto toolong;
		dst[o] = o == namelen ? '{' : ',';
		memcpy(dst + o + 1, labels[0], n);
		o += n + 1;
		dst[o++] = '=';
		dst[o++] = '"';
		for (v = labels[1]; (c = (unsigned char)*v) != '\0'; v++) {
			if (o + 3 > cap)
				goto toolong;
			if (c == '\\' || c == '"') {
				dst[o++] = '\\';
				dst[o++] = (char)c;
			} else if (c == '\n') {
				dst[o++] = '\\';
				dst[o++] = 'n';
			} else if (c < 0x20 || c == 0x7f) {
				dst[o++] = '?';
			} else {
				dst[o++] = (char)c;
			}
		}
		dst[o++] = '"';
	}
	if (o != namelen) {
		if (o + 2 > cap)
			goto toolong;
		dst[o++] = '}';
	}
	dst[o] = '\0';
	return o;
toolong:
	if (cap > 0)
		dst[0] = '\0';
	return 0;
}

/* The length of the family's name, the identifier's labels aside. */
size_t
metric_family_len(const char *s, size_t len)
{
	const char *brace = memchr(s, '{', len);

	return brace != NULL ? (size_t)(brace - s) : len;
}

/*
 * The label of identifier s (checked by metric_check) at *pos, 0 for
 * the first, into l, and *pos moved past it; 0 when there is none.
 */
int
metric_label_next(const char *s, size_t len, size_t *pos, struct metric_label *l)
{
	size_t i = *pos ? *pos : metric_family_len(s, len);

	if (i >= len || s[i] == '}')
		return 0;
	l->name = s + ++i;
	while (s[i] != '=')
		i++;
	l->namelen = (size_t)(s + i - l->name);
	l->value = s + i + 2;
	for (i += 2; s[i] != '"'; i++)
		if (s[i] == '\\')
			i++;
	l->valuelen = (size_t)(s + i - l->value);
	*pos = i + 1;
	return 1;
}

/* Whether the family's name, the identifier's labels aside, is name. */
int
metric_family_is(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);

	return metric_family_len(s, len) == n && memcmp(s, name, n) == 0;
}

/* Whether the family's name, the identifier's labels aside, ends in suffix. */
int
metric_family_ends(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix), fam = metric_family_len(s, len);

	return fam >= n && memcmp(s + fam - n, suffix, n) == 0;
}

/*
 * The identifier's labels with their braces, "{a=\"1\"}", and their
 * length in *n; NULL where it has none.
 */
const char *
metric_labels(const char *s, size_t len, size_t *n)
{
	size_t fam = metric_family_len(s, len);

	*n = len - fam;
	return fam < len ? s + fam : NULL;
}

/*
 * The value of label name in identifier s (checked by metric_check), as
 * written there, escapes and all, its length in *n; NULL where s has no
 * such label.
 */
const char *
metric_label_value(const char *s, size_t len, const char *name, size_t *n)
{
	struct metric_label l;
	size_t pos = 0, nl = strlen(name);

	while (metric_label_next(s, len, &pos, &l)) {
		if (l.namelen == nl && memcmp(l.name, name, nl) == 0) {
			*n = l.valuelen;
			return l.value;
		}
	}
	return NULL;
}
