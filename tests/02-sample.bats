# xm-sample: every family against fixture /proc and /sys trees, worked out by hand.
load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
	if [ -f mounted ]; then
		umount "$(cat mounted)"
	fi
}

# A writable copy of a fixture tree, to break or extend.
copy() {
	cp -R "$FIX/$1" "$BATS_TEST_TMPDIR/$2"
}

# node_exporter, the peer, run with "$@" and scraped once into file scraped.
node_scrape() {
	local port
	port=$(free_port)
	start_server node prometheus-node-exporter --web.listen-address="127.0.0.1:$port" "$@"
	wait_ready node "http://127.0.0.1:$port/metrics"
	curl -sf "http://127.0.0.1:$port/metrics" > scraped
	stop_servers
}

# One copy of /proc, given twice so that --start may stamp it at 1 s:
# its gauges as they are, and a rate of 0 where a family has rates.
once() {
	local p=$1
	shift
	xm-sample --procfs "$p" --procfs "$p" -i 1 -n 1 --start 0 --host h "$@"
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
1764300010	web1	cpu_steal_percent	5
1764300010	web1	cpu_user_percent	40
1764300010	web1	cpu_nice_percent	0
1764300010	web1	cpu_system_percent	10
1764300010	web1	cpu_irq_percent	0
1764300010	web1	cpu_softirq_percent	5
1764300010	web1	cpu_guest_percent	0
1764300010	web1	cpu_idle_percent	30"
	assert_equal "$stderr" ""
}

@test "xm-sample: --per-cpu adds each CPU with a cpu label" {
	run -0 --separate-stderr snap -m cpu -H --per-cpu
	assert_line --index 1 '1764300010	web1	cpu_usage_percent{cpu="0"}	76'
	assert_line --index 2 '1764300010	web1	cpu_usage_percent{cpu="1"}	44'
	assert_line --index 5 '1764300010	web1	cpu_iowait_percent{cpu="1"}	16'
	assert_line --index 8 '1764300010	web1	cpu_steal_percent{cpu="1"}	8'
	assert_equal "${#lines[@]}" 30
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
	run -0 --separate-stderr once old/proc -m memory,swap -H
	assert_output "1	h	memory_total_bytes	1024000
1	h	memory_available_bytes	512000
1	h	memory_used_bytes	512000
1	h	memory_usage_percent	50
1	h	swap_used_bytes	0
1	h	swap_usage_percent	0"
}

@test "xm-sample: load averages copied from loadavg, and each over the CPUs online" {
	# t1: 0.52 1.25 2.5 on the two CPUs of its /proc/stat (cpu0, cpu1)
	run -0 --separate-stderr snap -m load -H
	assert_output "1764300010	web1	load1	0.52
1764300010	web1	load5	1.25
1764300010	web1	load15	2.5
1764300010	web1	load1_per_cpu	0.26
1764300010	web1	load5_per_cpu	0.625
1764300010	web1	load15_per_cpu	1.25"
	assert_equal "$stderr" ""
}

@test "xm-sample: load per CPU counts the cpuN lines of the /proc given, not this machine's CPUs" {
	# a host of 32 CPUs, 5 of them offline (no line), load 13.5 6.75 2.7
	copy host-t0 big
	{
		echo 'cpu  1000 100 500 8000 200 0 100 100 0 0'
		for c in $(seq 0 26); do echo "cpu$c 10 1 5 80 2 0 1 1 0 0"; done
		echo 'intr 12345 0 0 0'
	} > big/proc/stat
	echo '13.50 6.75 2.70 9/999 4242' > big/proc/loadavg
	run -0 --separate-stderr once big/proc -m load -H
	assert_output "1	h	load1	13.5
1	h	load5	6.75
1	h	load15	2.7
1	h	load1_per_cpu	0.5
1	h	load5_per_cpu	0.25
1	h	load15_per_cpu	0.1"
	assert_equal "$stderr" ""
	# the same count node_exporter's cpu collector makes of it, which
	# node-mixin's NodeSystemSaturation divides load1 by
	command -v prometheus-node-exporter > /dev/null || skip "prometheus-node-exporter is not installed (scripts/install-deps check)"
	node_scrape --path.procfs="$PWD/big/proc" --path.sysfs="$PWD/big/sys" \
	    --collector.disable-defaults --collector.cpu --collector.loadavg
	assert_equal "$(grep -c '^node_cpu_seconds_total{cpu="[0-9]*",mode="idle"}' scraped)" 27
	assert_equal "$(grep '^node_load1 ' scraped)" 'node_load1 13.5'
}

@test "xm-sample: without a CPU count load still prints, load per CPU is skipped with one warning" {
	copy host-t0 p
	echo 'cpu  1000 100 500 8000 200 0 100 100 0 0' > p/proc/stat
	run -1 --separate-stderr once p/proc -m load -H -n 3
	assert_equal "$stderr" 'xm-sample: p/proc/stat: no "cpuN" line; load per CPU skipped'
	assert_equal "${#lines[@]}" 9
	assert_line --index 8 '3	h	load15	0.3'
	rm p/proc/stat
	run -1 --separate-stderr once p/proc -m load -H
	assert_equal "$stderr" 'xm-sample: p/proc/stat: No such file or directory; load per CPU skipped'
	assert_output '1	h	load1	0.1
1	h	load5	0.2
1	h	load15	0.3'
}

@test "xm-sample: network rates and totals; lo left out; reset, new and vanished interfaces" {
	# eth0 +2000000 and +1000000 bytes in 10 s; wlan0 rx went back (no rate),
	# tx +100000; docker0 is new (totals only); veth-a-very-lon vanished.
	# No /sys/class/net to tell physical ones by: the host's rates are
	# over every interface that has one.  (Packets, errors and drops: below.)
	run -0 --separate-stderr snap -m net -H
	output=$(grep -F _bytes_ <<< "$output")
	assert_output '1764300010	web1	network_receive_bytes_per_second	200000
1764300010	web1	network_receive_bytes_per_second{device="eth0"}	200000
1764300010	web1	network_transmit_bytes_per_second	110000
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
	run -0 --separate-stderr once "$FIX/host-t0/proc" -m net -H
	assert_line '1	h	network_receive_bytes_total{device="wlan0"}	123456789012'
	assert_line '1	h	network_transmit_bytes_total{device="veth-a-very-lon"}	7000'
}

@test "xm-sample: an interface name of 63 backslashes makes a valid, escaped label" {
	copy host-t0 p
	name=$(printf '%.0s\\' $(seq 63))
	printf 'a\nb\n%s: 1 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0\n' "$name" > p/proc/net/dev
	run -0 --separate-stderr once p/proc -m net -H
	assert_line --index 4 "1	h	network_receive_bytes_total{device=\"${name//\\/\\\\}\"}	1"
}

@test "xm-sample: disk io of whole disks only; partitions, unused and reset devices" {
	# sda: 20000 sectors read, 10000 written in 10 s; sda1 is a partition;
	# loop0 never used; nvme0n1 reads went back; dm-0 has the short old line.
	# /sys/block holds directories, not links, as before Linux 2.6.25: no
	# disk is known stacked, and the host's rates are over them all.
	# (The other io metrics: below.)
	run -0 --separate-stderr snap -m io -H
	output=$(grep -F _bytes_ <<< "$output")
	assert_output '1764300010	web1	disk_read_bytes_per_second	1024000
1764300010	web1	disk_read_bytes_per_second{device="sda"}	1024000
1764300010	web1	disk_read_bytes_per_second{device="dm-0"}	0
1764300010	web1	disk_write_bytes_per_second	614400
1764300010	web1	disk_write_bytes_per_second{device="sda"}	512000
1764300010	web1	disk_write_bytes_per_second{device="nvme0n1"}	102400
1764300010	web1	disk_write_bytes_per_second{device="dm-0"}	0'
}

@test "xm-sample: the host's disk io counts each byte once: stacked and virtual disks out of the total" {
	# 10 s: sda +200000 sectors read, +100000 written, all of it through
	# dm-0, an LVM volume on sda2; nvme0n1 +20000 read; loop0 (a snap's
	# image, a file on dm-0) +2000 read; zram0 (swap in memory) +4000
	# written.  /sys/block/dm-0, loop0 and zram0 resolve under
	# devices/virtual/block: the host read sda's 10240000 B/s and
	# nvme0n1's 1024000, and wrote sda's 5120000; the devices' own series
	# stay as they are.
	run -0 --separate-stderr xm-sample --procfs "$FIX/stack-t0/proc" --procfs "$FIX/stack-t1/proc" \
	    --sysfs "$FIX/stack-t0/sys" --sysfs "$FIX/stack-t1/sys" -i 10 -n 1 --start 0 --host h -m io -H
	assert_equal "$stderr" ""
	output=$(grep -F _bytes_ <<< "$output")
	assert_output '10	h	disk_read_bytes_per_second	11264000
10	h	disk_read_bytes_per_second{device="loop0"}	102400
10	h	disk_read_bytes_per_second{device="sda"}	10240000
10	h	disk_read_bytes_per_second{device="nvme0n1"}	1024000
10	h	disk_read_bytes_per_second{device="dm-0"}	10240000
10	h	disk_read_bytes_per_second{device="zram0"}	0
10	h	disk_write_bytes_per_second	5120000
10	h	disk_write_bytes_per_second{device="loop0"}	0
10	h	disk_write_bytes_per_second{device="sda"}	5120000
10	h	disk_write_bytes_per_second{device="nvme0n1"}	0
10	h	disk_write_bytes_per_second{device="dm-0"}	5120000
10	h	disk_write_bytes_per_second{device="zram0"}	204800'
	# the links are relative, as the kernel makes them
	assert_equal "$(readlink "$FIX/stack-t0/sys/block/dm-0")" ../devices/virtual/block/dm-0
	# an NVMe namespace of a multipath subsystem, or of a fabric, resolves
	# under a virtual directory of its own: a disk all the same, in the total
	for t in t0 t1; do
		cp -a "$FIX/stack-$t" "$t"
		mkdir -p "$t/sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme0n1"
		ln -sfn ../devices/virtual/nvme-subsystem/nvme-subsys0/nvme0n1 "$t/sys/block/nvme0n1"
	done
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc --sysfs t0/sys --sysfs t1/sys \
	    -i 10 -n 1 --start 0 --host h -m io -H
	assert_equal "$(grep -v device= <<< "$output")" '10	h	disk_read_bytes_per_second	11264000
10	h	disk_write_bytes_per_second	5120000'
}

@test "xm-sample: the host's network traffic counts each byte once: physical interfaces only; in a container, all but lo" {
	# 10 s: eth0 (on the PCI bus) +5000000 received, +3000000 sent; a
	# container's traffic crossed veth1a2b3c4 and docker0 (+1000000,
	# +2000000 each) and eth0 again; lo +50000000
	run -0 --separate-stderr xm-sample --procfs "$FIX/stack-t0/proc" --procfs "$FIX/stack-t1/proc" \
	    --sysfs "$FIX/stack-t0/sys" --sysfs "$FIX/stack-t1/sys" -i 10 -n 1 --start 0 --host h -m net -H
	assert_equal "$stderr" ""
	assert_line --index 0 '10	h	network_receive_bytes_per_second	500000'
	assert_line --index 3 '10	h	network_receive_bytes_per_second{device="veth1a2b3c4"}	100000'
	assert_line --index 4 '10	h	network_transmit_bytes_per_second	300000'
	assert_line --index 6 '10	h	network_transmit_bytes_per_second{device="docker0"}	200000'
	assert_equal "$(grep -c 'bytes_per_second{' <<< "$output")" 6
	# inside a container every interface is virtual (its eth0 a veth's
	# end): eth0 +1000000 and +500000, wg0 +200000 and +100000
	run -0 --separate-stderr xm-sample --procfs "$FIX/container-t0/proc" --procfs "$FIX/container-t1/proc" \
	    --sysfs "$FIX/container-t0/sys" --sysfs "$FIX/container-t1/sys" -i 10 -n 1 --start 0 --host c -m net -H
	assert_equal "$stderr" ""
	assert_line --index 0 '10	c	network_receive_bytes_per_second	120000'
	assert_line --index 3 '10	c	network_transmit_bytes_per_second	60000'
}

@test "xm-sample: counters past 2^53 are written with all their digits" {
	# a double would make 1234567890124466789 1.23456789e+18, and 2^64 - 1
	# 1.844674407e+19; the rates come of the exact differences
	run -0 --separate-stderr xm-sample --procfs "$FIX/counters-t0/proc" --procfs "$FIX/counters-t1/proc" \
	    -i 10 -n 1 --start 0 --host h -m memory,swap,net -H
	assert_equal "$stderr" ""
	assert_output '10	h	memory_total_bytes	1264197519485952
10	h	memory_available_bytes	632098759742464
10	h	memory_used_bytes	632098759743488
10	h	memory_usage_percent	50
10	h	swap_used_bytes	9223372036852736
10	h	swap_usage_percent	100
10	h	network_receive_bytes_per_second	1000
10	h	network_receive_bytes_per_second{device="eth0"}	1000
10	h	network_transmit_bytes_per_second	100
10	h	network_transmit_bytes_per_second{device="eth0"}	100
10	h	network_receive_bytes_total{device="eth0"}	1234567890124466789
10	h	network_transmit_bytes_total{device="eth0"}	18446744073709551615
10	h	network_receive_packets_per_second	1
10	h	network_receive_packets_per_second{device="eth0"}	1
10	h	network_transmit_packets_per_second	1
10	h	network_transmit_packets_per_second{device="eth0"}	1
10	h	network_receive_errors_per_second	0
10	h	network_receive_errors_per_second{device="eth0"}	0
10	h	network_transmit_errors_per_second	0
10	h	network_transmit_errors_per_second{device="eth0"}	0
10	h	network_receive_drops_per_second	0
10	h	network_receive_drops_per_second{device="eth0"}	0
10	h	network_transmit_drops_per_second	0
10	h	network_transmit_drops_per_second{device="eth0"}	0
10	h	network_receive_errors_percent{device="eth0"}	0
10	h	network_transmit_errors_percent{device="eth0"}	0
10	h	network_receive_errors_total{device="eth0"}	0
10	h	network_transmit_errors_total{device="eth0"}	0
10	h	network_receive_drops_total{device="eth0"}	0
10	h	network_transmit_drops_total{device="eth0"}	0'
}

@test "xm-sample: one --procfs copy: what it holds, no rates, said once; status 0" {
	page=$(getconf PAGESIZE)
	run -0 --separate-stderr timeout 10 xm-sample --procfs "$FIX/host-t1/proc" --sysfs "$FIX/host-t1/sys" \
	    -i 1ms -n 2 --host h -p 4242 -m cpu,memory,io,net,load,process,cgroup -H
	assert_equal "$stderr" "xm-sample: $FIX/host-t1/proc: rates need two --procfs snapshots; cpu, io, net rates, process cpu and cgroup rates left out"
	set1="h	memory_total_bytes	16384000000
h	memory_available_bytes	4096000000
h	memory_used_bytes	12288000000
h	memory_usage_percent	75
h	network_receive_bytes_total{device=\"eth0\"}	3000000
h	network_receive_bytes_total{device=\"wlan0\"}	1000
h	network_receive_bytes_total{device=\"docker0\"}	400
h	network_transmit_bytes_total{device=\"eth0\"}	1500000
h	network_transmit_bytes_total{device=\"wlan0\"}	2100000
h	network_transmit_bytes_total{device=\"docker0\"}	600
h	network_receive_errors_total{device=\"eth0\"}	0
h	network_receive_errors_total{device=\"wlan0\"}	0
h	network_receive_errors_total{device=\"docker0\"}	0
h	network_transmit_errors_total{device=\"eth0\"}	0
h	network_transmit_errors_total{device=\"wlan0\"}	0
h	network_transmit_errors_total{device=\"docker0\"}	0
h	network_receive_drops_total{device=\"eth0\"}	0
h	network_receive_drops_total{device=\"wlan0\"}	0
h	network_receive_drops_total{device=\"docker0\"}	0
h	network_transmit_drops_total{device=\"eth0\"}	0
h	network_transmit_drops_total{device=\"wlan0\"}	0
h	network_transmit_drops_total{device=\"docker0\"}	0
h	load1	0.52
h	load5	1.25
h	load15	2.5
h	load1_per_cpu	0.26
h	load5_per_cpu	0.625
h	load15_per_cpu	1.25
h	process_resident_memory_bytes{comm=\"my (weird) app\",pid=\"4242\"}	$((2900 * page))
h	process_threads{comm=\"my (weird) app\",pid=\"4242\"}	3
h	cgroup_memory_used_bytes	500000000
h	cgroup_memory_limit_bytes	1073741824
h	cgroup_memory_usage_percent	46.56612873"
	assert_equal "$(cut -f 2- <<< "$output")" "$set1
$set1"
	# of the rate families alone, nothing; and no notice without one
	run -0 --separate-stderr timeout 10 xm-sample --procfs "$FIX/host-t1/proc" -i 1ms -n 1 -m cpu
	assert_output '#ts	host	metric	value'
	assert_equal "$stderr" "xm-sample: $FIX/host-t1/proc: rates need two --procfs snapshots; cpu left out"
	run -0 --separate-stderr timeout 10 xm-sample --procfs "$FIX/host-t1/proc" -i 1ms -n 1 -m memory,load -H
	assert_equal "$stderr" ""
}

@test "xm-sample: one --procfs that is a mounted proc (a container watching its host) has rates" {
	run -0 --separate-stderr timeout 10 xm-sample --procfs /proc -i 0.1 -n 2 -m cpu,net --host h -H
	assert_equal "$stderr" ""
	assert_equal "$(grep -c '	h	cpu_usage_percent	' <<< "$output")" 2
	assert_equal "$(grep -c '	h	network_receive_bytes_per_second	' <<< "$output")" 2
}

@test "xm-sample: filesystems: pseudo ones out, each mountpoint and device once, escapes undone" {
	t=$BATS_TEST_TMPDIR
	mkdir -p "$t/a b" "$t/tab	x" "$t/bind" "$t/over" "$t/twice" "$t/union"
	copy host-t0 p
	cat > p/proc/mounts <<-MOUNTS
	/dev/vdz / ext4 rw 0 0
	proc /proc proc rw 0 0
	tmpfs /run tmpfs rw 0 0
	cgroup2 /sys/fs/cgroup cgroup2 rw 0 0
	/dev/loop3 /snap/core/1 squashfs ro 0 0
	/dev/vdz $t/bind ext4 rw 0 0
	overlay $t/union overlay rw 0 0
	/dev/vdu $t/a\\040b ext4 rw 0 0
	/dev/vdy $t/tab\\011x xfs rw 0 0
	/dev/vdx $t/over ext4 rw 0 0
	tmpfs $t/over tmpfs rw 0 0
	/dev/vdw $t/twice xfs rw 0 0
	/dev/vdv $t/twice btrfs rw 0 0
	MOUNTS
	run -0 --separate-stderr once p/proc -m disk -H
	assert_equal "$stderr" ""
	run -0 awk -F'\t' '$3 ~ /^disk_usage_percent/ { print $3 }' <<< "$output"
	assert_output "disk_usage_percent{mountpoint=\"/\"}
disk_usage_percent{mountpoint=\"$t/a b\"}
disk_usage_percent{mountpoint=\"$t/tab?x\"}
disk_usage_percent{mountpoint=\"$t/twice\"}"
}

# Every mountpoint of the Docker host's table made under ./root, so that
# each is there to measure and only the choice of what to report shows.
docker_root() {
	mkdir -p root
	awk '{ print $2 }' "$FIX/docker-host/proc/mounts" | while read -r mp; do mkdir -p "root$mp"; done
}

# The mountpoints of a -m disk run's output, one a line.
mountpoints() {
	awk -F'\t' '$3 ~ /^disk_usage_percent/ { sub(/^[^"]*"/, "", $3); sub(/"}$/, "", $3); print $3 }'
}

@test "xm-sample: a Docker host's mounts give the host's own filesystems, not its containers'" {
	# overlay roots, netns, shm and plugin mounts of Docker; containerd's,
	# the kubelet's and Podman's; systemd's credentials; and the kernel's
	docker_root
	run -0 --separate-stderr once "$FIX/docker-host/proc" --rootfs root -m disk -H
	assert_equal "$stderr" ""
	mountpoints <<< "$output" > xm
	run -0 cat xm
	assert_output '/
/boot
/boot/efi
/home
/var/lib/docker'
	# node_exporter with its upstream defaults (Debian's package adds /run,
	# /mnt and /media) leaves out the same but for tmpfs and the kubelet's
	# and containerd's mountpoints, which xm leaves out too
	command -v prometheus-node-exporter > /dev/null || skip "prometheus-node-exporter is not installed (scripts/install-deps check)"
	node_scrape --path.procfs="$FIX/docker-host/proc" --path.rootfs="$PWD/root" \
	    --collector.disable-defaults --collector.filesystem \
	    --collector.filesystem.mount-points-exclude='^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)'
	sed -n 's/^node_filesystem_size_bytes{.*fstype="\([^"]*\)",mountpoint="\([^"]*\)"} \(.*\)/\1 \2 \3/p' scraped |
	    sort -k2,2 > ne
	run -0 awk '$1 != "tmpfs" && $2 !~ "^/(var/lib/kubelet|run/containerd)/" { print $2 }' ne
	assert_output "$(sort xm)"
	# and the same sizes
	run -0 awk -F'\t' 'FNR == NR { size[$2] = $3; next }
		$3 ~ /^disk_total_bytes/ { m = $3; sub(/^[^"]*"/, "", m); sub(/"}$/, "", m); if ($4 != size[m] + 0) bad++; n++ }
		END { print n, bad + 0 }' <(tr ' ' '\t' < ne) <(printf '%s\n' "$(once "$FIX/docker-host/proc" --rootfs root -m disk -H)")
	assert_output '5 0'
}

@test "xm-sample: --mount-include, --fstype-include beat the defaults; given excludes beat both" {
	docker_root
	while IFS='|' read -r args want; do
		eval "set -- $args"
		run -0 --separate-stderr once "$FIX/docker-host/proc" --rootfs root -m disk -H "$@"
		assert_equal "$stderr" ""
		assert_equal "$args: $(mountpoints <<< "$output" | tr '\n' ' ')" "$args: $want"
	done <<-'CASES'
	--fstype-include tmpfs|/run / /run/lock /boot /boot/efi /home /var/lib/docker /run/user/1000 
	--fstype-include 'tmp*' --mount-exclude '/run/*'|/run / /boot /boot/efi /home /var/lib/docker 
	--mount-include '/var/lib/kubelet/*'|/ /boot /boot/efi /home /var/lib/docker /var/lib/kubelet/plugins/kubernetes.io/csi/pv/pvc-0a1b/globalmount 
	--mount-include '/var/lib/kubelet/*' --fstype-exclude ext4|/boot/efi /home 
	--mount-exclude /boot/efi --mount-exclude '/home*'|/ /boot /var/lib/docker 
	--fstype-exclude vfat --fstype-exclude 'x*'|/ /boot /var/lib/docker 
	--mount-include /dev/shm|/ /boot /boot/efi /home /var/lib/docker 
	--mount-include /dev/shm --fstype-include tmpfs|/run / /dev/shm /run/lock /boot /boot/efi /home /var/lib/docker /run/user/1000 
	--fstype-include overlay --mount-include '/var/lib/docker/*'|/ /boot /boot/efi /home /var/lib/docker /var/lib/docker/overlay2/5b1c0d2e3f4a/merged /var/lib/docker/overlay2/6c2d1e3f4a5b/merged 
	CASES
}

@test "xm-sample: --rootfs: the host's mountpoints measured under it, as df measures that directory" {
	# a filesystem of our own at root/data, named /data in the host's table
	mkdir -p root/data
	mount -t tmpfs -o size=4m,mode=755 xmtest root/data 2> mount.err ||
	    skip "mount is not permitted here ($(cat mount.err)): run as root, as CI does"
	echo "$PWD/root/data" > mounted
	head -c 1048576 /dev/zero > root/data/file
	copy host-t0 p
	printf '/dev/vdz / ext4 rw 0 0\n/dev/vdq /data ext4 rw 0 0\n' > p/proc/mounts
	run -0 --separate-stderr once p/proc --rootfs "$PWD/root/" -m disk -H
	assert_equal "$stderr" ""
	read -r size used avail <<< "$(df -B1 --output=size,used,avail root/data | sed 1d)"
	assert_equal "$size $used $avail" '4194304 1048576 3145728'
	assert_line "1	h	disk_total_bytes{mountpoint=\"/data\"}	$size"
	assert_line "1	h	disk_used_bytes{mountpoint=\"/data\"}	$used"
	assert_line "1	h	disk_avail_bytes{mountpoint=\"/data\"}	$avail"
	assert_line "1	h	disk_free_bytes{mountpoint=\"/data\"}	$((size - used))"
	assert_line "1	h	disk_usage_percent{mountpoint=\"/data\"}	25"
	# and / is measured at root itself, not at this machine's /
	read -r size <<< "$(df -B1 --output=size root | sed 1d)"
	assert_line "1	h	disk_total_bytes{mountpoint=\"/\"}	$size"
}

@test "xm-sample: --rootfs takes the host's table, PID 1's, and its mountpoints as a container sees them" {
	# PID 1's table names the host's filesystems; where there is none (hidepid),
	# the reader's own names them under the root, /r/home for /home
	copy host-t0 p
	mkdir -p r/home r/srv p/proc/1
	printf '/dev/sda1 / ext4 rw 0 0\n/dev/sda2 /home ext4 rw 0 0\n/dev/sdb1 /srv xfs rw 0 0\n' > p/proc/1/mounts
	printf 'overlay / overlay rw 0 0\n/dev/sda1 %s/r ext4 rw 0 0\n/dev/sda2 %s/r/home ext4 rw 0 0\n' "$PWD" "$PWD" > p/proc/mounts
	run -0 --separate-stderr once p/proc --rootfs r -m disk -H
	assert_equal "$(mountpoints <<< "$output" | tr '\n' ' ')" '/ /home /srv '
	rm -r p/proc/1
	run -0 --separate-stderr once p/proc --rootfs "$PWD/r" -m disk -H
	assert_equal "$(mountpoints <<< "$output" | tr '\n' ' ')" '/ /home '
	# without --rootfs, the reader's own table, as it is
	run -0 --separate-stderr once p/proc -m disk -H
	assert_equal "$(mountpoints <<< "$output" | tr '\n' ' ')" "$PWD/r $PWD/r/home "
}

@test "xm-sample: disk sizes are df -B1's on this machine: size, used, avail; free and used/(used+avail)" {
	run -0 --separate-stderr timeout 5 xm-sample -i 1ms -n 1 -m disk -H --host h
	assert_equal "$stderr" ""
	# every filesystem reported, beside df's figures for its mountpoint
	awk -F'\t' '{ m = $3; sub(/[{].*/, "", m); p = $3; sub(/^[^"]*"/, "", p); sub(/"}$/, "", p)
		print p "\t" m "\t" $4 }' <<< "$output" > xm
	# each of the five figures for each filesystem
	nfs=$(cut -f1 xm | sort -u | wc -l)
	[ "$nfs" -gt 0 ]
	run -0 awk -F'\t' '{ c[$2]++ } END { print c["disk_total_bytes"], c["disk_used_bytes"],
		c["disk_avail_bytes"], c["disk_free_bytes"], c["disk_usage_percent"] }' xm
	assert_output "$nfs $nfs $nfs $nfs $nfs"
	cut -f1 xm | sort -u | while IFS= read -r mp; do
		df -B1 --output=size,used,avail,pcent "$mp" | awk -v mp="$mp" 'NR == 2 { print mp "\t" $1 "\t" $2 "\t" $3 "\t" $4 }'
	done > df
	# size exact; other tests write to these disks meanwhile, so used,
	# avail and free within 100 MB, the percentage within 0.1, and df's
	# Use% is ours rounded up
	run -0 awk -F'\t' '
		FNR == NR { size[$1] = $2; used[$1] = $3; avail[$1] = $4; pc[$1] = $5 + 0; next }
		function near(a, b, tol) { return a - b <= tol && b - a <= tol }
		$2 == "disk_total_bytes" && $3 != size[$1] { print "size", $0, size[$1]; bad++ }
		$2 == "disk_used_bytes" && !near($3, used[$1], 1e8) { print "used", $0, used[$1]; bad++ }
		$2 == "disk_avail_bytes" && !near($3, avail[$1], 1e8) { print "avail", $0, avail[$1]; bad++ }
		$2 == "disk_free_bytes" && !near($3, size[$1] - used[$1], 1e8) { print "free", $0; bad++ }
		$2 == "disk_usage_percent" && !near($3, 100 * used[$1] / (used[$1] + avail[$1]), 0.1) { print "pct", $0; bad++ }
		$2 == "disk_usage_percent" && (pc[$1] < $3 || pc[$1] >= $3 + 1.1) { print "df%", $0, pc[$1]; bad++ }
		{ n++ }
		END { print n, bad + 0 }' df xm
	assert_output "$(( $(wc -l < xm) )) 0"
}

@test "xm-sample: disk sizes are integers in full; avail and free apart, reserved blocks between" {
	copy host-t0 p
	echo '/dev/vdz / ext4 rw 0 0' > p/proc/mounts
	read -r blocks free avail bsize <<< "$(stat -f -c '%b %f %a %S' /)"
	run -0 --separate-stderr once p/proc -m disk -H
	assert_line --index 0 "1	h	disk_total_bytes{mountpoint=\"/\"}	$((blocks * bsize))"
	assert_line --index 1 --regexp '^1	h	disk_used_bytes\{mountpoint="/"\}	[0-9]+$'
	assert_line --index 2 --regexp '^1	h	disk_avail_bytes\{mountpoint="/"\}	[0-9]+$'
	assert_line --index 3 --regexp '^1	h	disk_free_bytes\{mountpoint="/"\}	[0-9]+$'
	assert_line --index 4 --regexp '^1	h	disk_usage_percent\{mountpoint="/"\}	[0-9.]+$'
	# used + free is the size, to the byte; avail is at most free
	run -0 awk -F'\t' '{ v[NR] = $4 } END { print (v[2] + v[4] == v[1]), (v[3] <= v[4]) }' <<< "$output"
	assert_output '1 1'
}

@test "xm-sample: processes by -p and -P: cpu, resident memory, threads; how many of a name run; exits noticed" {
	page=$(getconf PAGESIZE)
	# 5000 by -p and -P both: reported once, and counted among nginx's
	run -0 --separate-stderr snap -m process -p 4242 -p 777 -p 888 -p 5000 -P nginx -P nosuch -H
	# 4242: 250 ticks of 100 Hz in 10 s; 5000: 10 ticks; 5001 is new.
	# Resident pages are statm's (2900, 1150, 480), not stat's rss field
	# (3000, 1200, 500).  The copies hold no fd directory and no io file.
	assert_output "1764300010	web1	process_cpu_percent{comm=\"my (weird) app\",pid=\"4242\"}	25
1764300010	web1	process_cpu_percent{comm=\"nginx\",pid=\"5000\"}	1
1764300010	web1	process_resident_memory_bytes{comm=\"my (weird) app\",pid=\"4242\"}	$((2900 * page))
1764300010	web1	process_resident_memory_bytes{comm=\"nginx\",pid=\"5000\"}	$((1150 * page))
1764300010	web1	process_resident_memory_bytes{comm=\"nginx\",pid=\"5001\"}	$((480 * page))
1764300010	web1	process_threads{comm=\"my (weird) app\",pid=\"4242\"}	3
1764300010	web1	process_threads{comm=\"nginx\",pid=\"5000\"}	1
1764300010	web1	process_threads{comm=\"nginx\",pid=\"5001\"}	1
1764300010	web1	process_count{name=\"nginx\"}	2
1764300010	web1	process_count{name=\"nosuch\"}	0"
	assert_equal "$stderr" "xm-sample: process 888: no such process
xm-sample: process 777 (sleeper) exited"
}

# mkproc DIR PID COMM STATE TICKS THREADS START RSS STATM: a process in a copy of /proc
mkproc() {
	mkdir -p "$1/$2"
	printf '%s (%s) %s 1 1 1 0 -1 0 0 0 0 0 %s 0 0 0 20 0 %s 0 %s 1000 %s 0\n' \
	    "$2" "$3" "$4" "$5" "$6" "$7" "$8" > "$1/$2/stat"
	printf '100 %s 0 0 0 0 0\n' "$9" > "$1/$2/statm"
}

@test "xm-sample --top: the processes by CPU, by memory and by I/O, each with all its series; counts of processes and zombies" {
	page=$(getconf PAGESIZE)
	copy host-t0 t0
	copy host-t1 t1
	# db: 500 ticks in 10 s (50%), 10000 pages by stat, 9000 by statm,
	# storage I/O +10 MB read and +500 kB written, three descriptors
	mkproc t0/proc 6001 db S 1000 8 500 10000 9000
	mkproc t1/proc 6001 db S 1500 8 500 10000 9000
	printf 'rchar: 5\nwchar: 5\nsyscr: 1\nsyscw: 1\nread_bytes: 1000000\nwrite_bytes: 0\ncancelled_write_bytes: 0\n' > t0/proc/6001/io
	printf 'rchar: 9\nwchar: 9\nsyscr: 2\nsyscw: 2\nread_bytes: 11000000\nwrite_bytes: 500000\ncancelled_write_bytes: 0\n' > t1/proc/6001/io
	mkdir t1/proc/6001/fd && touch t1/proc/6001/fd/0 t1/proc/6001/fd/1 t1/proc/6001/fd/2
	# a zombie, counted, never reported; idle, with the most memory and no CPU
	mkproc t0/proc 6002 zomb Z 0 1 600 0 0
	mkproc t1/proc 6002 zomb Z 0 1 600 0 0
	mkproc t0/proc 6003 idle S 7 1 700 20000 20000
	mkproc t1/proc 6003 idle S 7 1 700 20000 20000
	top2() {
		xm-sample --procfs t0/proc --procfs t1/proc -i 10 -n 1 --start 0 --host h -H -m process "$@"
	}
	# by CPU db and 4242 (25%) before nginx 5000 (1%); by memory idle and
	# db; by I/O db alone; 4242, 5000, 5001, 6001, 6002, 6003 are six
	run -0 --separate-stderr top2 --top 2
	assert_equal "$stderr" ""
	assert_output "10	h	processes_count	6
10	h	processes_zombie	1
10	h	process_cpu_percent{comm=\"my (weird) app\",pid=\"4242\"}	25
10	h	process_cpu_percent{comm=\"db\",pid=\"6001\"}	50
10	h	process_cpu_percent{comm=\"idle\",pid=\"6003\"}	0
10	h	process_resident_memory_bytes{comm=\"my (weird) app\",pid=\"4242\"}	$((2900 * page))
10	h	process_resident_memory_bytes{comm=\"db\",pid=\"6001\"}	$((9000 * page))
10	h	process_resident_memory_bytes{comm=\"idle\",pid=\"6003\"}	$((20000 * page))
10	h	process_threads{comm=\"my (weird) app\",pid=\"4242\"}	3
10	h	process_threads{comm=\"db\",pid=\"6001\"}	8
10	h	process_threads{comm=\"idle\",pid=\"6003\"}	1
10	h	process_open_fds{comm=\"db\",pid=\"6001\"}	3
10	h	process_read_bytes_per_second{comm=\"db\",pid=\"6001\"}	1000000
10	h	process_write_bytes_per_second{comm=\"db\",pid=\"6001\"}	50000"
	# one: each ranking's first; 4242 watched by -p is the family's own, reported once
	run -0 --separate-stderr top2 --top 1 -p 4242
	assert_equal "$stderr" ""
	assert_equal "$(cut -f 3 <<< "$output" | grep -c 'pid=\"4242\"')" 3
	assert_equal "$(cut -f 3 <<< "$output" | sed -n 's/.*pid="\([0-9]*\)".*/\1/p' | sort -u | paste -sd ' ')" "4242 6001 6003"
	# a PID taken over by another process between the copies has no CPU rate
	sed -i 's/ 0 500 1000 / 0 501 1000 /' t1/proc/6001/stat
	run -0 --separate-stderr top2 --top 2
	refute_line --partial 'process_cpu_percent{comm="db"'
	refute_line --partial 'process_read_bytes_per_second{comm="db"'
	assert_line "10	h	process_threads{comm=\"db\",pid=\"6001\"}	8"
}

@test "xm-sample --top on this machine: a busy process is first by CPU, its memory and threads are ps's, the counts are /proc's" {
	perl -e '1 while 1' &
	busy=$!
	run -0 --separate-stderr timeout 10 xm-sample --top 1 -m process -i 0.3 -n 2 --host h -H
	# its memory and threads as ps has them, the peer, while it still runs
	kb=$(ps -o rss= -p "$busy")
	nlwp=$(ps -o nlwp= -p "$busy")
	kill "$busy"
	assert_equal "$stderr" ""
	assert_line --regexp "	process_resident_memory_bytes\{comm=\"perl\",pid=\"$busy\"\}	$((kb * 1024))\$"
	assert_line --regexp "	process_threads\{comm=\"perl\",pid=\"$busy\"\}	${nlwp// /}\$"
	# the loop took most of a CPU: the first by CPU in the last set
	run -0 awk -F '\t' '$3 ~ /^process_cpu_percent/ && ($1 > ts || $4 + 0 > max) {
	    if ($1 > ts) max = -1; ts = $1; if ($4 + 0 > max) { max = $4 + 0; top = $3 " " $4 } }
	    END { print top }' <<< "$output"
	assert_output --regexp "^process_cpu_percent\{comm=\"perl\",pid=\"$busy\"\} (9[0-9]|1[0-9][0-9])(\.[0-9]+)?\$"
	n=$(ls /proc | grep -c '^[0-9]')
	run -0 awk -F '\t' -v n="$n" '$3 == "processes_count" && ($4 < n - 50 || $4 > n + 50) { print "far: " $4 " " n }' <<< "$output"
	assert_output ""
}

@test "xm-sample: a command name with quotes, backslash and tab is escaped in its label" {
	copy host-t0 p
	mkdir p/proc/6000
	printf '6000 (a"b\\c\td) S 1 1 1 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0 1 1 9 0\n' > p/proc/6000/stat
	run -0 --separate-stderr once p/proc -p 6000 -m process -H
	assert_line --index 0 "1	h	process_cpu_percent{comm=\"a\\\"b\\\\c?d\",pid=\"6000\"}	0"
}

@test "xm-sample: a live process, then its exit, on this machine" {
	sleep 30 &
	pid=$!
	run -0 --separate-stderr timeout 5 xm-sample -p "$pid" -m process -i 0.1 -n 1 --host h -H
	kill "$pid"
	assert_line --index 0 --regexp "^[0-9.]+	h	process_cpu_percent\{comm=\"sleep\",pid=\"$pid\"\}	0\$"
	assert_line --index 1 --regexp "^[0-9.]+	h	process_resident_memory_bytes\{comm=\"sleep\",pid=\"$pid\"\}	[1-9][0-9]*\$"
	sleep 30 &
	pid=$!
	timeout 10 xm-sample -p "$pid" -m process -i 0.2 -n 10 --host h -H > out 2> err &
	xpid=$!
	wait_lines out 2
	kill "$pid"
	wait "$xpid"
	assert_equal "$(cat err)" "xm-sample: process $pid (sleep) exited"
}

@test "xm-sample: a process's resident memory is what ps -o rss says" {
	# a process whose memory stays put: perl holding 64 MiB it has written
	perl -e '$x = "a" x (64 << 20); print "ready\n"; $| = 1; sleep 60' > ready &
	pid=$!
	poll 10 grep -q ready ready
	run -0 --separate-stderr timeout 5 xm-sample -p "$pid" -m process -i 0.1 -n 1 --host h -H
	kb=$(ps -o rss= -p "$pid")
	kill "$pid"
	assert_line --index 1 "${lines[1]%	*}	$((kb * 1024))"
	assert_line --index 1 --regexp "^[0-9.]+	h	process_resident_memory_bytes\{comm=\"perl\",pid=\"$pid\"\}	"
	[ "$kb" -gt 65536 ]
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
	assert_regex "$(sed -n 2p out)" "^[0-9.]+	h	process_resident_memory_bytes\\{comm=\"sleep\",pid=\"$child\"\\}	[1-9][0-9]*\$"
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
	run -0 --separate-stderr once v/proc --sysfs v/sys -n 2 -m cgroup -H
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
	run -1 --separate-stderr once p/proc --sysfs "$FIX/host-t0/sys" -n 3 -m io,load -H
	assert_equal "$stderr" "xm-sample: p/proc/diskstats: No such file or directory; io metrics skipped"
	assert_equal "${#lines[@]}" 18
	assert_line --index 17 '3	h	load15_per_cpu	0.15'
}

@test "xm-sample: garbled /proc files are reported, never misread" {
	copy host-t0 p
	echo 'cpu  x y z' > p/proc/stat
	echo '1e999 0x10 0.5 1/2 3' > p/proc/loadavg
	printf 'a\nb\n  eth0 1 2 3\n' > p/proc/net/dev
	echo 'MemTotal: 1 kB' > p/proc/meminfo
	run -1 --separate-stderr once p/proc -m cpu,load,net,memory -H
	assert_output ""
	assert_equal "$stderr" "xm-sample: p/proc/stat: no \"cpu\" line; cpu metrics skipped
xm-sample: p/proc/meminfo: no MemTotal or MemAvailable; memory metrics skipped
xm-sample: p/proc/net/dev: cannot parse an interface line; net metrics skipped
xm-sample: p/proc/loadavg: not three load averages; load metrics skipped"
}

@test "xm-sample: disk io without /sys/block cannot tell disks from partitions" {
	mkdir empty
	run -1 --separate-stderr once "$FIX/host-t0/proc" --sysfs empty -m io,load -H
	assert_equal "$stderr" "xm-sample: empty/block: No such file or directory; io metrics skipped"
	assert_line --index 0 '1	h	load1	0.1'
}

@test "xm-sample: bad command lines: one message, the usage, status 2" {
	usage='usage: xm-sample [-H] [-i seconds] [-m families] [-n count] [-P name]...
                 [-p pid]... [--top n] [--host name] [--per-cpu]
                 [--procfs dir]... [--sysfs dir]... [--rootfs dir]
                 [--mount-include glob]... [--mount-exclude glob]...
                 [--fstype-include glob]... [--fstype-exclude glob]...
                 [--synthetic [--seed n]] [--start ts]
                 [--state file [--wait seconds]]'
	while IFS='|' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr xm-sample "$@"
		assert_equal "$stderr" "xm-sample: $message
$usage"
		assert_output ""
	done <<-'CASES'
	-i 0|-i: "0": not an interval from 1ms to 1000000s
	--top 0|--top: "0": not a count from 1 to 1000
	--top 1001|--top: "1001": not a count from 1 to 1000
	--top x|--top: "x": not a count from 1 to 1000
	-i 1x|-i: "1x": not an interval from 1ms to 1000000s
	-i 0.0001|-i: "0.0001": not an interval from 1ms to 1000000s
	-n 0|-n: "0": not a count of at least 1
	-n -3|-n: "-3": not a count of at least 1
	-m cpu,gpu|-m: "gpu": not a family (cpu, memory, swap, disk, io, net, load, process, cgroup, app, pressure, vm, fd, procs, tcp, sensors)
	-m ,|-m: ",": names no family
	-p 0|-p: "0": not a process ID
	-p 12x|-p: "12x": not a process ID
	-P ''|-P: "": not a command name (1 to 15 bytes)
	-P sixteen_letters_|-P: "sixteen_letters_": not a command name (1 to 15 bytes)
	--host ''|--host: "": not a host name
	--host $'a\tb'|--host: "a\tb": not a host name
	--start yesterday|--start: "yesterday": not a timestamp
	--start 1000000000000000|--start: "1000000000000000": not a timestamp
	--start 0|--start is for --synthetic, or --procfs given twice or more, or once with --state
	--start 0 --procfs /proc|--start is for --synthetic, or --procfs given twice or more, or once with --state
	--start 0 --procfs /proc --state s|--start is for recorded --procfs copies; a proc filesystem is read live
	--state ''|--state: "": not a file name
	--state s --wait soon|--wait: "soon": not a duration of at most 1e9 seconds
	--synthetic --state s|--state carries this machine's counters, which --synthetic does not read
	--start 0 --procfs /proc --procfs /proc|--start is for recorded --procfs copies; a proc filesystem is read live
	--mount-include ''|--mount-include: "": not a glob
	--fstype-exclude ''|--fstype-exclude: "": not a glob
	--synthetic --seed x|--seed: "x": not a number
	--seed 1|--seed is for --synthetic
	--synthetic -p 1|--synthetic makes no process or cgroup metrics
	--synthetic -m cgroup|--synthetic makes no process or cgroup metrics
	-m app|-m app: application metrics come only with --synthetic
	-m cpu,process|-m process: name the processes with -p, -P or --top
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

@test "xm-sample: a --procfs, --sysfs or --rootfs that is no directory: one line, status 2, at once" {
	touch file
	while IFS='|' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr timeout 5 xm-sample -i 1000000 "$@"
		assert_equal "$stderr" "xm-sample: $message"
		assert_output ""
	done <<-CASES
	--procfs nowhere|--procfs: "nowhere": No such file or directory
	--procfs $FIX/host-t0/proc --procfs nowhere/proc --start 0|--procfs: "nowhere/proc": No such file or directory
	--sysfs file|--sysfs: "file": Not a directory
	--rootfs ''|--rootfs: "": No such file or directory
	--rootfs nowhere -m cpu|--rootfs: "nowhere": No such file or directory
	CASES
}

@test "xm-sample: --help: the synopsis, then a line for each option, on stdout" {
	run -2 --separate-stderr xm-sample --frobnicate
	usage=$(sed 1d <<< "$stderr")
	run -0 --separate-stderr xm-sample --help
	assert_equal "$stderr" ""
	assert_equal "$(head -n "$(wc -l <<< "$usage")" <<< "$output")" "$usage"
	# each option once, at the start of its line, and the same as the page's OPTIONS
	grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+ ' <<< "$output" | sed 's/.*--//; s/ $//' | sort > help-opts
	sed -n '/^\.Sh OPTIONS/,/^\.Sh /p' "$MAN/xm-sample.1" |
	    sed -n 's/^\.It .*Fl \\-\([a-z-]*\).*/\1/p' | sort > page-opts
	diff -u page-opts help-opts
	assert_equal "$(wc -l < help-opts)" 23
	assert_equal "$(sort -u help-opts | wc -l)" 23
}

@test "xm-sample: --version" {
	run -0 --separate-stderr xm-sample --version
	assert_output --regexp '^xm-sample [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "xm-sample: the header comes first; -H leaves it out" {
	run -0 --separate-stderr snap -m load
	assert_line --index 0 '#ts	host	metric	value'
	assert_equal "${#lines[@]}" 7
	run -0 --separate-stderr snap -m load --no-header
	assert_equal "${#lines[@]}" 6
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

@test "xm-sample -i 1h: SIGTERM or SIGINT in its sleep ends it at once, status 0" {
	for sig in TERM INT; do
		xm-sample -i 1h -m load > out 2> err &
		pid=$!
		for i in $(seq 200); do
			case $(cat /proc/$pid/wchan 2>/dev/null) in *sigtimedwait*) break ;; esac
			sleep 0.01
		done
		assert_regex "$(cat /proc/$pid/wchan)" 'sigtimedwait'
		kill -s "$sig" "$pid"
		run timeout 5 tail --pid="$pid" -f /dev/null
		assert_success
		status=0
		wait "$pid" || status=$?
		assert_equal "$status" 0
		assert_equal "$(cat err)" ""
	done
}

@test "xm-sample, xm-buffer, xm-alert: under nohup(1) a hangup ends none; SIGTERM still does, status 0" {
	nohup xm-sample -i 0.05 -m load > out 2> err &
	pid=$!
	mkfifo in ain
	nohup xm-buffer < in > bout 2> berr &
	bpid=$!
	nohup xm-alert < ain > aout 2> aerr &
	apid=$!
	exec 8> in 9> ain
	wait_lines out 4
	kill -HUP "$pid" "$bpid" "$apid"
	n=$(wc -l < out)
	wait_lines out $((n + 3))
	kill -0 "$bpid"
	kill -0 "$apid"
	kill -TERM "$pid" "$bpid" "$apid"
	exec 8>&- 9>&-
	for p in "$pid" "$bpid" "$apid"; do
		status=0
		wait "$p" || status=$?
		assert_equal "$status" 0
	done
	assert_equal "$(cat err berr aerr)" ""
}

@test "xm-sample --start: in the background, where the shell ignores SIGINT, kill -INT still ends it, status 0" {
	trap "" INT
	grep '^SigIgn' /proc/self/status > ign &
	wait $!
	xm-sample --synthetic --seed 1 --start 0 > /dev/null 2> err &
	pid=$!
	trap - INT
	# what it starts with: SIGINT (bit 2) ignored
	assert_equal "$(awk '{ print and(strtonum("0x" $2), 2) }' ign)" 2
	# sent before it has its handler, the signal is ignored as the shell meant
	for i in $(seq 100); do
		[ "$(awk '$1 == "SigCgt:" { print and(strtonum("0x" $2), 2) }' /proc/$pid/status)" = 2 ] &&
		    break
		sleep 0.05
	done
	kill -INT "$pid"
	ended=0
	timeout 5 tail --pid="$pid" -f /dev/null || ended=$?
	kill -KILL "$pid" 2> /dev/null || true
	assert_equal "$ended" 0
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 0
	assert_equal "$(cat err)" ""
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
	run -0 --separate-stderr timeout 60 xm-sample --synthetic --seed 8 --start 1764300000 -i 1 -n 86400 --host s -H
	assert_equal "$stderr" ""
	run -0 awk -F'\t' '
		$3 == "cpu_usage_percent" && $4 > 95 { c++ }
		$3 == "memory_usage_percent" && $4 > 98 { m++ }
		$3 == "response_time_seconds" && $4 > 10 { r++ }
		$3 == "error_rate_percent" && $4 > 25 { e++ }
		$3 == "disk_usage_percent{mountpoint=\"/var\"}" && $4 > 95 { d++ }
		END { print (c > 0) (m > 0) (r > 0) (e > 0) (d > 0), NR }' <<< "$output"
	assert_output "11111 2937600"
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
	assert_equal "$(wc -l < merged)" 1360002
	run -1 grep -v -E $'^(#ts\thost\tmetric\tvalue|[0-9.]+\t[ab]\t[a-z0-9_]+(\\{[^}]*\\})?\t[-0-9.e+]+)$' merged
	# each host's lines, in their order, are what it writes alone
	xm-sample --synthetic --seed 2 --start 1764288000 -n 20000 --host b | grep -v '^#' > alone
	grep $'^[0-9.]*\tb\t' merged | diff -q alone -
}

# --- issue 22: pressure, vm, fd, and the own cgroup's pressure ---------------

# xm-sample over the PSI cgroup snapshots, ten seconds apart.
psi_snap() {
	xm-sample --procfs "$FIX/psi-t0/proc" --procfs "$FIX/psi-t1/proc" \
	    --sysfs "$FIX/psi-t0/sys" --sysfs "$FIX/psi-t1/sys" -i 10 -n 1 --start 0 --host c "$@"
}

@test "xm-sample: pressure: the share of the interval stalled, from the total= microseconds" {
	# in 10 s: cpu some +2.5 s; memory some +0.5 s, full +0.25 s; io some
	# +1.2 s, full +0.4 s (the avg10 beside them is not what is read);
	# cpu full, undefined for the system, is not reported
	run -0 --separate-stderr snap -m pressure -H
	assert_output "1764300010	web1	pressure_cpu_some_percent	25
1764300010	web1	pressure_memory_some_percent	5
1764300010	web1	pressure_memory_full_percent	2.5
1764300010	web1	pressure_io_some_percent	12
1764300010	web1	pressure_io_full_percent	4"
	assert_equal "$stderr" ""
}

@test "xm-sample: vm: swapping, major faults, pages scanned by kswapd and direct reclaim, OOM kills" {
	# in 10 s: pswpin +50, pswpout +1000, pgmajfault +5000, pgscan_kswapd
	# +15000 and pgscan_direct +2000 (khugepaged, throttle, anon and file
	# not counted), oom_kill 2 -> 3
	run -0 --separate-stderr snap -m vm -H
	assert_output "1764300010	web1	memory_oom_kills_total	3
1764300010	web1	swap_in_pages_per_second	5
1764300010	web1	swap_out_pages_per_second	100
1764300010	web1	memory_major_faults_per_second	500
1764300010	web1	memory_page_scans_per_second	1700
1764300010	web1	memory_oom_kills_per_second	0.1"
	assert_equal "$stderr" ""
	# the total is a counter to xm-show -o prom, the rates gauges
	snap -m vm -H | xm-show -o prom > prom
	assert_equal "$(grep '^# TYPE' prom | sort)" "# TYPE xm_memory_major_faults_per_second gauge
# TYPE xm_memory_oom_kills_per_second gauge
# TYPE xm_memory_oom_kills_total counter
# TYPE xm_memory_page_scans_per_second gauge
# TYPE xm_swap_in_pages_per_second gauge
# TYPE xm_swap_out_pages_per_second gauge"
}

@test "xm-sample: vm before Linux 4.8 scans a zone a line, summed as sar -B; before 4.13 no oom_kill, no OOM metrics" {
	copy host-t0 t0
	copy host-t1 t1
	printf 'pswpin 0\npswpout 0\npgmajfault 10\npgscan_kswapd_dma 0\npgscan_kswapd_dma32 100\npgscan_kswapd_normal 1000\npgscan_kswapd_movable 0\npgscan_direct_dma 0\npgscan_direct_dma32 10\npgscan_direct_normal 200\npgscan_direct_movable 0\npgscan_direct_throttle 5\n' > t0/proc/vmstat
	printf 'pswpin 0\npswpout 0\npgmajfault 10\npgscan_kswapd_dma 0\npgscan_kswapd_dma32 300\npgscan_kswapd_normal 4000\npgscan_kswapd_movable 0\npgscan_direct_dma 0\npgscan_direct_dma32 60\npgscan_direct_normal 640\npgscan_direct_movable 0\npgscan_direct_throttle 900\n' > t1/proc/vmstat
	# (300 - 100) + (4000 - 1000) + (60 - 10) + (640 - 200) = 3690 in 10 s
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc -i 10 -n 1 --start 0 --host h -m vm -H
	assert_output "10	h	swap_in_pages_per_second	0
10	h	swap_out_pages_per_second	0
10	h	memory_major_faults_per_second	0
10	h	memory_page_scans_per_second	369"
	assert_equal "$stderr" ""
}

@test "xm-sample: fd: file handles used of fs.file-max; allocated less free, what node_exporter calls allocated" {
	run -0 --separate-stderr snap -m fd -H
	assert_output "1764300010	web1	file_handles_used	6912
1764300010	web1	file_handles_max	9216
1764300010	web1	file_handles_usage_percent	75"
	assert_equal "$stderr" ""
	# Linux 2.4 kept free handles: 1000 allocated, 200 of them free
	copy host-t1 old
	printf '1000\t200\t5000\n' > old/proc/sys/fs/file-nr
	run -0 --separate-stderr once old/proc -m fd -H
	assert_output "1	h	file_handles_used	800
1	h	file_handles_max	5000
1	h	file_handles_usage_percent	16"
	command -v prometheus-node-exporter > /dev/null || skip "prometheus-node-exporter is not installed (scripts/install-deps check)"
	node_scrape --path.procfs="$FIX/host-t1/proc" --path.sysfs="$FIX/host-t1/sys" \
	    --collector.disable-defaults --collector.filefd
	assert_equal "$(grep '^node_filefd' scraped)" 'node_filefd_allocated 6912
node_filefd_maximum 9216'
}

@test "xm-sample: the own cgroup's pressure from cgroup v2's *.pressure files, cpu full too" {
	# xm.service in 10 s: cpu some +1 s, full +0.5 s; memory some +0.1 s,
	# full +0.05 s; io none.  No limits: no other cgroup metric.
	run -0 --separate-stderr psi_snap -m cgroup -H
	assert_output "10	c	cgroup_pressure_cpu_some_percent	10
10	c	cgroup_pressure_cpu_full_percent	5
10	c	cgroup_pressure_memory_some_percent	1
10	c	cgroup_pressure_memory_full_percent	0.5
10	c	cgroup_pressure_io_some_percent	0
10	c	cgroup_pressure_io_full_percent	0"
	assert_equal "$stderr" ""
	# the root cgroup (no cgroup.type) is the system: the pressure family's
	copy psi-t0 t0
	copy psi-t1 t1
	for t in t0 t1; do
		echo '0::/' > $t/proc/self/cgroup
		cp $t/sys/fs/cgroup/app.slice/xm.service/*.pressure $t/sys/fs/cgroup/
	done
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc --sysfs t0/sys \
	    --sysfs t1/sys -i 10 -n 1 --start 0 --host c -m cgroup -H
	assert_output ""
	assert_equal "$stderr" ""
	# a cgroup v2 without them (before Linux 4.20): nothing, quietly
	rm t0/sys/fs/cgroup/*.pressure t1/sys/fs/cgroup/*.pressure
	rm -r t0/sys/fs/cgroup/app.slice/xm.service/*.pressure t1/sys/fs/cgroup/app.slice/xm.service/*.pressure
	echo '0::/app.slice/xm.service' | tee t0/proc/self/cgroup > t1/proc/self/cgroup
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc --sysfs t0/sys \
	    --sysfs t1/sys -i 10 -n 1 --start 0 --host c -m cgroup -H
	assert_output ""
	assert_equal "$stderr" ""
}

@test "xm-sample: a kernel without PSI: one notice for the run, no error, every other family sampled" {
	copy host-t0 t0
	copy host-t1 t1
	rm -r t0/proc/pressure t1/proc/pressure
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc --sysfs t0/sys \
	    --sysfs t1/sys -i 10 -n 3 --start 0 --host h -H
	assert_equal "$stderr" "xm-sample: t0/proc/pressure/cpu: No such file or directory: no pressure stall information in this kernel; pressure metrics left out"
	sampled=$output
	for m in memory_used_bytes load1 swap_in_pages_per_second \
	    file_handles_used cgroup_cpu_usage_percent network_receive_bytes_per_second; do
		assert_equal "$m $(grep -c "	$m	" <<< "$sampled")" "$m 3"
	done
	run -1 grep pressure <<< "$sampled"
	# and the same with the cgroup's pressure files there, but not the system's
	copy psi-t0 p0
	copy psi-t1 p1
	run -0 --separate-stderr xm-sample --procfs p0/proc --procfs p1/proc --sysfs p0/sys \
	    --sysfs p1/sys -i 10 -n 2 --start 0 --host c -m pressure,cgroup -H
	assert_equal "$stderr" "xm-sample: p0/proc/pressure/cpu: No such file or directory: no pressure stall information in this kernel; pressure metrics left out"
	assert_equal "$(grep -c cgroup_pressure_cpu_some_percent <<< "$output")" 2
}

@test "xm-sample: pressure and vm counters that went back give no rate that interval, and rates again after" {
	copy host-t1 back
	sed -i 's/^pswpin 150$/pswpin 40/; s/^oom_kill 3$/oom_kill 0/' back/proc/vmstat
	sed -i 's/total=3500000$/total=900000/' back/proc/pressure/cpu
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs back/proc \
	    --procfs back/proc -i 10 -n 2 --start 0 --host h -m pressure,vm -H
	assert_output "10	h	pressure_memory_some_percent	5
10	h	pressure_memory_full_percent	2.5
10	h	pressure_io_some_percent	12
10	h	pressure_io_full_percent	4
10	h	memory_oom_kills_total	0
10	h	swap_out_pages_per_second	100
10	h	memory_major_faults_per_second	500
10	h	memory_page_scans_per_second	1700
20	h	pressure_cpu_some_percent	0
20	h	pressure_memory_some_percent	0
20	h	pressure_memory_full_percent	0
20	h	pressure_io_some_percent	0
20	h	pressure_io_full_percent	0
20	h	memory_oom_kills_total	0
20	h	swap_in_pages_per_second	0
20	h	swap_out_pages_per_second	0
20	h	memory_major_faults_per_second	0
20	h	memory_page_scans_per_second	0
20	h	memory_oom_kills_per_second	0"
	assert_equal "$stderr" ""
}

@test "xm-sample: one --procfs copy: the OOM kill count and file handles, the rates left out" {
	run -0 --separate-stderr timeout 10 xm-sample --procfs "$FIX/host-t1/proc" -i 1ms -n 1 --host h \
	    -m pressure,vm,fd -H
	assert_equal "$stderr" "xm-sample: $FIX/host-t1/proc: rates need two --procfs snapshots; pressure and vm rates left out"
	assert_equal "$(cut -f 2- <<< "$output")" "h	memory_oom_kills_total	3
h	file_handles_used	6912
h	file_handles_max	9216
h	file_handles_usage_percent	75"
}

@test "xm-sample: garbled pressure, vmstat and file-nr are reported, never misread" {
	copy host-t0 p
	printf 'some avg10=0.00 avg60=0.00 avg300=0.00 total=1\n' > p/proc/pressure/memory
	printf 'nr_free_pages 1\npgpgin 5\n' > p/proc/vmstat
	printf '12 x\n' > p/proc/sys/fs/file-nr
	run -1 --separate-stderr once p/proc -m pressure,vm,fd,load -H
	assert_equal "$stderr" 'xm-sample: p/proc/pressure/memory: no "some" or "full" total; pressure metrics skipped
xm-sample: p/proc/vmstat: no pswpin, pgmajfault, pgscan or oom_kill line; vm metrics skipped
xm-sample: p/proc/sys/fs/file-nr: not three counts; fd metrics skipped'
	assert_output '1	h	load1	0.1
1	h	load5	0.2
1	h	load15	0.3
1	h	load1_per_cpu	0.05
1	h	load5_per_cpu	0.1
1	h	load15_per_cpu	0.15'
}

@test "xm-sample: cpu as sar -u ALL: user and nice without guest time, guest with guest_nice; all add up to 100" {
	copy host-t0 t0
	copy host-t1 t1
	# 2000 ticks: user 800 (guest 300 of them), nice 100 (guest_nice 40), system 200,
	# idle 500, iowait 100, irq 50, softirq 150, steal 100
	cat > t0/proc/stat <<-STAT
	cpu  1000 200 500 8000 200 30 100 100 300 50
	cpu0 500 100 250 4000 100 15 50 50 150 25
	cpu1 500 100 250 4000 100 15 50 50 150 25
	cpu2 500 100 250 4000 100 15 50 50
	STAT
	# cpu0: 500 ticks, its 200 of guest more than its 100 of user (read apart): held to 100;
	# cpu1: guest went back, no rate; cpu2: a kernel before 2.6.24, no guest columns
	cat > t1/proc/stat <<-STAT
	cpu  1800 300 700 8500 300 80 250 200 600 90
	cpu0 600 150 350 4100 150 15 100 100 350 25
	cpu1 900 100 350 4100 150 15 100 100 100 25
	cpu2 600 150 350 4100 150 15 100 100
	STAT
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc -i 10 -n 1 --start 0 \
	    --host h -m cpu -H --per-cpu
	assert_equal "$stderr" ""
	assert_output '10	h	cpu_usage_percent	70
10	h	cpu_usage_percent{cpu="0"}	70
10	h	cpu_usage_percent{cpu="2"}	70
10	h	cpu_iowait_percent	5
10	h	cpu_iowait_percent{cpu="0"}	10
10	h	cpu_iowait_percent{cpu="2"}	10
10	h	cpu_steal_percent	5
10	h	cpu_steal_percent{cpu="0"}	10
10	h	cpu_steal_percent{cpu="2"}	10
10	h	cpu_user_percent	25
10	h	cpu_user_percent{cpu="0"}	0
10	h	cpu_user_percent{cpu="2"}	20
10	h	cpu_nice_percent	3
10	h	cpu_nice_percent{cpu="0"}	10
10	h	cpu_nice_percent{cpu="2"}	10
10	h	cpu_system_percent	10
10	h	cpu_system_percent{cpu="0"}	20
10	h	cpu_system_percent{cpu="2"}	20
10	h	cpu_irq_percent	2.5
10	h	cpu_irq_percent{cpu="0"}	0
10	h	cpu_irq_percent{cpu="2"}	0
10	h	cpu_softirq_percent	7.5
10	h	cpu_softirq_percent{cpu="0"}	10
10	h	cpu_softirq_percent{cpu="2"}	10
10	h	cpu_guest_percent	17
10	h	cpu_guest_percent{cpu="0"}	20
10	h	cpu_guest_percent{cpu="2"}	0
10	h	cpu_idle_percent	25
10	h	cpu_idle_percent{cpu="0"}	20
10	h	cpu_idle_percent{cpu="2"}	20'
	# the busy seven are usage; with iowait and idle, 100, for the host and each CPU
	run -0 awk -F '\t' '{ split($3, m, "{"); k = m[2]
		if (m[1] == "cpu_usage_percent") use[k] = $4
		else if (m[1] != "cpu_iowait_percent" && m[1] != "cpu_idle_percent") busy[k] += $4
		all[k] += m[1] == "cpu_usage_percent" ? 0 : $4 }
		END { for (k in all) printf "%s %s %s %s\n", k == "" ? "host" : k, all[k], busy[k], use[k] }' <<< "$output"
	assert_equal "$(sort <<< "$output")" 'cpu="0"} 100 70 70
cpu="2"} 100 70 70
host 100 70 70'
}

@test "xm-sample: procs: runnable, blocked and threads as they are; forks, context switches, interrupts per second" {
	# stat: processes 500 -> 510, ctxt 100 -> 200, intr 12345 -> 23456 over 10 s;
	# procs_running 2, procs_blocked 3; loadavg 2/345: 345 threads
	run -0 --separate-stderr snap -m procs -H
	assert_equal "$stderr" ""
	assert_output '1764300010	web1	processes_running	2
1764300010	web1	processes_blocked	3
1764300010	web1	processes_threads	345
1764300010	web1	forks_per_second	1
1764300010	web1	context_switches_per_second	10
1764300010	web1	interrupts_per_second	1111.1'
}

@test "xm-sample: procs: a counter that went back gives no rate that interval; the others go on" {
	copy host-t1 t1
	sed -i 's/^processes 510/processes 400/; s/^intr 23456 /intr 12000 /' t1/proc/stat
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc --procfs "$FIX/host-t1/proc" \
	    -i 10 -n 2 --start 0 --host h -m procs -H
	assert_equal "$stderr" ""
	# the second interval, from the reset counters on: 11 forks, 11456 interrupts over 10 s
	assert_output '10	h	processes_running	2
10	h	processes_blocked	3
10	h	processes_threads	345
10	h	context_switches_per_second	10
20	h	processes_running	2
20	h	processes_blocked	3
20	h	processes_threads	345
20	h	forks_per_second	11
20	h	context_switches_per_second	0
20	h	interrupts_per_second	1145.6'
}

@test "xm-sample: procs: a stat without its lines, a loadavg without its threads: one warning each, status 1" {
	copy host-t0 p
	sed -i '/^ctxt /d' p/proc/stat
	echo '0.10 0.20 0.30 1 6000' > p/proc/loadavg
	run -1 --separate-stderr once p/proc -n 2 -m procs -H
	assert_equal "$stderr" 'xm-sample: p/proc/stat: no "ctxt" line; procs metrics skipped'
	assert_output ""
	copy host-t0 q
	echo '0.10 0.20 0.30 1 6000' > q/proc/loadavg
	run -1 --separate-stderr once q/proc -m procs,load -H
	assert_equal "$stderr" 'xm-sample: q/proc/loadavg: no count of threads; procs metrics skipped'
	assert_line --index 6 '1	h	processes_running	1'
	assert_line --index 7 '1	h	processes_blocked	0'
	assert_line --index 8 '1	h	forks_per_second	0'
}

@test "xm-sample: tcp: connections as they are; opens, retransmits, resets, listen overflows, UDP errors per second" {
	# over 10 s: ActiveOpens 1000 -> 1250, PassiveOpens 2000 -> 2500, RetransSegs 300 -> 400
	# of OutSegs 60000 -> 80000 (0.5 %), OutRsts 500 -> 530, ListenOverflows 5 -> 35,
	# ListenDrops 6 -> 46; Udp InErrors 100 -> 160 and Udp6InErrors 7 -> 47 (100 in all),
	# RcvbufErrors 40 -> 70 and Udp6RcvbufErrors 3 -> 13 (40); CurrEstab 42, sockstat tw 17
	run -0 --separate-stderr snap -m tcp -H
	assert_equal "$stderr" ""
	assert_output '1764300010	web1	tcp_established	42
1764300010	web1	tcp_time_wait	17
1764300010	web1	tcp_active_opens_per_second	25
1764300010	web1	tcp_passive_opens_per_second	50
1764300010	web1	tcp_retransmits_per_second	10
1764300010	web1	tcp_retransmit_percent	0.5
1764300010	web1	tcp_resets_sent_per_second	3
1764300010	web1	tcp_listen_overflows_per_second	3
1764300010	web1	tcp_listen_drops_per_second	4
1764300010	web1	udp_receive_errors_per_second	10
1764300010	web1	udp_receive_buffer_errors_per_second	4'
}

@test "xm-sample: tcp: columns are found by name, in any order, among columns a newer kernel adds" {
	copy host-t1 t1
	# Tcp's columns reversed, one more in the middle; TcpExt's two swapped
	awk '$1 == "Tcp:" { printf "Tcp:"; for (i = NF; i > 1; i--) { printf " %s", $i; if (i == 8) printf " %s", (NR % 2 ? "NewCounter" : "99") } print ""; next } { print }' \
	    "$FIX/host-t1/proc/net/snmp" > t1/proc/net/snmp
	sed -i '1s/ListenOverflows ListenDrops/ListenDrops ListenOverflows/; 2s/ 35 46 / 46 35 /' t1/proc/net/netstat
	grep -q '^Tcp: InCsumErrors OutRsts' t1/proc/net/snmp
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc \
	    -i 10 -n 1 --start 1764300000 --host web1 -m tcp -H
	assert_equal "$stderr" ""
	assert_equal "$output" "$(snap -m tcp -H)"
}

@test "xm-sample: tcp: a counter that went back, nothing sent, IPv6 come or gone: no rate for them that interval" {
	copy host-t1 t1
	# ActiveOpens went back; OutSegs stood still (no retransmit share); RetransSegs too
	sed -i '/^Tcp: [0-9]/s/ -1 1250 2500 / -1 900 2500 /; /^Tcp: [0-9]/s/ 80000 400 / 60000 300 /' t1/proc/net/snmp
	rm t1/proc/net/snmp6
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc \
	    -i 10 -n 1 --start 0 --host h -m tcp -H
	assert_equal "$stderr" ""
	assert_output '10	h	tcp_established	42
10	h	tcp_time_wait	17
10	h	tcp_passive_opens_per_second	50
10	h	tcp_retransmits_per_second	0
10	h	tcp_resets_sent_per_second	3
10	h	tcp_listen_overflows_per_second	3
10	h	tcp_listen_drops_per_second	4'
	# a kernel without IPv6 throughout: UDP is IPv4's alone (60 and 30 over 10 s), and no error
	copy host-t0 t0
	rm t0/proc/net/snmp6 t1/proc/net/snmp6 2>/dev/null || true
	cp "$FIX/host-t1/proc/net/snmp" t1/proc/net/snmp
	run -0 --separate-stderr xm-sample --procfs t0/proc --procfs t1/proc \
	    -i 10 -n 1 --start 0 --host h -m tcp -H
	assert_equal "$stderr" ""
	assert_line --index 9 '10	h	udp_receive_errors_per_second	6'
	assert_line --index 10 '10	h	udp_receive_buffer_errors_per_second	3'
}

@test "xm-sample: tcp: a file missing or garbled: one warning, its metrics out, the rest printed, status 1" {
	copy host-t0 p
	rm p/proc/net/netstat
	run -1 --separate-stderr once p/proc -n 2 -m tcp -H
	assert_equal "$stderr" 'xm-sample: p/proc/net/netstat: No such file or directory; tcp metrics skipped'
	refute_output --partial 'listen'
	assert_equal "$(grep -c '	tcp_established	40$' <<< "$output")" 2
	assert_equal "$(grep -c '	udp_receive_errors_per_second	0$' <<< "$output")" 2
	copy host-t0 q
	# a value short on the Tcp line (MaxConn's), so the rest would be misread; sockstat without tw
	sed -i '/^Tcp: [0-9]/s/ -1 / /' q/proc/net/snmp
	sed -i 's/ tw 12//' q/proc/net/sockstat
	run -1 --separate-stderr once q/proc -m tcp -H
	assert_equal "$stderr" 'xm-sample: q/proc/net/snmp: names and values do not match; tcp metrics skipped'
	assert_output '1	h	tcp_listen_overflows_per_second	0
1	h	tcp_listen_drops_per_second	0'
	run -0 --separate-stderr once q/proc -m cpu,procs -H
	assert_equal "$stderr" ""
}

@test "xm-sample: tcp: a value short in a later reading, its names as before, is caught still" {
	copy host-t1 t1
	# TcpExt's names as in host-t0, its last value gone: the counters wanted come before it
	sed -i '2s/ 44$//' t1/proc/net/netstat
	run -1 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc --procfs t1/proc \
	    -i 10 -n 2 --start 0 --host h -m tcp -H
	assert_equal "$stderr" 'xm-sample: t1/proc/net/netstat: names and values do not match; tcp metrics skipped'
	refute_output --partial 'listen'
	assert_line --index 0 '10	h	tcp_established	42'
	assert_equal "$(grep -c '	tcp_resets_sent_per_second	' <<< "$output")" 2
}

@test "xm-sample: tcp: past the counters wanted, a value too many is caught and blanks two wide are no value" {
	copy host-t1 t1
	copy host-t1 t2
	# TcpExt's values after ListenDrops: one more in t1; in t2 two blanks before the last, a tab at its end
	sed -i '2s/ 44$/ 44 45/' t1/proc/net/netstat
	sed -i '2s/ 44$/  44\t/' t2/proc/net/netstat
	run -1 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t1/proc \
	    -i 10 -n 1 --start 0 --host h -m tcp -H
	assert_equal "$stderr" 'xm-sample: t1/proc/net/netstat: names and values do not match; tcp metrics skipped'
	refute_output --partial 'listen'
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs t2/proc \
	    -i 10 -n 1 --start 0 --host h -m tcp -H
	assert_equal "$stderr" ""
	# (35 - 5) / 10 and (46 - 6) / 10, from host-t0's and host-t1's netstat
	assert_line '10	h	tcp_listen_overflows_per_second	3'
	assert_line '10	h	tcp_listen_drops_per_second	4'
}

@test "xm-sample: vmstat's and snmp6's lines read where they were, and found again when a count before them gains a digit" {
	copy host-t1 r2
	copy host-t1 r3
	# r2: each count as wide as in host-t1, the lines where they were
	sed -i 's/^pswpin 150$/pswpin 160/; s/^pgmajfault 9000$/pgmajfault 9500/
	    s/^pgscan_kswapd 25000$/pgscan_kswapd 25100/; s/^oom_kill 3$/oom_kill 4/' r2/proc/vmstat
	sed -i 's/^\(Udp6InErrors *\t\)47$/\157/' r2/proc/net/snmp6
	# r3: the first count a digit longer, every line after it a byte on
	sed -i 's/^nr_free_pages 1048576$/nr_free_pages 10485760/; s/^pswpin 150$/pswpin 170/
	    s/^pgmajfault 9000$/pgmajfault 9600/; s/^pgscan_kswapd 25000$/pgscan_kswapd 25100/
	    s/^pgscan_direct 4000$/pgscan_direct 4100/; s/^oom_kill 3$/oom_kill 4/' r3/proc/vmstat
	sed -i 's/^\(Ip6InReceives *\t\)3000$/\130000/; s/^\(Udp6InErrors *\t\)47$/\167/
	    s/^\(Udp6RcvbufErrors *\t\)13$/\123/' r3/proc/net/snmp6
	[ "$(cmp r2/proc/vmstat "$FIX/host-t1/proc/vmstat" | wc -l)" = 1 ] &&
	    [ "$(wc -c < r3/proc/vmstat)" = $(($(wc -c < "$FIX/host-t1/proc/vmstat") + 1)) ]
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs "$FIX/host-t1/proc" \
	    --procfs r2/proc --procfs r3/proc -i 10 -n 3 --start 0 --host h -m vm,tcp -H
	assert_equal "$stderr" ""
	run -0 grep -E '	(swap|memory|udp)_' <<< "$output"
	assert_output '10	h	memory_oom_kills_total	3
10	h	swap_in_pages_per_second	5
10	h	swap_out_pages_per_second	100
10	h	memory_major_faults_per_second	500
10	h	memory_page_scans_per_second	1700
10	h	memory_oom_kills_per_second	0.1
10	h	udp_receive_errors_per_second	10
10	h	udp_receive_buffer_errors_per_second	4
20	h	memory_oom_kills_total	4
20	h	swap_in_pages_per_second	1
20	h	swap_out_pages_per_second	0
20	h	memory_major_faults_per_second	50
20	h	memory_page_scans_per_second	10
20	h	memory_oom_kills_per_second	0.1
20	h	udp_receive_errors_per_second	1
20	h	udp_receive_buffer_errors_per_second	0
30	h	memory_oom_kills_total	4
30	h	swap_in_pages_per_second	1
30	h	swap_out_pages_per_second	0
30	h	memory_major_faults_per_second	10
30	h	memory_page_scans_per_second	10
30	h	memory_oom_kills_per_second	0
30	h	udp_receive_errors_per_second	1
30	h	udp_receive_buffer_errors_per_second	1'
}

@test "xm-sample: procs and tcp from one --procfs copy: the counts, no rates, said once" {
	run -0 --separate-stderr timeout 10 xm-sample --procfs "$FIX/host-t1/proc" -i 1ms -n 1 --host h -m procs,tcp -H
	assert_equal "$stderr" "xm-sample: $FIX/host-t1/proc: rates need two --procfs snapshots; procs rates and tcp rates left out"
	assert_equal "$(cut -f 2- <<< "$output")" 'h	processes_running	2
h	processes_blocked	3
h	processes_threads	345
h	tcp_established	42
h	tcp_time_wait	17'
}

@test "xm-sample: procs and tcp are default families, live on this machine, with nothing on stderr" {
	run -0 --separate-stderr timeout 5 xm-sample -i 0.1 -n 2 --host live
	assert_equal "$stderr" ""
	for m in cpu_user_percent cpu_nice_percent cpu_system_percent cpu_irq_percent cpu_softirq_percent \
	    cpu_guest_percent cpu_idle_percent processes_running processes_blocked processes_threads \
	    forks_per_second context_switches_per_second interrupts_per_second tcp_established \
	    tcp_time_wait tcp_active_opens_per_second tcp_passive_opens_per_second \
	    tcp_retransmits_per_second tcp_resets_sent_per_second tcp_listen_overflows_per_second \
	    tcp_listen_drops_per_second udp_receive_errors_per_second udp_receive_buffer_errors_per_second; do
		assert_equal "$m $(grep -c "	live	$m	" <<< "$output")" "$m 2"
	done
	# processes_threads is what /proc/loadavg says, give or take the threads started meanwhile
	run -0 awk -F '\t' -v now="$(cut -d ' ' -f 4 /proc/loadavg | cut -d / -f 2)" \
	    '$3 == "processes_threads" && ($4 - now > 50 || now - $4 > 50) { print "far: " $4 " " now }' <<< "$output"
	assert_output ""
}

# Issue 22, io, net, disk and sensors: the use-t0 and use-t1 trees, 10 s apart.
use() {
	xm-sample --procfs "$FIX/use-t0/proc" --procfs "$FIX/use-t1/proc" \
	    --sysfs "$FIX/use-t0/sys" --sysfs "$FIX/use-t1/sys" -i 10 -n 1 --start 0 --host h -H "$@"
}

@test "xm-sample: io as iostat -x has it, from diskstats lines of 14, 18 and 20 fields; ms counters that wrap" {
	# 10 s.  sda (14 fields): +400 reads taking +1000 ms, +100 writes
	# taking +2500 ms, busy +5000 ms, weighted +10000 ms, 3 in flight.
	# nvme0n1 (18 fields): no reads, +2000 writes taking +1000 ms, busy
	# +10000 ms, weighted +25000 ms, 7 in flight.  vdb (20 fields): +100
	# reads whose ms (32 bits) wrapped, busy ms wrapped too: no await and
	# no busy; no writes, so no write await; weighted +500 ms.  sda1 is a
	# partition.
	run -0 --separate-stderr use -m io
	assert_equal "$stderr" ""
	assert_equal "$(grep -vF _bytes_ <<< "$output")" '10	h	disk_reads_per_second{device="sda"}	40
10	h	disk_reads_per_second{device="nvme0n1"}	0
10	h	disk_reads_per_second{device="vdb"}	10
10	h	disk_writes_per_second{device="sda"}	10
10	h	disk_writes_per_second{device="nvme0n1"}	200
10	h	disk_writes_per_second{device="vdb"}	0
10	h	disk_busy_percent{device="sda"}	50
10	h	disk_busy_percent{device="nvme0n1"}	100
10	h	disk_queue_length{device="sda"}	1
10	h	disk_queue_length{device="nvme0n1"}	2.5
10	h	disk_queue_length{device="vdb"}	0.05
10	h	disk_read_await_seconds{device="sda"}	0.0025
10	h	disk_write_await_seconds{device="sda"}	0.025
10	h	disk_write_await_seconds{device="nvme0n1"}	0.0005
10	h	disk_in_flight{device="sda"}	3
10	h	disk_in_flight{device="nvme0n1"}	7
10	h	disk_in_flight{device="vdb"}	1'
	# bytes: sda +3200 and +800 sectors, nvme0n1 +16000 written, vdb +800 read
	assert_line '10	h	disk_read_bytes_per_second	204800'
	assert_line '10	h	disk_write_bytes_per_second{device="nvme0n1"}	819200'
	# a line of 10 fields after the name is no diskstats line
	copy use-t1 t1
	echo '   8       0 sda 1400 0 11200 3000 600 0 4800 7500 3 8000' > t1/proc/diskstats
	run -1 --separate-stderr xm-sample --procfs "$FIX/use-t0/proc" --procfs t1/proc --sysfs t1/sys \
	    -i 10 -n 1 --start 0 --host h -H -m io
	assert_equal "$stderr" "xm-sample: t1/proc/diskstats: cannot parse a disk line; io metrics skipped"
}

@test "xm-sample: a disk's or an interface's counts as the last time are taken as they were, and read again once they move" {
	copy use-t1 r3
	# after two readings of use-t1's very text, sda +100 reads and eth0 +500 packets in
	sed -i 's/^   8       0 sda 1400 /   8       0 sda 1500 /' r3/proc/diskstats
	sed -i 's/^  eth0: 2000000 12000 /  eth0: 2000000 12500 /' r3/proc/net/dev
	run -0 --separate-stderr xm-sample --procfs "$FIX/use-t0/proc" --procfs "$FIX/use-t1/proc" \
	    --procfs "$FIX/use-t1/proc" --procfs r3/proc --sysfs "$FIX/use-t1/sys" \
	    -i 10 -n 3 --start 0 --host h -H -m io,net
	assert_equal "$stderr" ""
	run -0 grep -E '	(disk_reads|network_(receive|transmit)_packets)_per_second\{device="(sda|eth0|wlan0)"\}' <<< "$output"
	assert_output '10	h	disk_reads_per_second{device="sda"}	40
10	h	network_receive_packets_per_second{device="eth0"}	200
10	h	network_transmit_packets_per_second{device="eth0"}	100
10	h	network_transmit_packets_per_second{device="wlan0"}	5
20	h	disk_reads_per_second{device="sda"}	0
20	h	network_receive_packets_per_second{device="eth0"}	0
20	h	network_receive_packets_per_second{device="wlan0"}	0
20	h	network_transmit_packets_per_second{device="eth0"}	0
20	h	network_transmit_packets_per_second{device="wlan0"}	0
30	h	disk_reads_per_second{device="sda"}	10
30	h	network_receive_packets_per_second{device="eth0"}	50
30	h	network_receive_packets_per_second{device="wlan0"}	0
30	h	network_transmit_packets_per_second{device="eth0"}	0
30	h	network_transmit_packets_per_second{device="wlan0"}	0'
}

@test "xm-sample: packets, errors and drops per interface: rates, totals; counters that went back; interfaces that vanish or come" {
	# 10 s.  eth0: +2000 packets in, +1000 out, +20 errors in, +50 drops
	# in, +2 out.  wlan0: packets in went back from near 2^32 and errors
	# in from 7 to 2 (a driver reset): no rate for them; +50 packets out,
	# +10 drops out.  veth0 vanished: nothing; br0 came: totals only.
	# The host's, unlabelled: over every interface, none of this copy on
	# a bus.  eth0's errors in: 20 of 2000 + 20, 0.990099...%; none out of 1000
	# and of 50 packets out: 0%; wlan0's in, whose packets went back: none.
	run -0 --separate-stderr use -m net
	assert_equal "$stderr" ""
	assert_equal "$(grep -vF _bytes_ <<< "$output")" '10	h	network_receive_packets_per_second	200
10	h	network_receive_packets_per_second{device="eth0"}	200
10	h	network_transmit_packets_per_second	105
10	h	network_transmit_packets_per_second{device="eth0"}	100
10	h	network_transmit_packets_per_second{device="wlan0"}	5
10	h	network_receive_errors_per_second	2
10	h	network_receive_errors_per_second{device="eth0"}	2
10	h	network_transmit_errors_per_second	0
10	h	network_transmit_errors_per_second{device="eth0"}	0
10	h	network_transmit_errors_per_second{device="wlan0"}	0
10	h	network_receive_drops_per_second	5
10	h	network_receive_drops_per_second{device="eth0"}	5
10	h	network_receive_drops_per_second{device="wlan0"}	0
10	h	network_transmit_drops_per_second	1.2
10	h	network_transmit_drops_per_second{device="eth0"}	0.2
10	h	network_transmit_drops_per_second{device="wlan0"}	1
10	h	network_receive_errors_percent{device="eth0"}	0.9900990099
10	h	network_transmit_errors_percent{device="eth0"}	0
10	h	network_transmit_errors_percent{device="wlan0"}	0
10	h	network_receive_errors_total{device="eth0"}	25
10	h	network_receive_errors_total{device="wlan0"}	2
10	h	network_receive_errors_total{device="br0"}	1
10	h	network_transmit_errors_total{device="eth0"}	0
10	h	network_transmit_errors_total{device="wlan0"}	3
10	h	network_transmit_errors_total{device="br0"}	3
10	h	network_receive_drops_total{device="eth0"}	150
10	h	network_receive_drops_total{device="wlan0"}	0
10	h	network_receive_drops_total{device="br0"}	2
10	h	network_transmit_drops_total{device="eth0"}	3
10	h	network_transmit_drops_total{device="wlan0"}	10
10	h	network_transmit_drops_total{device="br0"}	4'
	# and back again: veth0 returns after a set away, with its totals but
	# no rate until it has been read twice in a row; br0 goes
	run -0 --separate-stderr xm-sample --procfs "$FIX/use-t0/proc" --procfs "$FIX/use-t1/proc" \
	    --procfs "$FIX/use-t0/proc" -i 10 -n 2 --start 0 --host h -H -m net
	assert_equal "$stderr" ""
	assert_equal "$(grep -c 'device="veth0"' <<< "$output")" 6
	assert_equal "$(grep -c '_per_second{device="veth0"}' <<< "$output")" 0
	assert_line '20	h	network_transmit_drops_total{device="veth0"}	0'
	assert_equal "$(grep -c '^20	.*device="br0"' <<< "$output")" 0
}

@test "xm-sample: inodes as df -i has them; a filesystem without an inode table has no inode %" {
	mkdir -p root/data
	mount -t tmpfs -o size=1m,nr_inodes=100 xmtest root/data 2> mount.err ||
	    skip "mount is not permitted here ($(cat mount.err)): run as root, as CI does"
	echo "$PWD/root/data" > mounted
	# 100 inodes: the root directory and four made here are used
	touch root/data/a root/data/b root/data/c
	mkdir root/data/d
	copy host-t0 p
	printf '/dev/vdq /data ext4 rw 0 0\n' > p/proc/mounts
	run -0 --separate-stderr once p/proc --rootfs "$PWD/root" -m disk -H
	assert_equal "$stderr" ""
	assert_equal "$(grep inodes <<< "$output")" '1	h	disk_inodes_max{mountpoint="/data"}	100
1	h	disk_inodes_used{mountpoint="/data"}	5
1	h	disk_inodes_usage_percent{mountpoint="/data"}	5'
	assert_equal "$(df --output=itotal,iused,ipcent root/data | sed 1d | tr -s ' ')" ' 100 5 5%'
	# tmpfs of nr_inodes=0 has no limit and says 0 of 0, as btrfs and
	# vfat do: df -i shows "-" for its IUse%, and xm no record
	umount root/data
	mount -t tmpfs -o size=1m,nr_inodes=0 xmtest root/data
	run -0 --separate-stderr once p/proc --rootfs "$PWD/root" -m disk -H
	assert_equal "$(grep inodes <<< "$output")" '1	h	disk_inodes_max{mountpoint="/data"}	0
1	h	disk_inodes_used{mountpoint="/data"}	0'
	assert_equal "$(df --output=ipcent root/data | sed 1d | tr -d ' ')" '-'
}

@test "xm-sample: disk_readonly: 1 for a filesystem mounted ro, by the table's options or by statvfs" {
	# by the mount table's options, over a directory that is writable
	mkdir -p root/ro root/rw
	copy host-t0 p
	printf '/dev/vdq /ro ext4 ro,relatime 0 0\n/dev/vdr /rw ext4 rw,errors=remount-ro 0 0\n' > p/proc/mounts
	run -0 --separate-stderr once p/proc --rootfs "$PWD/root" -m disk -H
	assert_equal "$stderr" ""
	assert_equal "$(grep readonly <<< "$output")" '1	h	disk_readonly{mountpoint="/ro"}	1
1	h	disk_readonly{mountpoint="/rw"}	0'
	# by statvfs's ST_RDONLY, where the table says rw (a copy of another time)
	mount -t tmpfs -o ro,size=1m xmtest root/rw 2> mount.err ||
	    skip "mount is not permitted here ($(cat mount.err)): run as root, as CI does"
	echo "$PWD/root/rw" > mounted
	run -0 --separate-stderr once p/proc --rootfs "$PWD/root" -m disk -H
	assert_line '1	h	disk_readonly{mountpoint="/rw"}	1'
}

@test "xm-sample: sensors: temperatures named by chip and label or by zone type, with the critical points the hardware gives" {
	# coretemp: two labelled sensors with temp*_crit; two NVMe drives whose
	# "nvme Composite" is told apart by their devices; an it8728 without
	# labels, below zero, and a temp3 that reads no number (no record);
	# hwmon2 is thermal_zone0's own chip, read as the zone; two acpitz
	# zones told apart, each with its trip point of type critical, and
	# x86_pkg_temp with none; the margin, critical less the reading, of
	# each that has both (105 - 27.8, 84.85 - 38.85, ...)
	run -0 --separate-stderr use -m sensors
	assert_equal "$stderr" ""
	assert_output '10	h	temperature_celsius{sensor="acpitz (thermal_zone0)"}	27.8
10	h	temperature_celsius{sensor="acpitz (thermal_zone2)"}	29.8
10	h	temperature_celsius{sensor="coretemp Core 0"}	43
10	h	temperature_celsius{sensor="coretemp Package id 0"}	45
10	h	temperature_celsius{sensor="it8728 temp1"}	-5
10	h	temperature_celsius{sensor="nvme Composite (nvme0)"}	38.85
10	h	temperature_celsius{sensor="nvme Composite (nvme1)"}	31.85
10	h	temperature_celsius{sensor="x86_pkg_temp"}	45
10	h	temperature_critical_celsius{sensor="acpitz (thermal_zone0)"}	105
10	h	temperature_critical_celsius{sensor="acpitz (thermal_zone2)"}	110
10	h	temperature_critical_celsius{sensor="coretemp Core 0"}	100
10	h	temperature_critical_celsius{sensor="coretemp Package id 0"}	100
10	h	temperature_critical_celsius{sensor="nvme Composite (nvme0)"}	84.85
10	h	temperature_critical_celsius{sensor="nvme Composite (nvme1)"}	84.85
10	h	temperature_margin_celsius{sensor="acpitz (thermal_zone0)"}	77.2
10	h	temperature_margin_celsius{sensor="acpitz (thermal_zone2)"}	80.2
10	h	temperature_margin_celsius{sensor="coretemp Core 0"}	57
10	h	temperature_margin_celsius{sensor="coretemp Package id 0"}	55
10	h	temperature_margin_celsius{sensor="nvme Composite (nvme0)"}	46
10	h	temperature_margin_celsius{sensor="nvme Composite (nvme1)"}	53'
	# after a reboot that loaded the drivers in another order, hwmonN
	# differ and the names do not
	want=$output
	cp -a "$FIX/use-t1/sys" s
	mv s/class/hwmon/hwmon0 s/class/hwmon/x && mv s/class/hwmon/hwmon3 s/class/hwmon/hwmon0 &&
	    mv s/class/hwmon/x s/class/hwmon/hwmon3
	mv s/class/hwmon/hwmon4 s/class/hwmon/hwmon7
	run -0 --separate-stderr xm-sample --procfs "$FIX/use-t0/proc" --procfs "$FIX/use-t1/proc" \
	    --sysfs s -i 10 -n 1 --start 0 --host h -H -m sensors
	assert_output "$want"
}

@test "xm-sample: sensors: no hardware monitors and no thermal zones, no records and nothing said" {
	mkdir -p empty s/class/hwmon s/class/thermal
	for sys in empty s; do
		run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs "$FIX/host-t1/proc" \
		    --sysfs "$sys" -i 10 -n 2 --start 0 --host h -H -m sensors
		assert_equal "$stderr" ""
		assert_output ""
	done
	# and by default, on the fixture tree without them
	run -0 --separate-stderr snap -H
	assert_equal "$stderr" ""
	refute_output --partial temperature
}

# Issue 22, cron: xm-sample -n 1 over one copy a run, its counters carried
# in --state, stamped so that its one set comes at $1.
cron_run() {
	local at=$1 tree=$2
	shift 2
	xm-sample --procfs "$tree/proc" --sysfs "$tree/sys" -i 10 -n 1 --start "$((at - 10))" \
	    --host web1 --state st "$@"
}

@test "xm-sample --state: a run's first rates are against the last run's counters, as two snapshots give them" {
	families=(--per-cpu -m cpu,memory,swap,io,net,load,cgroup)
	run -0 --separate-stderr cron_run 1764300000 "$FIX/host-t0" "${families[@]}"
	assert_equal "$stderr" "xm-sample: $FIX/host-t0/proc: rates need two --procfs snapshots; cpu, io, net rates and cgroup rates left out"
	assert_equal "$(sed -n '1,3p' st)" $'#xm-sample state 1\n#ts\thost\tmetric\tvalue\n#taken\t1764300000\t-\t-'
	assert_equal "$(grep '^#file' st | cut -f2- | tr '\t\n' ' |')" \
	    'proc stat 9|proc diskstats 5|proc net/dev 6|sys fs/cgroup/app.slice/xm.service/cpu.stat 3|'
	assert_equal "$(tail -n 1 st)" $'#end\t4\t23'
	# the text as it was read, each line of it
	assert_equal "$(sed -n '/^#file\tproc\tnet\/dev/,/^#file/p' st | sed '1d;$d' | cut -f2-)" \
	    "$(cat "$FIX/host-t0/proc/net/dev")"
	assert_equal "$(stat -c %a st)" 644
	# the next run, ten seconds on: the two snapshots' rates, to the digit
	run -0 --separate-stderr cron_run 1764300010 "$FIX/host-t1" "${families[@]}"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" | golden sample-snap.tsv
	assert_equal "$(sed -n 3p st)" $'#taken\t1764300010\t-\t-'
	# and the one after, nothing counted since: rates of 0 (and no CPU
	# share of no ticks at all)
	run -0 --separate-stderr cron_run 1764300070 "$FIX/host-t1" -m cpu,net -H
	assert_equal "$stderr" ""
	assert_equal "$(grep -c cpu_ <<< "$output")" 0
	assert_line $'1764300070\tweb1\tnetwork_receive_packets_per_second{device="eth0"}\t0'
}

@test "xm-sample --state: the rates span all the time since the last run, a minute as a cron run has it" {
	cron_run 1764300000 "$FIX/host-t0" -m vm,procs,tcp,pressure > /dev/null 2>&1
	run -0 --separate-stderr cron_run 1764300060 "$FIX/host-t1" -m vm,procs,tcp,pressure -H
	assert_equal "$stderr" ""
	# an OOM kill (2 -> 3), 10 forks and 100 segments retransmitted of
	# 20000 sent, over 60 s: a sixth of the rates of ten seconds
	assert_line $'1764300060\tweb1\tmemory_oom_kills_per_second\t0.01666666667'
	assert_line $'1764300060\tweb1\tforks_per_second\t0.1666666667'
	assert_line $'1764300060\tweb1\ttcp_retransmits_per_second\t1.666666667'
	assert_line $'1764300060\tweb1\ttcp_retransmit_percent\t0.5'
	assert_equal "$(snap -m vm,procs,tcp -H | grep -e forks_per -e oom_kills_per -e retransmits_per | cut -f3-)" \
	    $'memory_oom_kills_per_second\t0.1\nforks_per_second\t1\ntcp_retransmits_per_second\t10'
	assert_equal "$(grep -c per_second <<< "$output")" "$(snap -m vm,procs,tcp,pressure -H | grep -c per_second)"
}

@test "xm-sample --state: counters of another boot, of later, or missing a file are not played back" {
	copy host-t0 a
	copy host-t1 b
	mkdir -p a/proc/sys/kernel/random b/proc/sys/kernel/random
	echo 11111111-1111-1111-1111-111111111111 > a/proc/sys/kernel/random/boot_id
	echo 22222222-2222-2222-2222-222222222222 > b/proc/sys/kernel/random/boot_id
	cron_run 1764300000 a -m cpu 2> /dev/null > /dev/null
	assert_equal "$(sed -n 3p st)" $'#taken\t1764300000\t-\t11111111-1111-1111-1111-111111111111'
	# rebooted since: the counters began again, and nothing is said
	run -0 --separate-stderr cron_run 1764300010 b -m cpu -H
	assert_equal "$stderr" "xm-sample: b/proc: rates need two --procfs snapshots; cpu left out"
	assert_equal "$(grep -c cpu_ <<< "$output")" 0
	# the same boot, but the file read after this run's set: a clock set back
	cp b/proc/sys/kernel/random/boot_id a/proc/sys/kernel/random/boot_id
	run -0 --separate-stderr cron_run 1764300005 a -m cpu -H
	assert_equal "$stderr" "xm-sample: st: read at 1764300010, not before this run's first set (a clock set back?); rates start from now
xm-sample: a/proc: rates need two --procfs snapshots; cpu left out"
	# a family it did not read then: the rest played back, vm's rates
	# left out of this one copy of /proc
	run -0 --separate-stderr cron_run 1764300010 b -m cpu,vm -H
	assert_equal "$stderr" ""
	assert_equal "$(grep -c $'^1764300010\tweb1\tcpu_usage_percent\t' <<< "$output")" 1
	assert_equal "$(grep -c oom_kills_per_second <<< "$output")" 0
	# which this run's state now has
	run -0 --separate-stderr cron_run 1764300020 b -m cpu,vm -H
	assert_equal "$stderr" ""
	assert_line $'1764300020\tweb1\tmemory_oom_kills_per_second\t0'
}

@test "xm-sample --state: a family the last run did not read takes its rates over this run's own interval" {
	# the last run read procs alone, at 1764299950; this one, with vm
	# too, reads host-t0 at 1764300000 and host-t1 at 1764300010
	cron_run 1764299950 "$FIX/host-t0" -m procs > /dev/null 2>&1
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs "$FIX/host-t1/proc" \
	    -i 10 -n 1 --start 1764300000 --host web1 --state st -m procs,vm -H
	assert_equal "$stderr" ""
	# 10 forks over the 60 s since the last run; the OOM kill over 10 s
	assert_line $'1764300010\tweb1\tforks_per_second\t0.1666666667'
	assert_line $'1764300010\tweb1\tmemory_oom_kills_per_second\t0.1'
	assert_equal "$(grep -c '^#file' st)" 2
}

@test "xm-sample --state: a file that is no such state is moved aside, the run goes on from now, exit 1" {
	printf '#xm-alert state 1\n' > st
	run -1 --separate-stderr cron_run 1764300000 "$FIX/host-t0" -m cpu -H
	assert_equal "$stderr" "xm-sample: st: no \"#xm-sample state 1\" line: not a state file, or another version; moved aside to st.bad, starting afresh
xm-sample: $FIX/host-t0/proc: rates need two --procfs snapshots; cpu left out"
	assert_equal "$(cat st.bad)" '#xm-alert state 1'
	assert_equal "$(sed -n 3p st)" $'#taken\t1764300000\t-\t-'
	# a #text line that is not one, and a file cut short
	sed 's/^#text\tcpu0 /#text\tcpu0\\x /' st > st.1
	mv st.1 st
	run -1 --separate-stderr cron_run 1764300010 "$FIX/host-t1" -m cpu -H
	assert_equal "$(head -n 1 <<< "$stderr")" 'xm-sample: st: a malformed #text line; moved aside to st.bad.1, starting afresh'
	head -n 5 st > st.1
	mv st.1 st
	run -1 --separate-stderr cron_run 1764300020 "$FIX/host-t1" -m cpu -H
	assert_equal "$(head -n 1 <<< "$stderr")" 'xm-sample: st: truncated: no #end line; moved aside to st.bad.2, starting afresh'
	# lines counted wrong
	cron_run 1764300030 "$FIX/host-t1" -m cpu > /dev/null 2>&1
	sed -i 's/^#file\tproc\tstat\t9$/#file\tproc\tstat\t10/' st
	run -1 --separate-stderr cron_run 1764300040 "$FIX/host-t1" -m cpu -H
	assert_equal "$(head -n 1 <<< "$stderr")" 'xm-sample: st: a #file line whose lines do not follow it; moved aside to st.bad.3, starting afresh'
	# more files than any run reads: not loaded at all
	{
		printf '#xm-sample state 1\n#ts\thost\tmetric\tvalue\n#taken\t1764300000\t-\t-\n'
		for i in $(seq 257); do printf '#file\tproc\tf%d\t0\n' "$i"; done
		printf '#end\t257\t0\n'
	} > st
	run -1 --separate-stderr cron_run 1764300050 "$FIX/host-t1" -m cpu -H
	assert_equal "$(head -n 1 <<< "$stderr")" 'xm-sample: st: more #file lines than a run writes; moved aside to st.bad.4, starting afresh'
	# a directory where the file should be: someone else's, left alone,
	# and nothing sampled
	rm st
	mkdir st
	run -1 --separate-stderr cron_run 1764300060 "$FIX/host-t1" -m cpu -H
	assert_equal "$stderr" 'xm-sample: st: a directory, not a state file: not read, not written'
	assert_output ""
}

@test "xm-sample --state: another run holding the lock is waited for, then given up on with --wait" {
	cron_run 1764300000 "$FIX/host-t0" -m cpu > /dev/null 2>&1
	flock st.lock sleep 30 &
	holder=$!
	for i in $(seq 100); do
		! flock -n st.lock true && break
		sleep 0.02
	done
	run -1 --separate-stderr cron_run 1764300010 "$FIX/host-t1" -m cpu -H --wait 0.2
	kill "$holder"
	assert_regex "$stderr" '^xm-sample: st: still locked by pid [0-9]+ \(flock\) after --wait 0.2s: not read, not saved$'
	assert_output ""
	assert_equal "$(sed -n 3p st)" $'#taken\t1764300000\t-\t-'
}

@test "xm-sample --state: saved at the first SIGTERM, and when the reader goes, status 0" {
	xm-sample -i 100 -m cpu,net --state st > out 2> err &
	pid=$!
	for i in $(seq 250); do
		! flock -n st.lock true && [ -s out ] && break
		sleep 0.02
	done
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(cat err)" ""
	assert_equal "$(head -n 1 st)" '#xm-sample state 1'
	assert_equal "$(grep '^#file' st | cut -f2,3 | tr '\t\n' ' |')" 'proc stat|proc net/dev|'
	# a reader that goes: the run ends quietly, its state saved
	rm st
	run -0 --separate-stderr bash -o pipefail -c 'xm-sample -i 0.05 -m cpu --state st | head -n 3'
	assert_equal "$stderr" ""
	assert_equal "$(tail -n 1 st | cut -f1,2)" $'#end\t1'
}

@test "xm-sample: sensors: a critical point of 0 or below is a driver's none: no point, no margin" {
	copy use-t0 u0
	copy use-t1 u1
	for t in u0 u1; do
		echo -274000 > "$t/sys/devices/platform/it87.2608/hwmon/hwmon4/temp1_crit"
		echo 0 > "$t/sys/devices/platform/coretemp.0/hwmon/hwmon3/temp2_crit"
	done
	run -0 --separate-stderr xm-sample --procfs u0/proc --procfs u1/proc --sysfs u0/sys --sysfs u1/sys \
	    -i 10 -n 1 --start 0 --host h -H -m sensors
	assert_equal "$stderr" ""
	# their readings, and the other four sensors' points and margins
	assert_equal "$(grep -c -e 'it8728 temp1' -e 'Core 0' <<< "$output")" 2
	assert_equal "$(grep -c -e '_critical_celsius' -e '_margin_celsius' <<< "$output")" 10
}

@test "xm-sample --state: a set that could not be written out leaves the counters it read for the next run" {
	cron_run 1764300000 "$FIX/host-t0" -m vm > /dev/null 2>&1
	# a full disk: the OOM kill between t0 and t1 goes nowhere, and the
	# state keeps t0's counters
	full() { cron_run "$@" > /dev/full; }
	run -1 --separate-stderr full 1764300060 "$FIX/host-t1" -m vm -H
	assert_equal "$stderr" 'xm-sample: stdout: No space left on device'
	assert_equal "$(sed -n 3p st)" $'#taken\t1764300000\t-\t-'
	# for the next run to tell of it
	run -0 --separate-stderr cron_run 1764300120 "$FIX/host-t1" -m vm -H
	assert_line $'1764300120\tweb1\tmemory_oom_kills_per_second\t0.008333333333'
}

@test "xm-sample --state: a file two families share, not in the state, gives both the kernel's baseline" {
	# the last run read vm alone; cpu and procs both read /proc/stat,
	# which the state does not hold: both measure over this run's 10 s
	cron_run 1764299950 "$FIX/host-t0" -m vm > /dev/null 2>&1
	run -0 --separate-stderr xm-sample --procfs "$FIX/host-t0/proc" --procfs "$FIX/host-t1/proc" \
	    -i 10 -n 1 --start 1764300000 --host web1 --state st -m cpu,procs,vm -H
	assert_equal "$stderr" ""
	assert_line $'1764300010\tweb1\tforks_per_second\t1'
	assert_line $'1764300010\tweb1\tmemory_oom_kills_per_second\t0.01666666667'
}
