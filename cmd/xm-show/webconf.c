/*
 * webconf.c: the web configuration file of --web-config, the one the
 * Prometheus exporter-toolkit reads (node_exporter's --web.config.file),
 * so that one file serves both: tls_server_config, basic_auth_users and
 * http_server_config.headers.  YAML is read by libyaml; the certificate
 * and key are read here, relative to the file's directory as the toolkit
 * takes them, and tried by GnuTLS, so that a file that will not serve is
 * an error when it is read, naming the file.  What the toolkit's file may
 * hold that xm-show does not do is refused by name: a setting ignored
 * would serve otherwise than its writer meant.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <yaml.h>

#include "webconf.h"
#include "xm.h"

#define FILE_MAX (1 << 20)	/* bytes of the file, or of a certificate */
#define PAIRS_MAX 10000		/* names in a mapping: users, headers */

/* What the reading needs at hand: the file's name and directory, the document, the message. */
struct reading {
	const char *path;
	yaml_document_t *doc;
	char	*why;
	size_t	 whysize;
};

/* The headers the toolkit lets a file set, and no others. */
static const char *const header_names[] = {
	"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
	"X-Frame-Options", "X-XSS-Protection",
};

static int
bad(struct reading *rd, const yaml_node_t *at, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (at != NULL)
		snprintf(rd->why, rd->whysize, "%s: line %lu: %s", rd->path,
		    (unsigned long)at->start_mark.line + 1, what);
	else
		snprintf(rd->why, rd->whysize, "%s: %s", rd->path, what);
	return -1;
}

static int
is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (*v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0);
}

/* The text of scalar n, or NULL (said) when it is none or holds a NUL or a line's end. */
static const char *
scalar(struct reading *rd, const yaml_node_t *n, const char *key)
{
	const char *v = (const char *)n->data.scalar.value;

	if (n->type != YAML_SCALAR_NODE) {
		bad(rd, n, "%s: not a string", key);
		return NULL;
	}
	if (strlen(v) != n->data.scalar.length || strpbrk(v, "\r\n") != NULL) {
		bad(rd, n, "%s: a line's end or a NUL in it", key);
		return NULL;
	}
	return v;
}

/*
 * The pairs of mapping n, keys checked to be strings given once: 0, or
 * -1 said.  A null is a mapping of none.
 */
static int
mapping(struct reading *rd, const yaml_node_t *n, const char *key, yaml_node_pair_t **first,
    yaml_node_pair_t **end)
{
	yaml_node_pair_t *p, *q;
	yaml_node_t *k, *l;

	*first = *end = NULL;
	if (is_null(n))
		return 0;
	if (n->type != YAML_MAPPING_NODE)
		return bad(rd, n, "%s: not a mapping of names to values", key);
	if (n->data.mapping.pairs.top - n->data.mapping.pairs.start > PAIRS_MAX)
		return bad(rd, n, "%s: more than %d names", key, PAIRS_MAX);
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(rd->doc, p->key);
		if (k->type != YAML_SCALAR_NODE)
			return bad(rd, k, "%s: a name that is not a string", key);
		for (q = n->data.mapping.pairs.start; q < p; q++) {
			l = yaml_document_get_node(rd->doc, q->key);
			if (l->type == YAML_SCALAR_NODE && strcmp((const char *)l->data.scalar.value,
			    (const char *)k->data.scalar.value) == 0)
				return bad(rd, k, "%s: given twice", k->data.scalar.value);
		}
	}
	*first = n->data.mapping.pairs.start;
	*end = n->data.mapping.pairs.top;
	return 0;
}

static const char *
key_of(struct reading *rd, const yaml_node_pair_t *p)
{
	return (const char *)yaml_document_get_node(rd->doc, p->key)->data.scalar.value;
}

static yaml_node_t *
value_of(struct reading *rd, const yaml_node_pair_t *p)
{
	return yaml_document_get_node(rd->doc, p->value);
}

/* The whole of file path, NUL ended, or NULL with errno's words in why. */
static char *
slurp(const char *path, char *why, size_t size)
{
	char *buf = xm_malloc(FILE_MAX + 1);
	size_t len = 0, n;
	FILE *f;

	if ((f = fopen(path, "re")) == NULL) {
		snprintf(why, size, "%s: %s", path, strerror(errno));
		free(buf);
		return NULL;
	}
	while (len <= FILE_MAX && (n = fread(buf + len, 1, FILE_MAX + 1 - len, f)) > 0)
		len += n;
	if (ferror(f) || len > FILE_MAX) {
		snprintf(why, size, "%s: %s", path, ferror(f) ? strerror(errno) : "past 1 MB");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* The file a setting names, relative to the web config file's directory; its text in *out. */
static int
read_named(struct reading *rd, const yaml_node_t *n, const char *key, char **out)
{
	const char *name = scalar(rd, n, key), *slash;
	char path[4096], why[4400];

	if (name == NULL)
		return -1;
	if (*name == '\0')
		return bad(rd, n, "%s: empty", key);
	slash = strrchr(rd->path, '/');
	if (name[0] == '/' || slash == NULL)
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%.*s/%s", (int)(slash - rd->path), rd->path, name);
	if ((*out = slurp(path, why, sizeof why)) == NULL)
		return bad(rd, n, "%s: %s", key, why);
	return 0;
}

/* The versions min_version and max_version name, and GnuTLS's names of them. */
static const char *const go_versions[] = { "TLS10", "TLS11", "TLS12", "TLS13" };
static const char *const gnutls_versions[] = {
	"VERS-TLS1.0", "VERS-TLS1.1", "VERS-TLS1.2", "VERS-TLS1.3"
};

/* The rank of version v in go_versions, or -1. */
static int
tls_version(const char *v)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(v, go_versions[i]) == 0)
			return i;
	return -1;
}

/* GnuTLS's words for rc, as the rest of a message: lower case, no full stop. */
static const char *
tls_words(int rc, char *buf, size_t size)
{
	size_t n;

	snprintf(buf, size, "%s", gnutls_strerror(rc));
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	if ((n = strlen(buf)) > 0 && buf[n - 1] == '.')
		buf[n - 1] = '\0';
	return buf;
}

/* Whether the certificate and key, and the client CAs, are what GnuTLS can serve with. */
static int
tls_try(struct reading *rd, const yaml_node_t *at, struct webconf *c)
{
	gnutls_certificate_credentials_t cred;
	gnutls_datum_t cert, key, ca;
	char words[256];
	int rc;

	if (gnutls_certificate_allocate_credentials(&cred) != GNUTLS_E_SUCCESS)
		return bad(rd, at, "GnuTLS: no memory");
	cert.data = (unsigned char *)c->cert;
	cert.size = (unsigned)strlen(c->cert);
	key.data = (unsigned char *)c->key;
	key.size = (unsigned)strlen(c->key);
	rc = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
	if (rc < 0) {
		gnutls_certificate_free_credentials(cred);
		return bad(rd, at, "cert_file and key_file: %s",
		    tls_words(rc, words, sizeof words));
	}
	if (c->ca != NULL) {
		ca.data = (unsigned char *)c->ca;
		ca.size = (unsigned)strlen(c->ca);
		rc = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (rc <= 0) {
			gnutls_certificate_free_credentials(cred);
			return bad(rd, at, "client_ca_file: %s", rc == 0 ? "no certificate in it" :
			    tls_words(rc, words, sizeof words));
		}
	}
	gnutls_certificate_free_credentials(cred);
	return 0;
}

/* tls_server_config, the value n of the key at; at is where the whole of it is said wrong. */
static int
tls_config(struct reading *rd, const yaml_node_t *at, const yaml_node_t *n, struct webconf *c)
{
	yaml_node_pair_t *p, *end;
	const yaml_node_t *v, *at_auth = NULL, *at_min = n, *at_max = n;
	const char *key, *s, *auth = "";
	int lo = 2, hi = 3, r, i, prefer = 1, others = 0;
	size_t len;

	if (mapping(rd, n, "tls_server_config", &p, &end) == -1)
		return -1;
	for (; p < end; p++) {
		key = key_of(rd, p);
		v = value_of(rd, p);
		others += strcmp(key, "cert_file") != 0 && strcmp(key, "key_file") != 0;
		if (strcmp(key, "cert_file") == 0) {
			if (read_named(rd, v, key, &c->cert) == -1)
				return -1;
		} else if (strcmp(key, "key_file") == 0) {
			if (read_named(rd, v, key, &c->key) == -1)
				return -1;
		} else if (strcmp(key, "client_ca_file") == 0) {
			if (read_named(rd, v, key, &c->ca) == -1)
				return -1;
		} else if (strcmp(key, "client_auth_type") == 0) {
			if ((auth = scalar(rd, v, key)) == NULL)
				return -1;
			at_auth = v;
		} else if (strcmp(key, "min_version") == 0 || strcmp(key, "max_version") == 0) {
			if ((s = scalar(rd, v, key)) == NULL)
				return -1;
			if ((r = tls_version(s)) == -1)
				return bad(rd, v, "%s: \"%s\" is not TLS10, TLS11, TLS12 or TLS13",
				    key, s);
			if (key[1] == 'i') {
				lo = r;
				at_min = v;
			} else {
				hi = r;
				at_max = v;
			}
		} else if (strcmp(key, "prefer_server_cipher_suites") == 0) {
			if ((s = scalar(rd, v, key)) == NULL)
				return -1;
			if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
				return bad(rd, v, "%s: not true or false", key);
			prefer = strcmp(s, "true") == 0;
		} else {
			return bad(rd, yaml_document_get_node(rd->doc, p->key),
			    "tls_server_config: %s: not supported (cert_file, key_file, "
			    "client_ca_file, client_auth_type, min_version, max_version, "
			    "prefer_server_cipher_suites)", key);
		}
	}
	/* neither, as the toolkit takes it: no TLS */
	if (c->cert == NULL && c->key == NULL) {
		if (others > 0)
			return bad(rd, at, "tls_server_config without cert_file and key_file: "
			    "no TLS to set");
		return 0;
	}
	c->tls = 1;
	if (c->cert == NULL)
		return bad(rd, at, "tls_server_config: no cert_file");
	if (c->key == NULL)
		return bad(rd, at, "tls_server_config: no key_file");
	if (*auth == '\0' || strcmp(auth, "NoClientCert") == 0)
		c->client_auth = CLIENT_NONE;
	else if (strcmp(auth, "VerifyClientCertIfGiven") == 0)
		c->client_auth = CLIENT_VERIFY_IF_GIVEN;
	else if (strcmp(auth, "RequireAndVerifyClientCert") == 0)
		c->client_auth = CLIENT_REQUIRE_AND_VERIFY;
	else if (strcmp(auth, "RequestClientCert") == 0 || strcmp(auth, "RequireAnyClientCert") == 0)
		return bad(rd, at_auth, "client_auth_type: %s: not supported: a certificate "
		    "is taken only to be verified (VerifyClientCertIfGiven, "
		    "RequireAndVerifyClientCert)", auth);
	else
		return bad(rd, at_auth, "client_auth_type: \"%s\" is none of NoClientCert, "
		    "VerifyClientCertIfGiven, RequireAndVerifyClientCert", auth);
	if (c->client_auth != CLIENT_NONE && c->ca == NULL)
		return bad(rd, at_auth, "client_auth_type: %s: no client_ca_file to verify with",
		    auth);
	if (c->client_auth == CLIENT_NONE && c->ca != NULL)
		return bad(rd, at, "client_ca_file without a client_auth_type that verifies");
	if (lo > hi)
		return bad(rd, at_min->start_mark.line > at_max->start_mark.line ? at_min : at_max,
		    "min_version above max_version");
	len = sizeof "NORMAL:-VERS-ALL:%SERVER_PRECEDENCE";
	for (i = hi; i >= lo; i--)
		len += strlen(gnutls_versions[i]) + 2;
	c->priorities = xm_malloc(len);
	strcpy(c->priorities, "NORMAL:-VERS-ALL");
	for (i = hi; i >= lo; i--) {
		strcat(c->priorities, ":+");
		strcat(c->priorities, gnutls_versions[i]);
	}
	if (prefer)
		strcat(c->priorities, ":%SERVER_PRECEDENCE");
	return tls_try(rd, at, c);
}

/*
 * A bcrypt hash as crypt(3) writes it: $2a$, $2b$ or $2y$, a cost from
 * 04 to 31, $, and 53 characters of its alphabet.
 */
static int
is_bcrypt(const char *h)
{
	int cost;

	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || strchr("aby", h[2]) == NULL ||
	    h[3] != '$' || h[4] < '0' || h[4] > '9' || h[5] < '0' || h[5] > '9' || h[6] != '$')
		return 0;
	cost = (h[4] - '0') * 10 + h[5] - '0';
	return cost >= 4 && cost <= 31 && strspn(h + 7, "./ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789") == 53;
}

static int
users(struct reading *rd, const yaml_node_t *n, struct webconf *c)
{
	yaml_node_pair_t *p, *end;
	const char *name, *hash;
	char key[300];

	if (mapping(rd, n, "basic_auth_users", &p, &end) == -1)
		return -1;
	c->users = xm_reallocarray(NULL, (size_t)(end - p) + 1, sizeof *c->users);
	for (; p < end; p++) {
		name = key_of(rd, p);
		if (*name == '\0' || strchr(name, ':') != NULL ||
		    strlen(name) != yaml_document_get_node(rd->doc, p->key)->data.scalar.length)
			return bad(rd, yaml_document_get_node(rd->doc, p->key),
			    "basic_auth_users: \"%s\": an empty name, or a colon or NUL in it",
			    name);
		snprintf(key, sizeof key, "basic_auth_users: %s", name);
		if ((hash = scalar(rd, value_of(rd, p), key)) == NULL)
			return -1;
		if (!is_bcrypt(hash))
			return bad(rd, value_of(rd, p), "%s: not a bcrypt hash ($2y$, $2b$ or $2a$, "
			    "a cost from 04 to 31, as htpasswd -B makes)", key);
		c->users[c->nuser].name = xm_strdup(name);
		c->users[c->nuser++].value = xm_strdup(hash);
	}
	return 0;
}

static int
http_config(struct reading *rd, const yaml_node_t *n, struct webconf *c)
{
	yaml_node_pair_t *p, *end, *h, *hend;
	const yaml_node_t *v;
	const char *key, *s;
	char what[300];
	size_t i;

	if (mapping(rd, n, "http_server_config", &p, &end) == -1)
		return -1;
	for (; p < end; p++) {
		key = key_of(rd, p);
		v = value_of(rd, p);
		if (strcmp(key, "http2") == 0) {
			if ((s = scalar(rd, v, key)) == NULL)
				return -1;
			if (strcmp(s, "false") != 0)
				return bad(rd, v, "http2: %s: not supported: HTTP/1.1 is served "
				    "(http2: false)", s);
			continue;
		}
		if (strcmp(key, "headers") != 0)
			return bad(rd, yaml_document_get_node(rd->doc, p->key),
			    "http_server_config: %s: not supported (headers, http2: false)", key);
		if (mapping(rd, v, key, &h, &hend) == -1)
			return -1;
		c->headers = xm_reallocarray(c->headers, c->nheader + (size_t)(hend - h) + 1,
		    sizeof *c->headers);
		for (; h < hend; h++) {
			key = key_of(rd, h);
			for (i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
				if (strcmp(key, header_names[i]) == 0)
					break;
			if (i == sizeof header_names / sizeof header_names[0])
				return bad(rd, yaml_document_get_node(rd->doc, h->key),
				    "headers: %s: not one a file may set (Content-Security-Policy, "
				    "Strict-Transport-Security, X-Content-Type-Options, "
				    "X-Frame-Options, X-XSS-Protection)", key);
			snprintf(what, sizeof what, "headers: %s", key);
			if ((s = scalar(rd, value_of(rd, h), what)) == NULL)
				return -1;
			if (strcmp(key, "X-Content-Type-Options") == 0 && strcmp(s, "nosniff") != 0)
				return bad(rd, value_of(rd, h), "%s: \"%s\" is not nosniff", what, s);
			if (strcmp(key, "X-Frame-Options") == 0 && strcasecmp(s, "deny") != 0 &&
			    strcasecmp(s, "sameorigin") != 0)
				return bad(rd, value_of(rd, h), "%s: \"%s\" is not deny or sameorigin",
				    what, s);
			c->headers[c->nheader].name = xm_strdup(header_names[i]);
			c->headers[c->nheader++].value = xm_strdup(s);
		}
	}
	return 0;
}

/*
 * Read the web config file at path into c: 0, or -1 with why (the file,
 * the line where there is one, what is wrong) and c as it was.
 */
int
webconf_read(const char *path, struct webconf *c, char *why, size_t size)
{
	struct webconf nc;
	struct reading rd = { path, NULL, why, size };
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_pair_t *p, *end;
	yaml_node_t *root;
	const char *key;
	char *text;
	int rc = 0;

	if ((text = slurp(path, why, size)) == NULL)
		return -1;
	memset(&nc, 0, sizeof nc);
	if (!yaml_parser_initialize(&parser)) {
		free(text);
		return bad(&rd, NULL, "libyaml: no memory");
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(why, size, "%s: line %lu: %s%s%s", path,
		    (unsigned long)parser.problem_mark.line + 1,
		    parser.context != NULL ? parser.context : "",
		    parser.context != NULL ? ", " : "",
		    parser.problem != NULL ? parser.problem : "not YAML");
		yaml_parser_delete(&parser);
		free(text);
		return -1;
	}
	rd.doc = &doc;
	if ((root = yaml_document_get_root_node(&doc)) != NULL &&
	    (rc = mapping(&rd, root, "the file", &p, &end)) == 0) {
		for (; p < end && rc == 0; p++) {
			key = key_of(&rd, p);
			if (strcmp(key, "tls_server_config") == 0)
				rc = tls_config(&rd, yaml_document_get_node(&doc, p->key),
				    value_of(&rd, p), &nc);
			else if (strcmp(key, "basic_auth_users") == 0)
				rc = users(&rd, value_of(&rd, p), &nc);
			else if (strcmp(key, "http_server_config") == 0)
				rc = http_config(&rd, value_of(&rd, p), &nc);
			else
				rc = bad(&rd, yaml_document_get_node(&doc, p->key),
				    "%s: not supported (tls_server_config, basic_auth_users, "
				    "http_server_config)", key);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	if (rc != 0) {
		webconf_free(&nc);
		return -1;
	}
	webconf_free(c);
	*c = nc;
	return 0;
}

static void
pairs_free(struct webconf_pair *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].value);
	}
	free(p);
}

void
webconf_free(struct webconf *c)
{
	if (c->key != NULL)
		explicit_bzero(c->key, strlen(c->key));
	free(c->cert);
	free(c->key);
	free(c->ca);
	free(c->priorities);
	pairs_free(c->users, c->nuser);
	pairs_free(c->headers, c->nheader);
	memset(c, 0, sizeof *c);
}
