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

/* Eight bytes at a time, each mixed in by a multiply; then a final avalanche. */
uint64_t
table_hash(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0x94D049BB133111EBULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	return h ^ (h >> 32);
}

void
table_init(struct table *t)
{
	t->mask = 63;
	t->n = 0;
	t->slot = xm_calloc(t->mask + 1, sizeof *t->slot);
}

struct table_item *
table_find(const struct table *t, const char *key, size_t len, uint64_t hash)
{
	size_t i = hash & t->mask;
	struct table_item *it;

	for (; (it = t->slot[i].item) != NULL; i = (i + 1) & t->mask)
		if (t->slot[i].hash == hash && it->len == len && memcmp(it->key, key, len) == 0)
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

void
table_free(struct table *t)
{
	free(t->slot);
	t->slot = NULL;
	t->n = 0;
}
