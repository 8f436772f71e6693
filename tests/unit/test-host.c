/* test-host: time per host, quiet series and hosts, forgetting. */
#include <stdio.h>

#include "host.h"
#include "tap.h"

int
main(void)
{
	struct hosts h;
	struct host *a, *b, *c;
	char name[16];
	int i, n;

	hosts_init(&h);
	a = hosts_see(&h, "a", 1, 1000);
	b = hosts_see(&h, "b", 1, 4e9);		/* ten years and more ahead */
	ok(a->newest == 1000 && b->newest == 4e9 && h.now == 0,
	    "hosts_see: a host's first record sets its clock and moves no time");
	for (i = 1; i <= 5; i++) {
		hosts_see(&h, "a", 1, 1000 + 60 * i);
		hosts_see(&h, "b", 1, 4e9 + 60 * i);
	}
	ok(h.now == 300 && hosts_quiet(&h, a, 1300) == 0 && hosts_quiet(&h, b, 4e9 + 300) == 0,
	    "two hosts years apart: the stream's time is 300 s on, neither host is quiet");
	ok(hosts_quiet(&h, a, 1000) == 300 && hosts_quiet(&h, b, 4e9 + 240) == 60,
	    "hosts_quiet: a series quiet by its own host's clock");
	hosts_see(&h, "a", 1, 1200);
	ok(a->newest == 1300 && h.now == 300, "hosts_see: a record behind its host's newest moves nothing");
	for (i = 6; i <= 10; i++)
		hosts_see(&h, "a", 1, 1000 + 60 * i);
	ok(h.now == 600 && hosts_quiet(&h, b, 4e9 + 300) == 300,
	    "a host that stopped: quiet for as long as another has gone on since");
	c = hosts_see(&h, "c", 1, 50);
	ok(c->progress == 600 && hosts_quiet(&h, c, 50) == 0,
	    "hosts_see: a host that joins late starts at the stream's time, whatever its clock");
	hosts_see(&h, "a", 1, 1660);
	hosts_see(&h, "c", 1, 110);
	ok(h.now == 660 && hosts_quiet(&h, c, 110) == 0 && hosts_quiet(&h, b, 4e9 + 300) == 360,
	    "hosts going on together move the stream's time once, not twice");
	ok(hosts_forget(&h, 300) == 1 && hosts_find(&h, "b", 1) == NULL &&
	    hosts_find(&h, "a", 1) == a && hosts_find(&h, "c", 1) == c,
	    "hosts_forget: the host quiet for longer than the age goes, the others stay");
	hosts_free(&h);

	hosts_init(&h);
	hosts_set(&h, "gone", 4, 500, 1000);
	a = hosts_see(&h, "live", 4, 700);
	hosts_see(&h, "live", 4, 760);
	b = hosts_find(&h, "gone", 4);
	ok(hosts_quiet(&h, b, 500) == 1060 && hosts_quiet(&h, a, 760) == 0,
	    "hosts_set: a host kept quiet in a state file goes on being quiet from there");
	for (i = 0; i < 1000; i++) {
		n = snprintf(name, sizeof name, "h%d", i);
		hosts_set(&h, name, (size_t)n, 0, i);
	}
	ok(hosts_forget(&h, 500) == 500 && h.t.n == 502 && hosts_find(&h, "gone", 4) == NULL,
	    "hosts_forget: every host quiet past the age goes, from a table of many");
	for (i = 0, n = 0; i < 1000; i++) {
		int len = snprintf(name, sizeof name, "h%d", i);
		n += (hosts_find(&h, name, (size_t)len) == NULL) == (i > 500);
	}
	ok(n == 1000, "hosts_forget: each host kept is found, each gone is not");
	hosts_free(&h);

	/* a clock that leaps: an RTC of 2000 set by NTP, then set back an hour */
	hosts_init(&h);
	h.leap = 3600;
	a = hosts_see(&h, "steady", 6, 1000);
	b = hosts_see(&h, "rtc", 3, 946684800);
	hosts_see(&h, "steady", 6, 1010);
	hosts_see(&h, "rtc", 3, 1764288000);
	ok(h.now == 10 && b->newest == 1764288000 && hosts_quiet(&h, a, 1010) == 0 &&
	    hosts_quiet(&h, b, 1764288000) == 0,
	    "hosts_step: a leap forward past the hosts' leap sets the host's clock anew, moving no other");
	ok(hosts_quiet(&h, b, 946684800) > 3600,
	    "hosts_step: the series of the clock left behind are quiet by it");
	hosts_see(&h, "steady", 6, 1020);
	hosts_see(&h, "rtc", 3, 1764288000 - 7200);
	hosts_see(&h, "steady", 6, 1030);
	hosts_see(&h, "rtc", 3, 1764288000 - 7190);
	ok(h.now == 30 && b->newest == 1764288000 - 7190 && hosts_quiet(&h, b, b->newest) == 0,
	    "hosts_step: a clock set back past the leap goes on from there, not quiet");
	hosts_see(&h, "rtc", 3, 1764288000 - 7190 - 1800);
	ok(b->newest == 1764288000 - 7190 && h.now == 30,
	    "hosts_step: a step back within the leap is a late record, nothing more");
	hosts_free(&h);
	return tap_done();
}
