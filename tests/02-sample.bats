# xm-sample: every family against fixture /proc and /sys trees, worked out by hand.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# A writable copy of a fixture tree, to break or extend.
copy() {
	cp -R "$FIX/$1" "$BATS_TEST_TMPDIR/$2"
}

@test "xm-sample: two snapshots give the rates worked out by hand" {
	run -0 --separate-stderr snap --per-cpu -m cpu,memory,swap,io,net,load,cgroup
	printf '%s\n' "$output" | golden sample-snap.tsv
	assert_equal "$stderr" ""
}

@test "xm-sample: cpu is busy time of all time, iowait and steal apart" {
	# user+nice+system+irq+softirq+steal moved 600 of 1000 ticks; iowait 100; steal 50
	run -0 --separate-stderr snap -m cpu -H
	assert_output "1764300010	web1	cpu_usage_percent	60
1764300010	web1	cpu_iowait_percent	10
1764300010	web1	cpu_steal_percent	5"
	assert_equal "$stderr" ""
}

@test "xm-sample: --per-cpu adds each CPU with a cpu label" {
	run -0 --separate-stderr snap -m cpu -H --per-cpu
	assert_line --index 1 '1764300010	web1	cpu_usage_percent{cpu="0"}	76'
	assert_line --index 2 '1764300010	web1	cpu_usage_percent{cpu="1"}	44'
	assert_line --index 5 '1764300010	web1	cpu_iowait_percent{cpu="1"}	16'
	assert_line --index 8 '1764300010	web1	cpu_steal_percent{cpu="1"}	8'
	assert_equal "${#lines[@]}" 9
}

@test "xm-sample: a CPU whose counters went back gives no rate" {
	copy host-t1 t1
	sed -i 's/^cpu1 600/cpu1 400/' t1/proc/stat
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc \
	    -i 10 -n 1 --start 0 --host h -m cpu -H --per-cpu
	refute_output --partial 'cpu="1"'
	assert_line --index 1 '10	h	cpu_usage_percent{cpu="0"}	76'
}

@test "xm-sample: counters past any sense give no rate, never a nonsense one" {
	copy host-t1 t1
	sed -i 's/^cpu  1400 /cpu  18446744073709551615 /' t1/proc/stat
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc \
	    -i 10 -n 1 --start 0 --host h -m cpu -H
	assert_output ""
	assert_equal "$stderr" ""
}

@test "xm-sample: memory and swap from meminfo" {
	run -0 --separate-stderr snap -m memory,swap -H
	assert_output "1764300010	web1	memory_total_bytes	16384000000
1764300010	web1	memory_available_bytes	4096000000
1764300010	web1	memory_used_bytes	12288000000
1764300010	web1	memory_usage_percent	75
1764300010	web1	swap_used_bytes	512000000
1764300010	web1	swap_usage_percent	25"
}

@test "xm-sample: without MemAvailable (before Linux 3.14) free+buffers+cached; no swap is 0%" {
	copy host-t1 old
	printf 'MemTotal: 1000 kB\nMemFree: 300 kB\nBuffers: 100 kB\nCached: 100 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n' > old/proc/meminfo
	run -0 --separate-stderr xm-sample --procfs old/proc -i 1 -n 1 --start 0 --host h -m memory,swap -H
	assert_output "1	h	memory_total_bytes	1024000
1	h	memory_available_bytes	512000
1	h	memory_used_bytes	512000
1	h	memory_usage_percent	50
1	h	swap_used_bytes	0
1	h	swap_usage_percent	0"
}

@test "xm-sample: load averages copied from loadavg" {
	run -0 --separate-stderr snap -m load -H
	assert_output "1764300010	web1	load1	0.52
1764300010	web1	load5	1.25
1764300010	web1	load15	2.5"
}

@test "xm-sample: network rates and totals; lo left out; reset, new and vanished interfaces" {
	# eth0 +2000000 and +1000000 bytes in 10 s; wlan0 rx went back (no rate),
	# tx +100000; docker0 is new (totals only); veth-a-very-lon vanished
	run -0 --separate-stderr snap -m net -H
	assert_output '1764300010	web1	network_receive_bytes_per_second{device="eth0"}	200000
1764300010	web1	network_transmit_bytes_per_second{device="eth0"}	100000
1764300010	web1	network_transmit_bytes_per_second{device="wlan0"}	10000
1764300010	web1	network_receive_bytes_total{device="eth0"}	3000000
1764300010	web1	network_receive_bytes_total{device="wlan0"}	1000
1764300010	web1	network_receive_bytes_total{device="docker0"}	400
1764300010	web1	network_transmit_bytes_total{device="eth0"}	1500000
1764300010	web1	network_transmit_bytes_total{device="wlan0"}	2100000
1764300010	web1	network_transmit_bytes_total{device="docker0"}	600'
}

@test "xm-sample: a count glued to the interface name (eth0:123) is read" {
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" -i 1 -n 1 --start 0 --host h -m net -H
	assert_line '1	h	network_receive_bytes_total{device="wlan0"}	123456789012'
	assert_line '1	h	network_transmit_bytes_total{device="veth-a-very-lon"}	7000'
}

@test "xm-sample: an interface name of 63 backslashes makes a valid, escaped label" {
	copy host-t0 p
	name=$(printf '%.0s\\' $(seq 63))
	printf 'a\nb\n%s: 1 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0\n' "$name" > p/proc/net/dev
	run -0 --separate-stderr xm-sample --procfs p/proc -i 1 -n 1 --start 0 --host h -m net -H
	assert_line --index 2 "1	h	network_receive_bytes_total{device=\"${name//\\/\\\\}\"}	1"
}

@test "xm-sample: disk io of whole disks only; partitions, unused and reset devices" {
	# sda: 20000 sectors read, 10000 written in 10 s; sda1 is a partition;
	# loop0 never used; nvme0n1 reads went back; dm-0 has the short old line
	run -0 --separate-stderr snap -m io -H
	assert_output '1764300010	web1	disk_read_bytes_per_second{device="sda"}	1024000
1764300010	web1	disk_read_bytes_per_second{device="dm-0"}	0
1764300010	web1	disk_write_bytes_per_second{device="sda"}	512000
1764300010	web1	disk_write_bytes_per_second{device="nvme0n1"}	102400
1764300010	web1	disk_write_bytes_per_second{device="dm-0"}	0'
}

@test "xm-sample: filesystems: pseudo ones out, each mountpoint and device once, escapes undone" {
	t=$BATS_TEST_TMPDIR
	mkdir -p "$t/a b" "$t/tab	x" "$t/bind" "$t/over" "$t/twice"
	copy host-t0 p
	cat > p/proc/mounts <<-MOUNTS
	/dev/vdz / ext4 rw 0 0
	proc /proc proc rw 0 0
	tmpfs /run tmpfs rw 0 0
	cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
	/dev/loop3 /snap/core/1 squashfs ro 0 0
	/dev/vdz $t/bind ext4 rw 0 0
	overlay $t/a\\040b overlay rw 0 0
	/dev/vdy $t/tab\\011x xfs rw 0 0
	/dev/vdx $t/over ext4 rw 0 0
	tmpfs $t/over tmpfs rw 0 0
	/dev/vdw $t/twice xfs rw 0 0
	/dev/vdv $t/twice btrfs rw 0 0
	MOUNTS
	run -0 --separate-stderr xm-sample --procfs p/proc -i 1 -n 1 --start 0 --host h -m disk -H
	assert_equal "$stderr" ""
	run -0 awk -F'\t' '$3 ~ /^disk_usage_percent/ { print $3 }' <<< "$output"
	assert_output "disk_usage_percent{mountpoint=\"/\"}
disk_usage_percent{mountpoint=\"$t/a b\"}
disk_usage_percent{mountpoint=\"$t/tab?x\"}
disk_usage_percent{mountpoint=\"$t/twice\"}"
}

@test "xm-sample: disk sizes are df's: total, used, used/(used+available)" {
	copy host-t0 p
	echo '/dev/vdz / ext4 rw 0 0' > p/proc/mounts
	read -r blocks free avail bsize <<< "$(stat -f -c '%b %f %a %S' /)"
	run -0 --separate-stderr xm-sample --procfs p/proc -i 1 -n 1 --start 0 --host h -m disk -H
	assert_line --index 0 "1	h	disk_total_bytes{mountpoint=\"/\"}	$((blocks * bsize))"
	used=$(awk -F'\t' 'NR == 2 { print $4 }' <<< "$output")
	pct=$(awk -F'\t' 'NR == 3 { print $4 }' <<< "$output")
	# Other tests write to this disk meanwhile: used may move a little.
	awk -v u="$used" -v p="$pct" -v b="$blocks" -v f="$free" -v a="$avail" -v s="$bsize" 'BEGIN {
		du = (b - f) * s; dp = 100 * (b - f) / (b - f + a)
		exit !(u - du < 1e8 && du - u < 1e8 && p - dp < 0.1 && dp - p < 0.1) }'
}

@test "xm-sample: processes by -p and -P: cpu and resident memory, exits noticed" {
	page=$(getconf PAGESIZE)
	run -0 --separate-stderr snap -m process -p 4242 -p 777 -p 888 -P nginx -H
	# 4242: 250 ticks of 100 Hz in 10 s; 5000: 10 ticks; 5001 is new
	assert_output "1764300010	web1	process_cpu_percent{pid=\"4242\",comm=\"my (weird) app\"}	25
1764300010	web1	process_cpu_percent{pid=\"5000\",comm=\"nginx\"}	1
1764300010	web1	process_resident_memory_bytes{pid=\"4242\",comm=\"my (weird) app\"}	$((3000 * page))
1764300010	web1	process_resident_memory_bytes{pid=\"5000\",comm=\"nginx\"}	$((1200 * page))
1764300010	web1	process_resident_memory_bytes{pid=\"5001\",comm=\"nginx\"}	$((500 * page))"
	assert_equal "$stderr" "xm-sample: process 888: no such process
xm-sample: process 777 (sleeper) exited"
}

@test "xm-sample: a command name with quotes, backslash and tab is escaped in its label" {
	copy host-t0 p
	mkdir p/proc/6000
	printf '6000 (a"b\\c\td) S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 1 9 0\n' > p/proc/6000/stat
	run -0 --separate-stderr xm-sample --procfs p/proc -i 1 -n 1 --start 0 --host h -p 6000 -m process -H
	assert_line --index 0 "1	h	process_cpu_percent{pid=\"6000\",comm=\"a\\\"b\\\\c?d\"}	0"
}

@test "xm-sample: a live process, then its exit, on this machine" {
	sleep 30 &
	pid=$!
	run -0 --separate-stderr timeout 5 xm-sample -p "$pid" -m process -i 0.1 -n 1 --host h -H
	kill "$pid"
	assert_line --index 0 --regexp "^[0-9.]+	h	process_cpu_percent\{pid=\"$pid\",comm=\"sleep\"\}	0\$"
	assert_line --index 1 --regexp "^[0-9.]+	h	process_resident_memory_bytes\{pid=\"$pid\",comm=\"sleep\"\}	[1-9][0-9]*\$"
	sleep 30 &
	pid=$!
	timeout 10 xm-sample -p "$pid" -m process -i 0.2 -n 10 --host h -H > out 2> err &
	xpid=$!
	wait_lines out 2
	kill "$pid"
	wait "$xpid"
	assert_equal "$(cat err)" "xm-sample: process $pid (sleep) exited"
}

@test "xm-sample: a zombie counts as exited, though no one reaped it" {
	# The exec'd sleep never waits for its child, which stays a zombie; both
	# sleep long enough to outlive the test on a machine however loaded.
	bash -c 'sleep 300 & exec sleep 300' &
	parent=$!
	for i in $(seq 50); do
		child=$(pgrep -P "$parent") && break
		sleep 0.05
	done
	timeout 20 xm-sample -p "$child" -m process -i 0.2 -n 10 --host h -H > out 2> err &
	xpid=$!
	wait_lines out 2
	kill "$child"
	wait "$xpid"
	kill "$parent"
	assert_equal "$(cat err)" "xm-sample: process $child (sleep) exited"
	assert_regex "$(sed -n 2p out)" "^[0-9.]+	h	process_resident_memory_bytes\\{pid=\"$child\",comm=\"sleep\"\\}	[1-9][0-9]*\$"
}

@test "xm-sample: cgroup v2: the smallest limit on the way up, working set, cpu of the quota" {
	# limit 1 GiB on app.slice; 600000000 used less 100000000 inactive file;
	# 7.5 s of CPU in 10 s against a quota of 1.5 CPUs
	run -0 --separate-stderr snap -m cgroup -H
	assert_output "1764300010	web1	cgroup_memory_used_bytes	500000000
1764300010	web1	cgroup_memory_limit_bytes	1073741824
1764300010	web1	cgroup_memory_usage_percent	46.56612873
1764300010	web1	cgroup_cpu_usage_percent	50"
}

@test "xm-sample: cgroup v1 in a container, where the cgroup is the mount itself" {
	run -0 --separate-stderr xm-sample --procfs "$FIX/v1-t0/proc" --procfs "$FIX/v1-t1/proc" \
	    --sysfs "$FIX/v1-t0/sys" --sysfs "$FIX/v1-t1/sys" -i 10 -n 1 --start 0 --host c -m cgroup -H
	assert_output "10	c	cgroup_memory_used_bytes	350000000
10	c	cgroup_memory_limit_bytes	536870912
10	c	cgroup_memory_usage_percent	65.19258022
10	c	cgroup_cpu_usage_percent	30"
}

@test "xm-sample: no cgroup limits, no cgroup metrics" {
	copy v1-t0 v
	echo 9223372036854771712 > v/sys/fs/cgroup/memory/memory.limit_in_bytes
	echo -1 > "v/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"
	run -0 --separate-stderr xm-sample --procfs v/proc --sysfs v/sys -i 1 -n 2 --start 0 --host c -m cgroup -H
	assert_output ""
	assert_equal "$stderr" ""
}

@test "xm-sample: a cgroup limit set later is found within a minute" {
	copy v1-t0 t0
	copy v1-t1 t1
	echo 9223372036854771712 > t0/sys/fs/cgroup/memory/memory.limit_in_bytes
	echo -1 > "t0/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc --procfs t1/proc \
	    --sysfs t0/sys --sysfs t0/sys --sysfs t1/sys -i 30 -n 3 --start 0 --host c -m cgroup -H
	# The memory limit, last looked for in set 1 (none), is found in set 3,
	# 60 s on; the CPU quota, last looked for at the start, in set 2, so its
	# rate comes in set 3 (and is 0: both reads are of snapshot t1).
	assert_output "90	c	cgroup_memory_used_bytes	350000000
90	c	cgroup_memory_limit_bytes	536870912
90	c	cgroup_memory_usage_percent	65.19258022
90	c	cgroup_cpu_usage_percent	0"
}

@test "xm-sample: a missing /proc file skips its family with one warning; the rest prints" {
	copy host-t0 p
	rm p/proc/diskstats
	run -1 --separate-stderr xm-sample --procfs p/proc --sysfs "$FIX/host-t0/sys" -i 1 -n 3 --start 0 --host h -m io,load -H
	assert_equal "$stderr" "xm-sample: p/proc/diskstats: No such file or directory; io metrics skipped"
	assert_equal "${#lines[@]}" 9
	assert_line --index 8 '3	h	load15	0.3'
}

@test "xm-sample: garbled /proc files are reported, never misread" {
	copy host-t0 p
	echo 'cpu  x y z' > p/proc/stat
	echo '1e999 0x10 0.5 1/2 3' > p/proc/loadavg
	printf 'a\nb\n  eth0 1 2 3\n' > p/proc/net/dev
	echo 'MemTotal: 1 kB' > p/proc/meminfo
	run -1 --separate-stderr xm-sample --procfs p/proc -i 1 -n 1 --start 0 --host h -m cpu,load,net,memory -H
	assert_output ""
	assert_equal "$stderr" "xm-sample: p/proc/stat: no \"cpu\" line; cpu metrics skipped
xm-sample: p/proc/meminfo: no MemTotal or MemAvailable; memory metrics skipped
xm-sample: p/proc/net/dev: cannot parse an interface line; net metrics skipped
xm-sample: p/proc/loadavg: not three load averages; load metrics skipped"
}

@test "xm-sample: disk io without /sys/block cannot tell disks from partitions" {
	run -1 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --sysfs nowhere -i 1 -n 1 --start 0 --host h -m io,load -H
	assert_equal "$stderr" "xm-sample: nowhere/block: No such file or directory; io metrics skipped"
	assert_line --index 0 '1	h	load1	0.1'
}

@test "xm-sample: bad command lines: one message, the usage, status 2" {
	usage='usage: xm-sample [-H] [-i seconds] [-m families] [-n count] [-P name]...
                 [-p pid]... [--host name] [--per-cpu] [--procfs dir]...
                 [--sysfs dir]... [--synthetic [--seed n]] [--start ts]'
	while IFS='|' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr xm-sample "$@"
		assert_equal "$stderr" "xm-sample: $message
$usage"
		assert_output ""
	done <<-'CASES'
	-i 0|-i: "0": not an interval from 1ms to 1000000s
	-i 1x|-i: "1x": not an interval from 1ms to 1000000s
	-i 0.0001|-i: "0.0001": not an interval from 1ms to 1000000s
	-n 0|-n: "0": not a count of at least 1
	-n -3|-n: "-3": not a count of at least 1
	-m cpu,gpu|-m: "gpu": not a family (cpu, memory, swap, disk, io, net, load, process, cgroup, app)
	-m ,|-m: ",": names no family
	-p 0|-p: "0": not a process ID
	-p 12x|-p: "12x": not a process ID
	-P ''|-P: "": not a command name (1 to 15 bytes)
	-P sixteen_letters_|-P: "sixteen_letters_": not a command name (1 to 15 bytes)
	--host ''|--host: "": not a host name
	--host $'a\tb'|--host: "a\tb": not a host name
	--start yesterday|--start: "yesterday": not a timestamp
	--start 1000000000000000|--start: "1000000000000000": not a timestamp
	--synthetic --seed x|--seed: "x": not a number
	--seed 1|--seed is for --synthetic
	--synthetic -p 1|--synthetic makes no process or cgroup metrics
	--synthetic -m cgroup|--synthetic makes no process or cgroup metrics
	-m app|-m app: application metrics come only with --synthetic
	-m cpu,process|-m process: name the processes with -p or -P
	--frobnicate|unrecognized option '--frobnicate'
	-x|invalid option -- 'x'
	-i|option requires an argument -- 'i'
	--procfs|option '--procfs' requires an argument
	--interval|option '--interval' requires an argument
	--per-cpu=2|option '--per-cpu' doesn't allow an argument
	--per-cpu -xH|invalid option -- 'x'
	now --frob|unrecognized option '--frob'
	now|now: unexpected argument
	CASES
}

@test "xm-sample: --help and --version" {
	run -0 --separate-stderr xm-sample --help
	assert_line --index 0 'usage: xm-sample [-H] [-i seconds] [-m families] [-n count] [-P name]...'
	assert_equal "$stderr" ""
	run -0 --separate-stderr xm-sample --version
	assert_output --regexp '^xm-sample [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "xm-sample: the header comes first; -H leaves it out" {
	run -0 --separate-stderr snap -m load
	assert_line --index 0 '#ts	host	metric	value'
	assert_equal "${#lines[@]}" 4
	run -0 --separate-stderr snap -m load --no-header
	assert_equal "${#lines[@]}" 3
}

@test "xm-sample: live on this machine: every default family that applies, nothing on stderr" {
	run -0 --separate-stderr timeout 5 xm-sample -i 0.1 -n 2 --host live
	assert_equal "$stderr" ""
	assert_line --index 0 '#ts	host	metric	value'
	for m in cpu_usage_percent cpu_iowait_percent cpu_steal_percent memory_total_bytes \
	    memory_available_bytes memory_used_bytes memory_usage_percent swap_used_bytes \
	    swap_usage_percent load1 load5 load15; do
		assert_equal "$(grep -c "	live	$m	" <<< "$output")" 2
	done
	assert_line --regexp '^[0-9.]+	live	disk_usage_percent\{mountpoint="/"\}	[0-9.]+$'
	# Both sets share one ts each, 0.1 s apart.
	assert_equal "$(cut -f1 <<< "$output" | sed 1d | uniq | wc -l)" 2
}

@test "xm-sample: -i 0.2 | head -n 3 ends at once, quietly" {
	run -0 --separate-stderr bash -c 'timeout 5 xm-sample -i 0.2 2>err | head -n 3 >/dev/null; echo "${PIPESTATUS[0]}"; cat err'
	assert_output "141"
	assert_equal "$stderr" ""
}

@test "xm-sample: SIGTERM and SIGINT end it cleanly, on a whole line, status 0" {
	for sig in TERM INT; do
		xm-sample -i 0.05 -m load > out 2> err &
		pid=$!
		wait_lines out 4
		kill -s "$sig" "$pid"
		status=0
		wait "$pid" || status=$?
		assert_equal "$status" 0
		assert_equal "$(tail -c 1 out | od -An -c | tr -d ' ')" '\n'
		assert_equal "$(cat err)" ""
	done
}

@test "xm-sample: a signal ends it even while its reader has stopped reading" {
	mkfifo stuck
	for mode in "-i 1ms" "--start 0"; do
		sleep 30 < stuck &
		reader=$!
		xm-sample --synthetic --seed 1 $mode > stuck 2> err &
		pid=$!
		# Wait until it blocks on the full pipe.
		for i in $(seq 100); do
			case $(cat /proc/$pid/wchan 2>/dev/null) in *pipe_write) break ;; esac
			sleep 0.05
		done
		assert_regex "$(cat /proc/$pid/wchan)" 'pipe_write$'
		kill -TERM "$pid"
		status=0
		timeout 5 tail --pid="$pid" -f /dev/null
		wait "$pid" || status=$?
		kill "$reader"
		assert_equal "$status" 0
		assert_equal "$(cat err)" ""
	done
}

@test "xm-sample: a write that fails (full disk) is an error with a message" {
	run -1 --separate-stderr bash -c 'xm-sample --synthetic --seed 1 --start 0 -n 100 > /dev/full'
	assert_equal "$stderr" "xm-sample: stdout: No space left on device"
	run -1 --separate-stderr bash -c 'timeout 5 xm-sample -i 0.05 -n 3 > /dev/full'
	assert_equal "$stderr" "xm-sample: stdout: No space left on device"
}

@test "xm-sample: --synthetic is deterministic with --seed, and --start does not sleep" {
	xm-sample --synthetic --seed 42 --start 1764300000 -n 300 > a
	xm-sample --synthetic --seed 42 --start 1764300000 -n 300 > b
	xm-sample --synthetic --seed 43 --start 1764300000 -n 300 > c
	cmp a b
	run -1 cmp -s a c
	assert_equal "$(sed -n 2p a | cut -f1-3)" '1764300001	'"$(uname -n)"'	cpu_usage_percent'
	assert_equal "$(tail -n 1 a | cut -f1,3)" '1764300300	throughput_requests_per_second'
	# -m filters, it does not change the values
	xm-sample --synthetic --seed 42 --start 1764300000 -n 300 -m cpu -H > d
	assert_equal "$(grep -c . d)" 900
	grep -F -f d a > e
	cmp d e
}

@test "xm-sample: a synthetic day, at full speed, crosses every threshold of the original design" {
	run -0 --separate-stderr timeout 60 xm-sample --synthetic --seed 7 --start 1764300000 -i 1 -n 86400 --host s -H
	assert_equal "$stderr" ""
	run -0 awk -F'\t' '
		$3 == "cpu_usage_percent" && $4 > 95 { c++ }
		$3 == "memory_usage_percent" && $4 > 98 { m++ }
		$3 == "response_time_seconds" && $4 > 10 { r++ }
		$3 == "error_rate_percent" && $4 > 25 { e++ }
		$3 == "disk_usage_percent{mountpoint=\"/var\"}" && $4 > 95 { d++ }
		END { print (c > 0) (m > 0) (r > 0) (e > 0) (d > 0), NR }' <<< "$output"
	assert_output "11111 2332800"
}

@test "xm-sample: synthetic alerts come within the first minute, whatever the seed" {
	for seed in 1 2 3 4 5 6 7 8 9 10; do
		run -0 --separate-stderr xm-sample --synthetic --seed "$seed" --start 0 -n 60 -m cpu,memory,app -H
		run -0 awk -F'\t' '
			($3 == "cpu_usage_percent" && $4 > 70) || ($3 == "memory_usage_percent" && $4 > 75) ||
			($3 == "response_time_seconds" && $4 > 2) || ($3 == "error_rate_percent" && $4 > 5) { n++ }
			END { print (n > 0) }' <<< "$output"
		assert_output 1
	done
}

@test "xm-sample: the man page EXAMPLES run" {
	run_man_examples xm-sample.1
}

@test "xm-sample: two samplers flooding one pipe: whole lines a write, never mixed" {
	{
		xm-sample --synthetic --seed 1 --start 1764288000 -n 20000 --host a &
		xm-sample --synthetic --seed 2 --start 1764288000 -n 20000 --host b &
		wait
	} | cat > merged
	assert_equal "$(wc -l < merged)" 1080002
	run -1 grep -v -E $'^(#ts\thost\tmetric\tvalue|[0-9.]+\t[ab]\t[a-z0-9_]+(\\{[^}]*\\})?\t[-0-9.e+]+)$' merged
	# each host's lines, in their order, are what it writes alone
	xm-sample --synthetic --seed 2 --start 1764288000 -n 20000 --host b | grep -v '^#' > alone
	grep $'^[0-9.]*\tb\t' merged | diff -q alone -
}
