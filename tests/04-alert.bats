# xm-alert: ranges at work, every transition, callbacks, state, Nagios check mode.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# Records of metric $1 on host h, one a second from ts 1, the values after it.
series() {
	local m=$1 t=0 v
	shift
	for v in "$@"; do
		t=$((t + 1))
		printf '%s\th\t%s\t%s\n' "$t" "$m" "$v"
	done
}

# The original design's thresholds, taking effect at once: the lifecycle
# is tested on them (the defaults hold for minutes before they page).
CPU='cpu_usage_percent warn=70 crit=85 emerg=95'
MEM='memory_usage_percent warn=75 crit=90 emerg=98'
DISK='disk_usage_percent{*} warn=80 crit=90 emerg=95'

# Of each record: ts, metric, severity and event, whatever columns came between.
AWK_EVENTS='{ print $1 "\t" $3 "\t" $(NF - 4) "\t" $(NF - 3) }'
EVENTS="awk -F'\\t' '$AWK_EVENTS'"

# The event column of each record, in order, space-separated.
events() {
	cut -f6 | tr '\n' ' ' | sed 's/ $//'
}

@test "xm-alert: the original design's checks: cpu 50 no alert, 75 one warning, memory 92 critical" {
	series cpu_usage_percent 50 > in
	run -0 --separate-stderr xm-alert -r "$CPU" < in
	assert_output '#ts	host	metric	value	severity	event	since	alert_id	rule
1	h	cpu_usage_percent	50	ok	-	1	fda876a91d93e0e5	cpu_usage_percent warn=70 crit=85 emerg=95'
	series cpu_usage_percent 75 76 74 > in
	run -0 --separate-stderr xm-alert -r "$CPU" -H < in
	assert_output '1	h	cpu_usage_percent	75	warning	firing	1	fda876a91d93e0e5	cpu_usage_percent warn=70 crit=85 emerg=95
2	h	cpu_usage_percent	76	warning	-	1	fda876a91d93e0e5	cpu_usage_percent warn=70 crit=85 emerg=95
3	h	cpu_usage_percent	74	warning	-	1	fda876a91d93e0e5	cpu_usage_percent warn=70 crit=85 emerg=95'
	series memory_usage_percent 92 > in
	run -0 --separate-stderr xm-alert -r "$MEM" -H < in
	assert_output '1	h	memory_usage_percent	92	critical	firing	1	b9ac00477652ed97	memory_usage_percent warn=75 crit=90 emerg=98'
}

@test "xm-alert: fires, escalates, de-escalates, resolves; never twice for one state" {
	series cpu_usage_percent 10 71 72 86 96 96 90 75 75 20 20 > in
	run -0 --separate-stderr xm-alert -r "$CPU" -H < in
	assert_equal "$(events <<< "$output")" '- firing - escalated escalated - deescalated deescalated - resolved -'
	assert_equal "$(cut -f5 <<< "$output" | tr '\n' ' ')" 'ok warning warning critical emergency emergency critical warning warning ok ok '
	assert_equal "$(cut -f7 <<< "$output" | tr '\n' ' ')" '1 2 2 4 5 5 7 8 8 10 10 '
	# -e: only the events, the alert log
	run -0 --separate-stderr xm-alert -r "$CPU" -e -H < in
	assert_equal "$(cut -f1,5,6 <<< "$output")" '2	warning	firing
4	critical	escalated
5	emergency	escalated
7	critical	deescalated
8	warning	deescalated
10	ok	resolved'
}

@test "xm-alert: the default rules, and --rules prints them as rules" {
	run -0 --separate-stderr xm-alert --rules
	assert_output 'cpu_usage_percent info=90 for=15m hysteresis=10
memory_usage_percent warn=90 crit=95 for=15m hysteresis=5
swap_usage_percent warn=80 crit=95 for=15m hysteresis=5
load1_per_cpu warn=2 for=15m hysteresis=0.5
disk_usage_percent{*} warn=90 crit=95 for=30m hysteresis=1
disk_usage_percent{*} field=eta_seconds crit=@0:14400 for=15m hysteresis=3600
response_time_seconds warn=2 crit=5 emerg=10 for=5m hysteresis=0.5
error_rate_percent warn=5 crit=10 emerg=25 for=5m hysteresis=1
pressure_memory_full_percent warn=10 crit=40 for=5m hysteresis=5
pressure_io_full_percent warn=25 for=15m hysteresis=5
pressure_cpu_some_percent info=50 for=15m hysteresis=10
memory_major_faults_per_second warn=500 for=15m hysteresis=100
memory_oom_kills_per_second warn=0
file_handles_usage_percent warn=70 crit=90 for=15m hysteresis=5
disk_inodes_usage_percent{*} warn=95 crit=97 for=1h hysteresis=1
disk_queue_length{*} warn=10 for=30m hysteresis=2
tcp_listen_overflows_per_second warn=0 for=5m
tcp_retransmit_percent warn=5 for=15m hysteresis=1
network_receive_errors_percent{*} warn=1 for=1h hysteresis=0.5
network_transmit_errors_percent{*} warn=1 for=1h hysteresis=0.5
disk_readonly{*} warn=0 for=5m
temperature_margin_celsius{*} warn=10: crit=5: for=5m hysteresis=2
process_count{*} crit=1: for=1m
* field=rzscore info=-6:6 for=1m hysteresis=2'
	# what --rules prints, read back with -c, is the same rules
	xm-alert --rules > rules
	run -0 --separate-stderr xm-alert -c rules --rules
	assert_output "$(cat rules)"
	# one record past every level: each default holds first, none fires
	printf '1\th\t%s\n' 'disk_usage_percent{mountpoint="/"}	99' 'response_time_seconds	11' \
	    'error_rate_percent	26' 'swap_usage_percent	96' 'memory_usage_percent	99' \
	    'load1_per_cpu	5' 'cpu_usage_percent	100' 'load1	99' > in
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$(cut -f5,6 <<< "$output" | sort | uniq -c | tr -s ' ')" ' 1 -	-
 7 ok	-'
	# the stream lacks eta_seconds and rzscore: the two rules on them hold
	# nothing and say nothing, built in or copied into a rules file; and
	# copied, the rules of series the stream lacks are not said either
	assert_equal "$stderr" ""
	run -0 --separate-stderr xm-alert -H -c rules < in
	assert_equal "$stderr" ""
	printf '1\th\tcpu_usage_percent\t5\n' | xm-alert -H -c rules > /dev/null 2> err
	assert_equal "$(cat err)" ""
	# with them: a disk whose line says full within 4 h for 15 minutes is
	# critical, resolved when the line no longer heads there; robust scores
	# past 6 for a minute an info alert beside it, held at 5, clear once
	# back within 4
	printf '#ts\thost\tmetric\tvalue\trzscore\teta_seconds\n' > in
	printf '%s\th\tdisk_usage_percent{mountpoint="/"}\t50\t%s\t%s\n' 0 7 20000 60 8 14400 \
	    300 5 13000 960 3 12000 1020 0 - >> in
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$(cut -f1,7,8,11 <<< "$output")" '0	ok	-	disk_usage_percent{*} warn=90 crit=95 for=30m hysteresis=1
60	info	firing	* field=rzscore info=-6:6 for=1m hysteresis=2
300	info	-	* field=rzscore info=-6:6 for=1m hysteresis=2
960	ok	resolved	* field=rzscore info=-6:6 for=1m hysteresis=2
960	critical	firing	disk_usage_percent{*} field=eta_seconds crit=@0:14400 for=15m hysteresis=3600
1020	ok	resolved	disk_usage_percent{*} field=eta_seconds crit=@0:14400 for=15m hysteresis=3600
1020	ok	-	disk_usage_percent{*} warn=90 crit=95 for=30m hysteresis=1'
	assert_equal "$stderr" ""
}

@test "xm-alert: each default value rule fires after its hold, holds by its margin, resolves clear of it" {
	# metric, past the level, within the margin, clear of it, the hold, the level
	while read -r m hi mid lo hold sev; do
		printf '%s\th\t%s\t%s\n' 0 "$m" "$hi" $((hold / 2)) "$m" "$hi" $((hold - 1)) "$m" "$hi" \
		    "$hold" "$m" "$hi" $((hold + 60)) "$m" "$mid" $((hold + 120)) "$m" "$lo" > in
		run -0 --separate-stderr xm-alert -H < in
		assert_equal "$m $(events <<< "$output") $(cut -f5 <<< "$output" | tr '\n' ' ')" \
		    "$m - - - firing - resolved ok ok ok $sev $sev ok "
		assert_equal "$stderr" ""
		# a dip below the level while it waits starts the hold again, as
		# Prometheus's for: does, however near the level it stays
		printf '%s\th\t%s\t%s\n' 0 "$m" "$hi" $((hold / 2)) "$m" "$mid" "$hold" "$m" "$hi" > in
		run -0 --separate-stderr xm-alert -H < in
		assert_equal "$m $(events <<< "$output")" "$m - - -"
	done <<-'RULES'
	cpu_usage_percent 95 85 79 900 info
	memory_usage_percent 92 86 84 900 warning
	swap_usage_percent 85 76 74 900 warning
	load1_per_cpu 2.5 1.6 1.4 900 warning
	disk_usage_percent{mountpoint="/"} 91 89.5 88.9 1800 warning
	response_time_seconds 2.5 1.6 1.4 300 warning
	error_rate_percent 6 4.2 3.9 300 warning
	pressure_memory_full_percent 12 6 4 300 warning
	pressure_io_full_percent 30 21 19 900 warning
	pressure_cpu_some_percent 60 41 39 900 info
	memory_major_faults_per_second 600 450 390 900 warning
	file_handles_usage_percent 75 66 64 900 warning
	disk_inodes_usage_percent{mountpoint="/"} 96 94.5 93.9 3600 warning
	disk_queue_length{device="sda"} 12 9 7 1800 warning
	tcp_retransmit_percent 6 4.5 3.9 900 warning
	RULES
}

@test "xm-alert: the defaults on a synthetic day: each incident alerts once, a disk filling in time, temporary files never" {
	# the day's incidents (xm-sample(1)): a runaway job from 6:45:30, load
	# per CPU past 2 from 8:31:33, a leak from 11:23:03, /var filling from
	# 14:56:56 (full in 3.5 h), 3 points of / written in 20 s at 18:36:00
	# and deleted, an archive of 3 points written from 20:53:58 and removed
	xm-sample --synthetic --seed 1 --start 1764288000 -n 86400 -m cpu,memory,disk,load -H > day
	run -0 --separate-stderr bash -c "xm-buffer < day | xm-alert -e -H | $EVENTS"
	assert_output '1764313230	cpu_usage_percent	info	firing
1764313830	cpu_usage_percent	ok	resolved
1764319688	load1_per_cpu	warning	firing
1764320529	load1_per_cpu	ok	resolved
1764331757	memory_usage_percent	warning	firing
1764332145	memory_usage_percent	critical	escalated
1764332584	memory_usage_percent	ok	resolved
1764342919	disk_usage_percent{mountpoint="/var"}	critical	firing
1764346317	disk_usage_percent{mountpoint="/var"}	ok	resolved'
	# the fill pages 18 minutes in (1764342919 - 1764341816 = 1103 s);
	# node-mixin's rule would wait an hour at least
	assert_equal "$stderr" ""
	# from cron, a sample a minute, around the fill and the archive: the
	# state files carry the windows and the holds, as one pipeline would
	xm-sample --synthetic --seed 1 --start 1764288000 -i 60 -n 1440 -m disk -H |
	    awk -F'\t' '($1 >= 1764341400 && $1 < 1764346500) || ($1 >= 1764363000 && $1 < 1764365400)' > mins
	xm-buffer < mins | xm-alert -e -H > pipe
	cut -f1 mins | uniq | while read -r t; do
		awk -F'\t' -v t="$t" '$1 == t' mins | xm-buffer --state b | xm-alert -e -H --state a
	done > cron
	diff -u pipe cron
	# 20 minutes into the fill (1204 s), from samples a minute apart
	assert_equal "$(awk -F'\t' "$AWK_EVENTS" cron)" '1764343020	disk_usage_percent{mountpoint="/var"}	critical	firing
1764346320	disk_usage_percent{mountpoint="/var"}	ok	resolved'
}

@test "xm-alert: -r and -c rules: every rule that matches a series has its own alert" {
	printf '# web servers are allowed more\n\ncpu_usage_percent host=web* warn=90\n  cpu_usage_percent host=db* warn=50  \n' > rules
	printf '1\tweb1\tcpu_usage_percent\t60\n1\tdb1\tcpu_usage_percent\t60\n' > in
	run -0 --separate-stderr xm-alert -c rules -H < in
	assert_equal "$(cut -f2,5,6,9 <<< "$output")" 'web1	ok	-	cpu_usage_percent host=web* warn=90
db1	warning	firing	cpu_usage_percent host=db* warn=50'
	# every alert has its id (FNV-1a of host, metric and rule, worked out
	# apart); web1 under two rules: the record is written for the alert that
	# fired, then for the worst (the last line of a record says how its
	# series stands); alerts of one record in rule order, the worst last
	printf '1\tweb1\tcpu_usage_percent\t60\n1\tdb1\tcpu_usage_percent\t60\n2\tweb1\tcpu_usage_percent\t95\n3\tweb1\tcpu_usage_percent\t20\n' > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent crit=40' -c rules -H < in
	assert_output '1	web1	cpu_usage_percent	60	critical	firing	1	0897bf7259a3f0de	cpu_usage_percent crit=40
1	db1	cpu_usage_percent	60	warning	firing	1	7b5ec23f01f4543c	cpu_usage_percent host=db* warn=50
1	db1	cpu_usage_percent	60	critical	firing	1	44046cf2b4ac96ac	cpu_usage_percent crit=40
2	web1	cpu_usage_percent	95	warning	firing	2	2c463cc75d1dd95e	cpu_usage_percent host=web* warn=90
2	web1	cpu_usage_percent	95	critical	-	1	0897bf7259a3f0de	cpu_usage_percent crit=40
3	web1	cpu_usage_percent	20	ok	resolved	3	2c463cc75d1dd95e	cpu_usage_percent host=web* warn=90
3	web1	cpu_usage_percent	20	ok	resolved	3	0897bf7259a3f0de	cpu_usage_percent crit=40'
	assert_equal "$stderr" ""
	# -e: the events alone, as they were written
	run -0 --separate-stderr xm-alert -e -r 'cpu_usage_percent crit=40' -c rules -H < in
	assert_equal "$(cut -f1,2,5,6 <<< "$output")" '1	web1	critical	firing
1	db1	warning	firing
1	db1	critical	firing
2	web1	warning	firing
3	web1	ok	resolved
3	web1	ok	resolved'
}

@test "xm-alert: field= tests another column, such as xm-buffer's mean" {
	printf '#ts\thost\tmetric\tvalue\tmean\n1\th\tm\t99\t5\n2\th\tm\t1\t50\n' > in
	run -0 --separate-stderr xm-alert -r 'm field=mean warn=10' < in
	assert_output '#ts	host	metric	value	mean	severity	event	since	alert_id	rule
1	h	m	99	5	ok	-	1	ae9449ce4411d32a	m field=mean warn=10
2	h	m	1	50	warning	firing	2	ae9449ce4411d32a	m field=mean warn=10'
	# a rule for a column the stream lacks: said once, the records pass unchecked
	series m 1 2 > in
	run -0 --separate-stderr xm-alert -r 'm field=mean warn=10' -H < in
	assert_equal "$stderr" 'xm-alert: line 1: no column "mean" for rule "m field=mean warn=10"'
	assert_equal "$(cut -f5- <<< "$output")" '-	-	-	-	-
-	-	-	-	-'
	# two rules on a series, a bad value in the column of one: the record
	# is bad for both, said with its line, and moves neither alert; the
	# next record goes on (the value rule fires on it, not before)
	printf '#ts\thost\tmetric\tvalue\tmean\n1\th\tm\t99\tx\n2\th\tm\t99\t5\n' > in
	run -1 --separate-stderr xm-alert -r 'm warn=10' -r 'm field=mean warn=10' -H < in
	assert_equal "$stderr" 'xm-alert: line 2: mean "x" is not a number
xm-alert: 1 record skipped'
	assert_output '2	h	m	99	5	warning	firing	2	2096fd33f361318c	m warn=10'
}

@test "xm-alert: a column's \"-\" is no value: clear of every level, and said so" {
	# xm-buffer's eta_seconds: full within 4 h fires; a line that no longer
	# heads for 100 ("-") resolves at once, hysteresis or not
	printf '#ts\thost\tmetric\tvalue\teta_seconds\n' > in
	printf '0\th\tdisk_usage_percent\t50\t-\n60\th\tdisk_usage_percent\t60\t3600\n' >> in
	printf '120\th\tdisk_usage_percent\t61\t3000\n180\th\tdisk_usage_percent\t61\t-\n' >> in
	run -0 --separate-stderr xm-alert -H -r 'disk_usage_percent field=eta_seconds crit=@0:14400 hysteresis=600' \
	    -x 'printf "%s|%s|%s\n" "$XM_EVENT" "$XM_VALUE" "$XM_MESSAGE" >> cb' < in
	assert_equal "$(cut -f5-7 <<< "$output")" '-	ok	-
3600	critical	firing
3000	critical	-
-	ok	resolved'
	assert_equal "$stderr" ""
	assert_equal "$(cat cb)" 'firing|3600|disk_usage_percent on h: critical, eta_seconds 3600 (crit @0:14400)
resolved|-|disk_usage_percent on h: resolved after 2m0s, eta_seconds has no value'
	# the value itself is a number or the record is malformed
	printf '1\th\tm\t-\n' > in
	run -1 --separate-stderr xm-alert -H -r 'm warn=1' < in
	assert_equal "$stderr" 'xm-alert: line 1: value "-" is not a number
xm-alert: 1 record skipped'
}

@test "xm-alert: ranges: @ alerts inside, 10: below, ~:10 above" {
	series m 5 15 25 > in
	run -0 --separate-stderr xm-alert -r 'm warn=@10:20' -H < in
	assert_equal "$(cut -f5 <<< "$output" | tr '\n' ' ')" 'ok warning ok '
	run -0 --separate-stderr xm-alert -r 'm crit=10:' -H < in
	assert_equal "$(cut -f5 <<< "$output" | tr '\n' ' ')" 'critical ok ok '
	run -0 --separate-stderr xm-alert -r 'm info=~:10 emerg=~:20' -H < in
	assert_equal "$(cut -f5 <<< "$output" | tr '\n' ' ')" 'ok info emergency '
}

@test "xm-alert: flapping input: for= and hysteresis= keep it quiet" {
	series m 71 69 71 69 71 71 71 69 64 > in
	run -0 --separate-stderr xm-alert -r 'm warn=70' -H < in
	assert_equal "$(events <<< "$output")" 'firing resolved firing resolved firing - - resolved -'
	run -0 --separate-stderr xm-alert -r 'm warn=70 for=3' -H < in
	assert_equal "$(events <<< "$output")" '- - - - - - firing resolved -'
	run -0 --separate-stderr xm-alert -r 'm warn=70 hysteresis=5' -H < in
	assert_equal "$(events <<< "$output")" 'firing - - - - - - - resolved'
	# for= a duration: the condition held that long in record time
	run -0 --separate-stderr xm-alert -r 'm warn=70 for=2s' -H < in
	assert_equal "$(events <<< "$output")" '- - - - - - firing resolved -'
	# with both: a dip below 70 starts for= over, however near, as
	# Prometheus's for: does; once fired, 69 is held, 64 clear of 70 by 5
	run -0 --separate-stderr xm-alert -r 'm warn=70 for=3 hysteresis=5' -H < in
	assert_equal "$(events <<< "$output")" '- - - - - - firing - resolved'
	# each level waits its own for=
	series m 90 90 90 > in
	run -0 --separate-stderr xm-alert -r 'm warn=70 crit=85 for=2' -H < in
	assert_equal "$(cut -f5,6 <<< "$output" | tr '\n' ' ')" 'ok	- critical	firing critical	- '
}

@test "xm-alert: hysteresis holds at the bound the alert crossed, not at the other" {
	# "5" is 0..5: a value falling from 12 to 0 is clear of it, margin or not
	series m 12 0 > in
	run -0 --separate-stderr xm-alert -r 'm warn=5 hysteresis=1' -H < in
	assert_equal "$(events <<< "$output")" 'firing resolved'
	series cpu_usage_percent 75 3 > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=70 hysteresis=5' -H < in
	assert_equal "$(events <<< "$output")" 'firing resolved'
	# from below: "10:" needs 12 to clear by 2, and 11 does not
	series free 5 11 12 > in
	run -0 --separate-stderr xm-alert -r 'free warn=10: hysteresis=2' -H < in
	assert_equal "$(events <<< "$output")" 'firing - resolved'
	# the side is kept in the state file's last value across cron runs
	series m 12 > in
	xm-alert -r 'm warn=5 hysteresis=1' --state st < in > /dev/null
	printf '2\th\tm\t4.5\n' | xm-alert -r 'm warn=5 hysteresis=1' --state st > /dev/null
	run -0 --separate-stderr bash -c "printf '3\th\tm\t0\n' | xm-alert -r 'm warn=5 hysteresis=1' --state st -H"
	assert_equal "$(events <<< "$output")" 'resolved'
}

@test "xm-alert: repeat= announces an unchanged alert again, at that period" {
	series m 80 80 80 80 80 80 10 > in
	run -0 --separate-stderr xm-alert -r 'm warn=70 repeat=2s' -H < in
	assert_equal "$(events <<< "$output")" 'firing - repeated - repeated - resolved'
}

@test "xm-alert: --stale resolves a series that stopped reporting, in record time" {
	printf '1\th\tm\t80\n2\th\tother\t1\n5\th\tother\t1\n7\th\tother\t1\n' > in
	run -0 --separate-stderr xm-alert -r 'm warn=70' --stale 5 -H < in
	assert_output '1	h	m	80	warning	firing	1	20909133f35c0e5a	m warn=70
2	h	other	1	-	-	-	-	-
5	h	other	1	-	-	-	-	-
6	h	m	80	ok	stale	6	20909133f35c0e5a	m warn=70
7	h	other	1	-	-	-	-	-'
	run -0 --separate-stderr xm-alert -r 'm warn=70' -H < in
	assert_equal "$(grep -c stale <<< "$output")" 0
}

# Five samples a minute apart of a steady alert on hosts a, b and c, c's
# clock $1 seconds off the others'.
three_hosts() {
	local i
	for i in 0 1 2 3 4; do
		printf '%s\t%s\tcpu_usage_percent\t99\n' $((1764288000 + i * 60)) a \
		    $((1764288000 + i * 60)) b $((1764288000 + i * 60 + $1)) c
	done
}

@test "xm-alert: --stale by each host's own clock: one ahead or behind moves no other's alerts" {
	# c's clock 500 s ahead (within the 600 s a ts may be), or 10 minutes
	# behind: each alert fires once and holds; it was 21 events either way,
	# the others' alerts stale and firing again at each of c's records
	three_hosts 500 > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=90' --stale 120 -e -H < in
	assert_equal "$(cut -f1,2,6 <<< "$output")" '1764288000	a	firing
1764288000	b	firing
1764288500	c	firing'
	assert_equal "$stderr" ""
	three_hosts -600 > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=90' --stale 120 -e -H < in
	assert_equal "$(cut -f1,2,6 <<< "$output")" '1764288000	a	firing
1764288000	b	firing
1764287400	c	firing'
	# c's clock in the year 2000 (an RTC before NTP), then set right: a
	# leap past the --forget age sets its clock anew and moves no other's
	# (13 events, the others' alerts stale and firing again, without that)
	three_hosts 0 | awk -F'\t' -v OFS='\t' '$2 == "c" && NR <= 6 { $1 -= 817603200 } 1' > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=90' --stale 120 -e -H < in
	assert_equal "$(cut -f1,2,6 <<< "$output")" '1764288000	a	firing
1764288000	b	firing
946684800	c	firing'
	# a host whose sampler stops: stale once the others have gone on past
	# --stale, at its last sample plus --stale by its own clock; from cron,
	# a run a minute, as in one run: each host's newest ts and how long it
	# has been quiet are saved
	three_hosts 500 | awk -F'\t' '$2 != "c" || $1 < 1764288600' > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=90' --stale 150 -e -H < in
	assert_equal "$(cut -f1,2,5,6 <<< "$output")" '1764288000	a	warning	firing
1764288000	b	warning	firing
1764288500	c	warning	firing
1764288710	c	ok	stale'
	cut -f1 in | uniq | while read -r t; do
		awk -F'\t' -v t="$t" '$1 == t' in |
		    xm-alert -r 'cpu_usage_percent warn=90' --stale 150 -e -H --state st
	done > cron
	diff -u - cron <<< "$output"
	assert_equal "$(grep '^#host' st)" '#host	a	1764288240	0
#host	b	1764288240	0
#host	c	1764288560	180'
	# a state file from before #host lines: each host heard from when it
	# was saved, so a, quiet since, goes stale once b has gone on 300 s,
	# not at once for b's ts being 500 on
	printf '#xm-alert state 1\n#ts\thost\tmetric\tvalue\tseverity\tsince\tfired\tannounced\tcounts\trule\n' > old
	printf '%s\t%s\tm\t99\twarning\t%s\t%s\t%s\t1@%s,1@%s,0@0,0@0/1\tm warn=90\n' \
	    1000 a 1000 1000 1000 1000 1000 1500 b 1500 1500 1500 1500 1500 >> old
	printf '#end\t2\n' >> old
	for t in 1560 1620 1680 1740 1800; do printf '%s\tb\tm\t99\n' "$t"; done > in
	run -0 --separate-stderr xm-alert -r 'm warn=90' --stale 300 --state old -H < in
	assert_equal "$(cut -f1,2,6 <<< "$output" | tr '\n' ' ')" '1560	b	- 1620	b	- 1680	b	- 1740	b	- 1300	a	stale 1800	b	- '
	assert_equal "$stderr" ""
}

@test "xm-alert: a series saved from a clock ahead starts afresh once behind it by more than its window" {
	now=$(date +%s)
	# one sample 9 minutes ahead (a clock wrong until NTP set it), saved:
	# the records after, at the right time, were all refused as older
	printf '%s\th\tcpu_usage_percent\t10\n' $((now + 540)) |
	    xm-alert -r 'cpu_usage_percent warn=90' --state st > /dev/null
	for i in 0 1 2; do printf '%s\th\tcpu_usage_percent\t99\n' $((now + i * 60)); done > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=90' --state st -H -e < in
	assert_equal "$(cut -f1,5,6 <<< "$output")" "$now	warning	firing"
	assert_equal "$stderr" "xm-alert: line 1: ts \"$now\" is 9m0s behind the newest sample of its series, more than its window of 5m0s: the series starts afresh"
	# said once: the next run is in order
	printf '%s\th\tcpu_usage_percent\t10\n' $((now + 180)) > in
	run -0 --separate-stderr xm-alert -r 'cpu_usage_percent warn=90' --state st -H -e < in
	assert_equal "$(cut -f1,5,6 <<< "$output")" "$((now + 180))	ok	resolved"
	assert_equal "$stderr" ""
	# an active alert keeps its severity: no second firing, one resolution
	printf '%s\th\tm\t99\n' $((now + 540)) | xm-alert -r 'm warn=90' --state st2 > /dev/null
	printf '%s\th\tm\t%s\n' "$now" 99 $((now + 60)) 98 $((now + 120)) 5 > in
	run -0 --separate-stderr xm-alert -r 'm warn=90' --state st2 -H < in
	assert_equal "$(cut -f1,5-7 <<< "$output")" "$now	warning	-	$now
$((now + 60))	warning	-	$now
$((now + 120))	ok	resolved	$((now + 120))"
	# within the window a record behind is out of order, and refused: 4
	# minutes behind; or 9 under a rule held for 15 minutes
	printf '%s\th\tm\t10\n' $((now + 240)) | xm-alert -r 'm warn=90' --state st3 > /dev/null
	printf '%s\th\tm\t99\n' "$now" > in
	run -1 --separate-stderr xm-alert -r 'm warn=90' --state st3 -H < in
	assert_equal "$stderr" "xm-alert: line 1: ts \"$now\" is older than the newest sample of its series
xm-alert: 1 record skipped"
	printf '%s\th\tm\t10\n' $((now + 540)) | xm-alert -r 'm warn=90 for=15m' --state st4 > /dev/null
	run -1 --separate-stderr xm-alert -r 'm warn=90 for=15m' --state st4 -H < in
	assert_equal "$stderr" "xm-alert: line 1: ts \"$now\" is older than the newest sample of its series
xm-alert: 1 record skipped"
}

@test "xm-alert: --forget: series quiet for longer go, resolving as forgotten, and make room past --max-series" {
	t=1764288000
	# a state file full to --max-series with the series of processes that
	# ended, half of them alerting; new processes an hour and more later:
	# every new series was dropped, on every run
	for i in $(seq 100); do
		printf '%s\th\tprocess_cpu_percent{pid="%d"}\t%d\n' $t "$i" $((i % 2 * 90))
	done | xm-alert -r 'process_cpu_percent{*} warn=50' --state st --max-series 100 > /dev/null
	for k in 0 1; do
		for i in $(seq 101 110); do
			printf '%s\th\tprocess_cpu_percent{pid="%d"}\t90\n' $((t + 7200 + k * 60)) "$i"
		done
	done > in
	run -1 --separate-stderr xm-alert -r 'process_cpu_percent{*} warn=50' --state st --max-series 100 -e -H \
	    -x 'echo "$XM_EVENT $XM_REASON $XM_TS $XM_MESSAGE" >> cb' < in
	# the first sample set after the pause makes none quiet (its own series
	# may yet come); at the next the old ones go, the active resolving
	assert_equal "$(cut -f1,5,6 <<< "$output" | uniq -c | tr -s ' ')" ' 50 1764291600	ok	resolved
 10 1764295260	warning	firing'
	assert_equal "$stderr" 'xm-alert: line 1: more than 100 series; new ones are not checked
xm-alert: 10 records of new series not checked (--max-series 100)'
	assert_equal "$(grep -F 'pid="1"}' cb)" 'resolved forgotten 1764291600 process_cpu_percent{pid="1"} on h: no data for 1h0m, forgotten: resolved after 1h0m'
	assert_equal "$(wc -l < cb)" 60
	# gone from the file too: only the new series
	assert_equal "$(grep -c '^[0-9]' st) $(grep -c 'pid="10[1-9]"\|pid="110"' st)" '10 10'
	# a pause of the whole stream forgets nothing that comes back after it
	printf '%s\th\tprocess_cpu_percent{pid="%d"}\t90\n' $((t + 86400)) 101 $((t + 86460)) 101 > in
	run -0 --separate-stderr xm-alert -r 'process_cpu_percent{*} warn=50' --state st -e -H < in
	assert_equal "$(cut -f3,5,6 <<< "$output")" 'process_cpu_percent{pid="102"}	ok	resolved
process_cpu_percent{pid="103"}	ok	resolved
process_cpu_percent{pid="104"}	ok	resolved
process_cpu_percent{pid="105"}	ok	resolved
process_cpu_percent{pid="106"}	ok	resolved
process_cpu_percent{pid="107"}	ok	resolved
process_cpu_percent{pid="108"}	ok	resolved
process_cpu_percent{pid="109"}	ok	resolved
process_cpu_percent{pid="110"}	ok	resolved'
	# --forget 0: never
	printf '%s\th\tm\t90\n' $t | xm-alert -r 'm warn=50' --state st0 > /dev/null
	printf '%s\th\tn\t1\n' $((t + 86400)) $((t + 86460)) > in
	run -0 --separate-stderr xm-alert -r 'm warn=50' -r 'n warn=50' --state st0 --forget 0s -e -H < in
	assert_output ''
	assert_equal "$(xm-alert --state st0 --list -H | cut -f3,5)" 'm	warning'
}

@test "xm-alert: alert_id is the same on every run, for series and rule" {
	series cpu_usage_percent 90 > in
	a=$(xm-alert -H -r "$CPU" < in | cut -f8)
	b=$(xm-alert -H -r 'cpu_usage_percent   warn=70  crit=85 emerg=95' < in | cut -f8)
	c=$(xm-alert -H -r 'cpu_usage_percent warn=71' < in | cut -f8)
	assert_equal "$a" fda876a91d93e0e5
	assert_equal "$b" "$a"
	[ "$c" != "$a" ]
}

@test "xm-alert: --state: cron runs fire once and resolve once, like one long run" {
	t=0
	for v in 50 80 81 82 20 21; do
		t=$((t + 1))
		printf '%s\th\tcpu_usage_percent\t%s\n' "$t" "$v" | xm-alert -r "$CPU" --state st -H -e >> cron
	done
	series cpu_usage_percent 50 80 81 82 20 21 | xm-alert -r "$CPU" -H -e > long
	diff -u long cron
	assert_equal "$(cut -f6 cron | tr '\n' ' ')" 'firing resolved '
	assert_equal "$(head -n 1 st)" '#xm-alert state 1'
	assert_equal "$(tail -n 1 st)" '#end	1'
	# for= counts carry across runs too
	rm st
	for v in 80 80 80; do
		t=$((t + 1))
		printf '%s\th\tm\t%s\n' "$t" "$v" | xm-alert -r 'm warn=70 for=3' --state st -H -e >> forrun
	done
	assert_equal "$(cut -f5,6 forrun)" 'warning	firing'
	# two rules on one series: two alerts, saved and carried on apart
	rm st
	t=0
	for v in 50 80 81 82 20 21; do
		t=$((t + 1))
		printf '%s\th\tm\t%s\n' "$t" "$v" |
		    xm-alert -r 'm warn=70' -r 'm crit=80 for=2' --state st -H -e >> cron2
	done
	series m 50 80 81 82 20 21 | xm-alert -r 'm warn=70' -r 'm crit=80 for=2' -H -e > long2
	diff -u long2 cron2
	assert_equal "$(cut -f1,5,6,9 cron2)" '2	warning	firing	m warn=70
4	critical	firing	m crit=80 for=2
5	ok	resolved	m crit=80 for=2
5	ok	resolved	m warn=70'
	assert_equal "$(tail -n 1 st)" '#end	2'
	# the same alert twice in a file is no state to trust
	grep -m 1 -v '^#' st >> st
	sed -i '/^#end/d' st
	printf '#end\t3\n' >> st
	run -1 --separate-stderr xm-alert -r 'm warn=70' -r 'm crit=80 for=2' --state st -H < /dev/null
	assert_equal "$stderr" 'xm-alert: st: an alert twice; moved aside to st.bad, starting afresh'
	# a rule given twice (its words as written aside) is one rule, one alert
	rm st
	series m 80 > in
	run -0 --separate-stderr xm-alert -r 'm warn=70' -r 'm  warn=70' --state st -H < in
	assert_equal "$stderr" 'xm-alert: -r "m  warn=70": the same rule as one before: taken once'
	assert_output '1	h	m	80	warning	firing	1	20909133f35c0e5a	m warn=70'
	printf 'm warn=70\n' > rules
	run -0 --separate-stderr xm-alert -r 'm warn=70' -c rules --state st -H < in
	assert_equal "$stderr" 'xm-alert: rules: line 1: the same rule as one before: taken once'
	assert_equal "$(tail -n 1 st)" '#end	1'
}

@test "xm-alert: --list shows the active alerts; --resolve resolves one by hand" {
	printf '1\th\tcpu_usage_percent\t99\n1\th\tmemory_usage_percent\t80\n1\th\tswap_usage_percent\t1\n' |
	    xm-alert -r "$CPU" -r "$MEM" -r 'swap_usage_percent warn=50' --state st > /dev/null
	run -0 --separate-stderr xm-alert --state st --list
	assert_output '#ts	host	metric	value	severity	event	since	alert_id	rule
1	h	cpu_usage_percent	99	emergency	-	1	fda876a91d93e0e5	cpu_usage_percent warn=70 crit=85 emerg=95
1	h	memory_usage_percent	80	warning	-	1	b9ac00477652ed97	memory_usage_percent warn=75 crit=90 emerg=98'
	run -0 --separate-stderr xm-alert --state st --resolve fda876a91d93e0e5 -H \
	    -x 'printf "%s %s\n" "$XM_EVENT" "$XM_REASON" > cb'
	assert_regex "$output" '^[0-9.]+	h	cpu_usage_percent	99	ok	resolved	[0-9.]+	fda876a91d93e0e5	cpu_usage_percent warn=70 crit=85 emerg=95$'
	assert_equal "$(cat cb)" 'resolved manual'
	run -0 --separate-stderr xm-alert --state st --list -H
	assert_output '1	h	memory_usage_percent	80	warning	-	1	b9ac00477652ed97	memory_usage_percent warn=75 crit=90 emerg=98'
	run -1 --separate-stderr xm-alert --state st --resolve fda876a91d93e0e5
	assert_equal "$stderr" 'xm-alert: no active alert "fda876a91d93e0e5" in st'
}

@test "xm-alert: --list and --resolve show and keep alerts of any rule, as saved" {
	series m 80 > in
	xm-alert -r 'm warn=70' --state st < in > /dev/null
	# no -r: the defaults are in force, yet the alert of m is listed
	run -0 --separate-stderr xm-alert --state st --list -H
	assert_output '1	h	m	80	warning	-	1	20909133f35c0e5a	m warn=70'
	run -0 --separate-stderr xm-alert --state st --resolve 20909133f35c0e5a -H \
	    -x 'printf "%s %s\n" "$XM_RULE" "$XM_MESSAGE" > cb'
	assert_equal "$(cut -f3,5,6 <<< "$output")" 'm	ok	resolved'
	assert_regex "$(cat cb)" '^m warn=70 m on h: resolved by hand after [0-9]+[dhms]'
	# the series is still in the file, under its rule, now ok
	assert_equal "$(grep -c '	m	80	ok	.*	m warn=70$' st)" 1
	# a clock behind the stream: resolved at the last sample, not before it
	ahead=$(($(date +%s) + 500))
	printf '%s\th\tm\t80\n' "$ahead" | xm-alert -r 'm warn=70' --state st > /dev/null
	run -0 --separate-stderr xm-alert --state st --resolve 20909133f35c0e5a -H
	assert_equal "$(cut -f1,7 <<< "$output")" "$ahead	$ahead"
}

@test "xm-alert: a rule changed under an active alert resolves it, with the reason" {
	series m 80 > in
	xm-alert -r 'm warn=70' --state st < in > /dev/null
	printf '5\th\tm\t80\n' > in
	run -0 --separate-stderr xm-alert -r 'm warn=90' --state st -H \
	    -x 'echo "$XM_EVENT $XM_REASON $XM_RULE $XM_ALERT_ID" >> cb' < in
	assert_output '5	h	m	80	ok	resolved	5	20909133f35c0e5a	m warn=70
5	h	m	80	ok	-	5	207c0d33f34a8504	m warn=90'
	assert_equal "$stderr" 'xm-alert: st: 1 alert under rules that changed starts afresh'
	assert_equal "$(cat cb)" 'resolved rule changed m warn=70 20909133f35c0e5a'
	# with no records, at its last sample
	xm-alert -r 'm warn=70' --state st2 < in > /dev/null
	run -0 --separate-stderr xm-alert -r 'm warn=60' --state st2 -e -H < /dev/null
	assert_output '5	h	m	80	ok	resolved	5	20909133f35c0e5a	m warn=70'
}

@test "xm-alert: --list and --resolve do not wait for a run that holds the state" {
	( printf '1\th\tm\t80\n'; sleep 5 ) | xm-alert -r 'm warn=70' --state st > /dev/null &
	for i in $(seq 100); do
		[ -e st.lock ] && ! flock -n st.lock true && break
		sleep 0.02
	done
	run -1 --separate-stderr timeout 2 xm-alert --state st --list
	assert_equal "$stderr" 'xm-alert: st: in use by another run; try again when it ends'
	run -3 --separate-stderr timeout 2 xm-alert --check --state /nonexistent/st < /dev/null
	assert_output 'XM UNKNOWN - the state file cannot be used'
	assert_equal "$stderr" 'xm-alert: /nonexistent: no such directory, for the state file /nonexistent/st'
	kill %1 2>/dev/null || true
	wait || true
}

@test "xm-alert: two runs on one state file take turns and lose nothing" {
	( printf '1\th\tm\t80\n'; sleep 1; printf '2\th\tm\t81\n' ) | xm-alert -r 'm warn=70' --state st -H > a &
	first=$!
	for i in $(seq 100); do
		[ -e st.lock ] && ! flock -n st.lock true && break
		sleep 0.02
	done
	run -0 --separate-stderr bash -c "printf '3\th\tm\t10\n' | xm-alert -r 'm warn=70' --state st -H"
	wait "$first"
	# the second waited for the first, and resolved what it fired
	assert_equal "$(cut -f5,6 <<< "$output")" 'ok	resolved'
	assert_equal "$(cut -f6 a | tr '\n' ' ')" 'firing - '
}

@test "xm-alert: a corrupt state file is moved aside with a message, never dropped" {
	printf '#xm-alert state 1\n1\th\tm\t5\n#end\t1\n' > st
	series cpu_usage_percent 90 > in
	run -1 --separate-stderr xm-alert -r "$CPU" --state st -H < in
	assert_equal "$stderr" 'xm-alert: st: a line of the wrong shape; moved aside to st.bad, starting afresh'
	assert_equal "$(cut -f6 <<< "$output")" firing
	assert_equal "$(sed -n 2p st.bad)" "$(printf '1\th\tm\t5')"
	printf 'garbage\n' > st
	run -1 --separate-stderr xm-alert -r "$CPU" --state st -H < in
	assert_equal "$stderr" 'xm-alert: st: no "#xm-alert state 1" line: not a state file, or another version; moved aside to st.bad.1, starting afresh'
	assert_equal "$(sed -n 2p st.bad)" "$(printf '1\th\tm\t5')"
	# rules changed between runs: the series starts afresh, said once
	xm-alert -r "$CPU" --state st -H < in > /dev/null
	run -0 --separate-stderr xm-alert --state st -r 'cpu_usage_percent warn=99' -H < in
	assert_equal "$stderr" 'xm-alert: st: 1 alert under rules that changed starts afresh'
	# one that cannot be moved aside is not written over: the run stops,
	# UNKNOWN to Nagios
	printf 'garbage\n' > st
	touch st.bad.{2..999}
	run -1 --separate-stderr xm-alert --state st -H < in
	assert_output ''
	assert_equal "$stderr" 'xm-alert: st: no "#xm-alert state 1" line: not a state file, or another version; and it cannot be moved aside: File exists'
	run -3 --separate-stderr xm-alert --check --state st < in
	assert_output 'XM UNKNOWN - the state file cannot be used'
	assert_equal "$(cat st)" garbage
}

@test "xm-alert: -x gets the event in the environment, never on a command line" {
	printf '1\tweb1\tcpu_usage_percent\t90\n2\tweb1\tcpu_usage_percent\t10\n' > in
	# the test harness's own XM_ variables aside, these and only these
	run -0 --separate-stderr env -i PATH="$PATH" xm-alert -H -r "$CPU" \
	    -x 'env | grep ^XM_ | sort >> env.$XM_EVENT' < in
	assert_equal "$(cat env.firing)" 'XM_ALERT_ID=7c6ead84b63e06d8
XM_EVENT=firing
XM_FIELD=value
XM_FIRED=1
XM_HOST=web1
XM_MESSAGE=cpu_usage_percent on web1: critical, value 90 (crit 85)
XM_METRIC=cpu_usage_percent
XM_PREVIOUS=ok
XM_REASON=value
XM_RULE=cpu_usage_percent warn=70 crit=85 emerg=95
XM_SEVERITY=critical
XM_SINCE=1
XM_TS=1
XM_VALUE=90'
	assert_equal "$(grep -E '^XM_(EVENT|PREVIOUS|SEVERITY|MESSAGE)=' env.resolved)" 'XM_EVENT=resolved
XM_MESSAGE=cpu_usage_percent on web1: resolved after 1s, value 10
XM_PREVIOUS=critical
XM_SEVERITY=ok'
}

@test "xm-alert: a metric or host full of shell runs nothing" {
	cat > in <<-'IN'
	1	$(touch pwned-host)`touch pwned-tick`	x{a="$(touch pwned);rm -rf ~"}	9
	2	h'"; touch pwned-q	m{b="`touch pwned2` \"'\"; $HOME"}	9
	IN
	run -0 --separate-stderr xm-alert -H -r '* warn=1' \
	    -x 'printf "%s|%s\n" "$XM_HOST" "$XM_METRIC" >> got; echo $XM_METRIC $XM_HOST >> got2' < in
	assert_equal "$stderr" ""
	[ ! -e pwned ]
	[ ! -e pwned2 ]
	[ ! -e pwned-host ]
	[ ! -e pwned-tick ]
	[ ! -e pwned-q ]
	# two alerts: their callbacks may run at once, in either order
	assert_equal "$(sort got)" "$(sort <<-'GOT'
	$(touch pwned-host)`touch pwned-tick`|x{a="$(touch pwned);rm -rf ~"}
	h'"; touch pwned-q|m{b="`touch pwned2` \"'\"; $HOME"}
	GOT
	)"
	assert_equal "$(wc -l < got2)" 2
}

@test "xm-alert: a hanging callback is killed and tried again; an alert's later events wait for it" {
	series m 80 10 80 > in
	start=$(date +%s)
	cmd='if [ $XM_EVENT = resolved ]; then exit 3; fi; sleep 30'
	run -1 --separate-stderr xm-alert -H -r 'm warn=70' --exec-timeout 1 --state st -x "$cmd" < in
	end=$(date +%s)
	[ $((end - start)) -lt 10 ]
	assert_equal "$(events <<< "$output")" 'firing resolved firing'
	# the end does not wait for the retry: it and the events after it, which
	# may not overtake it, are kept for the next run
	assert_equal "$stderr" "xm-alert: -x \"$cmd\": firing 20909133f35c0e5a: killed after 1s; trying again in 10s
xm-alert: st: 3 notifications not yet delivered, kept for the next run"
	assert_equal "$(grep '^#pending' st | cut -f2,4)" '1	XM_EVENT=firing
0	XM_EVENT=resolved
0	XM_EVENT=firing'
	# without --state they are lost, and said so
	run -1 --separate-stderr xm-alert -H -r 'm warn=70' --exec-timeout 1 -x "$cmd" < in
	assert_equal "${stderr#*$'\n'}" 'xm-alert: 3 notifications not delivered: no --state to keep them for a later run'
}

@test "xm-alert: a notification that fails is delivered by the next run, or by a retry while the stream goes on" {
	# the Alertmanager down for a minute: the first try fails, the next run
	# (from cron) delivers it, first of all; it was never sent again
	cmd='echo $XM_EVENT $XM_TS >> log; [ -e up ]'
	printf '1\th\tm\t80\n' > in
	run -1 --separate-stderr xm-alert -H -r 'm warn=70' --state st -x "$cmd" < in
	assert_equal "$stderr" "xm-alert: -x \"$cmd\": firing 20909133f35c0e5a: exit status 1; trying again in 10s
xm-alert: st: 1 notification not yet delivered, kept for the next run"
	assert_equal "$(grep -c '^#pending	1	' st)" 1
	# a run with no -x (--resolve by hand, --list) keeps it as it is
	run -0 --separate-stderr xm-alert --state st --list -H
	touch up
	printf '2\th\tm\t10\n' > in
	run -0 --separate-stderr xm-alert -H -r 'm warn=70' --state st -x "$cmd" < in
	assert_equal "$stderr" ""
	assert_equal "$(cat log)" 'firing 1
firing 1
resolved 2'
	assert_equal "$(grep -c '^#pending' st)" 0
	# in one long run: tried again 10 s later, while the stream waits for input
	rm -f log up
	# (the input ends once the retry is seen, or after 30 s)
	( printf '1\th\tm\t80\n'; wait_lines log 1; touch up; for i in $(seq 300); do
		[ "$(wc -l < log)" -lt 2 ] || break; sleep 0.1; done ) |
	    xm-alert -H -r 'm warn=70' -x "$cmd" > /dev/null 2> err
	assert_equal "$(cat log)" 'firing 1
firing 1'
	assert_equal "$(cat err)" "xm-alert: -x \"$cmd\": firing 20909133f35c0e5a: exit status 1; trying again in 10s"
	# a pending notification for a command no longer given is dropped, said
	printf '1\th\tm\t80\n' | xm-alert -H -r 'm warn=70' --state st2 -x false > /dev/null 2>&1 || :
	run -1 --separate-stderr xm-alert -H -r 'm warn=70' --state st2 -x true <<< $'2\th\tm\t80'
	assert_equal "$stderr" 'xm-alert: st2: 1 notification for a command not given (-x) dropped'
}

@test "xm-alert: retries are bounded: six tries, 10 s, then twice as long before each, then given up" {
	printf '1\th\tm\t80\n' > in
	for k in 1 2 3 4 5 6; do
		run -1 --separate-stderr xm-alert -H -r 'm warn=70' --state st -x 'echo $XM_EVENT >> log; exit 7' < in
		echo "${stderr%%$'\n'*}" >> said
		printf '' > in
	done
	assert_equal "$(cat said)" 'xm-alert: -x "echo $XM_EVENT >> log; exit 7": firing 20909133f35c0e5a: exit status 7; trying again in 10s
xm-alert: -x "echo $XM_EVENT >> log; exit 7": firing 20909133f35c0e5a: exit status 7; trying again in 20s
xm-alert: -x "echo $XM_EVENT >> log; exit 7": firing 20909133f35c0e5a: exit status 7; trying again in 40s
xm-alert: -x "echo $XM_EVENT >> log; exit 7": firing 20909133f35c0e5a: exit status 7; trying again in 80s
xm-alert: -x "echo $XM_EVENT >> log; exit 7": firing 20909133f35c0e5a: exit status 7; trying again in 160s
xm-alert: -x "echo $XM_EVENT >> log; exit 7": firing 20909133f35c0e5a: exit status 7; given up after 6 tries'
	assert_equal "$(wc -l < log) $(grep -c '^#pending' st)" '6 0'
	run -0 --separate-stderr xm-alert -H -r 'm warn=70' --state st -x 'echo $XM_EVENT >> log; exit 7' < /dev/null
	assert_equal "$(wc -l < log)" 6
}

@test "xm-alert: callbacks run in the order of their events, and all before it exits" {
	series m 80 10 80 10 80 10 > in
	run -0 --separate-stderr xm-alert -H -r 'm warn=70' -x 'sleep 0.1; echo "$XM_TS $XM_EVENT" >> log' < in
	assert_equal "$(cat log)" '1 firing
2 resolved
3 firing
4 resolved
5 firing
6 resolved'
}

@test "xm-alert: --check: status line, perfdata, exit 0 1 2 3" {
	printf '1\th\tcpu_usage_percent\t50\n1\th\tmemory_usage_percent\t40\n' > in
	run -0 --separate-stderr xm-alert --check -r "$CPU" -r "$MEM" < in
	assert_output "XM OK - 2 series within thresholds | 'cpu_usage_percent'=50%;70;85;0;100 'memory_usage_percent'=40%;75;90;0;100"
	printf '1\th\tcpu_usage_percent\t75\n1\th\tresponse_time_seconds\t1.5\n' > in
	run -1 --separate-stderr xm-alert --check -r "$CPU" -r 'response_time_seconds warn=2 crit=5' < in
	assert_output "XM WARNING - cpu_usage_percent 75 (warn 70) | 'cpu_usage_percent'=75%;70;85;0;100 'response_time_seconds'=1.5s;2;5;;"
	# a labelled series' perfdata label is its metric and its labels' values
	printf '1\th\tcpu_usage_percent\t93.1\n1\th\tdisk_usage_percent{mountpoint="/"}\t97\n' > in
	run -2 --separate-stderr xm-alert --check -r "$CPU" -r "$DISK" < in
	assert_output "XM CRITICAL - disk_usage_percent{mountpoint=\"/\"} 97 (emerg 95), cpu_usage_percent 93.1 (crit 85) | 'disk_usage_percent{/}'=97%;80;90;0;100 'cpu_usage_percent'=93.1%;70;85;0;100"
	run -3 --separate-stderr xm-alert --check < /dev/null
	assert_output 'XM UNKNOWN - no data for any rule'
	printf '1\th\tcpu_usage_percent\tabc\n1\th\tmemory_usage_percent\t40\n' > in
	run -3 --separate-stderr xm-alert --check < in
	assert_output 'XM UNKNOWN - 1 record of the input could not be read'
	run -3 --separate-stderr xm-alert --check --bogus < in
	run -3 --separate-stderr xm-alert --chec --bogus < in
	# perfdata numbers in plain decimal, never with an exponent
	printf '1\th\tnet_bytes\t1.5e12\n1\th\tt_seconds\t2.5e-07\n' > in
	run -1 --separate-stderr xm-alert --check -r 'net_bytes warn=1e12' -r 't_seconds warn=1' < in
	assert_output "XM WARNING - net_bytes 1500000000000 (warn 1e12) | 'net_bytes'=1500000000000B;1e12;;; 't_seconds'=0.00000025s;1;;;"
	run -3 --separate-stderr xm-alert -r 'm warn=x' --check < in
	assert_equal "${stderr%%$'\n'*}" 'xm-alert: -r "m warn=x": "x": not a range (10, 10:, ~:10, 10:20, @10:20)'
	# several hosts: each label says which
	printf '1\ta\tcpu_usage_percent\t80\n1\tb\tcpu_usage_percent\t10\n' > in
	run -1 --separate-stderr xm-alert --check -r "$CPU" < in
	assert_output "XM WARNING - a:cpu_usage_percent 80 (warn 70) | 'a:cpu_usage_percent'=80%;70;85;0;100 'b:cpu_usage_percent'=10%;70;85;0;100"
	# several rules on a series: perfdata once, of its value; an alert on
	# another column is named by it, and gives none
	printf '#ts\thost\tmetric\tvalue\trzscore\teta_seconds\n' > in
	printf '1\th\tdisk_usage_percent{mountpoint="/"}\t85\t0\t600\n1\th\tnet_rx_bytes\t5\t0.67\t-\n' >> in
	run -2 --separate-stderr xm-alert --check -r "$DISK" -r 'disk_usage_percent{*} field=eta_seconds crit=@0:14400' \
	    -r '* field=rzscore info=-6:6 for=3' < in
	assert_output "XM CRITICAL - disk_usage_percent{mountpoint=\"/\"} eta_seconds 600 (crit @0:14400), disk_usage_percent{mountpoint=\"/\"} 85 (warn 80) | 'disk_usage_percent{/}'=85%;80;90;0;100"
	# labels with quotes, = and ' in their values, of two hosts: a label
	# Monitoring::Plugin reads back whole, value and thresholds
	printf '1\tweb1\tdisk_usage_percent{mountpoint="/var/lib"}\t93\n1\tweb2\tprocess_cpu_percent{comm="a\\"b=c'"'"'d",pid="12"}\t5\n' > in
	run -2 --separate-stderr xm-alert --check -r "$DISK" -r 'process_cpu_percent{*} warn=90' < in
	assert_output "XM CRITICAL - web1:disk_usage_percent{mountpoint=\"/var/lib\"} 93 (crit 90) | 'web1:disk_usage_percent{/var/lib}'=93%;80;90;0;100 'web2:process_cpu_percent{a\"b_c_d,12}'=5%;90;;0;100"
	run -0 perl -MMonitoring::Plugin::Performance -e '
	    for (Monitoring::Plugin::Performance->parse_perfstring((split /\|/, $ARGV[0], 2)[1])) {
		print $_->label, " ", $_->value, $_->uom, " ", $_->threshold->warning->end, "\n" }' "$output"
	assert_output 'web1:disk_usage_percent{/var/lib} 93% 80
web2:process_cpu_percent{a"b_c_d,12} 5% 90'
}

@test "xm-alert: a usage error before --check: said once, the synopsis, exit 3; what follows is not acted on" {
	usage=$(xm-alert --bogus 2>&1 | tail -n +2 || true)
	assert_equal "${usage%%$'\n'*}" 'usage: xm-alert [-eH] [-r rule]... [-c file]... [-x command]...'
	# getopt's own message, then no other, no --help, and --check at the end
	run -3 --separate-stderr xm-alert --bogus -r 'm warn=x' -z -h --check
	assert_output ''
	assert_equal "$stderr" "xm-alert: unrecognized option '--bogus'
$usage"
	run -3 --separate-stderr xm-alert -r 'm warn=x' --exec= --bogus -V --check=1
	assert_output ''
	assert_equal "$stderr" "xm-alert: -r \"m warn=x\": \"x\": not a range (10, 10:, ~:10, 10:20, @10:20)
$usage"
	# a -c file stops at its first bad rule
	printf 'm warn=1\nm warn=1\nm warn=y\nm warn=z\n' > rules
	run -3 --separate-stderr xm-alert -c rules -c /nonexistent --ch
	assert_equal "$stderr" "xm-alert: rules: line 2: the same rule as one before: taken once
xm-alert: rules: line 3: \"y\": not a range (10, 10:, ~:10, 10:20, @10:20)
$usage"
	# without --check, 2; an operand left over is told after the options
	run -2 --separate-stderr xm-alert --bogus -r 'm warn=x'
	assert_equal "$stderr" "xm-alert: unrecognized option '--bogus'
$usage"
	run -3 --separate-stderr xm-alert extra --check
	assert_equal "$stderr" "xm-alert: extra: unexpected argument
$usage"
}

@test "xm-alert: --check under the default rules: the latest value's level, for= left to Nagios" {
	# memory at 92% once: the default holds 15 minutes before it fires,
	# but a check says WARNING now, and Nagios's max_check_attempts holds it
	printf '1\th\tmemory_usage_percent\t92\n' > in
	run -1 --separate-stderr xm-alert --check < in
	assert_output "XM WARNING - memory_usage_percent 92 (warn 90) | 'memory_usage_percent'=92%;90;95;0;100"
	# a firing alert held by its margin stays WARNING at 87, and with --state
	# the next check, at 84, is clear of it by 5: OK
	printf '0\th\tmemory_usage_percent\t92\n900\th\tmemory_usage_percent\t92\n960\th\tmemory_usage_percent\t87\n' > in
	run -1 --separate-stderr xm-alert --check --state st < in
	assert_output "XM WARNING - memory_usage_percent 87 (warn 90) | 'memory_usage_percent'=87%;90;95;0;100"
	printf '1020\th\tmemory_usage_percent\t84\n' > in
	run -0 --separate-stderr xm-alert --check --state st < in
	assert_output "XM OK - 1 series within thresholds | 'memory_usage_percent'=84%;90;95;0;100"
	# a series of the state file alone, not in this run's input: as it was
	# saved, no value of 0 made up for it
	printf '1\th\tfree\t50\n' | xm-alert -r 'free warn=10:' -r 'm warn=5' --state st2 > /dev/null
	printf '2\th\tm\t1\n' > in
	run -0 --separate-stderr xm-alert --check -r 'free warn=10:' -r 'm warn=5' --state st2 < in
	assert_output "XM OK - 2 series within thresholds; no series for rule \"free warn=10:\" | 'free'=50;10:;;; 'm'=1;5;;;"
	# load, per CPU (node-mixin's NodeSystemSaturation), is checked
	printf '1\th\tload1\t9\n1\th\tload5\t6\n1\th\tload15\t3\n1\th\tload1_per_cpu\t2.25\n' > in
	run -1 --separate-stderr xm-alert --check < in
	assert_output "XM WARNING - load1_per_cpu 2.25 (warn 2) | 'load1_per_cpu'=2.25;2;;;"
	# a rule that matched nothing is said, in the text and on stderr
	run -1 --separate-stderr xm-alert --check -r 'load1_per_cpu warn=2' -r 'disk_usage_percent warn=90' < in
	assert_output "XM WARNING - load1_per_cpu 2.25 (warn 2); no series for rule \"disk_usage_percent warn=90\" | 'load1_per_cpu'=2.25;2;;;"
	assert_equal "$stderr" 'xm-alert: rule "disk_usage_percent warn=90" matched no series'
}

@test "xm-alert: malformed records are skipped with their line; the rest go on" {
	printf '1\th\tcpu_usage_percent\t90\nbad line\n3\th\tcpu_usage_percent\tx\n2\th\tcpu_usage_percent\t10\n1\th\tcpu_usage_percent\t90\n' > in
	run -1 --separate-stderr xm-alert -r "$CPU" -H < in
	assert_equal "$(events <<< "$output")" 'firing resolved'
	assert_equal "$stderr" 'xm-alert: line 2: 1 field, a record needs at least 4 (fields are separated by TABs, and this line has spaces)
xm-alert: line 3: value "x" is not a number
xm-alert: line 5: ts "1" is older than the newest sample of its series
xm-alert: 3 records skipped'
	run -1 --separate-stderr xm-alert -r "$CPU" -H --strict < in
	assert_equal "$(events <<< "$output")" 'firing'
}

@test "xm-alert: at end of input the output is out before the callbacks are waited for" {
	printf '1\th\tm\t80\n' | xm-alert -r 'm warn=70' -H -x 'sleep 3' > out &
	pid=$!
	wait_lines out 1
	kill -0 "$pid"
	assert_equal "$(cut -f6 out)" firing
	wait "$pid"
}

@test "xm-alert: SIGTERM ends it cleanly: callbacks waited for, state saved, status 0" {
	( printf '1\th\tm\t80\n'; sleep 30 ) | xm-alert -r 'm warn=70' --state st -x 'sleep 0.5; echo ran > cb' > out 2> err &
	pid=$!
	wait_lines out 2
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 0
	assert_equal "$(cat err)" ""
	assert_equal "$(cat cb)" ran
	assert_equal "$(tail -n 1 st)" '#end	1'
}

@test "xm-alert: a SIGTERM during a slow notifier keeps its notification for the next run, status 1" {
	# the first ends the reading, the second the wait for the callback; once
	# input has ended, the first does (a cron run's notifier, the run
	# stopped by a timeout): the run exited 0, the alert saved as told,
	# and the notification was never sent
	cmd='if [ -e slow ]; then sleep 31; fi; echo "$XM_EVENT $XM_TS" >> log'
	touch slow
	for how in 'twice' 'after input'; do
		rm -f st log
		if [ "$how" = twice ]; then
			( printf '1\th\tm\t80\n'; sleep 5 ) | xm-alert -r 'm warn=70' --state st -x "$cmd" > out 2> err &
		else
			printf '1\th\tm\t80\n' | xm-alert -r 'm warn=70' --state st -x "$cmd" > out 2> err &
		fi
		pid=$!
		wait_lines out 2
		for i in $(seq 100); do pgrep -f 'sleep 31' > /dev/null && break; sleep 0.05; done
		kill -TERM "$pid"
		if [ "$how" = twice ]; then
			sleep 0.3
			kill -TERM "$pid"
		fi
		status=0
		wait "$pid" || status=$?
		assert_equal "$how $status" "$how 1"
		assert_equal "$(cat err)" 'xm-alert: ending: 1 callback killed, 0 not run
xm-alert: st: 1 notification not yet delivered, kept for the next run'
		assert_equal "$(grep -c '^#pending	0	' st) $(tail -n 1 st)" '1 #end	1'
		! pgrep -f 'sleep 31'
	done
	# the next run delivers it, and fires nothing again
	rm slow
	run -0 --separate-stderr xm-alert -r 'm warn=70' --state st -x "$cmd" -e -H < /dev/null
	assert_equal "$(cat log)" 'firing 1'
	assert_output ""
	assert_equal "$(grep -c '^#pending' st)" 0
}

@test "xm-alert: a full callback queue holds up the stream; no event is lost" {
	# 1200 events of one alert: its callbacks run one at a time, queue 1000
	for i in $(seq 1200); do printf '%d\th\tm\t%d\n' "$i" $((i % 2 * 80)); done > in
	run -0 --separate-stderr xm-alert -r 'm warn=70' -e -H -x 'echo "$XM_TS" >> log' < in
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 1200
	assert_equal "$(wc -l < log)" 1200
	assert_equal "$(sort -n log | uniq | wc -l)" 1200
	assert_equal "$(cat log)" "$(seq 1200)"
}

@test "xm-alert: what review found: --max-series keeps saved alerts, --check= is UNKNOWN, a wide margin" {
	printf '1\th\ta\t80\n1\th\tb\t80\n' | xm-alert -r '* warn=70' --state st > /dev/null
	run -0 --separate-stderr xm-alert --state st --list -H
	assert_equal "$(cut -f3 <<< "$output" | tr '\n' ' ')" 'a b '
	run -1 --separate-stderr bash -c "printf '2\th\tc\t1\n' | xm-alert -r '* warn=70' --state st --max-series 1 -H"
	run -0 --separate-stderr xm-alert --state st --list -H
	assert_equal "$(cut -f3 <<< "$output" | tr '\n' ' ')" 'a b '
	run -3 --separate-stderr xm-alert --check=1 < /dev/null
	# a margin wider than the range: 0 still clears "80" from above
	series m 90 0 > in
	run -0 --separate-stderr xm-alert -r 'm warn=80 hysteresis=100' -H < in
	assert_equal "$(events <<< "$output")" 'firing resolved'
	# the side an alert came from is kept across cron runs: 5 (below) then
	# 15 (within 6 of 20, but not of 10) then 20 resolves, as in one run
	for v in 5 15 20; do
		printf '%s\th\tm\t%s\n' $v $v | xm-alert -r 'm warn=10:20 hysteresis=6' --state st2 -H >> cron
	done
	assert_equal "$(events < cron)" 'firing - resolved'
	# perfdata of the tiny, in plain decimals
	printf '1\th\tt_seconds\t1e-20\n' > in
	run -0 --separate-stderr xm-alert --check -r 't_seconds warn=1' < in
	assert_output "XM OK - 1 series within thresholds | 't_seconds'=0.00000000000000000001s;1;;;"
}

@test "xm-alert: --state: a reader that leaves early costs no alert: the callbacks owed run, the state is saved, nothing fires twice" {
	for i in $(seq 0 20000); do
		printf '%d\th\tm%d\t90\n' "$i" $((i % 3))
	done > in
	for reader in 'head -n 1' 'head -c 1' 'sh -c "head -c 10000 > /dev/null; kill -9 \$\$"'; do
		rm -f A A.lock log
		run -0 bash -c "xm-alert -H --state A -r 'm* crit=85' \\
		    -x 'sleep 0.1; echo \"\$XM_EVENT \$XM_METRIC\" >> log' < in 2> err | $reader > /dev/null
		    exit \${PIPESTATUS[0]}"
		assert_equal "$(cat err)" ""
		assert_equal "$(sort log)" 'firing m0
firing m1
firing m2'
		# the next run: still critical, no second firing; the resolution when
		# it comes (hours after the records the first run read: m2, quiet
		# since, is not to be forgotten here)
		run -0 --separate-stderr xm-alert -H --state A -r 'm* crit=85' --forget 0 <<< $'20001\th\tm0\t90\n20002\th\tm1\t10'
		assert_equal "$(cut -f 3,5,6 <<< "$output")" 'm0	critical	-
m1	ok	resolved'
		assert_equal "$stderr" ""
	done
	# both stages of a cron pipeline whose reader leaves: both end 0, both saved
	xm-sample --synthetic --seed 1 --start 1764288000 -n 3000 > s
	rm -f A A.lock
	run -0 --separate-stderr bash -c 'xm-buffer -w 1d --state B < s | xm-alert --state A | head -n 1 > /dev/null
	    echo "${PIPESTATUS[*]}"'
	assert_output '0 0 0'
	assert_equal "$stderr" ""
	run -0 --separate-stderr xm-alert --state A --list
	run -0 --separate-stderr bash -c 'xm-sample --synthetic --seed 1 --start 1764291000 -n 1 | xm-buffer -w 1d -H --state B | cut -f 5 | sort -n | head -n 1'
	[ "$output" -gt 1 ] || fail "the window did not go on: n $output"
}

@test "xm-alert: a rule given that matched no series is said once, by name, at the end" {
	printf '1\th\tdisk_usage_percent{mountpoint="/"}\t50\n2\th\tdisk_usage_percent{mountpoint="/"}\t60\n' > in
	# a forgotten {*}: the rule names a series without labels, of which there is none
	run -0 --separate-stderr xm-alert -H -r 'disk_usage_percent warn=80' -r 'disk_usage_percent{*} warn=80' \
	    -r 'cpu_usage_percent host=db* warn=1' < in
	assert_equal "$stderr" 'xm-alert: rule "disk_usage_percent warn=80" matched no series
xm-alert: rule "cpu_usage_percent host=db* warn=1" matched no series'
	assert_equal "$(cut -f5 <<< "$output" | tr '\n' ' ')" 'ok ok '
	# the defaults are for whatever a stream holds, and say nothing
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$stderr" ""
	# and with no input at all there is nothing to say it of
	run -0 --separate-stderr xm-alert -H -r 'disk_usage_percent warn=80' < /dev/null
	assert_equal "$stderr" ""
}

@test "xm-alert: --help: the usage, then each option with a line on what it does" {
	help_lists_options xm-alert
	assert_line '  -c, --config FILE     rules from FILE, one a line; # starts a comment'
}

@test "xm-alert: bad command lines: one message, the usage, status 2" {
	usage='usage: xm-alert [-eH] [-r rule]... [-c file]... [-x command]...
                [--exec-timeout seconds] [--stale seconds] [--state file]
                [--check] [--csv] [--forget duration] [--max-series n]
                [--strict] [--wait seconds]
       xm-alert [-r rule]... [-c file]... --rules
       xm-alert --state file [-x command]... --list | --resolve alert_id'
	printf 'cpu warn=1\n\n# ok\ncpu bogus=1\n' > rules
	while IFS='|' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr xm-alert "$@" < /dev/null
		assert_equal "$stderr" "xm-alert: $message
$usage"
	done <<-'CASES'
	-r 'cpu'|-r "cpu": no level (info=, warn=, crit= or emerg=)
	-r 'cpu warn=1:0'|-r "cpu warn=1:0": "1:0": not a range (10, 10:, ~:10, 10:20, @10:20)
	-r 'cpu warn=90 crit=80'|-r "cpu warn=90 crit=80": crit=80 alerts where warn=90 does not: the levels are in the wrong order
	-r 'free warn=10: crit=20:'|-r "free warn=10: crit=20:": crit=20: alerts where warn=10: does not: the levels are in the wrong order
	-r 'm info=~:5 emerg=~:3'|-r "m info=~:5 emerg=~:3": emerg=~:3 alerts where info=~:5 does not: the levels are in the wrong order
	-r 'eta warn=@0:3600 crit=@0:7200'|-r "eta warn=@0:3600 crit=@0:7200": crit=@0:7200 alerts where warn=@0:3600 does not: the levels are in the wrong order
	-c rules|rules: line 4: "bogus": not a key (field, host, info, warn, crit, emerg, for, hysteresis, repeat)
	-c nonexistent|nonexistent: No such file or directory
	--stale 0|--stale: "0": not a duration of at least 1ms
	--exec-timeout x|--exec-timeout: "x": not a duration of at least 1ms
	--forget -1|--forget: "-1": not a duration of at least 1ms
	--list|--list needs --state
	--list --rules --state s|--list, --resolve, --rules and --check: one at a time
	-x ''|-x: "": not a command
	--bogus|unrecognized option '--bogus'
	extra|extra: unexpected argument
	CASES
}

# A stand-in for a command a notifier runs: its arguments and stdin, to
# files named after it; it prints $2, if given.
fake() {
	mkdir -p fake
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/%s.args"\ncat > "%s/%s.in" 2>/dev/null || :\nprintf "%%s" "%s"\n' \
	    "$PWD" "$1" "$PWD" "$1" "${2:-}" > "fake/$1"
	chmod +x "fake/$1"
}

@test "xm-alert: the notifiers: Alertmanager JSON, syslog, mail" {
	fake curl 200
	fake logger
	fake mail
	SCRIPTS="$BATS_TEST_DIRNAME/../scripts"
	printf '1764288000\tweb"1\tdisk_usage_percent{mountpoint="/"}\t91\n1764288060\tweb"1\tdisk_usage_percent{mountpoint="/"}\t10\n' > in
	export XM_ALERTMANAGER_URL=http://am:9093
	PATH="$PWD/fake:$PATH" run -0 --separate-stderr xm-alert -e -H -r "$DISK" \
	    -x "$SCRIPTS/xm-notify-alertmanager; cp curl.in am.\$XM_EVENT" < in
	assert_equal "$(cat am.firing)" '[{"labels":{"alertname":"xm_disk_usage_percent","host":"web\"1","metric":"disk_usage_percent","mountpoint":"/","severity":"critical","alert_id":"2ae343a493c670bc"},"annotations":{"summary":"disk_usage_percent{mountpoint=\"/\"} on web\"1: critical, value 91 (crit 90)","value":"91","rule":"disk_usage_percent{*} warn=80 crit=90 emerg=95"},"startsAt":"2025-11-28T00:00:00.000Z"}]'
	assert_equal "$(cat am.resolved)" '[{"labels":{"alertname":"xm_disk_usage_percent","host":"web\"1","metric":"disk_usage_percent","mountpoint":"/","severity":"critical","alert_id":"2ae343a493c670bc"},"annotations":{"summary":"disk_usage_percent{mountpoint=\"/\"} on web\"1: resolved after 1m0s, value 10","value":"10","rule":"disk_usage_percent{*} warn=80 crit=90 emerg=95"},"startsAt":"2025-11-28T00:00:00.000Z","endsAt":"2025-11-28T00:01:00.000Z"}]'
	assert_equal "$(tail -n 1 curl.args)" 'http://am:9093/api/v2/alerts'
	# the series' own labels beside ours: one named host keeps its name and
	# ours gives way, one named severity, which the Alertmanager routes by,
	# gives way to ours
	printf '1764288000\tw\tq{host="inner",severity="x",v="a\\"b"}\t9\n' |
	    PATH="$PWD/fake:$PATH" xm-alert -e -H -r 'q{*} warn=1' -x "$SCRIPTS/xm-notify-alertmanager; cp curl.in am.labels" > /dev/null
	id=$(sed 's/.*"alert_id":"\([0-9a-f]*\)".*/\1/' am.labels)
	assert_equal "$(cut -d '}' -f 1 am.labels)" "[{\"labels\":{\"alertname\":\"xm_q\",\"xm_host\":\"w\",\"metric\":\"q\",\"host\":\"inner\",\"exported_severity\":\"x\",\"v\":\"a\\\"b\",\"severity\":\"warning\",\"alert_id\":\"$id\""
	PATH="$PWD/fake:$PATH" run -0 --separate-stderr xm-alert -e -H -r "$DISK" -x "$SCRIPTS/xm-notify-syslog" < in
	assert_equal "$(cat logger.args)" '-t
xm-alert
-p
user.notice
--
resolved ok 2ae343a493c670bc: disk_usage_percent{mountpoint="/"} on web"1: resolved after 1m0s, value 10'
	export XM_MAIL_TO=ops@example.org
	PATH="$PWD/fake:$PATH" run -0 --separate-stderr xm-alert -e -H -r "$DISK" -x "$SCRIPTS/xm-notify-mail" < in
	assert_equal "$(cat mail.args)" '-s
[xm] ok resolved: disk_usage_percent{mountpoint="/"} on web"1
--
ops@example.org'
	assert_equal "$(head -n 3 mail.in)" 'disk_usage_percent{mountpoint="/"} on web"1: resolved after 1m0s, value 10

event     resolved'
	# an info alert mails no one, unless asked; a rise from it does
	printf '1\th\tm\t5\n2\th\tm\t50\n3\th\tm\t5\n' > info
	each="rm -f mail.args; $SCRIPTS/xm-notify-mail; [ ! -e mail.args ] || cat mail.args >> sent"
	PATH="$PWD/fake:$PATH" run -0 --separate-stderr xm-alert -H -r 'm info=1 warn=40' -x "$each" < info
	assert_equal "$(grep '^\[xm\]' sent)" '[xm] warning escalated: m on h
[xm] info deescalated: m on h'
	rm sent
	PATH="$PWD/fake:$PATH" run -0 --separate-stderr xm-alert -H -r 'm info=1' -x "$each" < info
	assert_equal "$stderr" ""
	[ ! -e sent ]
	XM_MAIL_INFO=1 PATH="$PWD/fake:$PATH" run -0 --separate-stderr xm-alert -H -r 'm info=1' -x "$each" < info
	assert_equal "$(grep '^\[xm\]' sent)" '[xm] info firing: m on h'
	# without its address, the mail notifier fails, and xm-alert says so
	unset XM_MAIL_TO
	PATH="$PWD/fake:$PATH" run -1 --separate-stderr xm-alert -e -H -r "$DISK" -x "$SCRIPTS/xm-notify-mail" < in
	[[ $stderr == *'XM_MAIL_TO: set XM_MAIL_TO to the address'* ]]
}

@test "xm-alert: the man page EXAMPLES run" {
	run_man_examples xm-alert.1
}

@test "xm-alert: a state saved with a sample a day ahead is read, not set aside: that series starts afresh, the others go on" {
	now=$(date +%s)
	printf '%s\th1\tcpu\t95\n%s\th2\tcpu\t95\n' "$now" "$now" |
	    xm-alert -r 'cpu warn=90 for=5m' --state A > /dev/null
	sed -i "s/^$now	h1	/$((now + 86400))	h1	/" A
	printf '%s\th1\tcpu\t95\n%s\th2\tcpu\t95\n' "$((now + 60))" "$((now + 60))" > in
	run -0 --separate-stderr xm-alert -r 'cpu warn=90 for=5m' --state A -H < in
	assert_equal "$stderr" "xm-alert: line 1: ts \"$((now + 60))\" is 23h59m behind the newest sample of its series, more than its window of 5m0s: the series starts afresh"
	[ ! -e A.bad ]
	printf '%s\th1\tcpu\t95\n%s\th2\tcpu\t95\n' "$((now + 361))" "$((now + 361))" > in
	run -0 --separate-stderr xm-alert -r 'cpu warn=90 for=5m' --state A -H < in
	assert_equal "$(cut -f2,5,6 <<< "$output")" 'h1	warning	firing
h2	warning	firing'
	assert_equal "$stderr" ""
}

@test "xm-alert: a state file cut short after a #host or #pending line is said to be truncated, as xm-buffer says it" {
	printf '#xm-alert state 1\n#ts\thost\tmetric\tvalue\tseverity\tsince\tfired\tannounced\tcounts\trule\n#host\th\t1796614100\t0\n' > st
	run -1 --separate-stderr xm-alert -r "$CPU" --state st -H < /dev/null
	assert_equal "$stderr" 'xm-alert: st: truncated: no #end line; moved aside to st.bad, starting afresh'
	printf '#xm-alert state 1\n#pending\t0\t0123456789abcdef\tXM_EVENT=firing\n' > st
	run -1 --separate-stderr xm-alert -r "$CPU" --state st -H < /dev/null
	assert_equal "$stderr" 'xm-alert: st: truncated: no #end line; moved aside to st.bad.1, starting afresh'
}

@test "xm-alert: the default rules on saturation and errors: an OOM kill at once, listen overflows held 5 minutes, a healthy machine quiet" {
	# an OOM kill in one interval warns at once and resolves with the next
	# interval that has none; a second kill later fires again
	printf '%s\th\tmemory_oom_kills_per_second\t%s\n' 0 0 60 0.0166667 120 0 180 0 240 0.05 300 0 > in
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$(events <<< "$output")" "- firing resolved - firing resolved"
	assert_equal "$stderr" ""
	# listen overflows every interval for 5 minutes warn; one interval
	# without any starts the hold again
	for t in $(seq 0 60 360); do printf '%s\th\ttcp_listen_overflows_per_second\t2\n' "$t"; done > in
	printf '420\th\ttcp_listen_overflows_per_second\t0\n' >> in
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$(events <<< "$output")" "- - - - - firing - resolved"
	for t in 0 60 120 180 240; do printf '%s\th\ttcp_listen_overflows_per_second\t2\n' "$t"; done > in
	printf '270\th\ttcp_listen_overflows_per_second\t0\n300\th\ttcp_listen_overflows_per_second\t2\n' >> in
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$(events <<< "$output" | tr -d ' -')" ""
	# two hours of a healthy machine, a sample a minute: no alert at all
	for t in $(seq 0 60 7200); do
		printf '%s\th\t%s\n' "$t" 'pressure_memory_full_percent	0.4' "$t" 'pressure_io_full_percent	3' \
		    "$t" 'pressure_cpu_some_percent	20' "$t" 'memory_major_faults_per_second	12' \
		    "$t" 'memory_oom_kills_per_second	0' "$t" 'file_handles_usage_percent	1.5' \
		    "$t" 'disk_inodes_usage_percent{mountpoint="/"}	11' "$t" 'disk_queue_length{device="sda"}	0.8' \
		    "$t" 'tcp_listen_overflows_per_second	0' "$t" 'tcp_retransmit_percent	0.3' \
		    "$t" 'network_receive_errors_percent{device="eth0"}	0.02' \
		    "$t" 'network_transmit_errors_percent{device="eth0"}	0' \
		    "$t" 'disk_readonly{mountpoint="/"}	0' \
		    "$t" 'temperature_margin_celsius{sensor="coretemp Package id 0"}	42'
	done > in
	run -0 --separate-stderr xm-alert -e -H < in
	assert_output ""
	assert_equal "$stderr" ""
}

@test "xm-alert: the default rules on interface errors, read-only filesystems and temperatures near the critical point" {
	eth='network_receive_errors_percent{device="eth0"}'
	# errors over 1% of packets for an hour warn (node-mixin's
	# NodeNetworkReceiveErrs); 0.6% is within the margin, 0.4% clears
	for t in $(seq 0 60 3600); do printf '%s\th\t%s\t2\n' "$t" "$eth"; done > in
	printf '3660\th\t%s\t0.6\n3720\th\t%s\t0.4\n' "$eth" "$eth" >> in
	run -0 --separate-stderr xm-alert -e -H < in
	assert_output "3600	h	$eth	2	warning	firing	3600	1f4a5e343a3645be	network_receive_errors_percent{*} warn=1 for=1h hysteresis=0.5
3720	h	$eth	0.4	ok	resolved	3720	1f4a5e343a3645be	network_receive_errors_percent{*} warn=1 for=1h hysteresis=0.5"
	# 59 minutes of it do not
	for t in $(seq 0 60 3540); do printf '%s\th\t%s\t50\n' "$t" "$eth"; done > in
	run -0 --separate-stderr xm-alert -e -H < in
	assert_output ""
	# a filesystem that went read-only and stayed so for 5 minutes
	for t in $(seq 0 60 420); do printf '%s\th\tdisk_readonly{mountpoint="/data"}\t%s\n' "$t" "$((t >= 60 && t < 420))"; done > in
	run -0 --separate-stderr xm-alert -H < in
	assert_equal "$(events <<< "$output")" "- - - - - - firing resolved"
	# a CPU 8 degrees below its critical point for 5 minutes warns, 4
	# below for 5 more is critical; 11 below is back to a warning, not yet
	# clear of it (10 + 2); 13 is
	for t in $(seq 0 60 300); do printf '%s\th\ttemperature_margin_celsius{sensor="coretemp Core 0"}\t8\n' "$t"; done > in
	for t in $(seq 360 60 660); do printf '%s\th\ttemperature_margin_celsius{sensor="coretemp Core 0"}\t4\n' "$t"; done >> in
	printf '720\th\ttemperature_margin_celsius{sensor="coretemp Core 0"}\t%s\n' 11 >> in
	printf '780\th\ttemperature_margin_celsius{sensor="coretemp Core 0"}\t%s\n' 13 >> in
	run -0 --separate-stderr xm-alert -e -H < in
	assert_equal "$(cut -f1,4,5,6 <<< "$output")" "300	8	warning	firing
660	4	critical	escalated
720	11	warning	deescalated
780	13	ok	resolved"
	assert_equal "$stderr" ""
}

@test "xm-alert: the default rule on a watched name: no process of it for a minute is critical, one again resolves it" {
	# nginx runs, stops; a restart within the minute pages no one, a stop past it does
	s='process_count{name="nginx"}'
	printf '%s\th\t%s\t%s\n' 0 "$s" 2 10 "$s" 0 40 "$s" 1 100 "$s" 0 130 "$s" 0 160 "$s" 0 170 "$s" 1 > in
	run -0 --separate-stderr xm-alert -e -H < in
	assert_equal "$stderr" ""
	assert_equal "$(cut -f1,4,5,6 <<< "$output")" "160	0	critical	firing
170	1	ok	resolved"
}

@test "xm-alert: from cron, xm-sample --state catches an OOM kill, an error burst and a retransmit burst between two runs, each fired once" {
	# three minutes of copies of /proc: between the first and the second,
	# one OOM kill, 600 receive errors on eth0 against 6000 packets (9.1%),
	# 600 segments retransmitted of 6000 sent (10%); then a minute of
	# traffic, 3000 packets in and 3000 segments out, without any
	cp -R "$FIX/host-t1" m0
	cp -R m0 m1
	sed -i 's/^oom_kill 3$/oom_kill 4/' m1/proc/vmstat
	sed -i 's/^  eth0: 3000000    3000    0 /  eth0: 3000000    9000  600 /' m1/proc/net/dev
	sed -i 's/^\(Tcp: 1 200 120000 -1 1250 2500 10 20 42 50000\) 80000 400 /\1 86000 1000 /' m1/proc/net/snmp
	cp -R m1 m2
	sed -i 's/^  eth0: 3000000    9000  600 /  eth0: 3000000   12000  600 /' m2/proc/net/dev
	sed -i 's/^\(Tcp: 1 200 120000 -1 1250 2500 10 20 42 50000\) 86000 1000 /\1 89000 1000 /' m2/proc/net/snmp
	# the default rules, the two on bursts without their hold: the
	# thresholds for those who want to hear of every one
	xm-alert --rules | sed -e '/^network_receive_errors_percent/s/ for=1h//' \
	    -e '/^tcp_retransmit_percent/s/ for=15m//' > rules
	minute() {
		xm-sample --procfs "m$1/proc" --sysfs "m$1/sys" -n 1 -i 60 --start "$((1764300000 + 60 * $1))" \
		    --host web1 -H "${@:2}" 2>> err | xm-alert -c rules -e -H --state alerts 2> /dev/null
	}
	for m in 0 1 2; do minute "$m" --state sample; done > events
	assert_equal "$(cat err)" "xm-sample: m0/proc: rates need two --procfs snapshots; cpu, io, net rates, cgroup rates, pressure, vm rates, procs rates and tcp rates left out"
	assert_equal "$(cut -f1,3-6 events)" '1764300120	network_receive_errors_percent{device="eth0"}	9.090909091	warning	firing
1764300120	memory_oom_kills_per_second	0.01666666667	warning	firing
1764300120	tcp_retransmit_percent	10	warning	firing
1764300180	network_receive_errors_percent{device="eth0"}	0	ok	resolved
1764300180	memory_oom_kills_per_second	0	ok	resolved
1764300180	tcp_retransmit_percent	0	ok	resolved'
	# without --state each run measures its own second: the copy read
	# twice stands for a second in which nothing happened, and nothing fires
	rm alerts
	for m in 0 1 2; do
		xm-sample --procfs "m$m/proc" --procfs "m$m/proc" --sysfs "m$m/sys" -n 1 -i 1 \
		    --start "$((1764300000 + 60 * m))" --host web1 -H | xm-alert -c rules -e -H --state alerts
	done > events
	assert_equal "$(cat events)" ""
}
