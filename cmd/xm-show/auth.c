/*
 * auth.c: basic authentication for --listen, as the web config file's
 * basic_auth_users give it: a user's password checked against its bcrypt
 * hash by crypt(3) (libxcrypt verifies $2a$, $2b$ and $2y$).
 *
 * A bcrypt check costs tens of milliseconds, by design, so a thread of
 * its own makes it, with crypt_rn (libxcrypt's; the sanitizers' crypt_r
 * finds no crypt_r of libxcrypt's to call): the stream, the screen and
 * the other clients go on meanwhile, and the connection that asked
 * waits, suspended, for its answer.  A password once verified is kept
 * as an HMAC under a key of this run, not as itself, so that a scrape
 * every 15 s costs one check a run; it is compared in constant time,
 * and so are hashes.  A user that is not there is checked against a
 * decoy of the users' highest cost, so that its answer takes as long as
 * the slowest user's.
 *
 * An address that has failed more than AUTH_FREE times (failures
 * AUTH_FORGET seconds apart start again) is slowed: for a second after
 * its failure past AUTH_FREE, then 2, 4, up to AUTH_SLOWEST, its requests
 * are not checked but refused (AUTH_LATER, 429 with Retry-After), so that
 * it guesses no faster than that; they are not held, which would take
 * the places of other clients.  Nor are more than AUTH_PENDING of its
 * checks waiting at once.  IPv6 addresses count by their /64, as one
 * host's.
 */
#include <sys/eventfd.h>
#include <sys/random.h>

#include <netinet/in.h>

#include <crypt.h>
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/crypto.h>

#include "auth.h"
#include "xm.h"

#define AUTH_FREE	5	/* failures of an address answered without delay */
#define AUTH_FORGET	600	/* seconds after which an address's failures are forgotten */
#define AUTH_SLOWEST	8	/* seconds between two checks of an address at most */
#define AUTH_ADDRS	256	/* addresses whose failures are kept; the oldest goes */
#define AUTH_PENDING	4	/* checks of an address waiting at once */
#define MAC_LEN		32	/* HMAC-SHA-256 */
#define HASH_LEN	60

/*
 * Salt and hash of no one's password: with the users' highest cost in
 * front, a user not in the file is checked as long as the slowest one.
 */
static const char nobody[] = "xBmRZzLAi50uH.pvFv1yb.z/nkjdCq3YCWBzaJ825j8LuWTvBldiS";

struct strikes {
	unsigned char addr[17];	/* 4 or 6, then the address or its /64; 0: unused */
	unsigned fails;
	double	 last;		/* the last failure */
	double	 next;		/* its requests are refused unchecked until then */
};

struct job {
	void	*tag;		/* the connection; NULL once it went */
	char	 hash[HASH_LEN + 1];
	char	*pass;
	int	 user;		/* -1: no such user */
	unsigned gen;		/* of the users it was asked under */
	unsigned char mac[MAC_LEN];
	int	 mac_ok;	/* the HMAC was made: the password may be kept */
	unsigned char addr[17];
	int	 ok;
	struct job *next;
};

struct user {
	char	*name;
	char	 hash[HASH_LEN + 1];
	int	 cached;
	unsigned char mac[MAC_LEN];
};

struct auth {
	struct user *users;
	size_t	 nuser;
	unsigned gen;
	char	 decoy[HASH_LEN + 1];	/* the hash a user not in the file is checked against */
	unsigned char key[MAC_LEN];
	struct strikes strikes[AUTH_ADDRS];
	int	 efd;		/* the worker says a check is done */
	int	 started;
	pthread_t thread;
	/* under mu: */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *todo, *busy, *done;	/* to check, being checked, checked */
	int	 stop;
};

/* Whether a and b, n bytes, are the same, in a time that does not tell where they differ. */
static int
same_bytes(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

static void
job_free(struct job *j)
{
	if (j->pass != NULL) {
		explicit_bzero(j->pass, strlen(j->pass));
		free(j->pass);
	}
	free(j);
}

static void
jobs_free(struct job *j)
{
	struct job *next;

	for (; j != NULL; j = next) {
		next = j->next;
		job_free(j);
	}
}

static void *
worker(void *arg)
{
	struct auth *a = arg;
	struct crypt_data *cd = xm_malloc(sizeof *cd);
	struct job *j;
	const char *out;
	uint64_t one = 1;
	sigset_t all;

	/* the main thread takes the signals; a fault is still this thread's */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	sigdelset(&all, SIGABRT);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (!a->stop && a->todo == NULL)
			pthread_cond_wait(&a->cv, &a->mu);
		if (a->stop)
			break;
		j = a->todo;
		a->todo = j->next;
		a->busy = j;
		pthread_mutex_unlock(&a->mu);
		memset(cd, 0, sizeof *cd);
		out = crypt_rn(j->pass, j->hash, cd, (int)sizeof *cd);
		j->ok = j->user >= 0 && out != NULL && strlen(out) == HASH_LEN &&
		    same_bytes(out, j->hash, HASH_LEN);
		explicit_bzero(cd, sizeof *cd);
		pthread_mutex_lock(&a->mu);
		a->busy = NULL;
		j->next = a->done;
		a->done = j;
		while (write(a->efd, &one, sizeof one) == -1 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&a->mu);
	free(cd);
	return NULL;
}

struct auth *
auth_new(void)
{
	struct auth *a = xm_calloc(1, sizeof *a);

	if (getrandom(a->key, sizeof a->key, 0) != (ssize_t)sizeof a->key)
		err(XM_EXIT_FAIL, "getrandom");
	if ((a->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1)
		err(XM_EXIT_FAIL, "eventfd");
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	return a;
}

static void
users_free(struct auth *a)
{
	size_t i;

	if (a->users == NULL)
		return;
	for (i = 0; i < a->nuser; i++)
		free(a->users[i].name);
	explicit_bzero(a->users, a->nuser * sizeof *a->users);
	free(a->users);
	a->users = NULL;
	a->nuser = 0;
}

/* The users and their hashes (webconf checked them to be bcrypt's); what was kept goes. */
void
auth_users(struct auth *a, const struct webconf_pair *u, size_t n)
{
	char cost[3] = "10";
	size_t i;

	users_free(a);
	a->gen++;
	a->users = xm_calloc(n + 1, sizeof *a->users);
	for (i = 0; i < n; i++) {
		a->users[i].name = xm_strdup(u[i].name);
		snprintf(a->users[i].hash, sizeof a->users[i].hash, "%s", u[i].value);
		if (i == 0 || memcmp(u[i].value + 4, cost, 2) > 0)
			memcpy(cost, u[i].value + 4, 2);
	}
	a->nuser = n;
	snprintf(a->decoy, sizeof a->decoy, "$2b$%s$%s", cost, nobody);
}

/* Whether requests must authenticate. */
int
auth_on(const struct auth *a)
{
	return a != NULL && a->nuser > 0;
}

int
auth_fd(const struct auth *a)
{
	return a->efd;
}

static void
addr_key(const struct sockaddr *sa, unsigned char k[17])
{
	const struct in6_addr *in6;

	memset(k, 0, 17);
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		k[0] = 4;
		memcpy(k + 1, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		in6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(in6)) {
			k[0] = 4;
			memcpy(k + 1, in6->s6_addr + 12, 4);
		} else {
			k[0] = 6;
			memcpy(k + 1, in6->s6_addr, 8);
		}
	}
}

/* The strikes of addr; with make, a place for them, the oldest's if need be; else NULL. */
static struct strikes *
strikes_of(struct auth *a, const unsigned char addr[17], int make, double now)
{
	struct strikes *s, *free_one = NULL, *oldest = NULL;

	if (addr[0] == 0)
		return NULL;
	for (s = a->strikes; s < a->strikes + AUTH_ADDRS; s++) {
		if (s->addr[0] != 0 && now - s->last > AUTH_FORGET)
			memset(s, 0, sizeof *s);
		if (s->addr[0] != 0 && memcmp(s->addr, addr, 17) == 0)
			return s;
		if (s->addr[0] == 0 && free_one == NULL)
			free_one = s;
		if (s->addr[0] != 0 && (oldest == NULL || s->last < oldest->last))
			oldest = s;
	}
	if (!make)
		return NULL;
	s = free_one != NULL ? free_one : oldest;
	memset(s, 0, sizeof *s);
	memcpy(s->addr, addr, 17);
	return s;
}

/* Seconds an address with fails failures is refused unchecked: 0, then 1, 2, 4, 8. */
static double
spacing(unsigned fails)
{
	if (fails <= AUTH_FREE)
		return 0;
	if (fails - AUTH_FREE - 1 >= 3)
		return AUTH_SLOWEST;
	return (double)(1u << (fails - AUTH_FREE - 1));
}

/* Checks of addr waiting or being made. */
static size_t
pending(const struct auth *a, const unsigned char addr[17])
{
	const struct job *j;
	size_t n = 0;

	for (j = a->todo; j != NULL; j = j->next)
		n += memcmp(j->addr, addr, 17) == 0;
	if (a->busy != NULL && memcmp(a->busy->addr, addr, 17) == 0)
		n++;
	return n;
}

/*
 * user with pass, from the address sa, for the connection tag: AUTH_OK
 * where the password was verified before; AUTH_LATER, unchecked, and in
 * *after the seconds to wait, for an address slowed or with checks
 * enough waiting; else AUTH_WAIT, and the answer comes to auth_run's
 * caller.
 */
int
auth_check(struct auth *a, const char *user, const char *pass, const struct sockaddr *sa,
    void *tag, double *after)
{
	struct strikes *s;
	struct job *j, **p;
	double now = xm_monotonic();
	size_t i, n;
	int u = -1;

	for (i = 0; i < a->nuser; i++)
		if (strcmp(a->users[i].name, user) == 0)
			u = (int)i;
	j = xm_calloc(1, sizeof *j);
	j->mac_ok = gnutls_hmac_fast(GNUTLS_MAC_SHA256, a->key, sizeof a->key, pass,
	    strlen(pass), j->mac) == 0;
	if (u >= 0 && j->mac_ok && a->users[u].cached &&
	    same_bytes(j->mac, a->users[u].mac, MAC_LEN)) {
		job_free(j);
		return AUTH_OK;
	}
	addr_key(sa, j->addr);
	if ((s = strikes_of(a, j->addr, 0, now)) != NULL && s->next > now) {
		*after = s->next - now;
		job_free(j);
		return AUTH_LATER;
	}
	pthread_mutex_lock(&a->mu);
	n = pending(a, j->addr);
	pthread_mutex_unlock(&a->mu);
	if (j->addr[0] != 0 && n >= AUTH_PENDING) {
		*after = 1;
		job_free(j);
		return AUTH_LATER;
	}
	j->tag = tag;
	j->user = u;
	j->gen = a->gen;
	j->pass = xm_strdup(pass);
	snprintf(j->hash, sizeof j->hash, "%s", u >= 0 ? a->users[u].hash : a->decoy);
	if (!a->started) {
		if ((errno = pthread_create(&a->thread, NULL, worker, a)) != 0)
			err(XM_EXIT_FAIL, "--web-config: pthread_create");
		a->started = 1;
	}
	pthread_mutex_lock(&a->mu);
	for (p = &a->todo; *p != NULL; p = &(*p)->next)
		;
	*p = j;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
	return AUTH_WAIT;
}

/* What a finished check tells: the password kept, or the address's failure counted. */
static void
settle(struct auth *a, const struct job *j, double now)
{
	struct strikes *s;

	if (j->ok) {
		if (j->gen == a->gen && j->mac_ok) {
			a->users[j->user].cached = 1;
			memcpy(a->users[j->user].mac, j->mac, MAC_LEN);
		}
		if ((s = strikes_of(a, j->addr, 0, now)) != NULL)
			memset(s, 0, sizeof *s);
		return;
	}
	if ((s = strikes_of(a, j->addr, 1, now)) == NULL)
		return;
	s->fails++;
	s->last = now;
	s->next = now + spacing(s->fails);
}

/* Answer the checks done, through answer(arg, tag, ok). */
void
auth_run(struct auth *a, auth_answer_fn *answer, void *arg)
{
	struct job *done, *j;
	double now = xm_monotonic();
	uint64_t n;

	if (read(a->efd, &n, sizeof n) == -1 && errno != EAGAIN)
		warn("--web-config: eventfd");
	pthread_mutex_lock(&a->mu);
	done = a->done;
	a->done = NULL;
	pthread_mutex_unlock(&a->mu);
	for (; done != NULL; done = j) {
		j = done->next;
		settle(a, done, now);
		if (done->tag != NULL)
			answer(arg, done->tag, done->ok && done->gen == a->gen);
		job_free(done);
	}
}

/*
 * The connection tag went: its check waiting is dropped, and one being
 * made or made answers no one.
 */
void
auth_forget(struct auth *a, void *tag)
{
	struct job *j, **p;

	pthread_mutex_lock(&a->mu);
	for (p = &a->todo; (j = *p) != NULL; ) {
		if (j->tag == tag) {
			*p = j->next;
			job_free(j);
			continue;
		}
		p = &j->next;
	}
	if (a->busy != NULL && a->busy->tag == tag)
		a->busy->tag = NULL;
	for (j = a->done; j != NULL; j = j->next)
		if (j->tag == tag)
			j->tag = NULL;
	pthread_mutex_unlock(&a->mu);
}

void
auth_free(struct auth *a)
{
	if (a == NULL)
		return;
	if (a->started) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_signal(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->thread, NULL);
	}
	jobs_free(a->todo);
	jobs_free(a->done);
	users_free(a);
	explicit_bzero(a->key, sizeof a->key);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	close(a->efd);
	free(a);
}
