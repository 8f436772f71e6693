/*
 * webconf.h: the web configuration file of --web-config, as Prometheus's
 * exporter-toolkit reads it: TLS, client certificates, basic-auth users.
 */
#ifndef WEBCONF_H
#define WEBCONF_H

#include <stddef.h>

/* client_auth_type: the three a certificate is verified in */
enum { CLIENT_NONE, CLIENT_VERIFY_IF_GIVEN, CLIENT_REQUIRE_AND_VERIFY };

struct webconf_pair {
	char	*name, *value;
};

struct webconf {
	int	 tls;		/* tls_server_config given */
	char	*cert, *key, *ca;	/* PEM text; ca NULL without client_ca_file */
	int	 client_auth;
	char	*priorities;	/* GnuTLS's, of min_version and max_version */
	struct webconf_pair *users;	/* basic_auth_users: name and bcrypt hash */
	size_t	 nuser;
	struct webconf_pair *headers;	/* http_server_config.headers */
	size_t	 nheader;
};

int	 webconf_read(const char *, struct webconf *, char *, size_t);
void	 webconf_free(struct webconf *);

#endif
