/*
 * replay.c: a fuzz target without libFuzzer, for make check: each file
 * named, or each file in each directory named, through the target once.
 * One TAP line for all of them; a property that fails aborts.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static size_t done;

static void
one(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	do {
		if (len == cap && (buf = realloc(buf, cap = cap ? 2 * cap : 4096)) == NULL)
			abort();
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* a copy of exactly its size, so that ASan sees a read past the end */
	uint8_t *exact = malloc(len ? len : 1);
	if (exact == NULL)
		abort();
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	done++;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int
main(int argc, char *argv[])
{
	struct dirent **ents;
	struct stat st;
	char path[4096];
	int i, j, n;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			one(argv[i]);
			continue;
		}
		if ((n = scandir(argv[i], &ents, NULL, by_name)) == -1) {
			perror(argv[i]);
			return 1;
		}
		for (j = 0; j < n; j++) {
			if (ents[j]->d_name[0] != '.') {
				snprintf(path, sizeof path, "%s/%s", argv[i], ents[j]->d_name);
				one(path);
			}
			free(ents[j]);
		}
		free(ents);
	}
	printf("ok - %s: %zu inputs replayed\n", strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0], done);
	return 0;
}
