/* test-season: the times of season against figures worked by hand, and a nightly backup. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "season.h"
#include "tap.h"

static int
near(double got, double want, const char *name)
{
	int pass = fabs(got - want) <= 1e-12 * fabs(want);

	if (!ok(pass, "%s", name))
		diag("got %.17g, want %.17g", got, want);
	return pass;
}

static void
shapes(void)
{
	struct season_shape s;

	ok(season_shape_parse(&s, "1d") == 0 && s.period == 86400 && s.n == 96 && s.width == 900,
	    "1d: 96 buckets of 15 minutes");
	ok(season_shape_parse(&s, "7d/1h") == 0 && s.period == 604800 && s.n == 168 &&
	    s.width == 3600, "7d/1h: 168 hours");
	ok(season_shape_parse(&s, "10s/5s") == 0 && s.n == 2, "10s/5s: two buckets");
	ok(season_shape_parse(&s, "1d/7m") == -1, "a width that does not divide the period");
	ok(season_shape_parse(&s, "1d/1s") == -1, "more than 10080 buckets");
	ok(season_shape_parse(&s, "1d/1d") == -1, "one bucket");
	ok(season_shape_parse(&s, "1s") == -1 && season_shape_parse(&s, "x") == -1 &&
	    season_shape_parse(&s, "1d/") == -1 && season_shape_parse(&s, "") == -1,
	    "a period under 2 s, or no duration");
}

/*
 * Seasons of 10 s, two buckets.  Bucket 0 has 1 and 3 in season 0, 5
 * and 7 in season 1.  At season 1 the first season is folded in: weight
 * 2, mean 2, squares 2, one season, no score yet.  At season 2 the
 * second joins, the first weighing 2^(-1/3): weight 2 x 0.7937 + 2 =
 * 3.5874, mean 2 + 4 x 2 / 3.5874 = 4.2300, squares 2 x 0.7937 + 2 +
 * 16 x 1.5874 x 2 / 3.5874 = 17.7472: a 10 is (10 - 4.2300) /
 * sqrt(17.7472 / 3.5874) = 2.5942 deviations above.
 */
static void
by_hand(void)
{
	struct season_shape sh;
	struct season se = { NULL }, gap = { NULL };
	double z;

	season_shape_parse(&sh, "10s/5s");
	ok(isnan(season_step(&se, &sh, 0, 1)) && isnan(season_step(&se, &sh, 1, 3)),
	    "no score in the first season");
	ok(isnan(season_step(&se, &sh, 10, 5)) && se.b[0].seasons == 1 && se.b[0].w == 2 &&
	    se.b[0].mean == 2 && se.b[0].m2 == 2, "one season folded in: 2, 2, 2");
	ok(isnan(season_step(&se, &sh, 11, 7)) && isnan(season_step(&se, &sh, 16, 7)),
	    "no score after one season; bucket 1 apart");
	z = season_step(&se, &sh, 24.99, 10);
	near(se.b[0].w, 3.5874010519681994, "two seasons: weight");
	near(se.b[0].mean, 4.2300266639022315, "two seasons: mean");
	near(se.b[0].m2, 17.74718774075035, "two seasons: squares");
	near(z, 2.594173388911149, "10 against them: 2.594");
	ok(se.b[0].n == 1 && se.b[0].cmean == 10 && se.b[1].at == 1, "the sample taken in, after");
	/* the same with season 2 missed: every weight down by 2^(-1/3), the score the same */
	season_step(&gap, &sh, 0, 1);
	season_step(&gap, &sh, 1, 3);
	season_step(&gap, &sh, 10, 5);
	season_step(&gap, &sh, 11, 7);
	z = season_step(&gap, &sh, 30, 10);
	near(gap.b[0].w, 2.8473221018630728, "a season missed: weight");
	near(z, 2.59417338891115, "a season missed: the same score");
	season_free(&se);
	season_free(&gap);
	ok(se.b == NULL, "freed");
}

/*
 * A day a minute at a time, load 1 but 8 from 02:00 to 02:30 every
 * night: after two nights the backup scores low, the same 8 at noon
 * high; a constant series scores 0.
 */
static void
backup(void)
{
	struct season_shape sh;
	struct season se = { NULL }, flat = { NULL };
	double t, v, z, worst = 0, noon = 0;
	int day;

	season_shape_parse(&sh, "1d");
	for (day = 0; day < 4; day++) {
		for (t = day * 86400.0; t < (day + 1) * 86400.0; t += 60) {
			v = fmod(t, 86400) >= 7200 && fmod(t, 86400) < 9000 ? 8 : 1;
			v += (double)tap_rand(1000) / 10000;
			if (day == 3 && fmod(t, 86400) == 43200)
				v = 8;
			z = season_step(&se, &sh, t, v);
			if (day < 2 && !isnan(z))
				worst = 1e9;
			if (day == 3 && fmod(t, 86400) >= 7200 && fmod(t, 86400) < 9000 &&
			    fabs(z) > worst)
				worst = fabs(z);
			if (day == 3 && fmod(t, 86400) == 43200)
				noon = z;
			season_step(&flat, &sh, t, 5);
		}
	}
	ok(worst < 4, "the nightly backup: at most %.2f deviations on the fourth night", worst);
	ok(noon > 100, "8 at noon: %.0f deviations", noon);
	ok(season_step(&flat, &sh, 4 * 86400.0, 5) == 0, "a constant series: 0");
	ok(isnan(season_step(&flat, &sh, 1e300, 5)) && flat.b[0].n == 1,
	    "a time past 2^53 s: no score, not taken");
	ok(isnan(season_step(&flat, &sh, 4 * 86400.0 + 1, 1e101)) && flat.b[0].n == 1 &&
	    isnan(season_step(&flat, &sh, 4 * 86400.0 + 1, NAN)) && flat.b[0].n == 1,
	    "a value past 1e100: no score, not taken");
	/* 181 days on (more than 60 half-lives), the old days weigh nothing: it starts again */
	ok(isnan(season_step(&flat, &sh, 185 * 86400.0, 7)) && flat.b[0].seasons == 1 &&
	    flat.b[0].w == 1 && flat.b[0].mean == 5, "after 181 seasons: only the last one");
	season_free(&se);
	season_free(&flat);
}

int
main(void)
{
	shapes();
	by_hand();
	backup();
	return tap_done();
}
