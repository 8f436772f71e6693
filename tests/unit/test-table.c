/* test-table: finding a million keys, and not finding others. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "tap.h"

struct thing {
	struct table_item it;
	int	 id;
};

int
main(void)
{
	struct table t;
	struct thing *th = calloc(1000000, sizeof *th);
	struct table_item *it;
	char key[64];
	int i, n, found = 0, wrong = 0, absent = 0;
	size_t len;

	table_init(&t);
	for (i = 0; i < 1000000; i++) {
		len = (size_t)snprintf(key, sizeof key, "host%d\tcpu_usage_percent{cpu=\"%d\"}", i % 97, i);
		th[i].it.key = strdup(key);
		th[i].it.len = (uint32_t)len;
		th[i].it.hash = table_hash(key, len);
		th[i].id = i;
		table_add(&t, &th[i].it);
	}
	for (i = 0; i < 1000000; i++) {
		len = (size_t)snprintf(key, sizeof key, "host%d\tcpu_usage_percent{cpu=\"%d\"}", i % 97, i);
		it = table_find(&t, key, len, table_hash(key, len));
		if (it == NULL)
			continue;
		found++;
		wrong += ((struct thing *)it)->id != i;
	}
	for (i = 0; i < 100000; i++) {
		len = (size_t)snprintf(key, sizeof key, "host%d\tcpu_usage_percent{cpu=\"%d\"}", i % 97 + 1, i);
		absent += table_find(&t, key, len, table_hash(key, len)) == NULL;
	}
	ok(found == 1000000 && wrong == 0, "a million keys, each found as itself");
	ok(absent == 100000, "keys never added are not found");
	ok(t.n == 1000000 && t.mask + 1 == 1u << 21, "the table doubled to 2^21 slots");
	ok(table_hash("ab", 2) != table_hash("ab\0", 3) && table_hash("", 0) != table_hash("\0", 1),
	    "the length is part of the hash");
	for (n = 0; n < 1000000; n++)
		free(th[n].it.key);
	free(th);
	table_free(&t);

	{
		struct item { struct table_item it; int x; } *a, *b;

		table_init(&t);
		a = table_insert(&t, sizeof *a, "h\tm", 3, table_hash("h\tm", 3));
		b = table_insert(&t, sizeof *b, "h\tn{x=\"1\"}", 10, table_hash("h\tn{x=\"1\"}", 10));
		ok(a->it.key == (char *)(a + 1) && memcmp(a->it.key, "h\tm", 4) == 0 &&
		    a->it.len == 3 && a->x == 0,
		    "table_insert: zeroed, the key copied right after the item, NUL-terminated");
		ok((void *)table_find(&t, "h\tm", 3, table_hash("h\tm", 3)) == (void *)a &&
		    (void *)table_find(&t, b->it.key, 10, b->it.hash) == (void *)b && t.n == 2,
		    "table_insert: each found again");
		free(a);
		free(b);
		table_free(&t);
	}
	{
		/* 200 keys into 64..512 slots: runs that wrap, removed in a shuffled order */
		struct item { struct table_item it; char k[8]; } it[200];
		size_t i, j, gone, found, lost;

		table_init(&t);
		for (i = 0; i < 200; i++) {
			it[i].it.len = (uint32_t)snprintf(it[i].k, sizeof it[i].k, "k%zu", i);
			it[i].it.key = it[i].k;
			/* few homes: long runs, some across the end of the slots */
			it[i].it.hash = table_hash(it[i].k, it[i].it.len) % 7 * 73 + 500;
			table_add(&t, &it[i].it);
		}
		lost = 0;
		for (gone = 0; gone < 200; gone++) {
			j = gone * 37 % 200;
			table_remove(&t, &it[j].it);
			for (i = 0, found = 0; i < 200; i++)
				found += table_find(&t, it[i].k, it[i].it.len, it[i].it.hash) == &it[i].it;
			lost += found != 199 - gone;
		}
		ok(lost == 0 && t.n == 0, "table_remove: every other key found after each removal, none left");
		table_free(&t);
	}
	return tap_done();
}
