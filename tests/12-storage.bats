# Long-term storage, in the real databases from Debian's packages on
# loopback: xm-show -o influx through xm-push -f influx into
# VictoriaMetrics and InfluxDB 1.x, read back through each one's own
# query API (PromQL, InfluxQL), every value and timestamp as xm wrote it.
load helpers

SCRIPTS="$BATS_TEST_DIRNAME/../scripts"
DAY=1764288000

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
}

# VictoriaMetrics at a free port, its data here, kept 100 years, the
# newest samples answered at once (not 30 s later, its default, which
# waits for late ones): $vm is its address.
vm_start() {
	need victoria-metrics
	local port
	port=$(free_port)
	vm=http://127.0.0.1:$port
	start_server vm victoria-metrics -storageDataPath="$BATS_TEST_TMPDIR/vm" \
	    -httpListenAddr="127.0.0.1:$port" -retentionPeriod=100y -loggerLevel=ERROR \
	    -search.latencyOffset=0s
	wait_ready vm "$vm/health"
}

# InfluxDB 1.x at free ports, its data here, a database xm: $influx is its address.
influx_start() {
	need influxd
	local port rpc
	port=$(free_port)
	rpc=$(free_port)
	influx=http://127.0.0.1:$port
	cat > influxdb.conf <<-EOF
	reporting-disabled = true
	bind-address = "127.0.0.1:$rpc"
	[meta]
	  dir = "$BATS_TEST_TMPDIR/influx/meta"
	[data]
	  dir = "$BATS_TEST_TMPDIR/influx/data"
	  wal-dir = "$BATS_TEST_TMPDIR/influx/wal"
	  query-log-enabled = false
	[http]
	  bind-address = "127.0.0.1:$port"
	  log-enabled = false
	[monitor]
	  store-enabled = false
	EOF
	start_server influx influxd -config influxdb.conf
	wait_ready influx "$influx/ping"
	curl -sf -XPOST "$influx/query" --data-urlencode 'q=CREATE DATABASE xm' > /dev/null
}

# A synthetic day a minute apart, as xm-sample writes it.
day() {
	xm-sample --synthetic --seed 1 --start "$DAY" -n 1440 -i 60
}

# Samples as lines: ts TAB host TAB metric, its labels by name, TAB the
# value as the double it is (%.17g), sorted: two spellings of one number
# compare equal, two numbers never.
norm() {
	awk -F '\t' '!/^#/ { printf "%s\t%s\t%s\t%.17g\n", $1, $2, $3, $4 }' | sort
}

# The counter network_receive_bytes_total of day.tsv at time $1.
rx_at() {
	awk -F '\t' -v t="$1" '$1 == t && $3 ~ /^network_receive_bytes_total/ { print $4 }' day.tsv
}

# VictoriaMetrics' answer to PromQL $1 from $2 to $3 a minute apart,
# normalised: xm_ off the name, host a field again, the rest labels.
vm_range() {
	curl -sf --get --data-urlencode "query=$1" --data-urlencode "start=$2" \
	    --data-urlencode "end=$3" --data-urlencode step=60 "$vm/api/v1/query_range" |
	    jq -r '.data.result[] | .metric as $m
	    | ($m | del(.__name__, .host) | to_entries | sort_by(.key)
	        | map("\(.key)=\"\(.value)\"") | join(",")) as $l
	    | .values[] | "\(.[0])\t\($m.host)\t\($m.__name__ | ltrimstr("xm_"))\(
	        if $l == "" then "" else "{\($l)}" end)\t\(.[1])"' | norm
}

# InfluxDB's answer to InfluxQL $1, normalised the same way: a row a
# point, a line a field of it that is not null.
influx_select() {
	curl -sf --get --data-urlencode db=xm --data-urlencode epoch=ms --data-urlencode "q=$1" \
	    "$influx/query" |
	    jq -r '.results[0].series[]? | .tags as $t | .columns as $c
	    | ($t | del(.host) | to_entries | map(select(.value != "")) | sort_by(.key)
	        | map("\(.key)=\"\(.value)\"") | join(",")) as $l
	    | .values[] | . as $row | range(1; $c | length) | select($row[.] != null)
	    | "\($row[0] / 1000)\t\($t.host)\t\($c[.])\(
	        if $l == "" then "" else "{\($l)}" end)\t\($row[.])"' | norm
}

@test "storage: a synthetic day into VictoriaMetrics: PromQL gives back every sample, its value and time; rate() as worked by hand" {
	vm_start
	day > day.tsv
	run -0 --separate-stderr bash -c "xm-show -o influx < day.tsv | '$SCRIPTS/xm-push' -f influx '$vm'"
	assert_equal "$stderr" ""
	curl -sf "$vm/internal/force_flush"
	norm < day.tsv > want
	assert_equal "$(wc -l < want)" $((1440 * 34))
	# each series under the name -o prom gives it, xm_ and the metric's own
	poll 30 eval '[ "$(vm_range "{__name__=~\"xm_.*\"}" $((DAY + 60)) $((DAY + 86400)) |
	    wc -l)" -eq $((1440 * 34)) ]'
	vm_range '{__name__=~"xm_.*"}' $((DAY + 60)) $((DAY + 86400)) | diff -u want -
	# a counter: rate() over five minutes is the rise over the five minutes before
	t=$((DAY + 43200))
	a=$(rx_at $((t - 300)))
	b=$(rx_at "$t")
	run -0 curl -sf --get --data-urlencode 'query=rate(xm_network_receive_bytes_total[5m])' \
	    --data-urlencode "time=$t" "$vm/api/v1/query"
	got=$(jq -r '.data.result[0].value[1]' <<< "$output")
	awk -v a="$a" -v b="$b" -v got="$got" 'BEGIN {
	    want = (b - a) / 300; d = got - want; if (d < 0) d = -d
	    if (want <= 0 || d > 1e-9 * want) { printf "rate %s, not %.17g\n", got, want; exit 1 } }'
}

@test "storage: a synthetic day into InfluxDB 1.x: InfluxQL gives back every sample, its value and time; a derivative" {
	influx_start
	day > day.tsv
	run -0 --separate-stderr bash -c "xm-show -o influx < day.tsv |
	    '$SCRIPTS/xm-push' -f influx '$influx/write?db=xm'"
	assert_equal "$stderr" ""
	norm < day.tsv > want
	influx_select 'SELECT * FROM xm GROUP BY *' | diff -u want -
	# the counter as a counter: its non-negative derivative a second, the rise over a minute
	a=$(rx_at $((DAY + 43140)))
	b=$(rx_at $((DAY + 43200)))
	got=$(curl -sf --get --data-urlencode db=xm --data-urlencode epoch=s --data-urlencode \
	    "q=SELECT non_negative_derivative(network_receive_bytes_total, 1s) FROM xm
	    WHERE time >= $((DAY + 43140))s AND time <= $((DAY + 43200))s" \
	    "$influx/query" | jq -r '.results[0].series[0].values[0][1]')
	awk -v a="$a" -v b="$b" -v got="$got" 'BEGIN {
	    want = (b - a) / 60; d = got - want; if (d < 0) d = -d
	    if (want <= 0 || d > 1e-9 * want) { printf "derivative %s, not %.17g\n", got, want; exit 1 } }'
}

@test "storage: cron-style runs append a minute at a time to both; a time to the millisecond, hostile labels, read back alike" {
	vm_start
	influx_start
	for i in 1 2 3; do
		xm-sample --synthetic --seed 1 --start $((DAY + 60 * i - 60)) -n 1 -i 60 -m cpu |
		    xm-show -o influx > run$i.lp
		"$SCRIPTS/xm-push" -f influx "$vm" < run$i.lp
		"$SCRIPTS/xm-push" -f influx "$influx/write?db=xm" < run$i.lp
	done
	# a stream of the machine's own: a ts to the millisecond, labels of every special byte
	printf '%s.125\th 1,x=y\tm{a="x\\\\y",b="c,d e=f",c="q\\"t",d="l\\nf",e="end\\\\"}\t1.5\n' \
	    "$DAY" > own.tsv
	xm-show -o influx < own.tsv > own.lp
	"$SCRIPTS/xm-push" -f influx "$vm" < own.lp
	"$SCRIPTS/xm-push" -f influx "$influx/write?db=xm" < own.lp
	curl -sf "$vm/internal/force_flush"
	cat run1.lp run2.lp run3.lp | wc -l > n
	assert_equal "$(cat n)" 9
	# three runs' samples, each at its own minute
	poll 30 eval '[ "$(vm_range "{__name__=~\"xm_cpu.*\"}" $((DAY + 60)) $((DAY + 180)) |
	    wc -l)" -eq 9 ]'
	for i in 1 2 3; do
		xm-sample --synthetic --seed 1 --start $((DAY + 60 * i - 60)) -n 1 -i 60 -m cpu
	done | norm > want
	vm_range '{__name__=~"xm_cpu.*"}' $((DAY + 60)) $((DAY + 180)) | diff -u want -
	influx_select 'SELECT /^cpu/ FROM xm GROUP BY *' | diff -u want -
	# the time to the millisecond and the labels as both hold them: the same
	labels='"a":"x\\y","b":"c,d e=f","c":"q\"t","d":"l\\nf","e":"end�"'
	run -0 curl -sf --get --data-urlencode 'match[]=xm_m' "$vm/api/v1/export"
	assert_equal "$(jq -c '[.metric, .timestamps]' <<< "$output")" \
	    '[{"__name__":"xm_m","host":"h 1,x=y",'"$labels"'},['"$DAY"'125]]'
	run -0 curl -sf --get --data-urlencode db=xm --data-urlencode epoch=ms \
	    --data-urlencode 'q=SELECT m FROM xm GROUP BY *' "$influx/query"
	assert_equal "$(jq -c '.results[0].series[0] | [.tags, .values]' <<< "$output")" \
	    '[{'"$labels"',"host":"h 1,x=y"},[['"$DAY"'125,1.5]]]'
}

@test "storage: xm-push -f influx: batches as the input comes; the server's words on a refusal; nothing to send, status 1" {
	vm_start
	influx_start
	# a live pipeline: each set goes out while the stream is still open
	mkfifo feed
	exec 8<> feed
	start_server push "$SCRIPTS/xm-push" -f influx "$vm" < feed 8>&-
	printf '%s\th\tlive\t1\n' $((DAY + 1)) | xm-show -o influx >&8
	poll 30 eval "curl -sf '$vm/internal/force_flush' &&
	    curl -sf --get --data-urlencode 'match[]=xm_live' '$vm/api/v1/export' | grep -q '\"values\":\[1\]'"
	printf '%s\th\tlive\t2\n' $((DAY + 2)) | xm-show -o influx >&8
	poll 30 eval "curl -sf '$vm/internal/force_flush' &&
	    curl -sf --get --data-urlencode 'match[]=xm_live' '$vm/api/v1/export' | grep -q '\"values\":\[1,2\]'"
	exec 8>&-
	poll 10 eval '! kill -0 "$(cat push.pid)" 2> /dev/null'
	assert_equal "$(cat push.log)" ""
	# a line cut between two reads goes whole with the next
	{ printf 'xm,host=h cut=1'; sleep 0.3; printf ' %s000000000\n' $((DAY + 3)); } |
	    "$SCRIPTS/xm-push" -f influx "$vm"
	curl -sf "$vm/internal/force_flush"
	run -0 curl -sf --get --data-urlencode 'match[]=xm_cut' "$vm/api/v1/export"
	assert_equal "$(jq -c '[.values, .timestamps]' <<< "$output")" "[[1],[$((DAY + 3))000]]"
	# InfluxDB's refusals, in its words, one line, status 1
	run -1 --separate-stderr "$SCRIPTS/xm-push" -f influx "$influx/write?db=nodb" <<< 'xm m=1'
	assert_equal "$stderr" "xm-push: $influx/write?db=nodb: HTTP 404: {\"error\":\"database not found: \\\"nodb\\\"\"}"
	run -1 --separate-stderr "$SCRIPTS/xm-push" -f influx "$influx/write?db=xm" <<< 'xm m=x 1'
	assert_regex "$stderr" "^xm-push: $influx/write\\?db=xm: HTTP 400: \\{\"error\":\"unable to parse .*\"\\}$"
	# nothing to send, or no one there
	run -1 --separate-stderr "$SCRIPTS/xm-push" -f influx "$vm" < /dev/null
	assert_equal "$stderr" 'xm-push: nothing on standard input: not sent'
	port=$(free_port)
	run -1 --separate-stderr "$SCRIPTS/xm-push" -f influx "http://127.0.0.1:$port" <<< 'xm m=1'
	assert_regex "$stderr" "^xm-push: http://127.0.0.1:$port/write: \\(7\\) Failed to connect to 127.0.0.1 port $port .*$"
}

@test "storage: a year of history, run as the README and xm-push(1) give it: VictoriaMetrics live, InfluxDB from cron" {
	vm_start
	influx_start
	live='xm-sample -i 10 | xm-show -o influx | xm-push -f influx http://127.0.0.1:8428'
	query="curl -s http://127.0.0.1:8428/api/v1/query --data-urlencode 'query=max_over_time(xm_cpu_usage_percent[1d])'"
	cron="xm-sample -n 1 --state /var/lib/xm/sample-influx.tsv | xm-show -o influx | xm-push -f influx 'http://127.0.0.1:8086/write?db=xm'"
	doc_gives README.md "$live" "$query" "$cron"
	PATH="$SCRIPTS:$PATH"
	host=$(uname -n)
	mkdir xm
	# the documents' addresses and paths, here; the live one a set a tenth of a second
	here() {
		sed "s|http://127.0.0.1:8428|$vm|; s|http://127.0.0.1:8086|$influx|
		    s|/var/lib/xm/|$BATS_TEST_TMPDIR/xm/|; s|-i 10|-i 0.1|" <<< "$1"
	}
	start_server live bash -c "$(here "$live")" < /dev/null
	poll 30 eval "curl -sf '$vm/internal/force_flush' && $(here "$query") |
	    jq -e '.data.result[0].metric.host == \"$host\"' > /dev/null"
	# two cron runs: the second's rates over the time since the first
	bash -c "$(here "$cron")"
	bash -c "$(here "$cron")"
	run -0 curl -sf --get --data-urlencode db=xm \
	    --data-urlencode 'q=SELECT count(cpu_usage_percent) FROM xm' "$influx/query"
	assert_equal "$(jq -c '.results[0].series[0].values[0][1]' <<< "$output")" 2
}

@test "storage: remote write with no library of xm's own: xm-push -f influx to vmagent, which remote-writes to Prometheus's receiver, every sample" {
	need vmagent
	need prometheus
	pport=$(free_port)
	vport=$(free_port)
	prom=http://127.0.0.1:$pport
	# vmagent sends what two requests brought in blocks of its own, the
	# later one at times first: a receiver takes samples out of order
	# within a window, as Mimir, Thanos and Cortex can be told to
	printf 'storage:\n  tsdb:\n    out_of_order_time_window: 1h\n' > prometheus.yml
	start_server prometheus prometheus --config.file=prometheus.yml \
	    --storage.tsdb.path="$BATS_TEST_TMPDIR/prometheus" \
	    --web.listen-address="127.0.0.1:$pport" --web.enable-remote-write-receiver
	start_server vmagent vmagent -httpListenAddr="127.0.0.1:$vport" \
	    -remoteWrite.url="$prom/api/v1/write" -remoteWrite.queues=1 \
	    -remoteWrite.tmpDataPath="$BATS_TEST_TMPDIR/vmagent" \
	    -loggerLevel=ERROR
	wait_ready prometheus "$prom/-/ready"
	wait_ready vmagent "http://127.0.0.1:$vport/health"
	# ten minutes just gone, which Prometheus's head takes
	start=$(( $(date +%s) / 60 * 60 - 660 ))
	xm-sample --synthetic --seed 1 --start "$start" -n 10 -i 60 -m cpu,memory > in.tsv
	run -0 --separate-stderr bash -c "xm-show -o influx < in.tsv |
	    '$SCRIPTS/xm-push' -f influx 'http://127.0.0.1:$vport'"
	assert_equal "$stderr" ""
	norm < in.tsv > want
	got() {
		curl -sf --get --data-urlencode 'query={__name__=~"xm_.*"}' \
		    --data-urlencode "start=$((start + 60))" --data-urlencode "end=$((start + 600))" \
		    --data-urlencode step=60 "$prom/api/v1/query_range" |
		    jq -r '.data.result[] | .metric as $m
		    | ($m | del(.__name__, .host) | to_entries | sort_by(.key)
		        | map("\(.key)=\"\(.value)\"") | join(",")) as $l
		    | .values[] | "\(.[0])\t\($m.host)\t\($m.__name__ | ltrimstr("xm_"))\(
		        if $l == "" then "" else "{\($l)}" end)\t\(.[1])"' | norm
	}
	poll 30 eval '[ "$(got | wc -l)" -eq "$(wc -l < want)" ]'
	got | diff -u want -
}
