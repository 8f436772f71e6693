# The documents run as written: their live awk examples deliver each line
# as it comes under Debian's awk (mawk), and compare numbers, never the
# header.  A substitution, where one is made, is said beside it.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# The one command of document $1 that holds the text $2.
doc_command() {
	doc_commands "$BATS_TEST_DIRNAME/../$1" | grep -F -- "$2" > found || true
	[ "$(wc -l < found)" -eq 1 ] || fail "$1: $(wc -l < found) commands hold: $2"
	cat found
}

# The awk program of command $1: its last quoted word.
awk_program() {
	sed "s/.*'\([^']*\)'\$/\1/" <<< "$1"
}

# Command $1 run in a process group of its own, its output into out; a
# line of it polled for, for at most $2 seconds; the group stopped.  A
# reader that held its input in blocks would give nothing so soon: the
# producers of these commands never end.
delivers_within() {
	local i
	setsid bash -c "$1" > out 2> err &
	pid=$!
	for i in $(seq $(($2 * 10))); do
		[ -s out ] && break
		sleep 0.1
	done
	kill -TERM -- -"$pid" 2> /dev/null
	wait "$pid" 2> /dev/null || true
	[ -s out ] || fail "no line within $2 s from: $1 ($(head -c 300 err))"
}

@test "docs: README's filesystems past 80%, every five seconds: each line as it comes" {
	cmd=$(doc_command README.md "xm-sample -i 5 -m disk")
	[[ $cmd == *"mawk -W interactive"* ]]
	# this machine's disks may be below 80%: every disk passes here
	delivers_within "${cmd/\$4 > 80/\$4 >= 0}" 10
	assert_equal "$(grep -c -v $'^[0-9.]\\+ disk_usage_percent{mountpoint="[^"]*"} [0-9.e+-]\\+$' out)" 0
	# and the program compares numbers: 9.5 is not past 80, 100 is
	printf '1\th\tdisk_usage_percent{mountpoint="/"}\t9.5\n1\th\tdisk_usage_percent{mountpoint="/a"}\t100\n#ts\thost\tmetric\tvalue\n' |
	    mawk -F'\t' "$(awk_program "$cmd")" > got
	assert_equal "$(cat got)" '1 disk_usage_percent{mountpoint="/a"} 100'
}

@test "docs: README's series that stand out: as they come, no header, numbers compared" {
	cmd=$(doc_command README.md "xm-buffer -H --columns mean,max,trend,zscore")
	# any z-score passes here, so that a line comes at once
	delivers_within "${cmd/\$8 > 3 || \$8 < -3/\$8 > -1e300}" 10
	assert_equal "$(grep -c '^#' out)" 0
	# the program: past 3 either way, as numbers ("10" < "3" as strings)
	printf '1\th\tm\t5\t5\t5\tstable\t%s\n' 10 2 -4 -2.5 > in
	assert_equal "$(mawk -F'\t' "$(awk_program "$cmd")" in | cut -f8 | tr '\n' ' ')" '10 -4 '
}

@test "docs: README's disks full within four hours: as they come, no header, '-' and numbers apart" {
	cmd=$(doc_command README.md "xm-buffer -H -w 1h --forecast 1h --columns eta_seconds")
	# a set every half second, not every minute, and every line passes here
	cmd=${cmd/-i 60/-i 0.5}
	delivers_within "${cmd/\$5 != \"-\" && \$5 < 14400/1}" 10
	assert_equal "$(grep -c '^#' out)" 0
	printf '1\th\tm\t50\t%s\t60\n' - 600 20000 100000 9999 > in
	assert_equal "$(mawk -F'\t' "$(awk_program "$cmd")" in | cut -f5 | tr '\n' ' ')" '600 9999 '
}

@test "docs: xm(7)'s load average, one number a line: each as it comes" {
	cmd=$(doc_command man/xm.7 "-m load | mawk -W interactive")
	# for ever, not three sets: a reader that waited for the end would show nothing
	delivers_within "${cmd/-n 3 /}" 10
	assert_equal "$(grep -c -v '^[0-9.]\+$' out)" 0
}

@test "docs: xm(7)'s own metrics from a log: each request's line as it is written" {
	cmd=$(doc_command man/xm.7 "tail -F access.log")
	: > access.log
	setsid bash -c "$cmd" > out 2> err &
	pid=$!
	# the log grows a line; its record must follow within a few seconds
	for i in $(seq 50); do
		echo '127.0.0.1 - - "GET / HTTP/1.1" 200 512 0.25' >> access.log
		[ -s out ] && break
		sleep 0.1
	done
	kill -TERM -- -"$pid" 2> /dev/null
	wait "$pid" 2> /dev/null || true
	[ -s out ] || fail "no record within 5 s ($(cat err))"
	assert_regex "$(head -n 1 out)" $'^[0-9]+\t[^\t]+\tresponse_time_seconds\t0.25$'
	# and it is a stream xm reads
	head -n 1 out | xm-alert -H -r 'response_time_seconds warn=0.1' > alerted
	assert_equal "$(cut -f5,6 alerted)" $'warning\tfiring'
}

@test "docs: cron lines that append to a file write no header each run" {
	for doc in README.md man/xm-alert.1 man/xm-buffer.1 man/xm-sample.1 man/xm.7; do
		doc_commands "$BATS_TEST_DIRNAME/../$doc" | grep '>> ' | while IFS= read -r c; do
			# the last stage before >> writes with -H, or is no xm program
			last=${c%%>>*}
			last=${last##*|}
			case $last in
			*xm-*' -H'* | *xm-*' -'[a-zA-Z]*H*) ;;
			*xm-*) fail "$doc: a header every run: $c" ;;
			esac
		done
	done
}
