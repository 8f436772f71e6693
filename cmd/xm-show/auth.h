/* auth.h: basic authentication for --listen, bcrypt checked beside the stream. */
#ifndef AUTH_H
#define AUTH_H

#include <sys/socket.h>

#include "webconf.h"

enum { AUTH_FAIL, AUTH_OK, AUTH_WAIT, AUTH_LATER };

/* A check's answer, for the connection it was asked for. */
typedef void auth_answer_fn(void *, void *, int);

struct auth;

struct auth *auth_new(void);
void	 auth_users(struct auth *, const struct webconf_pair *, size_t);
int	 auth_on(const struct auth *);
int	 auth_fd(const struct auth *);
int	 auth_check(struct auth *, const char *, const char *, const struct sockaddr *, void *,
	    double *);
void	 auth_run(struct auth *, auth_answer_fn *, void *);
void	 auth_forget(struct auth *, void *);
void	 auth_free(struct auth *);

#endif
