# Faults: a kill -9 at any moment of a run that saves state, a full
# disk, a read-only or vanished directory, a state file that is not one,
# runs racing for one state file, callbacks that misbehave.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# A directory for runs by the hundred: on tmpfs where there is one, as
# fsync costs a disk tens of milliseconds a save, and a kill -9 is the
# same to rename(2) on any filesystem.
fast_dir() {
	if [ -d /dev/shm ] && [ -w /dev/shm ]; then
		FAST=$(mktemp -d /dev/shm/xm-faults.XXXXXX)
	else
		FAST=$BATS_TEST_TMPDIR/fast
		mkdir "$FAST"
	fi
	cd "$FAST"
}

teardown() {
	[ -z "${FAST:-}" ] || [ "$FAST" = "$BATS_TEST_TMPDIR/fast" ] || rm -rf "$FAST"
}

KILLAT="${XM_UNITS:-$BATS_TEST_DIRNAME/../obj/tests}/faults/killat"
# make stress runs the full thousand; make check a few hundred
LOOPS=${XM_STRESS:-200}
# under valgrind, a few: its point there is memory, not timing
[ "${XM_VALGRIND:-0}" != 1 ] || LOOPS=20

# 500 series, three samples each, from second $1 on.
samples() {
	awk -v t="$1" 'BEGIN { for (k = 0; k < 3; k++) for (i = 0; i < 500; i++)
	    printf "%d\th\ts%d\t%d\n", t + k, i, (i * 7 + k * 13 + t) % 1000 }'
}

# kill -9 program "$@" (given --state S and its input in "in") at a
# random moment of its run, LOOPS times, each time with later samples,
# and on (up to five times as many) until a kill has landed in a save,
# whose share of a run is small and varies with the build and the load:
# after each, S is the state before the run or the one the whole run
# saves (W), never a broken one, and never set aside.
kill_loop() {
	local i=0 t0 t1 span at killed=0 tmp=0
	fast_dir
	while [ "$i" -lt "$LOOPS" ] ||
	    { [ "$tmp" -eq 0 ] && [ "${XM_VALGRIND:-0}" != 1 ] && [ "$i" -lt $((LOOPS * 5)) ]; }; do
		i=$((i + 1))
		samples $((1764288000 + i * 10)) > in
		[ -e S ] && cp S S.prev || rm -f S.prev
		[ -e S ] && cp S W || rm -f W
		t0=${EPOCHREALTIME/./}
		"$@" --state W < in > /dev/null 2> err
		t1=${EPOCHREALTIME/./}
		[ ! -s err ] || fail "run $i: $(cat err)"
		# anywhere in the run, its last part the more often: the save is there
		span=$((t1 - t0 + 1))
		at=$(((RANDOM << 15 | RANDOM) % span))
		[ $((RANDOM % 3)) -eq 0 ] || at=$((span * 6 / 10 + at * 4 / 10))
		"$KILLAT" "$at" "$@" --state S < in > /dev/null 2>&1 && killed=$((killed + 1))
		[ -e S.tmp ] && tmp=$((tmp + 1))
		if [ -e S.prev ] && cmp -s S S.prev; then
			:
		elif [ -e S ] && cmp -s S W; then
			:
		elif [ ! -e S ] && [ ! -e S.prev ]; then
			:
		else
			fail "run $i, killed at ${at}us: the state is neither the one before nor the one after"
		fi
	done
	run ls
	refute_output --partial .bad
	echo "# $i runs, $killed killed, $tmp of them while writing the state" >&3
	[ "${XM_VALGRIND:-0}" = 1 ] || { [ "$killed" -gt 0 ] && [ "$tmp" -gt 0 ]; } ||
	    fail "no kill landed in a save: the test proved nothing"
}

@test "faults: xm-buffer killed -9 at any moment: the next run finds the old state or the new, never a broken one" {
	kill_loop xm-buffer -s 8
}

@test "faults: xm-alert killed -9 at any moment: the next run finds the old state or the new, never a broken one" {
	kill_loop xm-alert -r 's* warn=500 crit=900'
}

# Run "$@" in a mount namespace of its own, as root there, with a tmpfs
# of $1 kB on ./mnt: a full or read-only disk of the test's own.
in_tmpfs() {
	local kb=$1
	shift
	mkdir -p mnt
	unshare -rm sh -c 'mount -t tmpfs -o size="$0"k tmpfs mnt && exec "$@"' "$kb" "$@"
}

@test "faults: a full disk: stdout's error said, the state's too, the old state kept, nothing left behind" {
	printf '1\th\tm\t1\n2\th\tm\t2\n' > in
	run -1 --separate-stderr sh -c "xm-buffer < in > /dev/full"
	assert_equal "$stderr" 'xm-buffer: stdout: No space left on device'
	run -1 --separate-stderr sh -c "xm-alert -r 'm warn=1' < in > /dev/full"
	assert_equal "$stderr" 'xm-alert: stdout: No space left on device'
	run -1 --separate-stderr sh -c "xm-show -o tsv < in > /dev/full"
	assert_equal "$stderr" 'xm-show: stdout: No space left on device'
	# the state on a disk that fills: a small state saved, then one too big to be
	samples 1764288000 > big
	for p in 'xm-buffer' 'xm-alert -r *\ warn=500'; do
		run -0 --separate-stderr in_tmpfs 16 sh -c "$p --state mnt/S < in > /dev/null &&
		    cp mnt/S small && $p --state mnt/S < big > /dev/null; echo \$? > st; cmp small mnt/S && ls mnt"
		assert_equal "$(cat st) $output" '1 S
S.lock'
		assert_equal "$stderr" "${p%% *}: mnt/S.tmp: No space left on device"
	done
}

@test "faults: a read-only or vanished directory, a directory or a symlink for the state: a clear error, nothing changed" {
	printf '1\th\tm\t1\n' > in
	for p in xm-buffer xm-alert; do
		run -0 --separate-stderr in_tmpfs 16 sh -c "$p --state mnt/S < in > /dev/null && cp mnt/S before &&
		    mount -o remount,ro mnt && $p --state mnt/S < in > /dev/null; echo \$? > st; cmp before mnt/S"
		assert_equal "$(cat st)" 1
		assert_equal "$stderr" "$p: mnt/S.lock: Read-only file system"
		run -1 --separate-stderr "$p" --state gone/S < in
		assert_equal "$stderr" "$p: gone: no such directory, for the state file gone/S"
		touch plain
		run -1 --separate-stderr "$p" --state plain/S < in
		assert_equal "$stderr" "$p: plain: not a directory, for the state file plain/S"
		assert_equal "$output" ''
		rm -rf D D.lock && mkdir D && touch D/keep
		run -1 --separate-stderr "$p" --state D < in
		assert_equal "$stderr" "$p: D: a directory, not a state file: not read, not written"
		assert_equal "$(ls D)" keep
		echo theirs > elsewhere
		rm -f L L.lock && ln -s elsewhere L
		run -1 --separate-stderr "$p" --state L < in
		assert_equal "$stderr" "$p: L: a symbolic link, not a state file: not read, not written"
		assert_equal "$(readlink L) $(cat elsewhere)" 'elsewhere theirs'
		# the directory taken away while the run reads: its save fails, it says so
		mkdir -p v
		mkfifo v/in
		"$p" --state v/S < v/in > /dev/null 2> err &
		pid=$!
		exec 8> v/in
		poll 10 test -e v/S.lock
		rm -rf v
		exec 8>&-
		reap "$pid" 1
		assert_equal "$(cat err)" "$p: v/S.tmp: No such file or directory"
	done
}

@test "faults: two runs racing for one state file take turns: both runs' series are in it" {
	for p in xm-buffer xm-alert; do
		opts=()
		[ "$p" = xm-buffer ] || opts=(-r '* warn=1')
		rm -f S S.lock
		mkfifo a.in
		"$p" "${opts[@]}" --state S < a.in > a.out 2> a.err &
		a=$!
		exec 8> a.in
		poll 10 test -e S.lock
		# b waits its turn while a reads
		printf '5\th\tb\t3\n' | "$p" "${opts[@]}" --state S > b.out 2> b.err 8>&- &
		b=$!
		printf '1\th\ta\t2\n' >&8
		sleep 0.2
		kill -0 "$b" || fail "$p: b did not wait for a"
		exec 8>&-
		reap "$a" 0
		reap "$b" 0
		assert_equal "$(cat a.err b.err)" ''
		# each series once, each run's record kept
		run -0 --separate-stderr "$p" "${opts[@]}" --state S <<< $'9\th\ta\t2\n9\th\tb\t3'
		assert_equal "$(grep -v '^#' <<< "$output" | cut -f 2,3,5 | sort)" "$([ "$p" = xm-buffer ] &&
		    printf 'h\ta\t2\nh\tb\t2' || printf 'h\ta\twarning\nh\tb\twarning')"
		rm -f a.in
	done
}

@test "faults: callbacks that hang with children, flood, or are missing: the stream goes on, each failure one line" {
	printf '1\th\tm\t90\n2\th\tm\t10\n3\th\tm\t90\n' > in
	# three alerts, whose notifications run at once (an alert's wait for its
	# first to be delivered, which is tried again 10 s later, and the end
	# does not wait for that)
	printf '1\th\tm%d\t90\n' 1 2 3 > in3
	# the callback and the children it leaves waiting: the timeout kills the group
	run -1 --separate-stderr timeout 60 xm-alert -H -r 'm* warn=50' --exec-timeout 1 \
	    -x 'sleep 300 & echo $! > child.$XM_METRIC; sleep 300' < in3
	assert_equal "$(cut -f 6 <<< "$output" | tr '\n' ' ')" 'firing firing firing '
	assert_equal "$(sed 's/ [0-9a-f]\{16\}:/ ID:/' <<< "$stderr" | sort)" 'xm-alert: -x "sleep 300 & echo $! > child.$XM_METRIC; sleep 300": firing ID: killed after 1s; trying again in 10s
xm-alert: -x "sleep 300 & echo $! > child.$XM_METRIC; sleep 300": firing ID: killed after 1s; trying again in 10s
xm-alert: -x "sleep 300 & echo $! > child.$XM_METRIC; sleep 300": firing ID: killed after 1s; trying again in 10s
xm-alert: 3 notifications not delivered: no --state to keep them for a later run'
	for f in child.m1 child.m2 child.m3; do
		# gone, or a zombie on its way to being reaped by init
		poll 10 eval "! kill -0 $(cat "$f") 2> /dev/null || grep -q '^[0-9]* ([^)]*) Z' /proc/$(cat "$f")/stat"
	done
	# one that floods its output, which is xm-alert's standard error
	run -0 --separate-stderr timeout 60 xm-alert -H -r 'm warn=50' -x 'yes flood | head -c 2000000' < in
	assert_equal "$(cut -f 6 <<< "$output" | tr '\n' ' ')" 'firing resolved firing '
	assert_equal "${#stderr}" 6000000
	# one that is not there: the shell's word, and ours, for each event
	run -1 --separate-stderr timeout 60 xm-alert -H -r 'm* warn=50' -x '/nonexistent/notify' < in3
	assert_equal "$(cut -f 6 <<< "$output" | tr '\n' ' ')" 'firing firing firing '
	assert_equal "$(grep -c '^xm-alert: -x "/nonexistent/notify": [a-z]* [0-9a-f]*: exit status 127; trying again in 10s$' <<< "$stderr")" 3
}

@test "faults: xm-sample: what vanishes between two reads stops its series quietly; network filesystems are never asked" {
	cp -r "$FIX/host-t0" t0
	cp -r "$FIX/host-t1" t1
	# between the reads: an interface gone, a disk gone, a filesystem unmounted, a process exited
	sed -i '/wlan0/d' t1/proc/net/dev
	sed -i '/ nvme0n1 /d' t1/proc/diskstats
	mkdir -p nfs
	# and mounts over the network, at a directory statvfs would answer for at once
	for t in t0 t1; do
		printf 'srv:/export %s nfs4 rw 0 0\n//srv/share %s cifs rw 0 0\n' "$PWD/nfs" "$PWD/nfs" >> "$t/proc/mounts"
	done
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc --sysfs t0/sys --sysfs t1/sys \
	    -i 10 -n 1 --start 1764300000 -p 777
	assert_equal "$stderr" 'xm-sample: process 777 (sleeper) exited'
	sampled=$output
	# eth0's 4 byte series, its 6 packet, error and drop rates, the
	# errors' 2 shares of packets and 4 totals
	assert_equal "$(grep -c 'eth0' <<< "$sampled")" 16
	run -1 grep -e 'device="wlan0"' -e 'device="nvme0n1"' \
	    -e "$PWD/nfs" <<< "$sampled"
}

# --- the state's lock and the files written ----------------------------------

# Hold S.lock as anyone may who can open it: shared, a descriptor open for
# reading, by flock(1) (its pid in $holder), until "kill $(cat holder.pid)".
hold_lock() {
	flock -s S.lock -c 'echo $$ > holder.pid; exec sleep 60' 3>&- &
	holder=$!
	poll 10 eval '[ -s holder.pid ] && ! flock -n S.lock true'
}

let_go() {
	kill "$(cat holder.pid)"
	wait "$holder" || :
	rm -f holder.pid
}

@test "faults: a state lock held elsewhere: --wait bounds the wait and names the holder, status 1; a signal still ends the wait" {
	printf '1\th\tm\t1\n' > in
	for p in xm-buffer xm-alert; do
		rm -f S S.lock
		run -0 --separate-stderr "$p" --state S < in
		hold_lock
		t0=${EPOCHREALTIME/./}
		run -1 --separate-stderr timeout 30 "$p" --state S --wait 1 < in
		t1=${EPOCHREALTIME/./}
		assert_equal "$stderr" "$p: S: still locked by pid $holder (flock) after --wait 1s: not read, not saved"
		assert_equal "$output" ''
		[ $((t1 - t0)) -ge 1000000 ] && [ $((t1 - t0)) -lt 10000000 ] ||
		    fail "$p: gave up after $((t1 - t0))us, not 1s"
		# a fraction of a second, as a duration; 0 does not wait at all
		run -1 --separate-stderr timeout 30 "$p" --state S --wait 300ms < in
		assert_equal "$stderr" "$p: S: still locked by pid $holder (flock) after --wait 0.3s: not read, not saved"
		run -1 --separate-stderr timeout 30 "$p" --state S --wait 0 < in
		assert_equal "$stderr" "$p: S: in use by another run; try again when it ends"
		# waiting as by default, told to go: at once, nothing said, status 0 as ever
		"$p" --state S < in > out 2> err &
		pid=$!
		poll 10 grep -q "^[0-9]*: -> FLOCK *ADVISORY *WRITE $pid " /proc/locks
		kill -TERM "$pid"
		reap "$pid" 0
		assert_equal "$(cat out err)" ''
		# let go, the run waiting goes on: its turn
		"$p" --state S --wait 30 < in > out 2> err &
		pid=$!
		poll 10 grep -q "^[0-9]*: -> FLOCK *ADVISORY *WRITE $pid " /proc/locks
		let_go
		reap "$pid" 0
		assert_equal "$(cat err)" ''
	done
	run -2 --separate-stderr xm-buffer --wait x
	assert_equal "${stderr%%$'\n'*}" 'xm-buffer: --wait: "x": not a duration of at most 1e9 seconds'
	run -2 --separate-stderr xm-alert --wait -1
	assert_equal "${stderr%%$'\n'*}" 'xm-alert: --wait: "-1": not a duration of at most 1e9 seconds'
}

@test "faults: the lock file is its owner's alone: made 0600, a wider one narrowed, one not a plain file of ours refused" {
	printf '1\th\tm\t1\n' > in
	for p in xm-buffer xm-alert; do
		rm -f S S.lock
		(umask 000 && "$p" --state S < in > /dev/null)
		assert_equal "$(stat -c %a S.lock)" 600
		chmod 666 S.lock
		run -0 --separate-stderr "$p" --state S < in
		assert_equal "$(stat -c %a S.lock)" 600
		# a hard link: a lock of one name would be a lock of another's too
		ln S.lock other
		run -1 --separate-stderr "$p" --state S < in
		assert_equal "$stderr" "$p: S.lock: a file with other names (hard links): not taken as the lock of S"
		assert_equal "$output" ''
		rm other
	done
}

@test "faults: another user cannot hold the lock, and a lock file of another user's is not taken" {
	[ "$(id -u)" -eq 0 ] || skip "needs root, to be another user"
	fast_dir
	chmod 711 "$FAST"
	printf '1\th\tm\t1\n' > in
	for p in xm-buffer xm-alert; do
		rm -f S S.lock
		run -0 --separate-stderr "$p" --state S < in
		# nobody: flock needs the file open for reading only, which 0600 does not grant
		run -66 --separate-stderr setpriv --reuid 65534 --regid 65534 --clear-groups flock -n -s S.lock true
		assert_equal "$stderr" 'flock: cannot open lock file S.lock: Permission denied'
		# one planted by another user, where others may write: refused, said
		chown 65534 S.lock
		run -1 --separate-stderr "$p" --state S < in
		assert_equal "$stderr" "$p: S.lock: owned by uid 65534, not by this user: not taken as the lock of S"
		assert_equal "$output" ''
	done
}

@test "faults: state files and -O's file are created as the umask says" {
	printf '1\th\tm\t1\n' > in
	for mask in 077 022 027; do
		rm -f B B.lock A A.lock out.prom
		(umask "$mask" && xm-buffer --state B < in > /dev/null && xm-alert --state A < in > /dev/null &&
		    xm-show -o prom -O out.prom < in)
		assert_equal "$mask: $(stat -c '%a %n' B B.lock A A.lock out.prom | tr '\n' ' ')" \
		    "$mask: $(printf '%o' $((0666 & ~8#$mask))) B 600 B.lock $(printf '%o' $((0666 & ~8#$mask))) A 600 A.lock $(printf '%o' $((0666 & ~8#$mask))) out.prom "
		# and again over the files there
		(umask "$mask" && xm-buffer --state B < in > /dev/null && xm-show -o prom -O out.prom < in)
		assert_equal "$(stat -c %a B out.prom | tr '\n' ' ')" "$(printf '%o' $((0666 & ~8#$mask))) $(printf '%o' $((0666 & ~8#$mask))) "
	done
}

# whole FILE: xm-show -O's file of the series m0..m19999 ends with its last line, every line as written
whole() {
	[ -z "$(tail -c 1 "$1")" ] || fail "run $i: $1 cut short"
	run -1 grep -vE '^(# (HELP|TYPE) xm_m[0-9]+ .*|xm_m([0-9]+)\{host="h"\} \3)$' "$1"
}

@test "faults: xm-show -O killed -9 at any moment: nothing left beside the file but, killed between naming and renaming, a whole FILE.tmp the next run takes; the file whole" {
	local i n=20 litter=0
	[ "${XM_VALGRIND:-0}" != 1 ] || n=3
	for i in $(seq "$n"); do
		# written every 0.1 s, 20000 series each time, killed at a moment from 0.3 to 0.6 s
		awk 'BEGIN { for (t = 1764288000; ; t++) for (i = 0; i < 20000; i++)
		    printf "%d\th\tm%d\t%d\n", t, i, i }' |
		    "$KILLAT" $((300000 + RANDOM % 300000)) xm-show -o prom -O out.prom -r 0.1 || :
		# killed between naming the whole file and renaming it over the old
		# one (two calls): that name, the file whole, and the next run takes it
		if [ "$(ls)" = "$(printf 'out.prom\nout.prom.tmp')" ]; then
			whole out.prom.tmp
			printf '1\th\tm\t1\n' | xm-show -o prom -O out.prom
			assert_equal "$(ls)" out.prom
			rm out.prom
			continue
		fi
		[ -z "$(ls | grep -vx out.prom)" ] || litter=$((litter + 1))
		rm -f out.prom.*
		[ -e out.prom ] || continue
		whole out.prom
	done
	assert_equal "litter after $litter of $n kills" "litter after 0 of $n kills"
}
