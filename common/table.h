/* table.h: series found by their key (host and metric) in O(1). */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include <stdint.h>

/* The first member of whatever a table holds. */
struct table_item {
	char	*key;
	uint32_t len;
	uint64_t hash;
};

struct table_slot {
	uint64_t hash;
	struct table_item *item;
};

struct table {
	struct table_slot *slot;
	size_t	 mask;		/* slots - 1, a power of two less one */
	size_t	 n;
};

uint64_t table_hash(const char *, size_t);
void	 table_init(struct table *);
struct table_item *table_find(const struct table *, const char *, size_t, uint64_t);
void	 table_add(struct table *, struct table_item *);
void	*table_insert(struct table *, size_t, const char *, size_t, uint64_t);
void	 table_remove(struct table *, struct table_item *);
void	 table_free(struct table *);

#endif
