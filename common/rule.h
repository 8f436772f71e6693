/* rule.h: what xm-alert checks: which series, which column, which ranges. */
#ifndef RULE_H
#define RULE_H

#include <stddef.h>

#include "range.h"

/* Severities, in order; a rule has a range for any of the levels above ok. */
enum severity { SEV_OK, SEV_INFO, SEV_WARNING, SEV_CRITICAL, SEV_EMERGENCY, SEV_N };

struct rule {
	char	*text;		/* as written, for --rules and XM_RULE */
	char	*metric;	/* glob over the whole metric column */
	char	*host;		/* glob over the host, or NULL for any */
	char	*field;		/* the column tested */
	struct range level[SEV_N];	/* [SEV_INFO] .. [SEV_EMERGENCY] */
	char	*level_text[SEV_N];	/* each as written; NULL where none */
	unsigned long for_n;	/* consecutive samples before a rise */
	double	 for_s;		/* or seconds of them; 0: count */
	double	 hysteresis;
	double	 repeat;	/* seconds; 0: never */
	int	 literal;	/* metric has no glob characters */
};

extern const char *const severity_names[SEV_N];
extern const char *const rule_defaults[];

int	 rule_parse(struct rule *, const char *, char *, size_t);
char	*rule_line(char *, size_t);
void	 rule_free(struct rule *);
int	 rule_matches(const struct rule *, const char *, const char *);
int	 rule_severity(const struct rule *, double);
int	 severity_parse(const char *);

#endif
