/* http.h: /metrics over HTTP (and HTTPS), run between records from the reader's wait. */
#ifndef HTTP_H
#define HTTP_H

#include <stdio.h>

#define HTTP_METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define HTTP_JSON_TYPE "application/json"

/* The pages served of the board. */
enum { HTTP_METRICS, HTTP_SERIES, HTTP_ALERTS, HTTP_PAGES };

#define HTTP_MATCHES 64	/* match= a request may give */

/* What a request asks: a page, and for the JSON API the series it wants. */
struct http_ask {
	int	 page;
	const char *host;	/* host=: a glob over the host; NULL: any */
	const char *match[HTTP_MATCHES];	/* match=: globs over the metric, any of them */
	size_t	 nmatch;
};

/* Write the body of a page. */
typedef void http_body_fn(void *, const struct http_ask *, FILE *);
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
