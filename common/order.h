/*
 * order.h: a multiset of doubles in order, for a window's median and
 * median absolute deviation.  Sorted blocks of at most ORDER_BLOCK
 * values, with a Fenwick tree of their counts: the k-th smallest in
 * O(log(n / ORDER_BLOCK)), an insert or a removal in O(log n) and a move
 * of at most ORDER_BLOCK values, the tree made afresh only at the rare
 * split, merge or end of a block.
 * At most about 32 bytes a value: blocks are at least a quarter full
 * but for the few that lie between fuller ones; a window of up to
 * ORDER_BLOCK values is one array.
 */
#ifndef ORDER_H
#define ORDER_H

#include <stddef.h>
#include <stdint.h>

#define ORDER_BLOCK 512

struct order_block {
	double	*v;		/* sorted */
	uint32_t n, cap;
	int	 dirty;		/* sum is not that of v */
	uint32_t changes;	/* to sum since it was made */
	double	 ref;		/* v[0] when sum was made */
	long double sum;	/* of v[i] - ref */
};

struct order {
	struct order_block *blk;	/* in order: each block's values at most the next's */
	uint32_t *fen;		/* Fenwick tree of the blocks' counts, from 1 */
	uint32_t nb, bcap;
	uint32_t len;
};

void	 order_init(struct order *);
void	 order_free(struct order *);
void	 order_insert(struct order *, double);
int	 order_remove(struct order *, double);
double	 order_select(const struct order *, uint32_t);
double	 order_median(const struct order *);
double	 order_mad(const struct order *, double);
double	 order_meanad(struct order *, double);
size_t	 order_bytes(const struct order *);

static inline uint32_t
order_len(const struct order *o)
{
	return o->len;
}

#endif
