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
