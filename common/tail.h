/*
 * tail.h: a record's fields from its value on, kept for a line written
 * later, when no record is in hand (a stale alert, a line --every or
 * --summary writes, a state file's #kept line).
 */
#ifndef TAIL_H
#define TAIL_H

#include <stddef.h>
#include <stdint.h>

struct record_writer;

struct tail {
	char	*b;		/* the fields kept, LF after each */
	uint32_t len, cap;
	uint32_t n;		/* the fields there were; those past the kept read "-" */
};

size_t	 tail_size(const size_t *, size_t);
void	 tail_keep(struct tail *, char *const *, const size_t *, size_t, size_t);
const char *tail_field(const struct tail *, const char **, size_t *);
void	 tail_put(struct record_writer *, const struct tail *, size_t);
void	 tail_free(struct tail *);

#endif
