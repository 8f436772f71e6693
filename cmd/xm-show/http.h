/* http.h: /metrics over HTTP (and HTTPS), run between records from the reader's wait. */
#ifndef HTTP_H
#define HTTP_H

#include <stdio.h>

#define HTTP_METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Write the body of /metrics. */
typedef void http_body_fn(void *, FILE *);
/* A number that changes whenever the body would: responses are shared until it does. */
typedef unsigned long long http_gen_fn(void *);

#define HTTP_HOST_MAX 256

struct http;

int	 http_parse(const char *, char [HTTP_HOST_MAX], char [6], const char **);

/* The double: seconds a /metrics response serves though the board changed. */
struct http *http_open(const char *, const char *, double, http_body_fn *, http_gen_fn *, void *);
void	 http_reload(struct http *);
int	 http_fd(const struct http *);
void	 http_final(struct http *);
void	 http_serve(void *);
void	 http_close(struct http *);

#endif
