/* fuzz.h: what the fuzz targets share; each is a libFuzzer entry point. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

void	 fuzz_fail(const char *, ...) __attribute__((noreturn, format(printf, 1, 2)));
void	 fuzz_quiet(void);
char	*fuzz_str(const uint8_t *, size_t);
int	 fuzz_fd(const uint8_t *, size_t);

typedef const char *(*fuzz_load_save)(void *, const uint8_t *, size_t, char **, size_t *);
void	 fuzz_round_trip(const uint8_t *, size_t, fuzz_load_save, void *);

#endif
