# xm: small programs that watch a machine's performance, the Unix way.
# GNU make.  CFLAGS, LDFLAGS, PREFIX, MANPREFIX and DESTDIR are yours;
# the project's own flags are added on top of them, never instead.

VERSION   = 0.1.0
PREFIX    = /usr/local
MANPREFIX = $(PREFIX)/share/man
SYSTEMDUNITDIR = $(PREFIX)/lib/systemd/system
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
CC        = cc
CFLAGS    = -O2 -g
LDFLAGS   =
XMCFLAGS  = -std=c11 -Wall -Wextra -D_GNU_SOURCE -DXM_VERSION=\"$(VERSION)\" \
            -Icommon -MMD -MP $(CFLAGS)
LDLIBS    = -lcsv -lm
CURSES_LIBS = -lncursesw -ltinfo
HTTP_LIBS = -lmicrohttpd -lgnutls -lyaml -lcrypt -lz -pthread
# Link only the libraries a program calls: xm-sample keeps clear of libm.
XMLDFLAGS = -Wl,--as-needed $(LDFLAGS)

# Build output: objects under O, programs under BIN.
O   = obj
BIN = bin

PROGS  = xm-sample xm-buffer xm-alert xm-show
SCRIPTS = xm-dashboard xm-exporter xm-notify-alertmanager xm-notify-mail xm-notify-syslog \
	  xm-notify-webhook xm-push
PAGES1  = $(PROGS) xm-push xm-exporter xm-dashboard xm-notify
# the notifiers' names, each a link to xm-notify.1
NOTIFY_LINKS = xm-notify-syslog xm-notify-mail xm-notify-alertmanager xm-notify-webhook
# the names completed, each a link to bash's completion file, xm
COMPLETED = $(PROGS) $(SCRIPTS) $(NOTIFY_LINKS)
SYSTEMD_UNITS = xm-exporter.service xm-check.service xm-check.timer
COMMON = host metric num option order range record ring rule season series sig state stats table tail text xm
SAMPLE = main sample src dev cpu mem disk io net load proc pid top cgroup synth \
	 pressure vm fd procs tcp sensors tape save carry
BUFFER = main buffer run save
ALERT  = main alert callback check run save
SHOW   = main auth board history http json live output page panels run view wake webconf widgets
UNITS  = test-host test-num test-metric test-order test-range test-record test-ring test-season test-stats test-state test-table test-tail
FUZZ   = record num metric range rule buffer-state alert-state sample-state web-config

COMMON_OBJ = $(COMMON:%=$(O)/common/%.o)
SAMPLE_OBJ = $(SAMPLE:%=$(O)/cmd/xm-sample/%.o)
BUFFER_OBJ = $(BUFFER:%=$(O)/cmd/xm-buffer/%.o)
ALERT_OBJ = $(ALERT:%=$(O)/cmd/xm-alert/%.o)
SHOW_OBJ = $(SHOW:%=$(O)/cmd/xm-show/%.o)
UNIT_BIN   = $(UNITS:%=$(O)/tests/%)
# The programs' own modules, for the fuzz targets of their state files.
BUFFER_LIB = $(filter-out $(O)/cmd/xm-buffer/main.o,$(BUFFER_OBJ))
ALERT_LIB  = $(filter-out $(O)/cmd/xm-alert/main.o,$(ALERT_OBJ))
SAMPLE_LIB = $(filter-out $(O)/cmd/xm-sample/main.o,$(SAMPLE_OBJ))

all: $(PROGS:%=$(BIN)/%)

$(O)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(XMCFLAGS) -c -o $@ $<

$(O)/libxm.a: $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $(COMMON_OBJ)

$(BIN)/xm-sample: $(SAMPLE_OBJ) $(O)/libxm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $(SAMPLE_OBJ) $(O)/libxm.a $(LDLIBS)

$(BIN)/xm-buffer: $(BUFFER_OBJ) $(O)/libxm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $(BUFFER_OBJ) $(O)/libxm.a $(LDLIBS)

$(BIN)/xm-alert: $(ALERT_OBJ) $(O)/libxm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $(ALERT_OBJ) $(O)/libxm.a $(LDLIBS)

$(BIN)/xm-show: $(SHOW_OBJ) $(O)/libxm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $(SHOW_OBJ) $(O)/libxm.a $(CURSES_LIBS) $(HTTP_LIBS) $(LDLIBS)

$(O)/tests/%: $(O)/tests/unit/%.o $(O)/tests/unit/tap.o $(O)/libxm.a
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $< $(O)/tests/unit/tap.o $(O)/libxm.a $(LDLIBS)

units: $(UNIT_BIN) $(O)/tests/hostile/maxrss $(O)/tests/faults/killat

# Helpers of the bats tests: peak memory of a run, a kill at a moment.
$(O)/tests/hostile/maxrss $(O)/tests/faults/killat: $(O)/tests/%: $(O)/tests/%.o
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $<

# Fuzz targets (tests/fuzz): replay-* run the corpus once, with any
# compiler, in make check; fuzz-* are libFuzzer's, built by make fuzz.
$(O)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(XMCFLAGS) -Icmd/xm-buffer -Icmd/xm-alert -Icmd/xm-sample -Icmd/xm-show -c -o $@ $<

$(O)/fuzz/replay-%: $(O)/tests/fuzz/fuzz-%.o $(O)/tests/fuzz/fuzz.o $(O)/tests/fuzz/replay.o $(O)/libxm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $(filter %.o,$^) $(O)/libxm.a $(LDLIBS)

$(O)/fuzz/fuzz-%: $(O)/tests/fuzz/fuzz-%.o $(O)/tests/fuzz/fuzz.o $(O)/libxm.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(XMLDFLAGS) -o $@ $(filter %.o,$^) $(O)/libxm.a $(LDLIBS)

# The reader as a machine without SSE2 builds it (eight bytes a word),
# held to libcsv by the same replays as the one built here.
$(O)/portable/record.o: common/record.c
	@mkdir -p $(@D)
	$(CC) $(XMCFLAGS) -U__SSE2__ -c -o $@ common/record.c

$(O)/fuzz/replay-record-portable: $(O)/tests/fuzz/fuzz-record.o $(O)/tests/fuzz/fuzz.o $(O)/tests/fuzz/replay.o $(O)/portable/record.o $(O)/libxm.a
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $(filter %.o,$^) $(O)/libxm.a $(LDLIBS)

$(O)/fuzz/replay-buffer-state $(O)/fuzz/fuzz-buffer-state: $(BUFFER_LIB)
$(O)/fuzz/replay-alert-state $(O)/fuzz/fuzz-alert-state: $(ALERT_LIB)
$(O)/fuzz/replay-sample-state $(O)/fuzz/fuzz-sample-state: $(SAMPLE_LIB)
$(O)/fuzz/replay-web-config $(O)/fuzz/fuzz-web-config: $(O)/cmd/xm-show/webconf.o
$(O)/fuzz/replay-web-config $(O)/fuzz/fuzz-web-config: LDLIBS += -lyaml -lgnutls

replays: $(FUZZ:%=$(O)/fuzz/replay-%) $(O)/fuzz/replay-record-portable
fuzzers: $(FUZZ:%=$(O)/fuzz/fuzz-%)

# `make run` and `make check` install what is missing first (README).
deps:
	@scripts/install-deps build
deps-check:
	@scripts/install-deps check
deps-bench:
	@scripts/install-deps bench
deps-fuzz:
	@scripts/install-deps fuzz

# The main job: the dashboard of this machine (RUN_ARGS=--demo: made-up data).
RUN_ARGS =
run: deps
	@$(MAKE) --no-print-directory all
	scripts/xm-dashboard $(RUN_ARGS)

check: deps-check
	@$(MAKE) --no-print-directory all units replays
	@XM_BIN=$(abspath $(BIN)) XM_UNITS=$(abspath $(O)/tests) XM_FUZZ=$(abspath $(O)/fuzz) \
	    XM_GATE_CFLAGS='$(CFLAGS)' tests/run

# Instructions a record of each stage against tests/bench/baseline.tsv
# (callgrind; in make check too, but for sanitized or valgrind builds).
bench-check: deps-check
	@$(MAKE) --no-print-directory all
	@XM_BIN=$(abspath $(BIN)) XM_GATE_CFLAGS='$(CFLAGS)' tests/bench/gate

# Not in check: the kill -9 loops a thousand times each, and a soak of
# SOAK_RECORDS records (tests/soak/run) with its figures.
stress: deps-check
	@$(MAKE) --no-print-directory all units
	@XM_STRESS=1000 XM_BIN=$(abspath $(BIN)) XM_UNITS=$(abspath $(O)/tests) \
	    bats --tap -f 'killed -9' tests/08-faults.bats
SOAK_RECORDS = 100000000
SOAK_SERIES = 10000
soak: deps-check
	@$(MAKE) --no-print-directory all
	@XM_BIN=$(abspath $(BIN)) tests/soak/run $(SOAK_RECORDS) $(SOAK_SERIES)

# libFuzzer on each target for FUZZ_SECONDS, from the corpus in tests/fuzz;
# what it finds new goes to obj/libfuzzer/corpus, a crash to obj/libfuzzer/crash-*.
FUZZ_SECONDS = 60
FUZZ_CC = clang
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
fuzz: deps-fuzz
	@$(MAKE) --no-print-directory O=obj/libfuzzer CC=$(FUZZ_CC) \
	    CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" LDFLAGS="$(FUZZ_FLAGS)" fuzzers
	@tests/fuzz/run obj/libfuzzer $(FUZZ_SECONDS) $(FUZZ)

# The whole suite again under AddressSanitizer and UBSan, built apart.
SANFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
           -fno-sanitize-recover=all
sanitize: deps-check
	@XM_NO_RSS=1 XM_NO_GATE=1 $(MAKE) --no-print-directory O=obj/san BIN=obj/san/bin \
	    CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)" check

# The whole suite with every program under valgrind memcheck.
valgrind: deps-check
	@scripts/install-deps valgrind
	@$(MAKE) --no-print-directory all units
	@$(MAKE) --no-print-directory replays
	@XM_VALGRIND=1 XM_BIN=$(abspath $(BIN)) XM_UNITS=$(abspath $(O)/tests) XM_FUZZ=$(abspath $(O)/fuzz) tests/run

BENCH_BIN = floor samplefloor rusage csvfloor latency

# BENCHMARKS.md, regenerated whole; XM_BENCH_RECORDS, XM_BENCH_RUNS to vary.
bench: deps-bench
	@$(MAKE) --no-print-directory all $(BENCH_BIN:%=$(O)/bench/%)
	@XM_BIN=$(abspath $(BIN)) XM_BENCH=$(abspath $(O)/bench) CFLAGS='$(CFLAGS)' \
	    tests/bench/run > BENCHMARKS.md.tmp
	@mv BENCHMARKS.md.tmp BENCHMARKS.md
	@echo "make bench: BENCHMARKS.md written"

# Not in check or CI: xm-sample beside sar, iostat and node_exporter on
# this machine under a bounded load (tests/fidelity/run, about 40 s); the
# table of each figure and its relative difference on stdout.
fidelity:
	@scripts/install-deps fidelity
	@$(MAKE) --no-print-directory all
	@XM_BIN=$(abspath $(BIN)) tests/fidelity/run

$(O)/bench/%: $(O)/tests/bench/%.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(XMLDFLAGS) -o $@ $< $(LDLIBS)

# The Debian package xm_VERSION_ARCH.deb, in DEBDIR: built with Debian's
# hardening flags apart from the usual build, staged, packed (scripts/mkdeb).
DEBDIR = .
deb: deps
	@scripts/install-deps deb
	@export DEB_BUILD_MAINT_OPTIONS=hardening=+all; $(MAKE) --no-print-directory O=$(O)/deb \
	    BIN=$(O)/deb/bin CFLAGS="$$(dpkg-buildflags --get CFLAGS) $$(dpkg-buildflags --get CPPFLAGS)" \
	    LDFLAGS="$$(dpkg-buildflags --get LDFLAGS)" all
	@scripts/mkdeb $(VERSION) $(O)/deb/bin $(DEBDIR)

# The systemd units name the programs where they are installed.
# install-files installs what is built, building nothing (the tests'
# installs, of whichever build they test).
install: all
	@$(MAKE) --no-print-directory install-files

install-files:
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(MANPREFIX)/man7 $(DESTDIR)$(SYSTEMDUNITDIR)
	cp -f $(PROGS:%=$(BIN)/%) $(SCRIPTS:%=scripts/%) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(PAGES1:%=man/%.1) $(DESTDIR)$(MANPREFIX)/man1/
	cp -f man/xm.7 $(DESTDIR)$(MANPREFIX)/man7/
	for n in $(NOTIFY_LINKS); do ln -sf xm-notify.1 $(DESTDIR)$(MANPREFIX)/man1/$$n.1; done
	mkdir -p $(DESTDIR)$(PREFIX)/share/xm
	cp -f scripts/grafana-xm.json $(DESTDIR)$(PREFIX)/share/xm/
	mkdir -p $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	cp -f scripts/completion/xm.bash $(DESTDIR)$(BASHCOMPDIR)/xm
	for n in $(sort $(COMPLETED)); do ln -sf xm $(DESTDIR)$(BASHCOMPDIR)/$$n; done
	cp -f scripts/completion/_xm $(DESTDIR)$(ZSHCOMPDIR)/_xm
	for u in $(SYSTEMD_UNITS); do \
	    if [ -f scripts/systemd/$$u.in ]; then \
	        sed 's|@BINDIR@|$(PREFIX)/bin|g' scripts/systemd/$$u.in > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; \
	    else cp -f scripts/systemd/$$u $(DESTDIR)$(SYSTEMDUNITDIR)/; fi; \
	    chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(PREFIX)/bin/%) $(SCRIPTS:%=$(DESTDIR)$(PREFIX)/bin/%) \
	    $(PAGES1:%=$(DESTDIR)$(MANPREFIX)/man1/%.1) $(NOTIFY_LINKS:%=$(DESTDIR)$(MANPREFIX)/man1/%.1) \
	    $(DESTDIR)$(MANPREFIX)/man7/xm.7 $(SYSTEMD_UNITS:%=$(DESTDIR)$(SYSTEMDUNITDIR)/%) \
	    $(DESTDIR)$(BASHCOMPDIR)/xm $(COMPLETED:%=$(DESTDIR)$(BASHCOMPDIR)/%) \
	    $(DESTDIR)$(ZSHCOMPDIR)/_xm $(DESTDIR)$(PREFIX)/share/xm/grafana-xm.json
	-rmdir $(DESTDIR)$(PREFIX)/share/xm

clean:
	rm -rf $(O) $(BIN)

.PHONY: all units replays fuzzers deps deps-check deps-bench deps-fuzz run check \
        sanitize valgrind fuzz stress soak bench bench-check fidelity deb install install-files uninstall clean
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)
