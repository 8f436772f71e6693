/* text.h: text from the stream on its way to people: UTF-8 and what must not get through raw. */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>

long	 text_utf8(const char *, size_t, size_t *);
int	 text_control(long);
void	 text_tty(char *, size_t);

#endif
