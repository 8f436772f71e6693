# The real monitoring stack, from Debian's packages, on loopback: Prometheus
# scraping xm-show --listen, node_exporter's textfile collector, the
# Pushgateway, the Alertmanager, Prometheus's own rules, the Nagios plugin
# parser; and several hosts into one pipeline.
load helpers

SHOW="$FIX/show"
SCRIPTS="$BATS_TEST_DIRNAME/../scripts"
FIDELITY="$BATS_TEST_DIRNAME/fidelity"

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
}

# Start Prometheus at a free port, scraping every second what the
# scrape_configs in file "scrape" say; $prom is its address.
prom_start() {
	need prometheus
	local port
	port=$(free_port)
	prom=http://127.0.0.1:$port
	{
		printf 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n'
		cat scrape
	} > prometheus.yml
	start_server prometheus prometheus --config.file=prometheus.yml \
	    --storage.tsdb.path="$BATS_TEST_TMPDIR/prometheus" \
	    --web.listen-address="127.0.0.1:$port"
	wait_ready prometheus "$prom/-/ready"
}

# A sample as one line: name{labels by name} value, the value as the
# double it is (%.17g), so that two spellings of one number compare equal.
NORM='sub out { my ($n, $l, $v) = @_;
	my @k = grep { $_ ne "job" && $_ ne "instance" && $_ ne "__name__" } sort keys %$l;
	printf "%s{%s} %.17g\n", $n, join(",", map { "$_=\"$l->{$_}\"" } @k), $v }'

# The samples of an exposition on stdin, one normalised line each.
norm_expo() {
	perl -ne "$NORM"'
	    next if /^#/ || !/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/;
	    my ($n, $ls, $v, %l) = ($1, $2 // "", $3);
	    while ($ls =~ /(\w+)="((?:[^"\\]|\\.)*)"/g) {
	        my ($k, $x) = ($1, $2);
	        $x =~ s/\\(.)/$1 eq "n" ? "\n" : $1/ge;
	        $l{$k} = $x;
	    }
	    out($n, \%l, $v);' | sort
}

# What Prometheus answers now to the instant query $1, normalised likewise.
prom_query() {
	curl -sf --get --data-urlencode "query=$1" "$prom/api/v1/query" |
	    perl -MJSON::PP -e "$NORM"'
	    my $r = decode_json(join "", <STDIN>);
	    die "query: $r->{status}\n" unless $r->{status} eq "success";
	    out($_->{metric}{__name__} // "", $_->{metric}, $_->{value}[1]) for @{$r->{data}{result}};' |
	    sort
}

# Wait up to 30 s for the query $1 to answer exactly the lines $2.
prom_wait() {
	local query=$1 want=$2
	poll 30 eval '[ "$(prom_query "$query")" = "$want" ]' && return 0
	echo "# $query: Prometheus answers:" >&2
	prom_query "$query" | sed 's/^/#   /' >&2
	echo "# not:" >&2
	printf '%s\n' "$want" | sed 's/^/#   /' >&2
	return 1
}

@test "stack: Prometheus scrapes xm-show --listen: every sample as served, up, the alert state" {
	port=$(free_port)
	start_server show xm-show --listen "127.0.0.1:$port" < "$SHOW/alerted.tsv"
	wait_ready show "http://127.0.0.1:$port/metrics"
	poll 10 eval "curl -sf http://127.0.0.1:$port/metrics | grep -qx 'xm_records_read_total 1080'"
	printf '  - job_name: xm\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$port" > scrape
	prom_start
	prom_wait 'up{job="xm"}' 'up{} 1'
	prom_wait 'xm_cpu_usage_percent' 'xm_cpu_usage_percent{host="web1"} 75.377850219999999'
	prom_wait 'xm_alert_severity{metric="cpu_usage_percent"}' \
	    'xm_alert_severity{host="web1",metric="cpu_usage_percent"} 2'
	prom_wait 'xm_alerts_active' 'xm_alerts_active{severity="critical"} 1
xm_alerts_active{severity="emergency"} 0
xm_alerts_active{severity="info"} 0
xm_alerts_active{severity="warning"} 1'
	# and every other sample of the stream, as xm-show served it
	curl -sf "http://127.0.0.1:$port/metrics" | grep -v '^xm_scrape_duration_seconds ' | norm_expo > served
	prom_wait '{job="xm",__name__=~"xm_.*",__name__!="xm_scrape_duration_seconds"}' "$(cat served)"
	assert_equal "$(wc -l < served)" 44
}

@test "stack: Prometheus scrapes xm-show over TLS, a client certificate and basic_auth: up 1, values as served; node_exporter takes the same web config file; a wrong password up 0 from both" {
	need prometheus-node-exporter
	need openssl
	mkdir certs
	make_certs certs
	{
		printf '%s\n' 'tls_server_config:' '  cert_file: server.pem' '  key_file: server.key' \
		    '  client_auth_type: RequireAndVerifyClientCert' '  client_ca_file: ca.pem' \
		    'http_server_config:' '  headers:' '    X-Content-Type-Options: nosniff'
		cat "$FIX/web/users.yml"
	} > certs/web.yml
	port=$(free_port)
	start_server show xm-show --listen "127.0.0.1:$port" --web-config certs/web.yml \
	    < "$SHOW/alerted.tsv"
	nport=$(free_port)
	start_server node prometheus-node-exporter --web.listen-address="127.0.0.1:$nport" \
	    --web.config.file=certs/web.yml --collector.disable-defaults --collector.loadavg
	tls=(--cacert certs/ca.pem --cert certs/client.pem --key certs/client.key)
	for p in "$port" "$nport"; do
		poll 30 curl -sf "${tls[@]}" -u bob:hunter2 -o /dev/null "https://127.0.0.1:$p/metrics" ||
		    fail "no HTTPS at $p: $(cat show.log node.log)"
		# the same answers from both to the same wrong password and missing certificate
		run -0 curl -s "${tls[@]}" -u bob:wrong -o /dev/null -w '%{http_code}' \
		    "https://127.0.0.1:$p/metrics"
		assert_output 401
		run curl -s --cacert certs/ca.pem -u bob:hunter2 "https://127.0.0.1:$p/metrics"
		[ "$status" -ne 0 ] || fail "$p served a client without a certificate"
	done
	poll 10 eval "curl -sf ${tls[*]} -u alice:s3cret https://127.0.0.1:$port/metrics |
	    grep -qx 'xm_records_read_total 1080'"
	for job in xm:$port:s3cret node:$nport:s3cret wrong:$port:nope nodewrong:$nport:nope; do
		IFS=: read -r name p pw <<< "$job"
		printf '%s\n' "  - job_name: $name" '    scheme: https' '    basic_auth:' \
		    '      username: alice' "      password: $pw" '    tls_config:' \
		    "      ca_file: $BATS_TEST_TMPDIR/certs/ca.pem" \
		    "      cert_file: $BATS_TEST_TMPDIR/certs/client.pem" \
		    "      key_file: $BATS_TEST_TMPDIR/certs/client.key" \
		    '    static_configs:' "      - targets: [\"127.0.0.1:$p\"]"
	done > scrape
	prom_start
	prom_wait 'up{job="xm"}' 'up{} 1'
	prom_wait 'up{job="node"}' 'up{} 1'
	prom_wait 'up{job=~"wrong|nodewrong"}' 'up{} 0
up{} 0'
	prom_wait 'xm_cpu_usage_percent' 'xm_cpu_usage_percent{host="web1"} 75.377850219999999'
	curl -sf "${tls[@]}" -u alice:s3cret "https://127.0.0.1:$port/metrics" |
	    grep -v '^xm_scrape_duration_seconds ' | norm_expo > served
	prom_wait '{job="xm",__name__=~"xm_.*",__name__!="xm_scrape_duration_seconds"}' "$(cat served)"
	assert_equal "$(wc -l < served)" 44
	prom_wait 'count(node_load1{job="node"})' '{} 1'
	assert_equal "$(cat show.log)" ''
}

@test "stack: PromQL joins xm_alert_severity to the series' family on its labels; a counter past 2^53 exact" {
	{
		printf '1764288000.25\tweb1\tdisk_usage_percent{mountpoint="/"}\t91\n'
		printf '1764288000.25\tweb1\tdisk_usage_percent{mountpoint="/var"}\t40\n'
		printf '1764288000.25\tweb1\tnetwork_receive_bytes_total{device="eth0"}\t1234567890124456789\n'
	} | xm-alert -r 'disk_usage_percent{*} warn=80 crit=90' > in
	port=$(free_port)
	start_server show xm-show --listen "127.0.0.1:$port" < in
	wait_ready show "http://127.0.0.1:$port/metrics"
	printf '  - job_name: xm\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$port" > scrape
	prom_start
	prom_wait 'up{job="xm"}' 'up{} 1'
	# each disk's usage times its alert's severity, the rule carried over
	prom_wait 'xm_disk_usage_percent * on(host, mountpoint) group_left(rule) xm_alert_severity' \
	    '{host="web1",mountpoint="/",rule="disk_usage_percent{*} warn=80 crit=90"} 273
{host="web1",mountpoint="/var",rule="disk_usage_percent{*} warn=80 crit=90"} 0'
	# the disks in alert, at warning or worse
	prom_wait 'xm_disk_usage_percent and on(host, mountpoint) xm_alert_severity{metric="disk_usage_percent"} >= 2' \
	    'xm_disk_usage_percent{host="web1",mountpoint="/"} 91'
	# the counter as the float64 of the stream's digits, 1234567890124456704;
	# ten digits would have made it 1234567890000000000
	prom_wait 'xm_network_receive_bytes_total' \
	    'xm_network_receive_bytes_total{device="eth0",host="web1"} 1.2345678901244567e+18'
	assert_equal "$(perl -e 'printf "%.17g", 1234567890124456789')" 1.2345678901244567e+18
	# the exporter's own numbers too: the newest ts to the hundredth
	prom_wait 'xm_last_record_timestamp_seconds' 'xm_last_record_timestamp_seconds{} 1764288000.25'
}

@test "stack: Prometheus scrapes node_exporter's textfile collector reading xm-show -O" {
	need prometheus-node-exporter
	mkdir textfile
	xm-show -o prom -O textfile/xm.prom < "$SHOW/alerted.tsv"
	port=$(free_port)
	start_server node prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
	    --collector.disable-defaults --collector.textfile \
	    --collector.textfile.directory="$BATS_TEST_TMPDIR/textfile"
	wait_ready node "http://127.0.0.1:$port/metrics"
	printf '  - job_name: node\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$port" > scrape
	prom_start
	prom_wait 'up{job="node"}' 'up{} 1'
	prom_wait 'node_textfile_scrape_error' 'node_textfile_scrape_error{} 0'
	norm_expo < textfile/xm.prom > written
	prom_wait '{job="node",__name__=~"xm_.*"}' "$(cat written)"
	assert_equal "$(wc -l < written)" 38
	prom_wait 'xm_cpu_usage_percent' 'xm_cpu_usage_percent{host="web1"} 75.377850219999999'
}

@test "stack: xm-push from a cron-style run to the Pushgateway; Prometheus has it; a second push replaces" {
	need prometheus-pushgateway
	port=$(free_port)
	gw=http://127.0.0.1:$port
	start_server gateway prometheus-pushgateway --web.listen-address="127.0.0.1:$port" \
	    --persistence.file="$BATS_TEST_TMPDIR/pushgateway.data"
	wait_ready gateway "$gw/-/ready"
	printf '  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$port" > scrape
	prom_start
	# one cron run: a sample set, its alert state kept, pushed
	run -0 --separate-stderr bash -o pipefail -c "xm-sample --synthetic --seed 1 --start 1764288000 -n 1 -m cpu,memory |
	    xm-alert --state alert.tsv | xm-show -o prom | tee pushed | '$SCRIPTS/xm-push' -i cron1 '$gw'"
	assert_equal "$stderr" ""
	norm_expo < pushed > want
	assert_equal "$(wc -l < want)" 13
	prom_wait '{job="xm",instance="cron1",__name__=~"xm_.*"}' "$(cat want)"
	# pushed just now, as the gateway stamps it
	prom_wait 'time() - push_time_seconds{job="xm",instance="cron1"} < bool 60' '{} 1'
	# the next run pushes only cpu: memory is gone from the group, not kept beside it
	run -0 --separate-stderr bash -o pipefail -c "xm-sample --synthetic --seed 1 --start 1764288060 -n 1 -m cpu |
	    xm-alert --state alert.tsv | xm-show -o prom | tee pushed | '$SCRIPTS/xm-push' -i cron1 '$gw'"
	norm_expo < pushed > want
	assert_equal "$(wc -l < want)" 8
	prom_wait '{job="xm",instance="cron1",__name__=~"xm_.*"}' "$(cat want)"
	run -1 grep -c '^xm_memory' <(curl -sf "$gw/metrics")
	# a job of odd characters goes base64; a refusal is the gateway's words and exit 1
	printf 'xm_m 1\n' | "$SCRIPTS/xm-push" -i 'web 1/a' "$gw" 'cron job'
	prom_wait 'xm_m' 'xm_m{} 1'
	assert_equal "$(prom_query 'xm_m{job="cron job",instance="web 1/a"}')" 'xm_m{} 1'
	run -1 --separate-stderr "$SCRIPTS/xm-push" -i cron1 "$gw" <<< 'xm_m{ 1'
	assert_equal "${stderr%%: text format*}" "xm-push: $gw/metrics/job/xm/instance/cron1: HTTP 400"
	run -1 --separate-stderr "$SCRIPTS/xm-push" "$gw" < /dev/null
	assert_equal "$stderr" 'xm-push: nothing on standard input: not pushed'
	# an instance "..", which a path would take for the parent, is an instance like any other
	printf 'xm_dots 1\n' | "$SCRIPTS/xm-push" -i .. "$gw" dots
	prom_wait 'xm_dots{job="dots",instance=".."}' 'xm_dots{} 1'
	# no gateway there: curl's words, after ours
	port2=$(free_port)
	run -1 --separate-stderr "$SCRIPTS/xm-push" "http://127.0.0.1:$port2" <<< 'xm_m 1'
	[[ $stderr == "xm-push: http://127.0.0.1:$port2/metrics/job/xm/instance/$(uname -n): (7) Failed to connect to 127.0.0.1 port $port2 "* ]] ||
	    fail "$stderr"
}

# The alerts the Alertmanager holds: labels, annotations, state, and
# whether endsAt is past; one line each.
am_alerts() {
	curl -sf "$am/api/v2/alerts" | perl -MJSON::PP -MTime::Local -e '
	    for my $a (@{decode_json(join "", <STDIN>)}) {
	        my ($y, $mo, $d, $h, $mi, $s) = $a->{endsAt} =~ /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)/;
	        my $past = timegm($s, $mi, $h, $d, $mo - 1, $y) < time ? "ended" : "open";
	        print join(" ", (map { "$_=$a->{labels}{$_}" } sort keys %{$a->{labels}}),
	            (map { "$_=$a->{annotations}{$_}" } sort keys %{$a->{annotations}}),
	            $a->{status}{state}, $past), "\n";
	    }'
}

# The Alertmanager's own count of the alerts it took, by status.
am_received() {
	curl -sf "$am/metrics" | sed -n "s/^alertmanager_alerts_received_total{status=\"$1\",version=\"v2\"} //p"
}

@test "stack: xm-alert -x xm-notify-alertmanager: the alert active with xm's labels, once, then resolved" {
	need prometheus-alertmanager
	port=$(free_port)
	am=http://127.0.0.1:$port
	printf 'route:\n  receiver: none\nreceivers:\n  - name: none\n' > alertmanager.yml
	start_server alertmanager prometheus-alertmanager --config.file=alertmanager.yml \
	    --storage.path="$BATS_TEST_TMPDIR/alertmanager" --web.listen-address="127.0.0.1:$port" \
	    --cluster.listen-address=
	wait_ready alertmanager "$am/-/ready"
	export XM_ALERTMANAGER_URL=$am
	now=$(date +%s)
	# fires, then is repeated a minute on: one alert in the Alertmanager
	printf '%d\tweb1\tdisk_usage_percent{mountpoint="/"}\t%s\n' $((now - 120)) 91 $((now - 60)) 92 > fire
	run -0 --separate-stderr xm-alert -H -e --state alert.tsv -x "$SCRIPTS/xm-notify-alertmanager" \
	    -r 'disk_usage_percent{*} warn=80 crit=90 repeat=30s' < fire
	assert_equal "$(cut -f 5,6 <<< "$output")" 'critical	firing
critical	repeated'
	assert_equal "$stderr" ""
	id=$(cut -f 8 <<< "${output%%$'\n'*}")
	assert_equal "$(am_received firing)" 2
	assert_equal "$(am_alerts)" "alert_id=$id alertname=xm_disk_usage_percent host=web1 metric=disk_usage_percent mountpoint=/ severity=critical rule=disk_usage_percent{*} warn=80 crit=90 repeat=30s summary=disk_usage_percent{mountpoint=\"/\"} on web1: critical, value 92 (crit 90) value=92 active open"
	# the next run, from its state, resolves it: endsAt in the past, no longer active
	printf '%d\tweb1\tdisk_usage_percent{mountpoint="/"}\t10\n' $((now - 30)) > resolve
	run -0 --separate-stderr xm-alert -H -e --state alert.tsv -x "$SCRIPTS/xm-notify-alertmanager" \
	    -r 'disk_usage_percent{*} warn=80 crit=90 repeat=30s' < resolve
	assert_equal "$(cut -f 5,6,8 <<< "$output")" "ok	resolved	$id"
	assert_equal "$(am_received resolved)" 1
	poll 10 eval '[ -z "$(am_alerts)" ]'
	assert_equal "$(curl -sf "$am/metrics" | grep '^alertmanager_alerts{state="active"}')" \
	    'alertmanager_alerts{state="active"} 0'
	# the address with a slash after it is the same Alertmanager
	XM_ALERTMANAGER_URL=$am/ run -0 --separate-stderr xm-alert -H -e \
	    -x "$SCRIPTS/xm-notify-alertmanager" -r 'm crit=1' <<< "$now	web2	m	5"
	assert_equal "$stderr" ""
	poll 10 eval '[ "$(am_alerts | cut -d" " -f 2-4)" = "alertname=xm_m host=web2 metric=m" ]'
	# one that answers no: its words, and xm-alert's line for the callback,
	# to be tried again (xm-alert(1), Callbacks), which a run without
	# --state cannot keep
	XM_ALERTMANAGER_URL=$am/nowhere run -1 --separate-stderr xm-alert -H -e \
	    -x "$SCRIPTS/xm-notify-alertmanager" -r 'm crit=1' <<< "$now	web3	m	5"
	id=$(cut -f 8 <<< "$output")
	assert_equal "$stderr" "xm-notify-alertmanager: $am/nowhere/api/v2/alerts: HTTP 404: 404 page not found
xm-alert: -x \"$SCRIPTS/xm-notify-alertmanager\": firing $id: exit status 1; trying again in 10s
xm-alert: 1 notification not delivered: no --state to keep it for a later run"
	# with --state, kept: the next run, the Alertmanager found again, delivers it
	XM_ALERTMANAGER_URL=$am/nowhere run -1 --separate-stderr xm-alert -H -e --state down.tsv \
	    -x "$SCRIPTS/xm-notify-alertmanager" -r 'm crit=1' <<< "$now	web4	m	5"
	assert_equal "$(grep -c '^#pending' down.tsv)" 1
	run -0 --separate-stderr xm-alert -H -e --state down.tsv \
	    -x "$SCRIPTS/xm-notify-alertmanager" -r 'm crit=1' < /dev/null
	assert_equal "$output$(grep -c '^#pending' down.tsv)" 0
	poll 10 eval '[ -n "$(am_alerts | grep -F "host=web4 metric=m")" ]'
}

@test "stack: Prometheus's rules agree with xm-alert's on the same samples, as xm-alert(1) maps them (promtool test rules)" {
	need promtool
	# each row of the table in xm-alert(1): the rule, the expr it is
	cat > map <<-'EOF'
	a	crit=85	xm_a > 85 or xm_a < 0
	b	crit=10:	xm_b < 10
	c	crit=~:85	xm_c > 85
	d	crit=10:20	xm_d < 10 or xm_d > 20
	e	crit=@10:20	xm_e >= 10 and xm_e <= 20
	f	crit=75 for=2m	xm_f > 75 or xm_f < 0
	EOF
	# a sample a minute: at the bounds, just past them, below 0; f holds for 2m and breaks
	v=(50 90 86 85 -1 9.99 10 20 20.01 0 84 85.5)
	f=(70 80 80 80 60 80 80 80 80 74 76 76)
	rules=() series=()
	{
		printf 'groups:\n  - name: xm\n    interval: 1m\n    rules:\n'
		while IFS=$'\t' read -r m rule expr; do
			rules+=(-r "$m $rule")
			printf '      - alert: %s\n        expr: %s\n' "$m" "$expr"
			[[ $rule != *for=2m ]] || printf '        for: 2m\n'
			printf '        labels:\n          severity: critical\n'
		done < map
	} > rules.yml
	for i in "${!v[@]}"; do
		for m in a b c d e; do
			printf '%d\th\t%s\t%s\n' $((i * 60)) "$m" "${v[i]}"
		done
		printf '%d\th\tf\t%s\n' $((i * 60)) "${f[i]}"
	done > in
	xm-alert -H "${rules[@]}" < in > out
	# the test of Prometheus's rules, its expectations xm-alert's severities
	{
		printf 'rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n'
		for m in a b c d e; do
			printf "      - series: 'xm_%s{host=\"h\"}'\n        values: '%s'\n" "$m" "${v[*]}"
		done
		printf "      - series: 'xm_f{host=\"h\"}'\n        values: '%s'\n" "${f[*]}"
		printf '    alert_rule_test:\n'
		awk -F'\t' '{ printf "      - eval_time: %dm\n        alertname: %s\n", $1 / 60, $3
		      if ($5 == "critical")
		          printf "        exp_alerts:\n          - exp_labels: {severity: critical, host: h}\n"
		      else
		          printf "        exp_alerts: []\n" }' out
	} > rules_test.yml
	# what xm-alert said, series by series: each range alerts where its row says
	for m in a b c d e f; do
		printf '%s ' "$m"
		awk -F'\t' -v m="$m" '$3 == m { printf "%s", $5 == "critical" ? "C" : "." }' out
		echo
	done > got
	assert_equal "$(cat got)" 'a .CC.C......C
b ....CC...C..
c .CC........C
d CCCCCC..CCCC
e ......CC....
f ...C...CC...'
	run -0 promtool test rules rules_test.yml
	assert_output --partial 'SUCCESS'
}

@test "stack: xm-buffer's forecasts are Prometheus's predict_linear, its eta_seconds the same line's (promtool test rules)" {
	need promtool
	# a sample a minute, five minutes' window: the last line of each series
	# has the five samples Prometheus's [5m] holds at 4m (2.x: both ends in)
	declare -A v=([a]='11 9 14 11 15' [b]='100 98 96 94 92' [c]='10 10.5 11 11.5 12'
	    [d_percent]='40 41 44 43 47')
	for m in a b c d_percent; do
		i=0
		for x in ${v[$m]}; do
			printf '%d\th\t%s\t%s\n' $((i * 60)) "$m" "$x"
			i=$((i + 1))
		done
	done | xm-buffer -w 5m -H --columns eta_seconds --forecast 1h --forecast 30m --forecast 2h |
	    awk -F'\t' '$1 == 240' > out
	assert_equal "$(cut -f3,5- out)" 'a	-	74	44	134
b	-	-28	32	-148
c	-	42	27	72
d_percent	2017.5	142.2	94.2	238.2'
	{
		printf 'rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n'
		for m in a b c d_percent; do
			printf "      - series: 'xm_%s{host=\"h\"}'\n        values: '%s'\n" "$m" "${v[$m]}"
		done
		printf '    promql_expr_test:\n'
		# each forecast as predict_linear, exact; the time to 100 as the line's
		# distance over deriv, the same fit's slope, to the nearest ms
		awk -F'\t' '
		function test(expr, value) {
			printf "      - expr: %s\n        eval_time: 4m\n        exp_samples:\n", expr
			printf "          - labels: '\''{host=\"h\"}'\''\n            value: %s\n", value
		}
		{
			test("predict_linear(xm_" $3 "[5m], 3600)", $6)
			test("predict_linear(xm_" $3 "[5m], 1800)", $7)
			test("predict_linear(xm_" $3 "[5m], 7200)", $8)
			if ($5 != "-")
				test("round((100 - predict_linear(xm_" $3 "[5m], 0)) / deriv(xm_" $3 "[5m]), 0.001)", $5)
		}' out
	} > forecast_test.yml
	printf 'groups: []\n' > rules.yml
	run -0 promtool test rules forecast_test.yml
	assert_output --partial 'SUCCESS'
}

# The perfdata of xm-alert --check as Monitoring::Plugin reads it: one
# line per item, label|value|uom|warn|crit|min|max.
perf_parse() {
	perl -MMonitoring::Plugin::Performance -e '
	    my ($line) = <STDIN> =~ /\| (.*)$/ or exit 0;
	    my @p = Monitoring::Plugin::Performance->parse_perfstring($line);
	    my $n = () = $line =~ /=/g;
	    die "parsed " . @p . " of $n items\n" if @p != $n;
	    for (@p) {
	        print join("|", $_->label, $_->value, $_->uom, $_->threshold->warning // "",
	            $_->threshold->critical // "", $_->min // "", $_->max // ""), "\n";
	    }'
}

@test "stack: xm-alert --check perfdata as Monitoring::Plugin parses it: OK, WARNING, CRITICAL, UNKNOWN" {
	perl -MMonitoring::Plugin::Performance -e 1 2> /dev/null || skip "Monitoring::Plugin is not installed (libmonitoring-plugin-perl)"
	printf '1\th\tcpu_usage_percent\t50\n1\th\tdisk_usage_percent{mountpoint="/var"}\t70.25\n1\th\tresp_ms\t0.0000001\n' > ok
	# the default rules and one's own, as xm-alert(1) starts a rules file
	xm-alert --rules > defaults.conf
	{ cat defaults.conf; echo 'resp_ms warn=1e-6 crit=~:5'; } > rules.conf
	run -0 xm-alert --check -c rules.conf < ok
	assert_output "XM OK - 3 series within thresholds | 'cpu_usage_percent'=50%;;;0;100 'disk_usage_percent{/var}'=70.25%;90;95;0;100 'resp_ms'=0.0000001;1e-6;~:5;;"
	run -0 perf_parse <<< "$output"
	assert_output 'cpu_usage_percent|50|%|||0|100
disk_usage_percent{/var}|70.25|%|90|95|0|100
resp_ms|1e-07||1e-06|~:5||'
	# one sample past the defaults' warning: WARNING now, Nagios holds it
	printf '1\th\tmemory_usage_percent\t92\n1\th\tq\t-3\n' > warn
	{ cat defaults.conf; echo 'q warn=~:5 crit=-10:10'; } > rules.conf
	run -1 xm-alert --check -c rules.conf < warn
	assert_output "XM WARNING - memory_usage_percent 92 (warn 90) | 'memory_usage_percent'=92%;90;95;0;100 'q'=-3;~:5;-10:10;;"
	run -0 perf_parse <<< "$output"
	assert_output 'memory_usage_percent|92|%|90|95|0|100
q|-3||~:5|-10:10||'
	printf '1\th\tswap_usage_percent\t96\n1\tg\tload1\t12345678901234567890\n' > crit
	{ cat defaults.conf; echo 'load1 warn=~:10 crit=20:'; } > rules.conf
	run -2 xm-alert --check -c rules.conf < crit
	assert_output "XM CRITICAL - h:swap_usage_percent 96 (crit 95), g:load1 1.23456789e+19 (warn ~:10) | 'h:swap_usage_percent'=96%;80;95;0;100 'g:load1'=12345678901234567168;~:10;20:;;"
	run -0 perf_parse <<< "$output"
	assert_output 'h:swap_usage_percent|96|%|80|95|0|100
g:load1|12345678901234567168||~:10|20:||'
	# UNKNOWN: no perfdata, and nothing the parser would take for some
	run -3 --separate-stderr xm-alert --check < /dev/null
	assert_output 'XM UNKNOWN - no data for any rule'
	run -0 perf_parse <<< "$output"
	assert_output ''
}

@test "stack: two hosts' samplers into one pipeline: both on the board, in -o prom, alerts apart" {
	# both into one pipe, as "ssh a xm-sample --host a & ssh b xm-sample --host b" would;
	# under the original design's thresholds, which fire at once
	printf '%s\n' 'cpu_usage_percent warn=70 crit=85 emerg=95' 'memory_usage_percent warn=75 crit=90 emerg=98' \
	    'disk_usage_percent{*} warn=80 crit=90 emerg=95' 'response_time_seconds warn=2 crit=5 emerg=10' \
	    'error_rate_percent warn=5 crit=10 emerg=25' 'swap_usage_percent warn=50 crit=80 emerg=95' > orig.conf
	{
		xm-sample --synthetic --seed 1 --start 1764288000 -n 600 --host a &
		xm-sample --synthetic --seed 2 --start 1764288000 -n 600 --host b &
		wait
	} | xm-buffer | xm-alert -c orig.conf > merged
	# each host's records, windows and alerts are what it gets alone
	for h in a b; do
		seed=$([ "$h" = a ] && echo 1 || echo 2)
		xm-sample --synthetic --seed "$seed" --start 1764288000 -n 600 --host "$h" |
		    xm-buffer | xm-alert -c orig.conf -H > "alone.$h"
		grep "^[0-9.]*"$'\t'"$h"$'\t' merged | diff -q "alone.$h" -
		assert [ "$(grep -c $'\tfiring\t' "alone.$h")" -gt 2 ]
	done
	run -1 cmp -s alone.a <(sed $'s/\tb\t/\ta\t/' alone.b)
	xm-show -o prom < merged > out.prom
	run -0 promtool check metrics < out.prom
	assert_equal "$(sed -n 's/^xm_cpu_usage_percent{host="\([ab]\)"}.*/\1/p' out.prom | tr '\n' ' ')" 'a b '
	for h in a b; do
		# the alert state of each host, as the last record of each series says
		# in the first of xm-alert's five columns
		# in the first of xm-alert's five columns, for each alert it named: its
		# series' family and labels, and its rule (which holds no quote)
		awk -F'\t' -v h="$h" '$2 == h && $(NF - 1) != "-" { s[$(NF - 1)] = $0 }
		    END { for (a in s) print s[a] }' "alone.$h" |
		    awk -F'\t' 'BEGIN { v["ok"] = 0; v["info"] = 1; v["warning"] = 2; v["critical"] = 3; v["emergency"] = 4 }
		        { fam = $3; lab = ""
		          if ((i = index($3, "{")) > 0) { fam = substr($3, 1, i - 1); lab = "," substr($3, i + 1, length($3) - i - 1) }
		          printf "xm_alert_severity{host=\"%s\",metric=\"%s\",rule=\"%s\"%s} %d\n", $2, fam, $NF, lab, v[$(NF - 4)] }' |
		    sort > "want.$h"
		assert [ "$(wc -l < "want.$h")" -gt 5 ]
		grep "^xm_alert_severity{host=\"$h\"" out.prom | sort | diff -u "want.$h" -
	done
	# one host stops: its alert alone ends, as stale, once the other's records are 300 s past its last
	for t in $(seq 0 60 600); do
		printf '%d\ta\tcpu_usage_percent\t90\n' "$t"
		[ "$t" -gt 120 ] || printf '%d\tb\tcpu_usage_percent\t90\n' "$t"
	done > stall
	run -0 --separate-stderr xm-alert -H -e --stale 300 -c orig.conf < stall
	assert_equal "$(cut -f 1-7 <<< "$output")" "0	a	cpu_usage_percent	90	critical	firing	0
0	b	cpu_usage_percent	90	critical	firing	0
420	b	cpu_usage_percent	90	ok	stale	420"
	xm-show --once -W 100 < merged > board
	[[ "$(head -n 1 board)" == 'xm 2 hosts '* ]] || fail "$(head -n 1 board)"
	assert_equal "$(grep -o -e '^── System [ab] ' -e '^ [ab]:/  ' board | tr '\n' '|')" \
	    '── System a |── System b | a:/  | b:/  |'
}

@test "stack: the three ways into Prometheus, run as the README, xm-show(1) and xm(7) give them" {
	need prometheus-node-exporter
	need prometheus-pushgateway
	scrape='xm-sample | xm-buffer | xm-alert | xm-show --listen 9101'
	textfile='xm-sample -n 1 --state /var/lib/xm/sample.tsv | xm-alert --state /var/lib/xm/alert.tsv | xm-show -o prom -O /var/lib/node_exporter/textfile/xm.prom'
	push='xm-sample -n 1 --state /var/lib/xm/sample.tsv | xm-alert --state /var/lib/xm/alert.tsv | xm-show -o prom | xm-push http://127.0.0.1:9091'
	for doc in README.md man/xm-show.1 man/xm.7; do
		doc_gives "$doc" "$scrape" "$textfile" "$push"
	done
	PATH="$SCRIPTS:$PATH"
	host=$(uname -n)
	lport=$(free_port)
	nport=$(free_port)
	gport=$(free_port)
	gw=http://127.0.0.1:$gport
	# the documents' paths and addresses, here
	here() {
		sed "s|/var/lib/xm/|$BATS_TEST_TMPDIR/xm/|g; s|/var/lib/node_exporter/textfile/|$BATS_TEST_TMPDIR/textfile/|
		    s|http://127.0.0.1:9091|$gw|; s|--listen 9101|--listen 127.0.0.1:$lport|" <<< "$1"
	}
	mkdir xm textfile
	start_server node prometheus-node-exporter --web.listen-address="127.0.0.1:$nport" \
	    --collector.disable-defaults --collector.textfile \
	    --collector.textfile.directory="$BATS_TEST_TMPDIR/textfile"
	start_server gateway prometheus-pushgateway --web.listen-address="127.0.0.1:$gport" \
	    --persistence.file="$BATS_TEST_TMPDIR/pushgateway.data"
	start_server pipeline bash -c "$(here "$scrape")" < /dev/null
	wait_ready node "http://127.0.0.1:$nport/metrics"
	wait_ready gateway "$gw/-/ready"
	wait_ready pipeline "http://127.0.0.1:$lport/metrics"
	# two cron runs of each, the second from the first's state
	for i in 1 2; do
		run -0 --separate-stderr bash -o pipefail -c "$(here "$textfile")"
		assert_equal "$stderr" ""
		run -0 --separate-stderr bash -o pipefail -c "$(here "$push")"
		assert_equal "$stderr" ""
	done
	{
		printf '  - job_name: xm-listen\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$lport"
		printf '  - job_name: node\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$nport"
		printf '  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' "$gport"
	} > scrape
	prom_start
	prom_wait 'count(up == 1)' '{} 3'
	# scraped: this machine's samples, live, and the exporter's own count
	prom_wait "count(xm_cpu_usage_percent{job=\"xm-listen\",host=\"$host\"})" '{} 1'
	prom_wait 'xm_records_read_total{job="xm-listen"} > bool 0' '{} 1'
	# the textfile and the gateway: what the last cron run wrote, sample for sample
	prom_wait 'node_textfile_scrape_error' 'node_textfile_scrape_error{} 0'
	norm_expo < textfile/xm.prom > written
	assert [ "$(grep -c '^xm_cpu_usage_percent{host=' written)" -eq 1 ]
	prom_wait '{job="node",__name__=~"xm_.*"}' "$(cat written)"
	curl -sf "$gw/metrics" | grep "^xm_.*instance=\"$host\"" | norm_expo > pushed
	assert [ "$(grep -c '^xm_cpu_usage_percent{host=' pushed)" -eq 1 ]
	prom_wait "{job=\"xm\",instance=\"$host\",__name__=~\"xm_.*\"}" "$(cat pushed)"
}

@test "stack: many machines, run as xm(7) and the README give it, over an ssh that splits lines" {
	many='{ ssh web1 xm-sample --host web1 | grep --line-buffered ^ & ssh web2 xm-sample --host web2 | grep --line-buffered ^ & wait; } | xm-buffer | xm-alert | xm-show'
	doc_gives man/xm.7 "$many"
	doc_gives README.md "$many"
	# ssh here: the command run on this machine, its output passed on in
	# pieces of any size, as an ssh channel does
	mkdir fake
	printf '#!/bin/sh\nshift\n"$@" | dd bs=997 2> /dev/null\n' > fake/ssh
	chmod +x fake/ssh
	PATH="$BATS_TEST_TMPDIR/fake:$PATH"
	# made-up samples, a flood of them; the merged stream into a file
	cmd=${many//xm-sample --host web1/xm-sample --synthetic --seed 1 --start 1764288000 -n 3000 --host web1}
	cmd=${cmd//xm-sample --host web2/xm-sample --synthetic --seed 2 --start 1764288000 -n 3000 --host web2}
	cmd="${cmd%| xm-show} > merged"
	run -0 --separate-stderr bash -o pipefail -c "$cmd"
	assert_equal "$stderr" ""
	# every line whole: each host's records, windows and alerts are what it
	# gets alone; a record twice in a row only for an event of a second rule
	assert_equal "$(cut -f1-4 merged | uniq | wc -l)" $((2 * 3000 * 34 + 1))
	for h in 1 2; do
		xm-sample --synthetic --seed "$h" --start 1764288000 -n 3000 --host "web$h" |
		    xm-buffer | xm-alert -H > alone
		grep $'^[0-9.]*\tweb'"$h"$'\t' merged | diff -q alone -
	done
}

# node_exporter over fixture tree $1 with only the collectors "$@", each
# of which must succeed, scraped once into $1.prom; stopped by teardown.
node_over() {
	local tree=$1 port
	shift
	mkdir -p udev
	port=$(free_port)
	start_server "node-$tree" prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
	    --path.procfs="$FIX/$tree/proc" --path.sysfs="$FIX/$tree/sys" \
	    --path.udev.data="$BATS_TEST_TMPDIR/udev" --collector.disable-defaults "$@"
	wait_ready "node-$tree" "http://127.0.0.1:$port/metrics"
	curl -sf "http://127.0.0.1:$port/metrics" > "$tree.prom"
	assert_equal "$(grep -c '^node_scrape_collector_success{.*} 1$' "$tree.prom")" \
	    "$(printf '%s\n' "$@" | grep -c '^--collector\.[a-z_]*$')"
}

@test "stack: node_exporter over the fixture trees: every figure both report, exactly as xm-sample's" {
	need prometheus-node-exporter
	# node_exporter reads only the trees: no collector of the live machine,
	# netdev from /proc/net/dev (not netlink), every netstat and vmstat field
	host='--collector.cpu --collector.pressure --collector.diskstats --collector.netdev
	    --no-collector.netdev.netlink --collector.netstat --collector.netstat.fields=.*
	    --collector.sockstat --collector.vmstat --collector.vmstat.fields=.*
	    --collector.filefd --collector.stat'
	use='--collector.diskstats --collector.netdev --no-collector.netdev.netlink
	    --collector.hwmon --collector.thermal_zone'
	for t in host-t0 host-t1; do node_over "$t" $host; done
	for t in use-t0 use-t1; do node_over "$t" $use; done
	# xm-sample over the same pairs, ten seconds apart.  node_exporter
	# gives counters, xm-sample rates and percentages over the interval:
	# node-as-xm turns the two scrapes back into the kernel's integers
	# (exact: microseconds of pressure, milliseconds of disk time, ticks,
	# millidegrees) and works xm-sample(1)'s definitions from them, as
	# xm(7) writes numbers; the comparison is of the written figures.
	# The cgroup's pressure (psi-t0, psi-t1) has no peer in node_exporter,
	# nor has the thread count of loadavg (its processes collector adds
	# up /proc/PID/stat instead; make fidelity compares it live).
	xm-sample --procfs "$FIX/host-t0/proc" --procfs "$FIX/host-t1/proc" --sysfs "$FIX/host-t0/sys" \
	    --sysfs "$FIX/host-t1/sys" -i 10 -n 1 --start 0 --host h --per-cpu \
	    -m cpu,pressure,io,net,tcp,vm,fd,procs -H > host.tsv
	xm-sample --procfs "$FIX/use-t0/proc" --procfs "$FIX/use-t1/proc" --sysfs "$FIX/use-t0/sys" \
	    --sysfs "$FIX/use-t1/sys" -i 10 -n 1 --start 0 --host h -m io,net,sensors -H > use.tsv
	for p in host use; do
		"$FIDELITY/node-as-xm" "$p-t0.prom" "$p-t1.prom" > "$p.want"
		"$FIDELITY/node-as-xm" -x "$p.tsv" "$p-t0.prom" "$p-t1.prom" > "$p.got"
		diff -u "$p.want" "$p.got"
	done
	# all of xm-sample's records but these: the host's sums, the
	# zones' critical points and margins, the thread count
	assert_equal "$(wc -l < host.want) $(wc -l < use.want)" '117 74'
	assert_equal "$(cut -f 3 host.tsv use.tsv | grep -vxFf <(cut -f 1 host.want use.want))" 'disk_read_bytes_per_second
disk_write_bytes_per_second
network_receive_bytes_per_second
network_transmit_bytes_per_second
network_receive_packets_per_second
network_transmit_packets_per_second
network_receive_errors_per_second
network_transmit_errors_per_second
network_receive_drops_per_second
network_transmit_drops_per_second
processes_threads
disk_read_bytes_per_second
disk_write_bytes_per_second
network_receive_bytes_per_second
network_transmit_bytes_per_second
network_receive_packets_per_second
network_transmit_packets_per_second
network_receive_errors_per_second
network_transmit_errors_per_second
network_receive_drops_per_second
network_transmit_drops_per_second
temperature_critical_celsius{sensor="acpitz (thermal_zone0)"}
temperature_critical_celsius{sensor="acpitz (thermal_zone2)"}
temperature_margin_celsius{sensor="acpitz (thermal_zone0)"}
temperature_margin_celsius{sensor="acpitz (thermal_zone2)"}'
	# the odd cases among them: a counter gone back (host's nvme0n1 reads,
	# wlan0 bytes), an interface new (docker0, br0), 32-bit wraps (use's
	# wlan0 packets, vdb's busy milliseconds), a reading that is no
	# number (it8728 temp3), a zone's own hwmon chip (acpitz): no figure
	assert_equal "$(grep -c 'device="nvme0n1"' host.want)" 6
	run -1 grep -e 'disk_reads_per_second{device="nvme0n1"}' -e 'network_receive_bytes_per_second{device="wlan0"}' \
	    -e '_per_second{device="docker0"}' host.want
	run -1 grep -e 'network_receive_packets_per_second{device="wlan0"}' -e '_per_second{device="br0"}' \
	    -e 'disk_busy_percent{device="vdb"}' -e 'it8728 temp3' -e '"acpitz"' use.want
	assert_equal "$(grep -c -e 'device="docker0"' -e 'device="br0"' host.want use.want)" 'host.want:6
use.want:6'
}

@test "stack: every family of xm-sample over the fixture trees, through xm-show -o prom: promtool-clean, counters typed counter, the rest gauge" {
	need promtool
	snaps() {
		local t=$1
		shift
		xm-sample --procfs "$FIX/$t-t0/proc" --procfs "$FIX/$t-t1/proc" --sysfs "$FIX/$t-t0/sys" \
		    --sysfs "$FIX/$t-t1/sys" -i 10 -n 1 --start 0 --host "$t" -H "$@"
	}
	# every family: the host's, a process among them; the sensors of
	# use-t*; the own cgroup's pressure of psi-t*
	{
		snaps host --per-cpu -p 4242 -m cpu,memory,swap,disk,io,net,load,process,cgroup,pressure,vm,fd,procs,tcp,sensors
		snaps use -m io,net,sensors
		snaps psi -m cgroup
	} > all.tsv 2> err
	assert_equal "$(cat err)" ""
	assert_equal "$(cut -f 3 all.tsv | sed 's/{.*//' | sort -u | wc -l)" 103
	xm-show -o prom < all.tsv > all.prom
	run -0 --separate-stderr promtool check metrics < all.prom
	assert_equal "$output$stderr" ""
	# a TYPE for every name of the stream; counter only for the counters
	# xm-sample(1) names, each a count since boot that only grows
	assert_equal "$(cut -f 3 all.tsv | sed 's/{.*//; s/^/xm_/' | sort -u)" \
	    "$(sed -n 's/^# TYPE \(xm_[a-z0-9_]*\) [a-z]*$/\1/p' all.prom | grep -v -e '^xm_alert' -e '^xm_build' \
	        -e '^xm_last_record' -e '^xm_records_' -e '^xm_scrape' -e '^xm_series' -e '^xm_malformed' | sort)"
	assert_equal "$(sed -n 's/^# TYPE xm_\(.*\) counter$/\1/p' all.prom | grep -v -e '^records_' -e '^malformed' | sort)" \
	    'memory_oom_kills_total
network_receive_bytes_total
network_receive_drops_total
network_receive_errors_total
network_transmit_bytes_total
network_transmit_drops_total
network_transmit_errors_total'
	run -1 grep '^# TYPE xm_.* \(untyped\|summary\|histogram\)$' all.prom
}

# The number of series Prometheus answers to the instant query $1.
prom_count() {
	curl -sf --get --data-urlencode "query=$1" "$prom/api/v1/query" | jq '.data.result | length'
}

@test "stack: scripts/grafana-xm.json, a dashboard as Grafana takes it: every query has data" {
	need prometheus
	need jq
	dash=$SCRIPTS/grafana-xm.json
	# what Grafana needs of a dashboard: its fields, the two variables,
	# panels of known types with unique ids on the 24-column grid, none
	# over another, each querying ${datasource}; one line a problem
	run -0 --separate-stderr jq -r '
	    def p(bad; what): if bad then what else empty end;
	    def num: type == "number" and . == floor;
	    p((.title | type) != "string" or .title == ""; "title"),
	    p((.uid | type) != "string" or .uid == "" or (.uid | length) > 40; "uid"),
	    p((.schemaVersion | type) != "number" or .schemaVersion < 36; "schemaVersion"),
	    p((.tags | length) == 0 or .time.from == null or .time.to == null or .refresh == null;
	        "tags, time, refresh"),
	    p([.templating.list[] | select(.type == "datasource" and .name == "datasource"
	        and .query == "prometheus")] | length != 1; "the datasource variable"),
	    p([.templating.list[] | select(.type == "query" and .name == "host" and .multi
	        and .includeAll and .allValue == ".*" and .datasource.uid == "${datasource}"
	        and (.query | test("^label_values\\(.+, host\\)$")))] | length != 1;
	        "the host variable"),
	    p([.panels[].id] | length != (unique | length) or any(.[]; num | not); "ids"),
	    (.panels[] | "panel \(.id) \(.title)" as $n | .gridPos as $g |
	        p(.type | IN("row", "timeseries", "stat", "bargauge", "table", "state-timeline") |
	            not; "\($n): type \(.type)"),
	        p([$g.h, $g.w, $g.x, $g.y] | any(.[]; num | not) or $g.h < 1 or $g.w < 1 or
	            $g.x < 0 or $g.y < 0 or $g.x + $g.w > 24; "\($n): gridPos \($g)"),
	        if .type == "row" then
	            p(.collapsed or (.panels | length) > 0; "\($n): a row holding panels")
	        else
	            p(.datasource != {type: "prometheus", uid: "${datasource}"};
	                "\($n): datasource"),
	            p(.type != "table" and .type != "state-timeline" and
	                (.fieldConfig.defaults.unit | type) != "string"; "\($n): unit"),
	            p((.targets | length) == 0 or ([.targets[].refId] | unique | length) !=
	                (.targets | length); "\($n): targets"),
	            (.targets[] | p((.refId | type) != "string" or .refId == "" or
	                (.expr | type) != "string" or .expr == "" or .legendFormat == null;
	                "\($n): target \(.refId)"))
	        end),
	    ([.panels[] | {id, g: .gridPos}] | . as $a | range(length) as $i |
	        range($i + 1; length) as $j | $a[$i] as $p | $a[$j] as $q |
	        p($p.g.x < $q.g.x + $q.g.w and $q.g.x < $p.g.x + $p.g.w and
	            $p.g.y < $q.g.y + $q.g.h and $q.g.y < $p.g.y + $p.g.h;
	            "panels \($p.id) and \($q.id) overlap"))' "$dash"
	assert_equal "$output$stderr" ""
	assert_equal "$(jq '[.panels[] | select(.type == "row")] | length' "$dash")" 7
	jq -r '.panels[] | select(.type != "row") | .targets[].expr' "$dash" > exprs
	assert_equal "$(wc -l < exprs)" 108
	# every series by its xm-sample(1) or xm-show(1) name; each selected by
	# host but xm-show's own and xm_alerts_active, which have no host
	for n in $(grep -oE 'xm_[a-z0-9_]+' exprs | sort -u); do
		grep -qw -- "${n#xm_}" "$MAN/xm-sample.1" || grep -qw -- "$n" "$MAN/xm-show.1" ||
		    fail "$n: in neither xm-sample(1) nor xm-show(1)"
	done
	run -1 grep -vE -e '^xm_(alerts_active|build_info|series|records_[a-z]+_total)$' \
	    -e '^xm_last_record_timestamp_seconds$' -e '^xm_[a-z0-9_]+\{host=~"\$host"' \
	    <(grep -oE 'xm_[a-z0-9_]+(\{[^}]*\})?' exprs)
	# a counter only through rate() or increase()
	counter='(rate|increase)\(xm_[a-z0-9_]+_total(\{[^}]*\})?\[\$__(rate_interval|range)\]\)'
	assert_equal "$(grep -oE 'xm_[a-z0-9_]+_total\b' exprs | wc -l)" \
	    "$(grep -oE "$counter" exprs | wc -l)"
	# a stream of every series the dashboard shows: every family over the
	# fixture trees, a process's I/O and descriptors added to host-t*,
	# the sensors of use-t*, the own cgroup's pressure of psi-t*; alerts
	cp -a "$FIX/host-t0" t0
	cp -a "$FIX/host-t1" t1
	printf 'read_bytes: 0\nwrite_bytes: 0\n' > t0/proc/4242/io
	printf 'read_bytes: 1000000\nwrite_bytes: 500000\n' > t1/proc/4242/io
	mkdir t1/proc/4242/fd
	touch t1/proc/4242/fd/0 t1/proc/4242/fd/1 t1/proc/4242/fd/2
	fams=cpu,memory,swap,disk,io,net,load,process,cgroup,pressure,vm,fd,procs,tcp,sensors
	sample() {
		xm-sample --procfs "$1/proc" --procfs "$2/proc" --sysfs "$1/sys" --sysfs "$2/sys" \
		    -i 10 -n 1 --start 0 -H "${@:3}"
	}
	{
		sample t0 t1 --host host --per-cpu --top 3 -P nginx -m "$fams"
		sample "$FIX/use-t0" "$FIX/use-t1" --host use -m io,net,sensors
		sample "$FIX/psi-t0" "$FIX/psi-t1" --host psi -m cgroup
	} 2> err | xm-alert > stream
	assert_equal "$(cat err)" ""
	port=$(free_port)
	start_server show xm-show --listen "127.0.0.1:$port" < stream
	wait_ready show "http://127.0.0.1:$port/metrics"
	poll 10 eval "curl -sf http://127.0.0.1:$port/metrics |
	    grep -qx 'xm_records_read_total $(($(wc -l < stream) - 1))'"
	printf '  - job_name: xm\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' \
	    "$port" > scrape
	prom_start
	prom_wait 'up{job="xm"}' 'up{} 1'
	# the host variable's query: the three hosts, of three sets of families
	sel=$(jq -r '.templating.list[] | select(.name == "host") | .query' "$dash" |
	    sed 's/^label_values(\(.*\), host)$/\1/')
	assert_equal "$(curl -sf --get --data-urlencode "match[]=$sel" \
	    "$prom/api/v1/label/host/values" | jq -r '.data | join(" ")')" 'host psi use'
	# each query as Grafana sends it, $host all (the variable's allValue) or
	# none, a rate's range a minute of one-second scrapes: data for all
	# hosts, none for no host where the query selects by host
	grafana() {
		sed 's/\$__rate_interval/1m/g; s/\$__range/1m/g; s/\$host/'"$1"'/g' exprs
	}
	paste exprs <(grafana '.*') <(grafana nosuchhost) > queries
	while IFS=$'\t' read -r e all none; do
		poll 30 eval '[ "$(prom_count "$all")" -gt 0 ]' || echo "no data: $e"
		[[ $e != *'host=~"$host"'* ]] || [ "$(prom_count "$none")" = 0 ] ||
		    echo "not by host: $e"
	done < queries > wrong
	assert_equal "$(cat wrong)" ""
	# the alert that fired, in the table and the stats
	prom_wait 'xm_alerts_active{severity="warning"}' 'xm_alerts_active{severity="warning"} 1'
	assert_equal "$(cat show.log)" ''
}
