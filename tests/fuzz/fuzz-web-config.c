/*
 * fuzz-web-config: the web config file of xm-show --web-config, as a
 * file in a directory of its own.  A file refused is refused with a
 * reason naming it, and leaves the settings as they were; one taken
 * holds only what the reader lets through: bcrypt hashes of 60
 * characters, the headers a file may set, TLS with its certificate, key
 * and priorities, a client CA only with a verifying client_auth_type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "webconf.h"

static const char *const header_names[] = {
	"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
	"X-Frame-Options", "X-XSS-Protection",
};

static char dir[] = "/tmp/fuzz-web-config.XXXXXX";
static char path[sizeof dir + 16];

static void
clean(void)
{
	unlink(path);
	rmdir(dir);
}

static void
check(const struct webconf *c, const char *text)
{
	size_t i, k;

	for (i = 0; i < c->nuser; i++)
		if (strlen(c->users[i].value) != 60 || c->users[i].value[0] != '$' ||
		    c->users[i].name[0] == '\0' || strchr(c->users[i].name, ':') != NULL)
			fuzz_fail("user \"%s\" taken with \"%s\" from: %s", c->users[i].name,
			    c->users[i].value, text);
	for (i = 0; i < c->nheader; i++) {
		for (k = 0; k < sizeof header_names / sizeof header_names[0]; k++)
			if (strcmp(c->headers[i].name, header_names[k]) == 0)
				break;
		if (k == sizeof header_names / sizeof header_names[0] ||
		    strpbrk(c->headers[i].value, "\r\n") != NULL)
			fuzz_fail("header \"%s\" taken from: %s", c->headers[i].name, text);
	}
	if (c->tls && (c->cert == NULL || c->key == NULL || c->priorities == NULL))
		fuzz_fail("TLS without its certificate, key or priorities from: %s", text);
	if (!c->tls && (c->cert != NULL || c->key != NULL || c->ca != NULL))
		fuzz_fail("a certificate without TLS from: %s", text);
	if ((c->client_auth == CLIENT_NONE) != (c->ca == NULL))
		fuzz_fail("client CAs %s a verifying client_auth_type from: %s",
		    c->ca == NULL ? "missing for" : "without", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct webconf c, zero;
	char why[1024], *text;
	FILE *f;

	fuzz_quiet();
	if (path[0] == '\0') {
		if (mkdtemp(dir) == NULL)
			abort();
		snprintf(path, sizeof path, "%s/web.yml", dir);
		atexit(clean);
	}
	if ((f = fopen(path, "w")) == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	text = fuzz_str(data, size);
	memset(&c, 0, sizeof c);
	memset(&zero, 0, sizeof zero);
	why[0] = '\0';
	if (webconf_read(path, &c, why, sizeof why) != 0) {
		if (strncmp(why, path, strlen(path)) != 0)
			fuzz_fail("refused without naming the file: \"%s\", from: %s", why, text);
		if (memcmp(&c, &zero, sizeof c) != 0)
			fuzz_fail("refused, but the settings changed, from: %s", text);
	} else {
		check(&c, text);
		webconf_free(&c);
	}
	free(text);
	return 0;
}
