/* pressure.h: pressure stall information, the system's and a cgroup's. */
#ifndef PRESSURE_H
#define PRESSURE_H

#include "sample.h"

enum { PSI_CPU_SOME, PSI_CPU_FULL, PSI_MEM_SOME, PSI_MEM_FULL, PSI_IO_SOME,
	PSI_IO_FULL, PSI_N };

/* The cpu, memory and io files of one place, and their last totals. */
struct psi {
	struct pfile f[3];
	const char *const *names;	/* PSI_N metric names; NULL: not reported */
	enum family fam;
	int	 quiet_enoent;	/* a missing file is no kernel without PSI */
	int	 off;		/* no PSI here: read no more */
	unsigned found;		/* bits of PSI_N in the last read */
	unsigned long long prev[PSI_N];
};

void	 psi_init(struct psi *, enum root, const char *const [3],
	    const char *const *, enum family);
void	 psi_sample(struct psi *, struct sampler *);
void	 psi_free(struct psi *);

#endif
