/*
 * table.c: open addressing with linear probing.  A slot keeps the hash
 * beside the item, so a probe that misses costs no trip to the item;
 * the table doubles at half full, so probes stay short whatever the
 * number of series.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "xm.h"

static uint64_t
load8(const char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

static uint64_t
load4(const char *s)
{
	uint32_t w;

	memcpy(&w, s, 4);
	return w;
}

/* The two halves of a 128-bit product folded together (wyhash's mum). */
static uint64_t
mix(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t h = (a ^ (b >> 29)) * 0xBF58476D1CE4E5B9ULL;

	return (h ^ b) * 0x94D049BB133111EBULL ^ (h >> 32);
#endif
}

/*
 * Sixteen bytes a multiply, in the manner of wyhash: a key of host and
 * metric, some 40 bytes, is three dependent multiplies.  The last bytes
 * are read by loads that overlap, never byte by byte.
 */
uint64_t
table_hash(const char *s, size_t len)
{
	const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
	    k2 = 0x8ebc6af09c88c6e3ULL;
	uint64_t h = k0 ^ len, a = 0, b = 0;
	size_t n = len;

	for (; n > 16; s += 16, n -= 16)
		h = mix(load8(s) ^ k1, load8(s + 8) ^ h);
	if (n >= 8) {
		a = load8(s);
		b = load8(s + n - 8);
	} else if (n >= 4) {
		a = load4(s);
		b = load4(s + n - 4);
	} else if (n > 0) {
		a = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (unsigned char)s[n - 1];
	}
	return mix(k1 ^ len, mix(a ^ k1, b ^ h ^ k2));
}

void
table_init(struct table *t)
{
	t->mask = 63;
	t->n = 0;
	t->slot = xm_calloc(t->mask + 1, sizeof *t->slot);
}

/*
 * Whether two keys of len bytes are the same: eight bytes a load, the
 * last load overlapping, with no call for a key of host and metric.
 */
static int
same_key(const char *a, const char *b, size_t len)
{
	size_t i;

	if (len < 8)
		return memcmp(a, b, len) == 0;
	for (i = 0; i + 8 < len; i += 8)
		if (load8(a + i) != load8(b + i))
			return 0;
	return load8(a + len - 8) == load8(b + len - 8);
}

struct table_item *
table_find(const struct table *t, const char *key, size_t len, uint64_t hash)
{
	size_t i = hash & t->mask;
	struct table_item *it;

	for (; (it = t->slot[i].item) != NULL; i = (i + 1) & t->mask)
		if (t->slot[i].hash == hash && it->len == len && same_key(it->key, key, len))
			return it;
	return NULL;
}

static void
place(struct table *t, uint64_t hash, struct table_item *it)
{
	size_t i = hash & t->mask;

	while (t->slot[i].item != NULL)
		i = (i + 1) & t->mask;
	t->slot[i].hash = hash;
	t->slot[i].item = it;
}

/* Add an item whose key and hash are set and not yet in the table. */
void
table_add(struct table *t, struct table_item *it)
{
	struct table_slot *old = t->slot;
	size_t i, n = t->mask + 1;

	if (2 * (t->n + 1) > n) {
		t->mask = 2 * n - 1;
		t->slot = xm_calloc(2 * n, sizeof *t->slot);
		for (i = 0; i < n; i++)
			if (old[i].item != NULL)
				place(t, old[i].hash, old[i].item);
		free(old);
	}
	place(t, it->hash, it);
	t->n++;
}

/*
 * A new item of size bytes (its struct table_item first), zeroed, with
 * a copy of the key right after it -- so that finding it and using it
 * touch the same memory -- NUL-terminated, and added to t.
 */
void *
table_insert(struct table *t, size_t size, const char *key, size_t len, uint64_t hash)
{
	struct table_item *it = xm_calloc(1, size + len + 1);

	it->key = (char *)it + size;
	memcpy(it->key, key, len);
	it->len = (uint32_t)len;
	it->hash = hash;
	table_add(t, it);
	return it;
}

/*
 * Take it out of t (it stays the caller's to free).  The items after it
 * in its run move back into the gap where their probes would pass it,
 * so every find still ends at the first empty slot: no tombstones.
 */
void
table_remove(struct table *t, struct table_item *it)
{
	size_t i = it->hash & t->mask, j, home;

	while (t->slot[i].item != it)
		i = (i + 1) & t->mask;
	for (j = i;;) {
		t->slot[i].item = NULL;
		do {
			j = (j + 1) & t->mask;
			if (t->slot[j].item == NULL) {
				t->n--;
				return;
			}
			home = t->slot[j].hash & t->mask;
		} while (i <= j ? i < home && home <= j : i < home || home <= j);
		t->slot[i] = t->slot[j];
		i = j;
	}
}

void
table_free(struct table *t)
{
	free(t->slot);
	t->slot = NULL;
	t->n = 0;
}
