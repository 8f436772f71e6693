# xm-buffer: every column by hand, the modes, the state file, bad input.
load helpers

# A half-life so long that no weight decays: the baseline is a plain mean.
FLAT=100000000000000000000000

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "xm-buffer: every column for 50, 60, 70, worked by hand" {
	printf '100\th\tm\t50\n101\th\tm\t60\n102\th\tm\t70\n' > in
	run -0 --separate-stderr xm-buffer --halflife "$FLAT" < in
	# sd of 50,60,70 is sqrt(200/3); slope 10/s; the baseline before each
	# sample is the mean of those before it (the first its own value)
	assert_output '#ts	host	metric	value	n	mean	min	max	stddev	slope	trend	baseline	zscore	eta_seconds
100	h	m	50	1	50	50	50	0	0	stable	50	0	-
101	h	m	60	2	55	50	60	5	10	stable	50	0	-
102	h	m	70	3	60	50	70	8.164965809	10	increasing	55	0	-'
	assert_equal "$stderr" ""
}

@test "xm-buffer: forecasts and the time to full, worked by hand" {
	# 50, 60, 70% a second apart: the line is at 70 now and rises 10 a second,
	# so 100 in 3 s, 36070 an hour on; one sample has no line yet, two no
	# time yet (a window of 8 s has history enough at 2 s)
	printf '100	h	disk_usage_percent	50
101	h	disk_usage_percent	60
102	h	disk_usage_percent	70
' > in
	printf '100	h	load1	5
' >> in
	run -0 --separate-stderr xm-buffer -w 8 --columns slope,eta_seconds --forecast 1h --forecast 90s < in
	assert_output '#ts	host	metric	value	slope	eta_seconds	forecast_1h	forecast_90s
100	h	disk_usage_percent	50	0	-	-	-
101	h	disk_usage_percent	60	10	-	36060	960
102	h	disk_usage_percent	70	10	3	36070	970
100	h	load1	5	0	-	-	-'
	assert_equal "$stderr" ""
	# the default window of 300 s wants 75 s of history first
	run -0 --separate-stderr xm-buffer -H --columns eta_seconds < in
	assert_equal "$(cut -f5 <<< "$output" | tr '\n' ' ')" '- - - - '
}

@test "xm-buffer: a burst gives no time to full, a steady fill does, once the window has history" {
	# a disk at 18%: 1.5 GB of a 50 GB disk written in 10 s at second 400,
	# deleted at second 1000; every second for 20 minutes
	awk 'BEGIN { for (t = 0; t < 1200; t++) {
		v = 18 + (t >= 400 && t < 1000 ? (t < 410 ? (t - 399) * 0.3 : 3) : 0)
		printf "%d\th\tdisk_usage_percent\t%.2f\n", 1764300000 + t, v } }' > burst
	run -0 --separate-stderr xm-buffer -H --columns slope,eta_seconds < burst
	assert_equal "$(awk -F'\t' '$6 != "-"' <<< "$output")" ""
	# the slope saw it: at its steepest, the line alone said full in 88 minutes
	assert_equal "$(awk -F'\t' '$5 > 0 && (m == "" || (100 - $4) / $5 < m) { m = (100 - $4) / $5 }
	    END { printf "%d\n", m / 60 }' <<< "$output")" 88
	# the same disk filling 0.01 points a second (full in 2h16m): a time from
	# the 76th sample on, when the window spans 75 s, a quarter of -w 300
	awk 'BEGIN { for (t = 0; t < 400; t++)
		printf "%d\th\tdisk_usage_percent\t%.2f\n", 1764300000 + t, 18 + t * 0.01 }' > fill
	run -0 --separate-stderr xm-buffer -H --columns eta_seconds < fill
	assert_equal "$(awk -F'\t' '$5 != "-" { print NR; exit }' <<< "$output")" 76
	assert_equal "$(awk -F'\t' 'NR == 400 { print $5 }' <<< "$output")" 7801
}

@test "xm-buffer: memory used and memory available, total less used, get mirrored trends at every record" {
	xm-sample --synthetic --seed 3 --start 1764300000 -n 20000 -m memory -H > mem
	run -0 --separate-stderr xm-buffer -H --columns trend < mem
	awk -F'\t' '$3 == "memory_used_bytes" { u[$1] = $5 } $3 == "memory_available_bytes" { a[$1] = $5 }
	    END { for (t in u) { n[u[t] "/" a[t]]++ }
		for (k in n) print k, n[k] }' <<< "$output" | sort > pairs
	# only stable/stable and increasing/decreasing both ways, and some of each
	assert_equal "$(cut -d' ' -f1 pairs | tr '\n' ' ')" 'decreasing/increasing increasing/decreasing stable/stable '
	run -0 awk '$2 < 10 { print "too few:", $0 }' pairs
	assert_output ""
}

@test "xm-buffer: the time to a limit: percentages to 100, --limit to any value, from either side" {
	# free space falling 1 a second from 100 reaches 0 in 80 s from 80; a
	# percentage with labels still has 100; the first --limit that matches
	# wins, before 100; a window of 80 s has history enough at 20 s
	printf '100	h	free{m="/"}	100
110	h	free{m="/"}	90
120	h	free{m="/"}	80
' > in
	printf '100	h	disk_usage_percent{m="/"}	40
110	h	disk_usage_percent{m="/"}	50
120	h	disk_usage_percent{m="/"}	60
' >> in
	printf '100	h	cpu_usage_percent	30
110	h	cpu_usage_percent	40
120	h	cpu_usage_percent	50
' >> in
	printf '100	h	x	40
110	h	x	30
120	h	x	20
' >> in
	run -0 --separate-stderr xm-buffer -H -w 80 --columns eta_seconds \
	    --limit 'free{*}=0' --limit 'cpu_*=60' --limit 'cpu_*=70' --limit 'x=50' < in
	assert_output '100	h	free{m="/"}	100	-
110	h	free{m="/"}	90	-
120	h	free{m="/"}	80	80
100	h	disk_usage_percent{m="/"}	40	-
110	h	disk_usage_percent{m="/"}	50	-
120	h	disk_usage_percent{m="/"}	60	40
100	h	cpu_usage_percent	30	-
110	h	cpu_usage_percent	40	-
120	h	cpu_usage_percent	50	10
100	h	x	40	-
110	h	x	30	-
120	h	x	20	-'
	# at the limit: 0; a flat line never gets there
	printf '100	h	m_percent	100
110	h	m_percent	100
' | xm-buffer -H --columns eta_seconds > out
	assert_equal "$(cut -f5 out | tr '\n' ' ')" '0 0 '
	printf '100	h	m_percent	10
110	h	m_percent	10
' | xm-buffer -H --columns eta_seconds > out
	assert_equal "$(cut -f5 out | tr '\n' ' ')" '- - '
}

@test "xm-buffer: the baseline halves its weights every half-life" {
	# 0 at t, 3 one half-life later: weights 1/2 and 1, baseline 3 / 1.5 = 2
	printf '100\th\tm\t0\n3700\th\tm\t3\n3700\th\tm\t9\n' > in
	run -0 --separate-stderr xm-buffer --halflife 1h --columns baseline -H < in
	assert_line --index 2 '3700	h	m	9	2'
}

@test "xm-buffer: zscore against the long-run level and spread, 0 until 10 samples" {
	for v in 1 2 3 4 5 6 7 8 9 10 20; do printf '100\th\tm\t%s\n' "$v"; done > in
	for v in 7 7 7 7 7 7 7 7 7 7 7 7; do printf '100\th\tc\t%s\n' "$v"; done >> in
	run -0 --separate-stderr xm-buffer --halflife "$FLAT" --columns baseline,zscore -H < in
	# before 20: mean 5.5, population sd sqrt(8.25); (20 - 5.5) / 2.872281323
	assert_line --index 9 '100	h	m	10	5	0'
	assert_line --index 10 '100	h	m	20	5.5	5.048252023'
	# a constant series deviates by nothing
	assert_line --index 22 '100	h	c	7	7	0'
}

@test "xm-buffer: rzscore: a spike against the window's median and MAD, which it does not drag" {
	# 10 11 10 12 11 10 11 12 10 11, then 50: median 11, MAD 1 (the 50 drags
	# neither), (50 - 11) / 1.4826 = 26.30513962; zscore, against a mean and sd
	# the 50 has not touched yet, says 52; 0 before 10 samples
	for v in 10 11 10 12 11 10 11 12 10 11 50 11; do printf '100\th\tm\t%s\n' "$v"; done > in
	run -0 --separate-stderr xm-buffer -H --columns n,rzscore < in
	assert_equal "$(cut -f5- <<< "$output" | tr '\n' ' ')" \
	    '1	0 2	0 3	0 4	0 5	0 6	0 7	0 8	0 9	0 10	0 11	26.30513962 12	0 '
	# most of the window one value (MAD 0): the mean absolute deviation from the
	# median stands in: 0 x 10 and 5, median 0, mean |d| 5/11: 5 / (1.253314 x 5/11) = 11 / 1.253314
	for v in 0 0 0 0 0 0 0 0 0 0 5; do printf '100\th\tc\t%s\n' "$v"; done > in
	run -0 --separate-stderr xm-buffer -H --columns rzscore < in
	assert_equal "$(tail -n 1 <<< "$output" | cut -f5)" 8.77673113
	# a window of one value throughout: 0; the window slides: -s 10 keeps 10
	for v in 7 7 7 7 7 7 7 7 7 7 7 1 2 3 4 5 6 7 8 9 10 100; do printf '100\th\tk\t%s\n' "$v"; done > in
	run -0 --separate-stderr xm-buffer -H -s 10 --columns rzscore < in
	# the last window: 2..10 and 100: median 6.5, MAD 2.5: (100 - 6.5) / 3.7065
	assert_equal "$(cut -f5 <<< "$output" | sed -n '11p;22p' | tr '\n' ' ')" '0 25.2259544 '
}

@test "xm-buffer: -s keeps the newest samples, -w only those recent enough" {
	printf '1\th\tm\t1\n2\th\tm\t2\n3\th\tm\t3\n' > in
	run -0 --separate-stderr xm-buffer -s 2 --columns n,mean,min,max -H < in
	assert_line --index 2 '3	h	m	3	2	2.5	2	3'
	# 100 falls out at 111 (11 s old); 105 stays at 115 (10 s old: the edge is in)
	printf '100\th\tm\t1\n105\th\tm\t2\n111\th\tm\t3\n115\th\tm\t4\n' > in
	run -0 --separate-stderr xm-buffer -w 10 --columns n,min -H < in
	assert_output '100	h	m	1	1	1
105	h	m	2	2	1
111	h	m	3	2	2
115	h	m	4	3	2'
}

@test "xm-buffer: after a gap longer than the window, a series starts over" {
	printf '100\th\tm\t5\n101\th\tm\t6\n9000\th\tm\t1\n' > in
	run -0 --separate-stderr xm-buffer --columns n,mean,stddev,slope,trend -H < in
	assert_line --index 2 '9000	h	m	1	1	1	0	0	stable'
}

@test "xm-buffer: zero, negative and falling series" {
	printf '%s\th\tz\t%s\n' 1 0 2 0 3 5 4 10 5 15 6 20 > in
	printf '1\th\tn\t-10\n2\th\tn\t-20\n3\th\tn\t-30\n' >> in
	printf '1\th\tf\t0\n2\th\tf\t0\n3\th\tf\t0\n' >> in
	run -0 --separate-stderr xm-buffer --columns mean,slope,trend -H < in
	# four samples could be chance (t 4.0 where 99% wants 9.9); six are not
	assert_line --index 3 '4	h	z	10	3.75	3.5	stable'
	assert_line --index 5 '6	h	z	20	8.333333333	4.285714286	increasing'
	assert_line --index 8 '3	h	n	-30	-20	-10	decreasing'
	assert_line --index 11 '3	h	f	0	0	0	stable'
}

@test "xm-buffer: 10, 10.5, 9.8, 10.2 is stable, as the original design had it" {
	printf '1\th\tm\t10\n2\th\tm\t10.5\n3\th\tm\t9.8\n4\th\tm\t10.2\n' > in
	run -0 --separate-stderr xm-buffer --columns mean,slope,trend -H < in
	assert_line --index 3 '4	h	m	10.2	10.125	-0.01	stable'
}

@test "xm-buffer: series interleaved keep apart, by host and by metric" {
	printf '1\ta\tm\t1\n1\tb\tm\t100\n2\ta\tm\t3\n2\ta\tm{x="1"}\t7\n3\tb\tm\t300\n' > in
	run -0 --separate-stderr xm-buffer --columns n,mean -H < in
	assert_output '1	a	m	1	1	1
1	b	m	100	1	100
2	a	m	3	2	2
2	a	m{x="1"}	7	1	7
3	b	m	300	2	200'
}

@test "xm-buffer: huge and tiny magnitudes stay finite and right" {
	printf '1\th\tbig\t1e300\n2\th\tbig\t3e300\n1\th\ttiny\t1e-300\n2\th\ttiny\t3e-300\n' > in
	run -0 --separate-stderr xm-buffer --columns mean,stddev,slope -H < in
	assert_line --index 1 '2	h	big	3e300	2e+300	1e+300	2e+300'
	assert_line --index 3 '2	h	tiny	3e-300	2e-300	1e-300	2e-300'
}

@test "xm-buffer: --columns picks and orders the columns, and the header says so" {
	printf '1\th\tm\t4\n' > in
	run -0 --separate-stderr xm-buffer --columns trend,n < in
	assert_output '#ts	host	metric	value	trend	n
1	h	m	4	stable	1'
}

@test "xm-buffer: columns of an earlier stage are kept, ours after them" {
	printf '#ts\thost\tmetric\tvalue\tnote\n# a comment\n1\th\tm\t4\tfirst\n#ts\thost\tmetric\tvalue\n2\th\tm\t6\n' > in
	run -0 --separate-stderr xm-buffer --columns n,mean < in
	assert_output '#ts	host	metric	value	note	n	mean
# a comment
1	h	m	4	first	1	4
#ts	host	metric	value	n	mean
2	h	m	6	2	5'
}

@test "xm-buffer: --csv reads and writes CSV" {
	printf 'ts,host,metric,value\n1,h,"m{a=""x,y""}",2\n' > in
	run -0 --separate-stderr xm-buffer --csv --columns n,trend < in
	assert_output 'ts,host,metric,value,n,trend
1,h,"m{a=""x,y""}",2,1,stable'
	# blanks are kept, a TAB (which TSV could not carry) is refused, quoted or not
	printf 'ts,host,metric,value,note\n1,h,m,2, a \n2,h,m,3,\tb\n' > in
	run -1 --separate-stderr xm-buffer --csv --columns n < in
	assert_output 'ts,host,metric,value,note,n
1,h,m,2," a ",1'
	assert_equal "$stderr" 'xm-buffer: line 3: field 5 contains a tab
xm-buffer: 1 record skipped'
}

@test "xm-buffer: --every: one line per series per period, stamped with its start" {
	printf '59\th\tm\t1\n60\th\tm\t2\n61\th\tm\t3\n119\th\tm\t4\n59\tg\tm\t9\n125\th\tm\t5\n' > in
	run -0 --separate-stderr xm-buffer --every 60 --columns n,mean < in
	# the period's last sample, the window as it stood after it; g's line
	# comes with the others of period 0, out at the first record of 60
	assert_output '#ts	host	metric	value	n	mean
0	h	m	1	1	1
0	g	m	9	1	9
60	h	m	4	4	2.5
120	h	m	5	5	3'
}

@test "xm-buffer: --every 60 turns a day of seconds into 1440 lines a series" {
	xm-sample --synthetic --seed 4 --start 1764287999 -n 86400 -m load > day
	run -0 --separate-stderr xm-buffer --every 60 -H < day
	assert_equal "$(grep -c '	load5	' <<< "$output")" 1440
	assert_equal "$(head -n 1 <<< "$output" | cut -f1)" 1764288000
	assert_equal "$(tail -n 1 <<< "$output" | cut -f1)" 1764374340
}

@test "xm-buffer: --summary: exact percentiles by nearest rank, the window's span" {
	for i in 1 2 3 4 5 6 7 8 9 10; do printf '%s\th\tm\t%s\n' "$i" "$i"; done > in
	printf '5\th\tone\t42\n' >> in
	run -0 --separate-stderr xm-buffer --summary < in
	assert_output '#ts	host	metric	value	n	mean	min	max	stddev	p50	p90	p95	p99	trend	first_ts	last_ts
10	h	m	10	10	5.5	1	10	2.872281323	5	9	10	10	increasing	1	10
5	h	one	42	1	42	42	42	0	42	42	42	42	stable	5	5'
}

@test "xm-buffer: --summary -s beyond 65536 holds a day of seconds" {
	xm-sample --synthetic --seed 4 --start 1764287999 -n 86400 -m load > day
	run -0 --separate-stderr xm-buffer --summary -s 86400 -w 1d -H < day
	assert_line --index 0 --regexp '^1764374399	[^	]+	load1	[0-9.]+	86400	'
	assert_equal "$(cut -f15,16 <<< "${lines[0]}")" '1764288000	1764374399'
}

@test "xm-buffer: --state carries windows and baselines across runs, like one long run" {
	xm-sample --synthetic --seed 9 --start 1764300000 -n 200 -m load,app > all
	head -n 601 all > first
	tail -n +602 all > second
	xm-buffer -H < all > whole
	run -0 --separate-stderr xm-buffer -H --state st < first
	run -0 --separate-stderr xm-buffer -H --state st < second
	assert_equal "$stderr" ""
	printf '%s\n' "$output" > tail
	tail -n +601 whole | diff -u - tail
	# the state file is an xm stream: awk reads it
	assert_equal "$(awk -F'\t' '$3 == "load1" { n++ } END { print n }' st)" 200
	assert_equal "$(head -n 1 st)" '#xm-buffer state 2'
	assert_equal "$(tail -n 1 st)" '#end	9	1800'
	# values at a double's far end: the baseline's squares pass its range
	# (1e200 and -1e200 make 2e400, a long double), and load back
	rm st
	printf '1\th\tm\t1e200\n2\th\tm\t-1e200\n' | xm-buffer -H --state st > /dev/null
	# (e+400; under valgrind, which computes long doubles as doubles, the
	# largest long double, e+4932: past a double's range either way)
	grep -qE $'e\\+[0-9]{3,4}\t[0-9]+\t' st
	run -0 --separate-stderr xm-buffer -H --columns n,baseline --state st < <(printf '3\th\tm\t1\n')
	assert_equal "$stderr" ""
	assert_output '3	h	m	1	3	-9.627044145e+195'
}

@test "xm-buffer: --season scores a value against the same time of the seasons before" {
	# seasons of 10 s in two buckets; bucket 0 holds 1 3, then 5 7, then 10:
	# against the first two seasons (the first weighing 2^(-1/3)): mean
	# 4.2300, squares 17.747 over weight 3.5874, so (10 - 4.23) / 2.2242
	# (test-season works it); "-" while warming up; bucket 1 apart
	printf '%s\th\tm\t%s\n' 0 1 1 3 6 50 10 5 11 7 21 10 > in
	run -0 --separate-stderr xm-buffer -H --columns n --season 10s/5s < in
	assert_equal "$(cut -f4- <<< "$output")" '1	1	-
3	2	-
50	3	-
5	4	-
7	5	-
10	6	2.594173389'
	# cron runs, a record each, say the same: the buckets are in the state
	for i in 1 2 3 4 5 6; do
		sed -n "${i}p" in | xm-buffer -H --columns n --season 10s/5s --state st
	done > cron
	assert_equal "$(cut -f4- cron)" "$(cut -f4- <<< "$output")"
	assert_equal "$(grep -c '^#season' st)" 2
	# a run under another --season, or none, loads the rest and says so
	run -0 --separate-stderr xm-buffer -H --columns n < /dev/null --state st
	assert_equal "$stderr" 'xm-buffer: st: its times of season were kept under another --season, or this run has none: they start afresh'
	assert_equal "$(grep -c '^#season' st)" 0
	# a day of the synthetic machine, then its next: the header names the column
	xm-sample --synthetic --seed 1 --start 1764288000 -n 3 -m load | xm-buffer --columns n --season 1d > out
	assert_equal "$(head -n 1 out)" '#ts	host	metric	value	n	season_zscore'
}

@test "xm-buffer: --every with --state leaves a period open for the next run" {
	printf '59\th\tm\t1\n' | xm-buffer --every 60 --state st -H > a
	printf '61\th\tm\t3\n' | xm-buffer --every 60 --state st -H > b
	printf '125\th\tm\t5\n' | xm-buffer --every 60 --state st -H > c
	assert_equal "$(cat a)" ""
	assert_equal "$(cat b)" '0	h	m	1	1	1	1	1	0	0	stable	1	0	-'
	assert_equal "$(cut -f1-6 c)" '60	h	m	3	2	2'
}

@test "xm-buffer: two runs on one state file take turns and lose nothing" {
	( printf '1\th\tm\t1\n'; sleep 1; printf '2\th\tm\t2\n' ) | xm-buffer --state st -H --columns n > a &
	first=$!
	for i in $(seq 100); do
		[ -e st.lock ] && ! flock -n st.lock true && break
		sleep 0.02
	done
	run -0 --separate-stderr bash -c "printf '3\th\tm\t3\n' | xm-buffer --state st -H --columns n"
	wait "$first"
	# the second waited for the first, and saw its two samples
	assert_output '3	h	m	3	3'
	assert_equal "$(cat a)" '1	h	m	1	1
2	h	m	2	2'
	assert_equal "$(grep -c '	h	m	' st)" 3
}

@test "xm-buffer: a state file that cannot be trusted is moved aside, never dropped" {
	printf '1\th\tm\t1\n' > in
	echo hello > st
	run -1 --separate-stderr xm-buffer --state st -H --columns n < in
	assert_equal "$stderr" 'xm-buffer: st: no "#xm-buffer state 2" line: not a state file, or another version; moved aside to st.bad, starting afresh'
	assert_output '1	h	m	1	1'
	assert_equal "$(cat st.bad)" hello
	# truncated: the #end line is gone
	sed -i '$d' st
	run -1 --separate-stderr xm-buffer --state st -H --columns n < in
	assert_equal "$stderr" 'xm-buffer: st: truncated: no #end line; moved aside to st.bad.1, starting afresh'
	# the one set aside before is still there
	assert_equal "$(cat st.bad)" hello
	# damaged: a value that is no number
	xm-buffer --state st -H < in > /dev/null
	sed -i '4s/	1	/	x	/' st
	run -1 --separate-stderr xm-buffer --state st -H --columns n < in
	assert_equal "$stderr" 'xm-buffer: st: line 4: value "x" is not a number
xm-buffer: st: a malformed line; moved aside to st.bad.2, starting afresh'
	# one that cannot be moved aside is not written over: the run stops
	echo hello > st
	touch st.bad.{3..999}
	run -1 --separate-stderr xm-buffer --state st -H < in
	assert_output ''
	assert_equal "$stderr" 'xm-buffer: st: no "#xm-buffer state 2" line: not a state file, or another version; and it cannot be moved aside: File exists'
	assert_equal "$(cat st)" hello
	# a season's sums past what values within 1e100 make: not loaded, so
	# no sum of a file taken ever overflows into one that cannot be saved
	rm st st.bad*
	xm-buffer --season 10s/5s --state st -H < in > /dev/null
	assert_equal "$(grep '^#season' st)" $'#season\t10\t2\t0\t0\t0\t0\t0\t0\t1\t1\t0'
	sed -i '/^#season/s/\t0$/\t1e300/' st
	run -1 --separate-stderr xm-buffer --season 10s/5s --state st -H --columns n < in
	assert_equal "$stderr" "xm-buffer: st: a #season line that makes no sense, or not after a series; moved aside to st.bad, starting afresh"
	# truncated after a #kept line: said as truncated, not as a #kept line astray
	rm st st.bad*
	xm-buffer --every 1m --state st -H < in > /dev/null
	assert_equal "$(tail -n 2 st)" $'#kept\t1\n#end\t1\t1'
	sed -i '$d' st
	run -1 --separate-stderr xm-buffer --every 1m --state st -H < in
	assert_equal "$stderr" 'xm-buffer: st: truncated: no #end line; moved aside to st.bad, starting afresh'
	# a #host line that makes no sense, names a host twice, or comes after a sample
	for bad in '3s/\t0$/\t-1/' '3s/\t1\t/\tx\t/' '3p' '$i#host\tg\t1\t0'; do
		rm -f st st.bad
		xm-buffer --state st -H < in > /dev/null
		sed -i "$bad" st
		run -1 --separate-stderr xm-buffer --state st -H --columns n < in
		assert_equal "$bad: $stderr" "$bad: xm-buffer: st: a #host line that makes no sense, names a host twice, or comes after a sample; moved aside to st.bad, starting afresh"
	done
}

@test "xm-buffer: a state of version 1, without #host lines, is read: each host as heard from at its series' newest sample" {
	state_v1 3 > st <<-EOF
	1764288000 a m 1
	1764288600 a n 2
	1764288300 b m 3
	EOF
	run -0 --separate-stderr xm-buffer --state st -H < /dev/null
	assert_equal "$stderr" ""
	assert_equal "$(sed -n 1,5p st)" "#xm-buffer state 2
#ts	host	metric	value	weight	baseline	m2	seen	last_baseline	last_z	period
#host	a	1764288600	0
#host	b	1764288300	0
1764288000	a	m	1	1	1	0	1	1	0	-"
	# a's m has been quiet 600 s by a's clock: forgotten past --forget 10m, and then only
	run -0 --separate-stderr xm-buffer --state st --forget 10m -H < /dev/null
	assert_equal "$(grep -vc '^#' st)" 3
	printf '1764288601\ta\tn\t2\n' | xm-buffer --state st --forget 10m -H > /dev/null
	assert_equal "$(grep -v '^#' st | cut -f2,3)" "a	n
a	n
b	m"
}

@test "xm-buffer: malformed records are skipped with their line; the rest go on" {
	printf '1\th\tm\t1\n2\th\tm\tabc\n3\th\tm\n0\th\tm\t9\n4\th\tm\t4\n' > in
	run -1 --separate-stderr xm-buffer --columns n,mean -H < in
	assert_output '1	h	m	1	1	1
4	h	m	4	2	2.5'
	assert_equal "$stderr" 'xm-buffer: line 2: value "abc" is not a number
xm-buffer: line 3: 3 fields, a record needs at least 4
xm-buffer: line 4: ts "0" is older than the newest sample of its series
xm-buffer: 3 records skipped'
}

@test "xm-buffer: --strict stops at the first bad record" {
	printf '1\th\tm\t1\n2\th\tm\tabc\n3\th\tm\t3\n' > in
	run -1 --separate-stderr xm-buffer --strict --columns n -H < in
	assert_output '1	h	m	1	1'
	assert_equal "$stderr" 'xm-buffer: line 2: value "abc" is not a number
xm-buffer: 1 record skipped'
}

@test "xm-buffer: --max-series drops new series past the limit, once said, then counted" {
	printf '1\ta\tm\t1\n1\tb\tm\t1\n1\tc\tm\t1\n2\ta\tm\t2\n2\tc\tm\t2\n' > in
	run -1 --separate-stderr xm-buffer --max-series 2 --columns n -H < in
	assert_output '1	a	m	1	1
1	b	m	1	1
2	a	m	2	2'
	assert_equal "$stderr" 'xm-buffer: line 3: more than 2 series; new ones are dropped
xm-buffer: 2 records of new series dropped (--max-series 2)'
}

@test "xm-buffer: SIGUSR1 writes the summary now; SIGTERM ends it, state saved" {
	( printf '1\th\tm\t1\n2\th\tm\t3\n'; sleep 5 ) | xm-buffer --summary --state st > out 2> err &
	pid=$!
	# Until it takes SIGUSR1 in hand, the signal would kill it; it does
	# before it makes the lock file.
	for i in $(seq 200); do
		[ -e st.lock ] && break
		sleep 0.05
	done
	for i in $(seq 100); do
		kill -USR1 "$pid"
		[ "$(grep -c '	h	m	' out)" -ge 1 ] && break
		sleep 0.05
	done
	assert_equal "$(grep -m1 '	h	m	' out | cut -f1-6)" '2	h	m	3	2	2'
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 0
	assert_equal "$(cat err)" ""
	assert_equal "$(tail -n 1 st)" '#end	1	2'
}

@test "xm-buffer: SIGTERM while the reader has stopped reading: state saved, status 0" {
	xm-sample --synthetic --seed 3 --start 1764300000 -n 20000 -m load > in
	mkfifo out
	# held open for reading and writing here, never read: the pipe fills
	exec 7<> out
	xm-buffer --state st < in > out 2> err &
	pid=$!
	for i in $(seq 200); do
		[ -e st.lock ] && break
		sleep 0.05
	done
	sleep 0.5
	kill -TERM "$pid"
	# a process still blocked in its write is killed, and fails the test
	( sleep 10; kill -KILL "$pid" ) 2> /dev/null &
	status=0
	wait "$pid" || status=$?
	exec 7>&-
	assert_equal "$status" 0
	assert_equal "$(cat err)" ""
	assert_equal "$(head -n 1 st)" '#xm-buffer state 2'
	assert_regex "$(tail -n 1 st)" '^#end	6	[0-9]+$'
}

@test "xm-buffer: --every: a series' period ends at its next sample; a quiet one's two periods on" {
	# h's period 0 ends at its 61; g is quiet after 59, and its line comes
	# when the stream reaches period 2; h's 130 then ends h's period 1
	printf '0\th\tm\t1\n59\tg\tm\t7\n61\th\tm\t2\n119\th\tm\t3\n125\tx\tm\t0\n130\th\tm\t4\n' > in
	run -0 --separate-stderr xm-buffer --every 60 --columns n -H < in
	assert_output '0	h	m	1	1
0	g	m	7	1
60	h	m	3	3
120	h	m	4	4
120	x	m	0	1'
	# a host a little behind the others keeps every line
	printf '60\ta\tm\t1\n59\tb\tm\t2\n61\tb\tm\t3\n62\ta\tm\t4\n' > in
	run -0 --separate-stderr xm-buffer --every 60 --columns n -H < in
	assert_output '0	b	m	2	1
60	a	m	4	2
60	b	m	3	2'
	# a sample for a period already written is refused, not written twice
	printf '10\tg\tm\t1\n130\th\tm\t1\n20\tg\tm\t2\n' > in
	run -1 --separate-stderr xm-buffer --every 60 --columns n -H < in
	assert_output '0	g	m	1	1
120	h	m	1	1'
	assert_equal "$stderr" 'xm-buffer: line 3: ts "20" falls in a period already written
xm-buffer: 1 record skipped'
}

@test "xm-buffer: --every: periods are exact where division rounds" {
	# 0.3 / 0.1 is 2.9999999999999996 in binary: the sample is still in period 0.3
	printf '0.29\th\tm\t1\n0.3\th\tm\t2\n0.4\th\tm\t3\n' > in
	run -0 --separate-stderr xm-buffer --every 0.1 --columns n -H < in
	assert_output '0.2	h	m	1	1
0.3	h	m	2	2
0.4	h	m	3	3'
	printf '99999999999999\th\tm\t1\n' > in
	run -1 --separate-stderr xm-buffer --every 60 -H < in
	assert_regex "$stderr" '^xm-buffer: line 1: ts "99999999999999" is [0-9]+d[0-9]+h ahead of this machine.s clock, more than the 600s allowed
xm-buffer: 1 record skipped$'
}

@test "xm-buffer: --every: a new header lets the lines of the old columns out first" {
	printf '#ts\thost\tmetric\tvalue\tnote\n1\th\tm\t4\tx\n#ts\thost\tmetric\tvalue\n70\th\tm\t6\n' > in
	run -0 --separate-stderr xm-buffer --every 60 --columns n < in
	assert_output '#ts	host	metric	value	note	n
0	h	m	4	x	1
#ts	host	metric	value	n
60	h	m	6	2'
}

@test "xm-buffer: a silence longer than 49 days (2^32 ms) starts the window afresh" {
	printf '1\th\tm\t1\n2\th\tm\t3\n1000000001\th\tm\t7\n1000000002\th\tm\t9\n' > in
	run -0 --separate-stderr xm-buffer --columns n,mean,slope -H < in
	assert_output '1	h	m	1	1	1	0
2	h	m	3	2	2	2
1000000001	h	m	7	1	7	0
1000000002	h	m	9	2	8	2'
}

# A state of version 1, by hand: a #xm-buffer state line, the header, the
# samples given as "ts host metric value" (each its series' newest), #end.
state_v1() {
	printf '#xm-buffer state 1\n#ts\thost\tmetric\tvalue\tweight\tbaseline\tm2\tseen\tlast_baseline\tlast_z\tperiod\n'
	while read -r ts host metric value; do
		printf '%s\t%s\t%s\t%s\t1\t%s\t0\t1\t%s\t0\t-\n' "$ts" "$host" "$metric" "$value" "$value" "$value"
	done
	printf '#end\t%s\t%s\n' "$1" "$1"
}

@test "xm-buffer: a sample from a clock a year ahead, kept in --state, does not silence its series: it starts afresh, said once" {
	now=$(date +%s)
	state_v1 2 > st <<-EOF
	$((now + 365 * 86400)) h m 5
	$((now - 10)) h n 7
	EOF
	printf '%s\th\tm\t1\n%s\th\tn\t1\n%s\th\tm\t2\n' "$now" "$now" $((now + 1)) > in
	run -0 --separate-stderr xm-buffer --state st --columns n,mean -H < in
	assert_output "$now	h	m	1	1	1
$now	h	n	1	2	4
$((now + 1))	h	m	2	2	1.5"
	assert_equal "$stderr" "xm-buffer: line 1: ts \"$now\" is 365d0h behind the newest sample of its series, more than its window: the series starts afresh"
	# its host's clock starts afresh with it: the year ahead is nowhere in the state
	assert_equal "$(grep -c "$((now + 365 * 86400))" st)" 0
	assert_equal "$(grep '^#host' st)" "#host	h	$((now + 1))	0"
	assert_equal "$(grep -v '^#' st | cut -f1-4)" "$now	h	m	1
$((now + 1))	h	m	2
$((now - 10))	h	n	7
$now	h	n	1"
	printf '%s\th\tm\t3\n' $((now + 2)) > in
	run -0 --separate-stderr xm-buffer --state st --columns n -H < in
	assert_output "$((now + 2))	h	m	3	3"
	assert_equal "$stderr" ""
}

@test "xm-buffer: a sample 9 minutes ahead, within the tolerance, then samples on time: the series starts afresh, said once" {
	now=$(date +%s)
	{
		printf '%s\th\tm\t9\n' $((now + 540))
		for i in 0 1 2; do printf '%s\th\tm\t%s\n%s\th\tn\t%s\n' $((now + i)) "$i" $((now + i)) "$i"; done
		# ahead again by 497 s, more than the window: afresh again, not said again
		printf '%s\th\tm\t8\n%s\th\tm\t3\n' $((now + 500)) $((now + 3))
	} > in
	run -0 --separate-stderr xm-buffer --columns n,mean -H < in
	assert_output "$((now + 540))	h	m	9	1	9
$now	h	m	0	1	0
$now	h	n	0	1	0
$((now + 1))	h	m	1	2	0.5
$((now + 1))	h	n	1	2	0.5
$((now + 2))	h	m	2	3	1
$((now + 2))	h	n	2	3	1
$((now + 500))	h	m	8	1	8
$((now + 3))	h	m	3	1	3"
	assert_equal "$stderr" "xm-buffer: line 2: ts \"$now\" is 9m0s behind the newest sample of its series, more than its window: the series starts afresh"
	# within the window, a sample older than its series' newest is refused as ever
	printf '%s\th\tm\t1\n%s\th\tm\t2\n' $((now + 100)) "$now" > in
	run -1 --separate-stderr xm-buffer --columns n -H < in
	assert_output "$((now + 100))	h	m	1	1"
	assert_equal "$stderr" "xm-buffer: line 2: ts \"$now\" is older than the newest sample of its series
xm-buffer: 1 record skipped"
}

@test "xm-buffer: --forget: a state full of a process's series makes room once they have been quiet an hour" {
	t=1764288000
	printf '%s\th\tcpu\t1\n%s\th\tmem\t1\n%s\th\tp{pid="1"}\t1\n%s\th\tp{pid="2"}\t1\n' $t $t $t $t |
	    xm-buffer --state st --max-series 4 -H > /dev/null
	# the process is gone, another has come: no room while the others have
	# been quiet an hour or less by the host's clock (at 3600 s, exactly)
	for d in 60:2 3600:1; do
		n=${d#*:} d=${d%:*}
		printf '%s\th\tcpu\t2\n%s\th\tp{pid="3"}\t1\n' $((t + d)) $((t + d)) > in
		run -1 --separate-stderr xm-buffer --state st --max-series 4 --columns n -H < in
		assert_output "$((t + d))	h	cpu	2	$n"
		assert_equal "$stderr" 'xm-buffer: line 2: more than 4 series; new ones are dropped
xm-buffer: 1 record of new series dropped (--max-series 4)'
	done
	# past the hour (the default --forget here: the longest of 1h, two
	# windows, the half-life and --season's period) they are forgotten,
	# memory's too, and the new one has room in this very run
	printf '%s\th\tcpu\t3\n%s\th\tp{pid="3"}\t1\n' $((t + 3601)) $((t + 3601)) > in
	run -0 --separate-stderr xm-buffer --state st --max-series 4 --columns n -H < in
	assert_output "$((t + 3601))	h	cpu	3	2
$((t + 3601))	h	p{pid=\"3\"}	1	1"
	assert_equal "$stderr" ""
	assert_equal "$(grep -v '^#' st | cut -f1-4)" "$((t + 3600))	h	cpu	2
$((t + 3601))	h	cpu	3
$((t + 3601))	h	p{pid=\"3\"}	1"
}

@test "xm-buffer: --forget: a host that stops sending is forgotten after the age while others go on, across runs; one whose clock is years off is not" {
	# a and b on time, c ten years behind, a sample a minute; b stops after
	# 10 minutes; runs of 20 minutes from cron, the state kept between, and
	# the default --forget, an hour
	awk 'BEGIN { t = 1764288000; old = t - 3650 * 86400
		for (i = 0; i <= 90; i++) {
			printf "%d\ta\tm\t%d\n", t + 60 * i, i
			if (i <= 10)
				printf "%d\tb\tm\t%d\n", t + 60 * i, i
			printf "%d\tc\tm\t%d\n", old + 60 * i, i
		} }' > all
	old=$((1764288000 - 3650 * 86400))
	for i in 10 30 50 70 90; do
		awk -F'\t' -v i="$i" '{ m = int(($1 - ($2 == "c" ? '"$old"' : 1764288000)) / 60) }
		    m > i - 20 && m <= i' all | xm-buffer --state st > /dev/null
		case $i in
		70)	# b: quiet from minute 10 to 70, an hour, not more
			assert_equal "$(grep '^#host' st)" "#host	a	$((1764288000 + 4200))	0
#host	b	$((1764288000 + 600))	3600
#host	c	$((old + 4200))	0" ;;
		90)	assert_equal "$(grep '^#host' st | cut -f2)" 'a
c'
			assert_equal "$(grep -v '^#' st | cut -f2 | uniq)" 'a
c' ;;
		esac
	done
	# in one run, without --state, the same: b forgotten, its summary line
	# written as it goes, before the others' at the end
	run -0 --separate-stderr xm-buffer --summary -H < all
	assert_equal "$(cut -f2 <<< "$output")" 'b
a
c'
	assert_equal "$(cut -f1 <<< "${lines[0]}")" "$((1764288000 + 600))"
}

@test "xm-buffer: --forget: the default is the longest of 1h, two windows, the half-life and --season's period" {
	# x quiet for d seconds while y goes on: kept or forgotten at the save
	while read -r d opts kept; do
		rm -f st st.lock
		printf '1764288000\th\tx\t1\n1764288000\th\ty\t1\n%s\th\ty\t2\n' $((1764288000 + d)) |
		    xm-buffer --state st $opts > /dev/null
		assert_equal "$d $opts: $(echo $(grep -v '^#' st | cut -f3 | uniq))" "$d $opts: $kept"
	done <<-EOF
	3600 -H x y
	3601 -H y
	7200 -w1h x y
	7201 -w1h y
	7200 --halflife=2h x y
	7201 --halflife=2h y
	86400 --season=1d x y
	86401 --season=1d y
	600 --forget=10m x y
	601 --forget=10m y
	EOF
}

@test "xm-buffer: --forget: a series forgotten with an --every line still to come lets it out first" {
	# x once, y every minute for 15 minutes, all in one hour's period; x is
	# forgotten after 10 minutes, and its line goes out then, where y's waits
	# in the state for its period to end
	awk 'BEGIN { t = 1764288000; printf "%d\th\tx\t7\n", t
		for (i = 0; i <= 15; i++) printf "%d\th\ty\t%d\n", t + 60 * i, i }' > in
	run -0 --separate-stderr xm-buffer --every 1h --forget 10m --state st --columns n -H < in
	assert_output '1764288000	h	x	7	1'
	assert_equal "$stderr" ""
	assert_equal "$(grep -v '^#' st | cut -f3 | uniq)" y
}

@test "xm-buffer: a spike gone from the window leaves no trace in its statistics" {
	printf '1\th\tm\t1e17\n2\th\tm\t1\n3\th\tm\t2\n4\th\tm\t3\n' > in
	run -0 --separate-stderr xm-buffer -s 3 --columns n,mean,stddev,slope -H < in
	assert_line --index 3 '4	h	m	3	3	2	0.8164965809	1'
}

@test "xm-buffer: the state keeps every column --every held, whatever bytes they carry" {
	printf '#ts\thost\tmetric\tvalue\ta\tb\n10\th\tm\t1\tx\x1fy\t-\n' > in
	run -0 --separate-stderr xm-buffer --every 60 --state st --columns n -H < in
	printf '#ts\thost\tmetric\tvalue\ta\tb\n70\th\tm\t2\tz\tw\n' > in
	run -0 --separate-stderr xm-buffer --every 60 --state st --columns n -H < in
	assert_output "$(printf '0\th\tm\t1\tx\x1fy\t-\t1')"
	# a run without --every drops the line still to come, not the file
	run -0 --separate-stderr xm-buffer --state st --columns n -H < /dev/null
	assert_equal "$stderr" ""
	assert_equal "$(tail -n 1 st)" '#end	1	2'
	# --summary on a state made without it still has the value
	run -0 --separate-stderr xm-buffer --summary --state st -H < /dev/null
	assert_equal "$(cut -f1-5 <<< "$output")" '70	h	m	2	2'
}

@test "xm-buffer: --every keeps at most 4096 bytes of a record for its line, and refuses one past it; --summary keeps the value alone" {
	pad=$(head -c 4092 /dev/zero | tr '\0' x)
	# the value 1 and a column of 4092 bytes: 2 + 4093 bytes kept, with LFs
	printf '#ts\thost\tmetric\tvalue\tc\n60\th\tm\t1\t%s\n120\th\tm\t2\t%sy\n130\th\tm\t3\t%syy\n' \
	    "$pad" "$pad" "$pad" > in
	run -1 --separate-stderr xm-buffer --every 60 --columns n -H < in
	assert_equal "$(awk -F'\t' '{ print $1, $2, $3, $4, length($5), $6 }' <<< "$output")" '60 h m 1 4092 1
120 h m 2 4093 2'
	assert_equal "$stderr" 'xm-buffer: line 4: 4097 bytes from the value on, more than the 4096 a series keeps for its line
xm-buffer: 1 record skipped'
	# --summary prints the value alone: a wide record costs it nothing
	printf '#ts\thost\tmetric\tvalue\tc\n60\th\tm\t1\t%s%s\n' "$pad" "$pad" > in
	run -0 --separate-stderr xm-buffer --summary --state st -H < in
	assert_equal "$(cut -f1-6 <<< "$output")" '60	h	m	1	1	1'
	assert_equal "$(grep '^#kept' st)" $'#kept\t1'
}

@test "xm-buffer: a lower --max-series loads what fits of a state file, not sets it aside" {
	printf '1\ta\tm\t1\n1\tb\tm\t2\n1\tc\tm\t3\n' | xm-buffer --state st > /dev/null
	run -0 --separate-stderr xm-buffer --state st --max-series 2 --summary -H < /dev/null
	assert_equal "$stderr" ""
	assert_output '1	a	m	1	1	1	1	1	0	1	1	1	1	stable	1	1
1	b	m	2	1	2	2	2	0	2	2	2	2	stable	1	1'
	[ ! -e st.bad ]
}

@test "xm-buffer: output comes at once when input pauses, into a pipe or a file" {
	( printf '1\th\tm\t1\n'; sleep 5 ) | xm-buffer --columns n | cat > out &
	pid=$!
	wait_lines out 2
	assert_equal "$(tail -n 1 out)" '1	h	m	1	1'
	kill "$pid"
	( printf '1\th\tm\t1\n'; sleep 5 ) | xm-buffer --columns n > out &
	pid=$!
	wait_lines out 2
	assert_equal "$(tail -n 1 out)" '1	h	m	1	1'
	kill "$pid"
}

@test "xm-buffer: --state: a reader that leaves early (head -n 1, head -c 1, killed) costs nothing: saved, and the next run goes on" {
	xm-sample --synthetic --seed 1 --start 1764288000 -n 5000 > in
	for reader in 'head -n 1' 'head -c 1' 'sh -c "head -c 10000 > /dev/null; kill -9 \$\$"'; do
		rm -f B B.lock R R.lock
		# (bash's own word on the killed reader aside)
		run -0 bash -c "xm-buffer -w 1d --state B < in 2> err | $reader > /dev/null
		    exit \${PIPESTATUS[0]}"
		assert_equal "$(cat err)" ""
		# it stopped early, and saved what it had read: the state of a run over those records
		k=$(grep -vc '^#' B)
		[ "$k" -gt 0 ] && [ "$k" -lt 135000 ] || fail "$reader: $k records in the state"
		head -n $((k + 1)) in | xm-buffer -w 1d --state R > /dev/null
		cmp B R
		# the next run goes on from there, as one run over it all would
		tail -n +$((k + 2)) in | xm-buffer -w 1d -H --state B > next
		xm-buffer -w 1d -H < in | tail -n +$((k + 1)) | cmp - next
	done
	# without --state, SIGPIPE ends it as ever, even if the shell ignored SIGPIPE
	run -0 bash -c "trap '' PIPE; xm-buffer < in | head -n 1 > /dev/null; echo \${PIPESTATUS[0]}"
	assert_output 141
}

@test "xm-buffer: bad command lines: one message, the usage, status 2" {
	usage='usage: xm-buffer [-H] [-s size] [-w seconds] [--columns list] [--csv]
                 [--every seconds | --summary] [--forecast duration]...
                 [--forget duration] [--halflife seconds]
                 [--limit metric=value]... [--max-series n]
                 [--season period[/bucket]] [--state file] [--strict]
                 [--wait seconds]'
	while IFS='|' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr xm-buffer "$@" < /dev/null
		assert_equal "$stderr" "xm-buffer: $message
$usage"
	done <<-'CASES'
	-s 0|-s: "0": not a count from 1 to 65536 (more with --summary)
	-s 65537|-s: "65537": not a count from 1 to 65536 (more with --summary)
	-s 16777217 --summary|-s: "16777217": not a count from 1 to 16777216
	-w 0|-w: "0": not a duration from 1ms to 24 days
	-w 25d|-w: "25d": not a duration from 1ms to 24 days
	--every x|--every: "x": not a duration of at least 1ms
	--every 1m --summary|--every and --summary: one or the other
	--season 1d --summary|--season and --summary: one or the other
	--season 1d/7m|--season: "1d/7m": not PERIOD or PERIOD/BUCKET (1d, 7d/1h): 2 to 10080 buckets a period
	--season 1s|--season: "1s": not PERIOD or PERIOD/BUCKET (1d, 7d/1h): 2 to 10080 buckets a period
	--halflife -1|--halflife: "-1": not a duration of at least 1ms
	--forget 1y|--forget: "1y": not a duration of at least 1ms
	--columns n,avg|--columns: "avg": not a column (n, mean, min, max, stddev, slope, trend, baseline, zscore, rzscore, eta_seconds)
	--forecast 1x|--forecast: "1x": not a duration of at most 1e9 seconds
	--forecast 2e9|--forecast: "2e9": not a duration of at most 1e9 seconds
	--forecast 1h --forecast 1h|--forecast: "1h": named twice
	--forecast 1 --forecast 2 --forecast 3 --forecast 4 --forecast 5 --forecast 6 --forecast 7 --forecast 8 --forecast 9|--forecast: "9": one too many: 8 at most
	--limit m|--limit: "m": not METRIC=VALUE
	--limit =5|--limit: "=5": not METRIC=VALUE
	--limit m=x|--limit: "m=x": not METRIC=VALUE
	--columns n,n|--columns: "n": named twice
	--max-series 0|--max-series: "0": not a count of at least 1
	--state ''|--state: "": not a file name
	--bogus|unrecognized option '--bogus'
	extra|extra: unexpected argument
	CASES
}

@test "xm-buffer: the man page EXAMPLES run" {
	run_man_examples xm-buffer.1
}

@test "xm-buffer: --help: the usage, then each option with a line on what it does" {
	help_lists_options xm-buffer
	assert_line '  -w, --window S        keep samples no older than S before the newest (300s)'
}

@test "xm-buffer: --summary keeps the line of a series forgotten before the end; --forget 0 is never" {
	# a process seen once, then two hours of cpu: it is forgotten after an
	# hour, and its summary line is written as it goes
	awk 'BEGIN { printf "1000\th\tproc_cpu\t5\n"
	    for (i = 0; i <= 80; i++) printf "%d\th\tcpu\t%d\n", 1100 + 90 * i, i }' > in
	run -0 --separate-stderr xm-buffer --summary -H < in
	assert_equal "$(cut -f1-5 <<< "$output")" '1000	h	proc_cpu	5	1
8300	h	cpu	80	4'
	assert_equal "$stderr" ""
	run -0 --separate-stderr xm-buffer --summary -H --forget 0 < in
	assert_equal "$(cut -f1-5 <<< "$output")" '1000	h	proc_cpu	5	1
8300	h	cpu	80	4'
	# never: the process's series stays in the state file two hours on
	run -0 --separate-stderr xm-buffer -H --forget 0 --state st < in
	assert_equal "$(grep -c 'proc_cpu' st)" 1
	run -0 --separate-stderr xm-buffer -H --state st2 < in
	assert_equal "$(grep -c 'proc_cpu' st2 || true)" 0
}

@test "xm-buffer: a host whose clock leaps from 2000 to now makes no other host's series quiet" {
	printf '1764288000\tc\tdisk\t1\n1764288000\ta\tcpu\t1\n946684800\tb\tcpu\t1\n1764288010\ta\tcpu\t2\n1764288010\tb\tcpu\t2\n1764288020\ta\tcpu\t3\n' > in
	run -0 --separate-stderr xm-buffer -H --state st < in
	assert_equal "$(grep -c '	c	disk	' st)" 1
	assert_equal "$(grep '^#host' st)" '#host	a	1764288020	0
#host	b	1764288010	10
#host	c	1764288000	20'
}
