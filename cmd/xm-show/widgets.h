/* widgets.h: what the panels draw with: numbers, bars, lights, sparklines, titles, names. */
#ifndef WIDGETS_H
#define WIDGETS_H

#include <stddef.h>

#include "show.h"

struct glyphs {
	const char *full, *empty, *dot, *up, *down, *level, *rule, *more, *sep;
	const char *spark[8];
	const char *part[8];	/* a bar cell filled in eighths */
};

const struct glyphs *glyphs_for(int);
int	 sev_attr(int);
const char *sev_word(int);
void	 fmt_number(char *, size_t, int, double);
void	 fmt_rate(char *, size_t, double);
void	 fmt_size(char *, size_t, double);
void	 fmt_wait(char *, size_t, double);
void	 draw_right(struct page *, int, const char *, int);
void	 draw_number(struct page *, int, double, int);
void	 draw_title_start(struct page *, const struct glyphs *, const char *);
void	 draw_title_rule(struct page *, const struct glyphs *, int);
void	 draw_title(struct page *, const struct glyphs *, const char *);
void	 draw_bar(struct page *, const struct glyphs *, int, double, int);
void	 draw_light(struct page *, const struct glyphs *, int);
void	 draw_spark(struct page *, const struct glyphs *, const struct series *, double, int);
void	 draw_metric(struct page *, int, const char *, size_t, int);
void	 draw_series_name(struct page *, const struct series *, int, int);

#endif
