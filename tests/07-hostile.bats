# The hostile corpus (tests/hostile/gen) through every reader: one
# "program: line N: reason" per malformed line, at exactly the lines the
# generator made bad; every good record out; the exit status as the
# pages say; no crash, no hang, memory within the documented bounds.
load helpers

setup_file() {
	export H="$BATS_FILE_TMPDIR/h"
	"$BATS_TEST_DIRNAME/hostile/gen" "$H"
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
}

CASES="random nul long values time headers ends labels text"
# The objects of xm-show -o json, as xm-show(1) gives them: true for each.
SCHEMA='(.host | type == "string") and (.metric | type == "string")
	and (.labels | type == "object" and all(.[]; type == "string"))
	and (.ts | type == "number") and (.value | type == "number")
	and (.state | . == null or IN("ok", "info", "warning", "critical", "emergency"))
	and (.alerts | type == "array" and all(.[]; (.alert_id | type == "string" or . == null)
	    and (.rule | type == "string" or . == null) and (.severity | type == "string")
	    and (.since | type == "number" or . == null)))
	and all(to_entries[] | select(.key | IN("host", "metric", "labels", "ts", "value",
	    "state", "alerts") | not) | .value; type | IN("number", "string", "null"))'

MAXRSS="${XM_UNITS:-$BATS_TEST_DIRNAME/../obj/tests}/hostile/maxrss"
# seconds a run may take: a hang past it fails; valgrind is fifty times slower
LIMIT=$([ "${XM_VALGRIND:-0}" = 1 ] && echo 3600 || echo 120)

# Run "$@" on case $1's stream, bounded in time: its status in st, its
# stdout in out, its stderr in err, its peak resident set (kB) in rss.
feed() {
	local c=$1
	shift
	st=0
	timeout "$LIMIT" "$MAXRSS" rss "$@" < "$H/$c.in" > out 2> err || st=$?
	[ "$st" -lt 124 ] || fail "$c: $*: status $st (a crash, or it hung)"
	rss=$(cat rss)
}

# Peak RSS within $1 kB; not under sanitizers or valgrind, which add their own.
rss_within() {
	[ "${XM_NO_RSS:-0}" = 1 ] || [ "${XM_VALGRIND:-0}" = 1 ] || [ "$rss" -le "$1" ] ||
	    fail "$c: $rss kB at the peak, more than $1"
}

# The line numbers program $1 reported as malformed, against those in file $2,
# then its count of them, the only other line.
said_bad() {
	local p=$1 want=$2 n
	sed -n "s/^$p: line \([0-9]*\): .*/\1/p" err > got
	diff -u "$want" got > /dev/null || fail "$c: $p: other lines reported: $(diff "$want" got | head -n 5)"
	n=$(wc -l < "$want")
	if [ "$n" -eq 0 ]; then
		assert_equal "$(grep -v "^$p: line [0-9]*: " err)" ""
	else
		assert_equal "$(grep -v "^$p: line [0-9]*: " err)" "$p: $n record$([ "$n" -eq 1 ] || echo s) skipped"
	fi
}

# The status a run with n malformed lines ends with.
status_for() {
	[ "$1" -eq 0 ] && echo 0 || echo 1
}

@test "hostile: xm-buffer: each malformed or out-of-order line said, every other record out" {
	for c in $CASES; do
		feed "$c" xm-buffer
		sort -n "$H/$c.bad" "$H/$c.older" > want
		said_bad xm-buffer want
		read -r _ records _ series < "$H/$c.count"
		assert_equal "$c $(grep -vc '^#' out)" "$c $((records - $(wc -l < "$H/$c.older")))"
		assert_equal "$c $st" "$c $(status_for "$(wc -l < want)")"
		rss_within 16384
	done
}

@test "hostile: xm-alert: each malformed line said, every record out, --check UNKNOWN on any" {
	for c in $CASES; do
		feed "$c" xm-alert
		said_bad xm-alert "$H/$c.bad"
		read -r _ records _ series < "$H/$c.count"
		assert_equal "$c $(grep -vc '^#' out)" "$c $records"
		assert_equal "$c $st" "$c $(status_for "$(wc -l < "$H/$c.bad")")"
		rss_within 16384
		feed "$c" xm-alert --check
		if [ -s "$H/$c.bad" ]; then
			assert_equal "$c $st $(cut -c 1-10 out)" "$c 3 XM UNKNOWN"
		else
			assert_equal "$c $st $(cut -c 1-5 out)" "$c 0 XM OK"
		fi
		# a Nagios line is read by people: nothing raw in it
		run -1 grep -c -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' out
	done
}

@test "hostile: xm-show: -o tsv and csv have every series, -o prom stays an exposition, --once shows nothing raw" {
	for c in $CASES; do
		read -r _ records _ series < "$H/$c.count"
		# every series, even those the case's far jumps of time leave quiet
		feed "$c" xm-show -o tsv --forget 0
		if [ "$c" = headers ]; then
			# past 4096 distinct headers, one word of it, and their records read bare
			assert_equal "$(grep -c 'distinct headers' err)" 1
			sed -i '/distinct headers/d' err
		fi
		said_bad xm-show "$H/$c.bad"
		assert_equal "$c $(grep -vc '^#' out)" "$c $series"
		assert_equal "$c $st" "$c $(status_for "$(wc -l < "$H/$c.bad")")"
		rss_within 65536
		feed "$c" xm-show -o csv --forget 0
		assert_equal "$c $(($(wc -l < out) - 1))" "$c $series"
		feed "$c" xm-show -o prom
		# names are the stream's own: promtool's opinion of them (status 3) is no parse error (1)
		run promtool check metrics < out
		[ "$status" -ne 1 ] && [[ $output != *'error while linting'* ]] || fail "$c: $output"
		feed "$c" xm-show --once -W 120
		assert_equal "$c $st" "$c $(status_for "$(wc -l < "$H/$c.bad")")"
		run -1 grep -c -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' out
	done
}

@test "hostile: xm-show: -o json, /api/v1/series and -o influx: valid JSON and line protocol, a series an object, a sample a line" {
	for c in $CASES; do
		read -r _ records _ series < "$H/$c.count"
		feed "$c" xm-show -o json --forget 0
		assert_equal "$c $st" "$c $(status_for "$(wc -l < "$H/$c.bad")")"
		run -0 jq -c '[.host, .metric, .labels, .value]' out
		assert_equal "$c $(wc -l <<< "$output")" "$c $series"
		# each object as xm-show(1) gives its schema
		run -0 jq -c "$SCHEMA | select(not)" out
		assert_equal "$c $output" "$c "
		# valid UTF-8 whatever the stream held, no control character raw
		iconv -f UTF-8 -t UTF-8 out > /dev/null || fail "$c: -o json is not UTF-8"
		run -1 grep -c -P '[\x00-\x09\x0b-\x1f\x7f]' out
		mv out json
		# the same objects served, each one the same
		port=$(free_port)
		start_server show xm-show --listen "127.0.0.1:$port" --forget 0 < "$H/$c.in"
		poll 30 eval "curl -sf 'http://127.0.0.1:$port/metrics' |
		    grep -qx 'xm_records_read_total $records'"
		curl -sf -o body "http://127.0.0.1:$port/api/v1/series"
		jq -c '.data[]' body | diff -q - <(jq -c . json) > /dev/null ||
		    fail "$c: /api/v1/series is not -o json's"
		jq -e '.data | length >= 0' < <(curl -sf "http://127.0.0.1:$port/api/v1/alerts") > /dev/null
		stop_servers
		# a line of the line protocol a sample: measurement, tags, one field, a timestamp
		feed "$c" xm-show -o influx --forget 0
		assert_equal "$c $st" "$c $(status_for "$(wc -l < "$H/$c.bad")")"
		iconv -f UTF-8 -t UTF-8 out > /dev/null || fail "$c: -o influx is not UTF-8"
		run -1 grep -vcP '^xm(,(\\[ ,=]|[^ ,=\\]|\\(?=[^ ,=\\]))+=(\\[ ,=]|[^ ,=\\]|\\(?=[^ ,=\\]))+)+ [a-zA-Z_:][a-zA-Z0-9_:]*=-?[0-9.eE+-]+ [0-9]+$' out
	done
}

@test "hostile: on a terminal no program lets a control character through, whatever the stream holds" {
	for p in xm-buffer xm-alert 'xm-show -o tsv' 'xm-show -o prom' 'xm-show -o json' \
	    'xm-show -o influx' 'xm-show --once'; do
		script -q -c "$p < '$H/text.in'" /dev/null > raw
		run -1 grep -c -P '\x1b|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' raw
		# and the records are all there, their bytes but those as they were
		[ "$p" != xm-buffer ] || assert_equal "$(grep -c $'\t50\t' raw)" 13
	done
}

@test "hostile: TSV cut at its TABs gives what libcsv gives: the same records, lines and messages" {
	# the record fuzz target, which holds the reader to libcsv (RECORD_LIBCSV) on
	# input whose first byte is even ("T": TSV), over each whole stream
	for c in $CASES series; do
		{ printf T; cat "$H/$c.in"; } > "$c.fz"
	done
	# and as built without SSE2, eight bytes a word
	for r in replay-record replay-record-portable; do
		run -0 "${XM_FUZZ:-$BATS_TEST_DIRNAME/../obj/fuzz}/$r" $(printf '%s.fz ' $CASES series)
		assert_output "ok - $r: $(($(echo $CASES | wc -w) + 1)) inputs replayed"
	done
}

@test "hostile: a million series: each program keeps --max-series of them, says so once, and stays in bounds" {
	feed series xm-buffer
	assert_equal "$st $(grep -vc '^#' out)" '1 100000'
	assert_equal "$(cat err)" 'xm-buffer: line 100001: more than 100000 series; new ones are dropped
xm-buffer: 900000 records of new series dropped (--max-series 100000)'
	rss_within 131072
	feed series xm-alert
	assert_equal "$st $(grep -vc '^#' out)" '1 1000000'
	assert_equal "$(cat err)" 'xm-alert: line 100001: more than 100000 series; new ones are not checked
xm-alert: 900000 records of new series not checked (--max-series 100000)'
	rss_within 65536
	feed series xm-show -o tsv
	assert_equal "$st $(grep -vc '^#' out)" '1 100000'
	assert_equal "$(cat err)" 'xm-show: line 100001: more than 100000 series; new ones are not shown
xm-show: 900000 records of new series not shown (--max-series 100000)'
	rss_within 524288
	feed series xm-show --max-series 1000 -o prom
	assert_equal "$st $(grep -c '^xm_s[0-9]*{' out)" '1 1000'
	rss_within 16384
}

@test "hostile: xm-sample on garbled /proc and /sys trees: a line for each family it cannot read, the rest sampled" {
	F=$FIX
	for k in $(seq 30); do
		"$BATS_TEST_DIRNAME/hostile/garble" "$F/host-t0" "g$k" "$k"
		for pair in "$F/host-t0 g$k" "g$k $F/host-t1" "g$k g$k"; do
			set -- $pair
			st=0
			timeout 10 xm-sample --procfs "$1/proc" --procfs "$2/proc" --sysfs "$1/sys" \
			    --sysfs "$2/sys" -i 10 -n 1 --start 1764300000 -p 777 -p 4242 -P sshd \
			    > out 2> err || st=$?
			# a family unread is status 1, a process gone no error
			if grep -q -e 'metrics skipped$' -e 'load per CPU skipped$' err; then
				assert_equal "g$k $pair: $st" "g$k $pair: 1"
			else
				assert_equal "g$k $pair: $st" "g$k $pair: 0"
			fi
			# nothing else said (pressure files gone are a kernel without
			# PSI: a notice, no error), and no byte of the files raw
			run -1 grep -v -E '^xm-sample: (.*; [a-z]+ metrics skipped|.*; load per CPU skipped|process [0-9]+ \(.*\) exited|process [0-9]+: no such process|.*: no pressure stall information in this kernel; pressure metrics left out)$' err
			run -1 grep -c -P '[\x00-\x09\x0b-\x1f\x7f]' err
			# what it wrote is a stream every stage reads
			run -0 --separate-stderr xm-buffer -H < out
			assert_equal "$stderr" ""
			assert_equal "$(head -n 1 out)" $'#ts\thost\tmetric\tvalue'
		done
	done
}

# Records of $1 series at xm(7)'s limits, each its own host of 255 bytes and
# metric of 2048; after the value, a column of $2 bytes if $2 is not 0.
at_limits() {
	perl -e 'my ($n, $c) = @ARGV; my $col = $c ? "\t" . "c" x $c : "";
		for my $k (1 .. $n) {
			printf "1764288000\t%s%06d\tm{a=\"%s%06d\"}\t1%s\n", "h" x 249, $k, "x" x 2035, $k, $col;
		}' "$@"
}

@test "hostile: xm-buffer: names at their limits, wide records: memory within what its page says a series holds" {
	at_limits 20000 0 > "$H/limits.in"
	assert_equal "$(head -n 1 "$H/limits.in" | awk -F'\t' '{ print length($2), length($3) }')" '255 2048'
	c=limits
	feed limits xm-buffer
	assert_equal "$st $(grep -vc '^#' out) $(wc -c < err)" '0 20000 0'
	# 3.3 kB a series with a short window (its key 2.3, its host 0.3, its own 0.7), 4 MB besides
	rss_within $((20000 * 33 / 10 + 4096))
	# --every keeps 4096 bytes of a record for a series' line: 4 kB more a series
	at_limits 2000 4000 > "$H/wide.in"
	c=wide
	feed wide xm-buffer --every 1m
	assert_equal "$st $(grep -vc '^#' out) $(wc -c < err)" '0 2000 0'
	rss_within $((2000 * 74 / 10 + 4096))
	# a wider record is refused, and costs nothing kept; --summary keeps the value alone
	at_limits 2000 60000 > "$H/wider.in"
	c=wider
	feed wider xm-buffer --every 1m
	assert_equal "$st $(grep -vc '^#' out)" '1 0'
	assert_equal "$(sort -u err)" "$(printf 'xm-buffer: 2000 records skipped\nxm-buffer: line %s: 60003 bytes from the value on, more than the 4096 a series keeps for its line\n' $(seq 2000) | sort -u)"
	rss_within 4096
	feed wider xm-buffer --summary
	assert_equal "$st $(grep -vc '^#' out) $(wc -c < err)" '0 2000 0'
	rss_within $((2000 * 33 / 10 + 4096))
}

# n series, each of a host of 255 bytes and a metric of 2048 (xm(7)'s
# longest), one record each, into case $2's stream; every $3 of them (if
# given) a round of its own, 10 s on, with a series that goes on throughout.
long_names() {
	awk -v n="$1" -v round="${3:-0}" 'BEGIN {
		h = sprintf("%255s", ""); gsub(/ /, "h", h)
		pad = sprintf("%2007s", ""); gsub(/ /, "a", pad)
		for (i = 0; i < n; i++) {
			t = 1764300000 + (round ? 10 * int(i / round) : 0)
			if (round && i % round == 0)
				printf "%d\t%s\tcpu_usage_percent\t5\n", t, h
			printf "%d\t%s\tprocess_cpu_percent{cmd=\"%s\",pid=\"%07d\"}\t%d\n", t, h, pad, i, i
		}
	}' > "$H/$2.in"
}

@test "hostile: xm-show: names at the limit: each series in 2.8 kB and its name kept once, as the page says" {
	long_names 20000 limit
	[ "$(head -n 1 "$H/limit.in" | cut -f 3 | tr -d '\n' | wc -c)" -eq 2048 ]
	for f in prom tsv; do
		feed limit xm-show -o "$f" -O "limit.$f"
		assert_equal "$f $st $(cat err)" "$f 0 "
		# 2.8 kB a series, and 8 MB for the program and its buffers
		rss_within $((20000 * 28 / 10 + 8192))
	done
	assert_equal "$(grep -c '^xm_process_cpu_percent{' limit.prom)" 20000
	assert_equal "$(grep -vc '^#' limit.tsv)" 20000
}

@test "hostile: xm-show --forget: series that come and go are forgotten, their memory with them" {
	# 20000 processes of 100 a round, each seen once: 700 within the last minute
	long_names 20000 churn 100
	feed churn xm-show -o prom -O churn.prom --forget 60
	assert_equal "$st $(cat err)" "0 "
	assert_equal "$(grep -c '^xm_process_cpu_percent{' churn.prom) $(grep -c '^xm_cpu' churn.prom)" '700 1'
	rss_within $((700 * 28 / 10 + 8192))
	# kept, they would not fit there
	feed churn xm-show -o prom -O churn.prom --forget 0
	assert_equal "$(grep -c '^xm_process_cpu_percent{' churn.prom)" 20000
	[ "$rss" -gt $((700 * 28 / 10 + 8192)) ] || fail "$rss kB with every series kept"
}

# $1 series named at the limits of xm(7): a host of 255 bytes and a
# metric of 2048, each its own, and a column of 1000 bytes.
alert_limits() {
	perl -e '
	    my ($n) = @ARGV;
	    my $pre = q(disk_usage_percent{mountpoint=");
	    print "#ts\thost\tmetric\tvalue\tnote\n";
	    for my $k (1 .. $n) {
		my $post = sprintf(q(%08d"}), $k);
		printf "1764288000\t%s%08d\t%s%s%s\t50\t%s\n", "h" x 247, $k, $pre,
		    "x" x (2048 - length($pre) - length($post)), $post, "y" x 1000;
	    }' "$1"
}

@test "hostile: xm-alert: --max-series bounds the bytes too: names at their limits, every alert active, 7 kB a series" {
	c=long
	alert_limits 20000 > "$H/long.in"
	assert_equal "$(sed -n 2p "$H/long.in" | awk -F'\t' '{ print length($2), length($3) }')" '255 2048'
	# three rules on each series, each alert firing and keeping its record;
	# each alert more shared the key (2.3 kB) and kept the whole record:
	# 11 kB a series, 58 MB for these 5000
	feed long xm-alert --max-series 5000 -H -r '* warn=10' -r 'disk_usage_percent{*} warn=20' \
	    -r 'disk_usage_percent{*} crit=30'
	# a line for each alert's firing: three for each of the first 5000 records
	assert_equal "$st $(wc -l < out) $(cut -f 7 out | sort | uniq -c | tr -s ' ' | tr '\n' ' ')" \
	    '1 30000  15000 -  15000 firing '
	assert_equal "$(cat err)" 'xm-alert: line 5002: more than 5000 series; new ones are not checked
xm-alert: 15000 records of new series not checked (--max-series 5000)'
	rss_within $((5000 * 7 + 4096))
	# one rule, nothing active: 3.1 kB a series
	feed long xm-alert --max-series 5000 -H -r '* warn=100'
	rss_within $((5000 * 31 / 10 + 4096))
}
