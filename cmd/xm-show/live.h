/* live.h: the dashboard on the terminal, redrawn while the stream is read. */
#ifndef LIVE_H
#define LIVE_H

#include "http.h"
#include "show.h"
#include "wake.h"

int	 live_run(struct board *, struct record_reader *, struct wake *, struct http *);

#endif
