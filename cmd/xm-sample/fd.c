/*
 * fd.c: the kernel's file handles, /proc/sys/fs/file-nr: allocated, free
 * and the most there may be (fs.file-max).  Since Linux 2.6 free is
 * always 0, so allocated is the count in use (proc(5)).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample.h"
#include "xm.h"

struct fd {
	struct pfile f;
};

static void *
fd_open(struct sampler *s)
{
	struct fd *fd = xm_calloc(1, sizeof *fd);

	(void)s;
	pfile_init(&fd->f, ROOT_PROC, "sys/fs/file-nr");
	fd->f.brief = 1;
	return fd;
}

static void
fd_sample(void *st, struct sampler *s)
{
	struct fd *fd = st;
	unsigned long long alloc, nfree, max, used;
	const char *p, *end;

	if (pfile_read(&s->src, &fd->f) == -1) {
		sampler_fail(s, FAM_FD, &fd->f, strerror(errno));
		return;
	}
	end = fd->f.buf + fd->f.len;
	if ((p = sample_parse_u64(fd->f.buf, end, &alloc)) == NULL ||
	    (p = sample_parse_u64(p, end, &nfree)) == NULL ||
	    sample_parse_u64(p, end, &max) == NULL || max == 0) {
		sampler_fail(s, FAM_FD, &fd->f, "not three counts");
		return;
	}
	if (!s->report)
		return;
	used = nfree < alloc ? alloc - nfree : 0;
	sampler_put_u64(s, "file_handles_used", used);
	sampler_put_u64(s, "file_handles_max", max);
	sampler_put(s, "file_handles_usage_percent", 100.0 * (double)used / (double)max);
}

static void
fd_close(void *st)
{
	struct fd *fd = st;

	pfile_free(&fd->f);
	free(fd);
}

const struct module fd_module = {
	FAM_BIT(FAM_FD), fd_open, fd_sample, fd_close
};
