# The xm stream format (xm(7)), as the programs write it.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# Each line of the file in $1 must be a header or a record as xm(7) has it.
conforms() {
	awk -F'\t' '
		NR == 1 { if ($0 != "#ts\thost\tmetric\tvalue") { print "line 1: no header: " $0; bad = 1 }; next }
		NF != 4 { print "line " NR ": " NF " fields"; bad = 1 }
		$1 !~ /^[0-9]+(\.[0-9]+)?$/ { print "line " NR ": ts " $1; bad = 1 }
		$2 == "" { print "line " NR ": empty host"; bad = 1 }
		$3 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\[\\"n])*")*\})?$/ {
			print "line " NR ": metric " $3; bad = 1 }
		$4 !~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/ { print "line " NR ": value " $4; bad = 1 }
		# no padding, no needless zeros, at most 10 significant digits
		$4 ~ /^-?0[0-9]/ || $4 ~ /\.[0-9]*0$/ || $4 ~ /\.[0-9]*0e/ { print "line " NR ": padded " $4; bad = 1 }
		$4 ~ /\./ { m = $4; sub(/e.*/, "", m); gsub(/[-.]/, "", m); sub(/^0+/, "", m)
			if (length(m) > 10) { print "line " NR ": digits " $4; bad = 1 } }
		END { exit bad }' "$1"
}

@test "format: xm-sample's live records are what xm(7) says" {
	timeout 5 xm-sample -i 0.1 -n 3 --per-cpu > out
	run -0 conforms out
}

@test "format: synthetic records too, over an hour" {
	xm-sample --synthetic --seed 5 --start 1764300000 -n 3600 --per-cpu > out
	run -0 conforms out
}

@test "format: the fixture records too, with escaped labels" {
	snap --per-cpu -p 4242 -P nginx > out 2>/dev/null
	run -0 conforms out
}

@test "format: integers are written in full, fractions with 10 digits" {
	run -0 --separate-stderr snap -m memory,cgroup -H
	assert_line --index 0 '1764300010	web1	memory_total_bytes	16384000000'
	assert_line --index 6 '1764300010	web1	cgroup_memory_usage_percent	46.56612873'
}

@test "format: the xm(7) EXAMPLES run" {
	run_man_examples xm.7
}

# The programs that read a stream, each as its own message names it.
READERS="xm-buffer xm-alert xm-show"

@test "format: a label name twice, or one starting with __, is malformed in every program; -o prom stays valid" {
	printf '1\th\tqueue_length{a="1"}\t1\n1\th\tqueue_length{a="1",a="2"}\t2\n1\th\ttemperature_celsius{__name__="x"}\t3\n1\th\tload1\t4\n' > in
	for p in $READERS; do
		run -1 --separate-stderr "$p" < in
		assert_equal "$stderr" "$p: line 2: metric \"queue_length{a=\\\"1\\\",a=\\\"2\\\"}\": label name used twice
$p: line 3: metric \"temperature_celsius{__name__=\\\"x\\\"}\": label names starting with \"__\" are reserved
$p: 2 records skipped"
	done
	# the good series go out as ever, and the whole exposition is one
	# promtool takes: one such line made it refuse it all ("duplicate label
	# names", "label name \"__name__\" is reserved")
	run -1 --separate-stderr xm-show -o prom < in
	assert_output '# HELP xm_load1 load1: the latest sample from xm.
# TYPE xm_load1 gauge
xm_load1{host="h"} 4
# HELP xm_queue_length queue_length: the latest sample from xm.
# TYPE xm_queue_length gauge
xm_queue_length{host="h",a="1"} 1'
	run -0 promtool check metrics <<< "$output"
}

@test "format: labels are a set: the same labels in two orders are one series, written in order" {
	printf '1\th\tm{b="1",a="2"}\t1\n2\th\tm{a="2",b="1"}\t2\n' > in
	# one window of two samples
	run -0 --separate-stderr xm-buffer -H --columns n,mean < in
	assert_output '1	h	m{a="2",b="1"}	1	1	1
2	h	m{a="2",b="1"}	2	2	1.5'
	assert_equal "$stderr" ""
	# one series, whose second sample in a row fires
	run -0 --separate-stderr xm-alert -H -r 'm{*} warn=0 for=2' < in
	assert_output '1	h	m{a="2",b="1"}	1	ok	-	1	06e49965f5e71159	m{*} warn=0 for=2
2	h	m{a="2",b="1"}	2	warning	firing	2	06e49965f5e71159	m{*} warn=0 for=2'
	assert_equal "$stderr" ""
	# one line in the exposition, of the latest sample
	run -0 --separate-stderr xm-show -o prom < in
	assert_output '# HELP xm_m m: the latest sample from xm.
# TYPE xm_m gauge
xm_m{host="h",a="2",b="1"} 2'
	assert_equal "$stderr" ""
	run -0 --separate-stderr xm-show -o tsv < in
	assert_output '#ts	host	metric	value
2	h	m{a="2",b="1"}	2'
}

@test "format: a host of 255 bytes and a metric of 2048 are series; one byte more is malformed, said with the limit" {
	h255=$(printf '%255s' | tr ' ' h)
	v=$(printf '%2041s' | tr ' ' v)	# m{a="..."}: 2048 bytes
	printf '1\t%s\tm\t1\n2\t%sh\tm\t2\n3\th\tm{a="%s"}\t3\n4\th\tm{a="%sv"}\t4\n' "$h255" "$h255" "$v" "$v" > in
	for p in $READERS; do
		run -1 --separate-stderr "$p" < in
		assert_equal "$stderr" "$p: line 2: host \"$(printf '%73s' | tr ' ' h)...\" is longer than 255 bytes
$p: line 4: metric \"m{a=\\\"$(printf '%67s' | tr ' ' v)...\": longer than 2048 bytes
$p: 2 records skipped"
	done
	run -1 --separate-stderr xm-show -o tsv < in
	assert_output "$(printf '#ts\thost\tmetric\tvalue\n3\th\tm{a="%s"}\t3\n1\t%s\tm\t1' "$v" "$h255")"
}
