/* run.h: one run of xm-show, from the first record to the last output. */
#ifndef RUN_H
#define RUN_H

#include "show.h"

int	 show_run(const struct show_opts *);

#endif
