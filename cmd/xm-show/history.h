/* history.h: xm-show --history, the alert log summed up per alert. */
#ifndef HISTORY_H
#define HISTORY_H

#include "show.h"

int	 history_run(const struct show_opts *);

#endif
