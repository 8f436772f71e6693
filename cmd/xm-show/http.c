/*
 * http.c: /metrics over HTTP for xm-show --listen, served by
 * libmicrohttpd in its external epoll mode.  The daemon has no thread of
 * its own: its descriptor joins the reader's wake epoll and it runs
 * between two records, so a scrape reads the board as the last whole
 * record left it, without a lock.  The socket is bound here, so that a
 * port in use is an error with errno's words, at start.
 *
 * A response is built whole when the first request for it comes, then
 * sent as each client takes it; scrapes of the same board share one
 * (libmicrohttpd counts its users), and so do scrapes within the
 * minimum age of the last build, however the board changed meanwhile:
 * a client asking back to back costs the stream one build a refresh,
 * and a slow client costs nothing but its place, which goes to the
 * next one to come when every place is taken.
 *
 * With --web-config, the web config file of Prometheus's exporter-toolkit
 * (webconf.c) sets TLS, the client certificates asked for and verified,
 * the users a request must be one of (auth.c) and headers of every
 * answer.  The file is read again at SIGHUP; then the daemon starts again
 * on the same socket, so that every setting, TLS's too, is the new file's,
 * and the connections open are closed: a scrape connects again.
 */
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <zlib.h>

#include "auth.h"
#include "http.h"
#include "webconf.h"
#include "xm.h"

#define HTTP_TIMEOUT	10	/* seconds a request may take: Prometheus's scrape_timeout */
#define HTTP_CONNS	32	/* connections at once; more wait in the backlog */
/*
 * Room in the backlog for a flood's connections, so that a scrape's
 * behind them waits its turn there, which make_room soon gives it,
 * rather than being refused and trying again a second or more later.
 */
#define HTTP_BACKLOG	1024
#define HTTP_HEADERS	16384	/* bytes of request line and headers: 431 past them */
#define HTTP_POOL	32768	/* a connection's memory: those, our answer's headers, room to spare */
#define HTTP_GRACE	0.1	/* seconds a connection has to ask before it may make room */
#define HTTP_SLOW	2	/* seconds an answer may wait on its reader before it may make room */

/*
 * A connection, from its accept to its close, and the time by which its
 * request in progress must be done: idle or trickling a byte at a time,
 * a client that takes longer loses the connection.
 */
struct conn {
	struct MHD_Connection *c;
	double	 since;		/* its accept, or the end of its last request */
	double	 deadline;
	int	 asked;		/* a whole request line and headers in, not yet answered */
	double	 asked_at;
	int	 cut;		/* shut down: the daemon closes it at its next run */
	int	 cert;		/* its client certificate: 0 not looked at, 1 good, -1 not */
	int	 suspended;	/* waiting for its password's check */
	int	 verdict;	/* of the password of its request: V_NONE, V_OK, V_FAIL */
	double	 later;		/* with AUTH_LATER: the seconds its address must wait */
	struct conn *next, **prevp;
};

enum { V_NONE, V_OK, V_FAIL };

struct http {
	struct MHD_Daemon *d;
	int	 listenfd;	/* ours; the daemon has a copy */
	const char *spec;	/* --listen */
	const char *webpath;	/* --web-config, or NULL */
	struct webconf conf;
	struct auth *auth;
	int	 ep;		/* epoll of the daemon's descriptor and the timer */
	int	 timer;		/* when the daemon next wants to run, if nothing comes */
	int	 mhdfd;
	http_body_fn *body;
	http_gen_fn *gen;
	void	*arg;
	struct conn *conns;
	/*
	 * Each page, asked without globs, of board generation cgen[p][i],
	 * plain (0) and gzip (1), made at built[p][i]
	 */
	struct MHD_Response *cache[HTTP_PAGES][2];
	unsigned long long cgen[HTTP_PAGES][2];
	double	 built[HTTP_PAGES][2];
	/* the last answer to globs, to a request of key askkey, of generation askgen, made at askbuilt */
	struct MHD_Response *asked;
	char	*askkey;
	size_t	 askkeylen;
	unsigned long long askgen;
	double	 askbuilt;
	double	 minage;	/* seconds a response serves though the board changed */
};

static const char index_html[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>xm</title></head>\n"
    "<body><h1>xm</h1><p><a href=\"/metrics\">Metrics</a></p>\n"
    "<p><a href=\"/api/v1/series\">Series</a> and <a href=\"/api/v1/alerts\">alerts</a>, "
    "JSON</p></body></html>\n";

static const char *const page_types[HTTP_PAGES] = {
	HTTP_METRICS_TYPE, HTTP_JSON_TYPE, HTTP_JSON_TYPE
};

/* Whether the parameters after an Accept-Encoding coding leave its q above 0. */
static int
q_above_zero(const char *q)
{
	q += strspn(q, " \t");
	if (*q != ';')
		return 1;
	q++;
	q += strspn(q, " \t");
	return !((q[0] == 'q' || q[0] == 'Q') && q[1] == '=' && q[2] == '0' &&
	    strspn(q + 3, ".0") == strcspn(q + 3, " \t,"));
}

/*
 * Whether Accept-Encoding takes gzip (RFC 9110, 12.5.3): a gzip or
 * x-gzip element decides by its q; without one, a * element does.
 */
static int
takes_gzip(const char *ae)
{
	const char *p = ae, *end;
	int star = 0;
	size_t n;

	while (p != NULL && *p != '\0') {
		p += strspn(p, " \t,");
		end = p + strcspn(p, ",");
		n = strcspn(p, " \t;,");
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			return q_above_zero(p + n);
		if (n == 1 && *p == '*')
			star = q_above_zero(p + 1);
		p = *end == ',' ? end + 1 : NULL;
	}
	return star;
}

/* The gzip member of buf, or NULL if it could not be made. */
static char *
gzip(const char *buf, size_t len, size_t *outlen)
{
	z_stream z;
	char *out;
	size_t cap;

	memset(&z, 0, sizeof z);
	/* windowBits 15 + 16: a gzip header and trailer.  Level 1: a scrape is not an archive. */
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, len);
	out = xm_malloc(cap);
	z.next_in = (Bytef *)buf;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (len > UINT32_MAX / 2 || deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		free(out);
		return NULL;
	}
	*outlen = z.total_out;
	deflateEnd(&z);
	return out;
}

/* A response that owns buf, or NULL (buf freed); with the web config's headers. */
static struct MHD_Response *
response(const struct http *h, const char *type, char *buf, size_t len, int gz,
    const char *allow)
{
	struct MHD_Response *r;
	size_t i;

	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(buf);
		return NULL;
	}
	for (i = 0; i < h->conf.nheader; i++)
		MHD_add_response_header(r, h->conf.headers[i].name, h->conf.headers[i].value);
	if (type == NULL)
		return r;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (gz)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (strcmp(type, HTTP_METRICS_TYPE) == 0 || strcmp(type, HTTP_JSON_TYPE) == 0)
		MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	if (allow != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	return r;
}

static enum MHD_Result
reply(const struct http *h, struct MHD_Connection *c, unsigned code, const char *type, char *buf,
    size_t len, const char *allow)
{
	struct MHD_Response *r = response(h, type, buf, len, 0, allow);
	enum MHD_Result ok;

	if (r == NULL)
		return MHD_NO;
	ok = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result
reply_text(const struct http *h, struct MHD_Connection *c, unsigned code, const char *text,
    const char *allow)
{
	return reply(h, c, code, "text/plain; charset=utf-8", xm_strdup(text), strlen(text),
	    allow);
}

/* 400, and the connection closed once it is sent: where the next request starts is not known. */
static enum MHD_Result
reply_bad_framing(const struct http *h, struct MHD_Connection *c, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = response(h, "text/plain; charset=utf-8", xm_strdup(text), strlen(text), 0, NULL);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	ok = MHD_queue_response(c, MHD_HTTP_BAD_REQUEST, r);
	MHD_destroy_response(r);
	return ok;
}

/* 429 and Retry-After, no body: an address slowed, or globs asked too soon after others. */
static enum MHD_Result
too_many(const struct http *h, struct MHD_Connection *c, double after)
{
	struct MHD_Response *r = response(h, NULL, NULL, 0, 0, NULL);
	enum MHD_Result ok;
	char secs[32];

	if (r == NULL)
		return MHD_NO;
	snprintf(secs, sizeof secs, "%.0f", after < 1 ? 1 : ceil(after));
	MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	ok = MHD_queue_response(c, MHD_HTTP_TOO_MANY_REQUESTS, r);
	MHD_destroy_response(r);
	return ok;
}

/* A response of the board as it is, to what q asks, plain or gzip; NULL if it failed. */
static struct MHD_Response *
make(struct http *h, const struct http_ask *q, int gz)
{
	char *buf = NULL, *z;
	size_t len = 0, zlen;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return NULL;
	h->body(h->arg, q, f);
	if (fclose(f) == EOF) {
		free(buf);
		return NULL;
	}
	if (gz) {
		if ((z = gzip(buf, len, &zlen)) == NULL) {
			free(buf);
			return NULL;
		}
		free(buf);
		buf = z;
		len = zlen;
	}
	return response(h, page_types[q->page], buf, len, gz, NULL);
}

/*
 * The response for a page asked without globs, plain or gzip: the one
 * made for the same generation of the board or less than minage seconds
 * ago if there is one, else made now.  Its age counts from the end of
 * its making, so that a board too big to make in minage still leaves
 * the stream that long between two makings.
 */
static struct MHD_Response *
page_response(struct http *h, const struct http_ask *q, int gz)
{
	struct MHD_Response *r;
	unsigned long long gen = h->gen(h->arg);
	int p = q->page;

	if (h->cache[p][gz] != NULL &&
	    (h->cgen[p][gz] == gen || xm_monotonic() - h->built[p][gz] < h->minage))
		return h->cache[p][gz];
	if ((r = make(h, q, gz)) == NULL)
		return NULL;
	if (h->cache[p][gz] != NULL)
		MHD_destroy_response(h->cache[p][gz]);	/* freed when its last client has it */
	h->cache[p][gz] = r;
	h->cgen[p][gz] = gen;
	h->built[p][gz] = xm_monotonic();
	return r;
}

/* What a request with globs asks, as bytes to compare: page, gzip, host=, each match=. */
static char *
ask_key(const struct http_ask *q, int gz, size_t *len)
{
	size_t i, n = 3 + (q->host != NULL ? strlen(q->host) : 0) + 1;
	char *key, *k;

	for (i = 0; i < q->nmatch; i++)
		n += strlen(q->match[i]) + 1;
	k = key = xm_malloc(n);
	*k++ = (char)q->page;
	*k++ = (char)gz;
	*k++ = q->host != NULL;
	if (q->host != NULL)
		k = stpcpy(k, q->host);
	*k++ = '\0';
	for (i = 0; i < q->nmatch; i++)
		k = stpcpy(k, q->match[i]) + 1;
	*len = n;
	return key;
}

/*
 * A request with globs: its answer made for it alone, and kept for the
 * same request again as a page is.  Such answers are made at most once
 * in minage seconds, so that clients asking each their own cost the
 * stream no more than a scrape does: one that comes sooner is a 429,
 * to ask again when the time is up.
 */
static enum MHD_Result
page_asked(struct http *h, struct MHD_Connection *c, const struct http_ask *q, int gz)
{
	struct MHD_Response *r;
	unsigned long long gen = h->gen(h->arg);
	double age = xm_monotonic() - h->askbuilt;
	size_t len;
	char *key = ask_key(q, gz, &len);

	if (h->asked != NULL && len == h->askkeylen && memcmp(key, h->askkey, len) == 0 &&
	    (h->askgen == gen || age < h->minage)) {
		free(key);
		return MHD_queue_response(c, MHD_HTTP_OK, h->asked);
	}
	if (h->asked != NULL && age < h->minage) {
		free(key);
		return too_many(h, c, h->minage - age);
	}
	if ((r = make(h, q, gz)) == NULL && (!gz || (r = make(h, q, 0)) == NULL)) {
		free(key);
		return MHD_NO;
	}
	if (h->asked != NULL)
		MHD_destroy_response(h->asked);
	free(h->askkey);
	h->asked = r;
	h->askkey = key;
	h->askkeylen = len;
	h->askgen = gen;
	h->askbuilt = xm_monotonic();
	return MHD_queue_response(c, MHD_HTTP_OK, r);
}

/* One argument of the query: host= and match= kept, the rest let be. */
static enum MHD_Result
ask_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct http_ask *q = cls;

	(void)kind;
	if (value == NULL)
		value = "";
	if (strcmp(key, "host") == 0) {
		q->host = value;
	} else if (strcmp(key, "match") == 0 || strcmp(key, "match[]") == 0) {
		if (q->nmatch == HTTP_MATCHES) {
			q->nmatch++;
			return MHD_NO;
		}
		q->match[q->nmatch++] = value;
	}
	return MHD_YES;
}

static enum MHD_Result
page(struct http *h, struct MHD_Connection *c, int p)
{
	struct MHD_Response *r = NULL;
	struct http_ask q;
	const char *ae;
	char why[64];
	int gz;

	memset(&q, 0, sizeof q);
	q.page = p;
	if (p != HTTP_METRICS)
		MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, ask_arg, &q);
	if (q.nmatch > HTTP_MATCHES) {
		snprintf(why, sizeof why, "more than %d match=\n", HTTP_MATCHES);
		return reply_text(h, c, MHD_HTTP_BAD_REQUEST, why, NULL);
	}
	ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	gz = ae != NULL && takes_gzip(ae);
	if (q.host != NULL || q.nmatch > 0)
		return page_asked(h, c, &q, gz);
	if (gz)
		r = page_response(h, &q, 1);
	if (r == NULL)
		r = page_response(h, &q, 0);
	if (r == NULL)
		return MHD_NO;
	return MHD_queue_response(c, MHD_HTTP_OK, r);
}

/* A request's headers summed up: their bytes, and its Content-Length fields. */
struct head {
	size_t	 bytes;
	const char *length;	/* the first Content-Length */
	int	 disagree;	/* another one says otherwise */
};

static enum MHD_Result
count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct head *hd = cls;

	(void)kind;
	if (value == NULL)
		value = "";
	hd->bytes += strlen(key) + strlen(value) + 4;	/* ": " and CRLF */
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (hd->length == NULL)
			hd->length = value;
		else if (strcmp(hd->length, value) != 0)
			hd->disagree = 1;
	}
	return MHD_YES;
}

/* Our record of connection c. */
static struct conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info;

	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info != NULL ? info->socket_context : NULL;
}

/*
 * 401 and WWW-Authenticate, no body: what a request without the right
 * user and password gets, whatever was wrong with them.
 */
static enum MHD_Result
unauthorized(const struct http *h, struct MHD_Connection *c)
{
	struct MHD_Response *r = response(h, NULL, NULL, 0, 0, NULL);
	enum MHD_Result ok;

	if (r == NULL)
		return MHD_NO;
	ok = MHD_queue_basic_auth_fail_response(c, "xm", r);
	MHD_destroy_response(r);
	return ok;
}

/*
 * Whether the client certificate of c's TLS session is one the client
 * CAs issued for a client (verified by GnuTLS: chain, dates, the key's
 * purpose where it names one); without one, whether none is required.
 */
static int
cert_good(const struct http *h, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info;
	gnutls_typed_vdata_st purpose;
	gnutls_session_t s;
	unsigned n = 0, status = 0;

	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (info == NULL || info->tls_session == NULL)
		return 0;
	s = info->tls_session;
	if (gnutls_certificate_get_peers(s, &n) == NULL || n == 0)
		return h->conf.client_auth == CLIENT_VERIFY_IF_GIVEN;
	memset(&purpose, 0, sizeof purpose);
	purpose.type = GNUTLS_DT_KEY_PURPOSE_OID;
	purpose.data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT;
	return gnutls_certificate_verify_peers(s, &purpose, 1, &status) == GNUTLS_E_SUCCESS &&
	    status == 0;
}

/* A check of a password answered: its request goes on. */
static void
answered(void *arg, void *tag, int ok)
{
	struct conn *k = tag;

	(void)arg;
	k->verdict = ok ? V_OK : V_FAIL;
	if (k->suspended) {
		k->suspended = 0;
		MHD_resume_connection(k->c);
	}
}

enum { ADMIT_YES, ADMIT_NO, ADMIT_DENY, ADMIT_WAIT, ADMIT_LATER };

/*
 * Whether request c may be answered: ADMIT_YES; ADMIT_NO, its
 * connection closed, for a client certificate missing where one is
 * required or not verified (once a connection: TLS verified it for the
 * whole session); ADMIT_DENY for a user and password that are not a
 * user's, or none; ADMIT_LATER, unchecked, for an address its failures
 * slowed or with checks enough waiting (the seconds to wait in k->later);
 * ADMIT_WAIT while its password is checked, the connection suspended
 * until the answer.
 */
static int
admit(struct http *h, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info;
	struct conn *k = conn_of(c);
	char *user, *pass = NULL;
	int v;

	if (k == NULL)
		return ADMIT_NO;
	if (h->conf.client_auth != CLIENT_NONE) {
		if (k->cert == 0)
			k->cert = cert_good(h, c) ? 1 : -1;
		if (k->cert < 0)
			return ADMIT_NO;
	}
	if (!auth_on(h->auth))
		return ADMIT_YES;
	if (k->verdict == V_NONE) {
		user = MHD_basic_auth_get_username_password(c, &pass);
		if (user == NULL || pass == NULL) {
			v = AUTH_FAIL;
		} else {
			info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
			v = auth_check(h->auth, user, pass, info != NULL ? info->client_addr : NULL,
			    k, &k->later);
		}
		if (pass != NULL) {
			explicit_bzero(pass, strlen(pass));
			MHD_free(pass);
		}
		if (user != NULL)
			MHD_free(user);
		if (v == AUTH_WAIT) {
			k->suspended = 1;
			MHD_suspend_connection(c);
			return ADMIT_WAIT;
		}
		if (v == AUTH_LATER)
			return ADMIT_LATER;
		k->verdict = v == AUTH_OK ? V_OK : V_FAIL;
	}
	v = k->verdict;
	k->verdict = V_NONE;	/* the connection's next request is asked again */
	return v == V_OK ? ADMIT_YES : ADMIT_DENY;
}

/*
 * One request, in two calls: its headers, then its end.  A request that
 * will not do is answered at the first, before any body is read, and
 * its connection closed; the rest at the second, which keeps the
 * connection alive for the next scrape.  Two Content-Lengths that
 * disagree leave the request's end unknown (the body could be read as
 * a request of its own): 400 and close, as RFC 9112, 6.3 asks.
 */
static enum MHD_Result
request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *data, size_t *size, void **con)
{
	struct http *h = cls;
	struct head hd;
	struct conn *k;
	const char *cl, *te;

	(void)data;
	if (*con == NULL) {
		*con = h;
		if ((k = conn_of(c)) != NULL) {
			k->asked = 1;
			k->asked_at = xm_monotonic();
		}
		memset(&hd, 0, sizeof hd);
		hd.bytes = strlen(method) + strlen(url) + strlen(version) + 4;
		MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &hd);
		if (hd.disagree)
			return reply_bad_framing(h, c, "two Content-Lengths that disagree\n");
		if (hd.bytes > HTTP_HEADERS)
			return reply_text(h, c, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
			    "request headers past 16 kB\n", NULL);
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return reply_text(h, c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n",
			    "GET, HEAD");
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_TRANSFER_ENCODING);
		if ((cl != NULL && strspn(cl, "0") != strlen(cl)) || te != NULL)
			return reply_text(h, c, MHD_HTTP_CONTENT_TOO_LARGE,
			    "a request here has no body\n", NULL);
		return MHD_YES;
	}
	if (*size != 0)
		return MHD_NO;
	switch (admit(h, c)) {
	case ADMIT_WAIT:
		return MHD_YES;
	case ADMIT_DENY:
		return unauthorized(h, c);
	case ADMIT_LATER:
		return too_many(h, c, conn_of(c)->later);
	case ADMIT_NO:
		return MHD_NO;
	}
	if (strcmp(url, "/metrics") == 0)
		return page(h, c, HTTP_METRICS);
	if (strcmp(url, "/api/v1/series") == 0)
		return page(h, c, HTTP_SERIES);
	if (strcmp(url, "/api/v1/alerts") == 0)
		return page(h, c, HTTP_ALERTS);
	if (strcmp(url, "/") == 0)
		return reply(h, c, MHD_HTTP_OK, "text/html; charset=utf-8", xm_strdup(index_html),
		    sizeof index_html - 1, NULL);
	return reply_text(h, c, MHD_HTTP_NOT_FOUND, "not found: the metrics are at /metrics, "
	    "the JSON at /api/v1/series and /api/v1/alerts\n", NULL);
}

/*
 * ADDR:PORT, [ADDR]:PORT, :PORT or PORT; the address 127.0.0.1 when it
 * is not given.  0 and the parts, or -1 and why.
 */
int
http_parse(const char *spec, char host[HTTP_HOST_MAX], char port[6], const char **why)
{
	const size_t hostsz = HTTP_HOST_MAX;
	const char *colon, *p;
	size_t n;

	if (spec[0] == '[') {
		if ((p = strchr(spec, ']')) == NULL || p[1] != ':') {
			*why = "not [ADDRESS]:PORT";
			return -1;
		}
		n = (size_t)(p - spec - 1);
		colon = p + 1;
		spec++;
	} else if ((colon = strrchr(spec, ':')) != NULL) {
		n = (size_t)(colon - spec);
		if (memchr(spec, ':', n) != NULL) {
			*why = "an IPv6 address goes in brackets: [::1]:PORT";
			return -1;
		}
	} else {
		n = 0;
		colon = spec - 1;
	}
	if (n == 0)
		snprintf(host, hostsz, "127.0.0.1");
	else if (n >= hostsz) {
		*why = "address too long";
		return -1;
	} else {
		memcpy(host, spec, n);
		host[n] = '\0';
	}
	p = colon + 1;
	if (*p == '\0' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 5 ||
	    atoi(p) < 1 || atoi(p) > 65535) {
		*why = "port not from 1 to 65535";
		return -1;
	}
	memcpy(port, p, strlen(p) + 1);
	return 0;
}

/* The listening socket, or exit 1 with why not. */
static int
bind_spec(const char *spec)
{
	struct addrinfo hints, *res, *ai;
	char host[HTTP_HOST_MAX], port[6];
	const char *why;
	int fd = -1, one = 1, rc, saved = 0;

	if (http_parse(spec, host, port, &why) != 0)
		errx(XM_EXIT_USAGE, "--listen: %s: %s", spec, why);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		errx(XM_EXIT_FAIL, "--listen: %s: %s", spec, gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    ai->ai_protocol);
		if (fd == -1) {
			saved = errno;
			continue;
		}
		/* a restart may bind while the last run's connections linger in TIME_WAIT */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, HTTP_BACKLOG) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1) {
		errno = saved;
		err(XM_EXIT_FAIL, "--listen: %s", spec);
	}
	return fd;
}

/* A connection opened or closed: keep the list whose deadlines http_serve holds to. */
static void
notify_connection(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_ConnectionNotificationCode toe)
{
	struct http *h = cls;
	struct conn *k = *ctx;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		k = xm_calloc(1, sizeof *k);
		k->c = c;
		k->since = xm_monotonic();
		k->deadline = k->since + HTTP_TIMEOUT;
		if ((k->next = h->conns) != NULL)
			k->next->prevp = &k->next;
		k->prevp = &h->conns;
		h->conns = k;
		*ctx = k;
	} else if (k != NULL) {
		auth_forget(h->auth, k);
		if (k->next != NULL)
			k->next->prevp = k->prevp;
		*k->prevp = k->next;
		free(k);
		*ctx = NULL;
	}
}

/* A request answered: the connection's next one has its own time from now. */
static void
completed(void *cls, struct MHD_Connection *c, void **con, enum MHD_RequestTerminationCode toe)
{
	struct conn *k;

	(void)cls;
	(void)con;
	(void)toe;
	if ((k = conn_of(c)) != NULL) {
		k->since = xm_monotonic();
		k->deadline = k->since + HTTP_TIMEOUT;
		k->asked = 0;
	}
}

/*
 * Start the daemon on a copy of the listening socket, with the web
 * config's TLS: 0, or -1 when it would not start.
 */
static int
daemon_start(struct http *h)
{
	const union MHD_DaemonInfo *info;
	struct MHD_OptionItem tls[5];
	struct epoll_event e;
	unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
	size_t n = 0;
	int fd;

	if ((fd = fcntl(h->listenfd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	if (h->conf.tls) {
		flags |= MHD_USE_TLS;
		tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, h->conf.cert };
		tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, h->conf.key };
		tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
		    h->conf.priorities };
		/* the client CAs: with them, and only so, the daemon asks for a certificate */
		if (h->conf.ca != NULL)
			tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0,
			    h->conf.ca };
	}
	tls[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, request, h,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_TIMEOUT,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNS,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_POOL,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_connection, h,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, h,
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		close(fd);
		return -1;
	}
	if ((info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_EPOLL_FD)) == NULL) {
		MHD_stop_daemon(h->d);
		h->d = NULL;
		return -1;
	}
	h->mhdfd = info->epoll_fd;
	memset(&e, 0, sizeof e);
	e.events = EPOLLIN;
	if (epoll_ctl(h->ep, EPOLL_CTL_ADD, h->mhdfd, &e) == -1)
		err(XM_EXIT_FAIL, "epoll_ctl");
	return 0;
}

/*
 * Stop the daemon, and close its connections; those waiting on a
 * password's check are let go first, as the daemon asks.  The listening
 * socket stays, and the clients that came meanwhile wait in its backlog.
 */
static void
daemon_stop(struct http *h)
{
	struct conn *k;
	int i;

	if (h->d == NULL)
		return;
	for (k = h->conns; k != NULL; k = k->next) {
		if (!k->suspended)
			continue;
		auth_forget(h->auth, k);
		k->suspended = 0;
		MHD_resume_connection(k->c);
	}
	epoll_ctl(h->ep, EPOLL_CTL_DEL, h->mhdfd, NULL);
	MHD_stop_daemon(h->d);
	h->d = NULL;
	for (i = 0; i < HTTP_PAGES * 2; i++) {
		if (h->cache[i / 2][i % 2] != NULL)
			MHD_destroy_response(h->cache[i / 2][i % 2]);
		h->cache[i / 2][i % 2] = NULL;
	}
	if (h->asked != NULL)
		MHD_destroy_response(h->asked);
	h->asked = NULL;
	free(h->askkey);
	h->askkey = NULL;
}

/* Read the web config file at path into c: 0, or -1 with why. */
static int
conf_read(const char *path, struct webconf *c, char *why, size_t size)
{
	if (webconf_read(path, c, why, size) == -1)
		return -1;
	if (c->tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(why, size, "%s: this libmicrohttpd serves no TLS", path);
		webconf_free(c);
		return -1;
	}
	return 0;
}

/*
 * Serve /metrics at spec; with webpath, as the web config file there
 * says.  Exit 1 with why not where it cannot be: the address taken, the
 * file or a certificate it names not readable or not right.
 */
struct http *
http_open(const char *spec, const char *webpath, double minage, http_body_fn *body,
    http_gen_fn *gen, void *arg)
{
	struct epoll_event e;
	struct http *h = xm_calloc(1, sizeof *h);
	char why[1024];

	h->spec = spec;
	h->webpath = webpath;
	h->minage = minage;
	h->body = body;
	h->gen = gen;
	h->arg = arg;
	h->auth = auth_new();
	if (webpath != NULL && conf_read(webpath, &h->conf, why, sizeof why) == -1)
		errx(XM_EXIT_FAIL, "%s", why);
	auth_users(h->auth, h->conf.users, h->conf.nuser);
	h->listenfd = bind_spec(spec);
	if ((h->ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		err(XM_EXIT_FAIL, "epoll_create1");
	if ((h->timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) == -1)
		err(XM_EXIT_FAIL, "timerfd_create");
	memset(&e, 0, sizeof e);
	e.events = EPOLLIN;
	if (epoll_ctl(h->ep, EPOLL_CTL_ADD, h->timer, &e) == -1 ||
	    epoll_ctl(h->ep, EPOLL_CTL_ADD, auth_fd(h->auth), &e) == -1)
		err(XM_EXIT_FAIL, "epoll_ctl");
	if (daemon_start(h) == -1)
		errx(XM_EXIT_FAIL, "--listen: %s: the HTTP server would not start", spec);
	return h;
}

/*
 * Read the web config file again (at SIGHUP), and serve as it says from
 * now; a file that will not do is said, and the settings before stay.
 */
void
http_reload(struct http *h)
{
	struct webconf old, nc;
	char why[1024];

	if (h == NULL || h->webpath == NULL)
		return;
	memset(&nc, 0, sizeof nc);
	if (conf_read(h->webpath, &nc, why, sizeof why) == -1) {
		warnx("%s; serving as before", why);
		return;
	}
	old = h->conf;
	h->conf = nc;
	daemon_stop(h);
	auth_users(h->auth, h->conf.users, h->conf.nuser);
	if (daemon_start(h) == -1) {
		warnx("--web-config: %s: the HTTP server would not start with it; "
		    "serving as before", h->webpath);
		webconf_free(&h->conf);
		h->conf = old;
		auth_users(h->auth, h->conf.users, h->conf.nuser);
		if (daemon_start(h) == -1)
			errx(XM_EXIT_FAIL, "--listen: %s: the HTTP server would not start again",
			    h->spec);
		return;
	}
	webconf_free(&old);
}

int
http_fd(const struct http *h)
{
	return h->ep;
}

/* The board changes no more: the next scrape has it as it is, whatever the age of the last. */
void
http_final(struct http *h)
{
	if (h != NULL)
		h->minage = 0;
}

static unsigned
connections(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *info;

	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info != NULL ? info->num_connections : 0;
}

/*
 * Shut a connection down: the socket wakes the daemon, which closes it.
 * One waiting for a password's check is let go, its check dropped: the
 * daemon looks at no suspended connection.
 */
static void
cut(struct http *h, struct conn *k, double now)
{
	const union MHD_ConnectionInfo *info;

	if (k->suspended) {
		auth_forget(h->auth, k);
		k->verdict = V_FAIL;
		k->suspended = 0;
		MHD_resume_connection(k->c);
	}
	info = MHD_get_connection_info(k->c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (info != NULL)
		shutdown(info->connect_fd, SHUT_RDWR);
	k->cut = 1;
	k->deadline = now + HTTP_TIMEOUT;	/* once; the close is on its way */
}

/* Cut the connections past their deadline.  The seconds to the next deadline, or -1. */
static double
cut_late(struct http *h)
{
	double now = xm_monotonic(), next = -1;
	struct conn *k;

	for (k = h->conns; k != NULL; k = k->next) {
		if (k->deadline <= now)
			cut(h, k, now);
		if (next < 0 || k->deadline - now < next)
			next = k->deadline - now;
	}
	return next;
}

/*
 * With every place taken, cut the connection longest without a request
 * in hand -- idle, or trickling its headers -- once it has had
 * HTTP_GRACE to ask, so that the next client in the queue has its
 * place: a flood of clients that connect and never ask pushes out its
 * own connections, not the scrapes, which ask at once.  Failing that,
 * the one whose answer has waited longest on a reader that does not
 * read, once HTTP_SLOW has passed: a scrape reads as fast as the
 * answer comes.  The daemon, at its limit, watches the listening
 * socket again once the cut one is closed.  The seconds until one may
 * be cut, or -1.
 */
static double
make_room(struct http *h)
{
	struct conn *k, *idle = NULL, *slow = NULL;
	double now = xm_monotonic(), wait;
	unsigned n = 0;

	for (k = h->conns; k != NULL; k = k->next) {
		if (k->cut)
			continue;
		n++;
		if (!k->asked && (idle == NULL || k->since < idle->since))
			idle = k;
		if (k->asked && (slow == NULL || k->asked_at < slow->asked_at))
			slow = k;
	}
	if (n < HTTP_CONNS || (idle == NULL && slow == NULL))
		return -1;
	if (idle != NULL && (wait = idle->since + HTTP_GRACE - now) <= 0) {
		cut(h, idle, now);
		return -1;
	}
	if (slow != NULL && slow->asked_at + HTTP_SLOW <= now) {
		cut(h, slow, now);
		return -1;
	}
	if (idle == NULL)
		return slow->asked_at + HTTP_SLOW - now;
	if (slow == NULL || wait < slow->asked_at + HTTP_SLOW - now)
		return wait;
	return slow->asked_at + HTTP_SLOW - now;
}

/*
 * Let the daemon do what is ready, then set the timer for when it wants
 * to run again though nothing comes: to close idle connections or late
 * ones, or at once when it has more at hand.  A run that closed
 * connections runs once more: at its limit the daemon stopped watching
 * the listening socket, and takes it back only at the start of a run,
 * while the connections that wait there make no new event.
 */
void
http_serve(void *arg)
{
	struct http *h = arg;
	struct itimerspec its;
	MHD_UNSIGNED_LONG_LONG ms;
	uint64_t ticks;
	unsigned before = connections(h->d);
	double late, room;

	if (read(h->timer, &ticks, sizeof ticks) == -1 && errno != EAGAIN)
		warn("--listen: timer");
	auth_run(h->auth, answered, h);
	MHD_run(h->d);
	if (connections(h->d) < before)
		MHD_run(h->d);
	room = make_room(h);
	late = cut_late(h);
	if (room >= 0 && (late < 0 || room < late))
		late = room;
	memset(&its, 0, sizeof its);
	if (MHD_get_timeout(h->d, &ms) != MHD_YES)
		ms = (MHD_UNSIGNED_LONG_LONG)-1;
	if (late >= 0 && late * 1000 < (double)ms)
		ms = (MHD_UNSIGNED_LONG_LONG)(late * 1000) + 1;
	if (ms != (MHD_UNSIGNED_LONG_LONG)-1) {
		if (ms == 0)
			its.it_value.tv_nsec = 1;	/* 0 would disarm it */
		its.it_value.tv_sec = (time_t)(ms / 1000);
		its.it_value.tv_nsec += (long)(ms % 1000) * 1000000;
	}
	timerfd_settime(h->timer, 0, &its, NULL);
}

void
http_close(struct http *h)
{
	if (h == NULL)
		return;
	daemon_stop(h);
	auth_free(h->auth);
	webconf_free(&h->conf);
	close(h->listenfd);
	close(h->timer);
	close(h->ep);
	free(h);
}
