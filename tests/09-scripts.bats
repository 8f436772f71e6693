# The scripts of scripts/: their --help and usage errors, xm-push against a
# stand-in HTTP server, xm-notify-mail through the real mail(1) into a
# stand-in sendmail, and xm-dashboard --demo's rules through the real
# xm-sample, xm-buffer and xm-alert.
load helpers

SCRIPTS=$(cd "$BATS_TEST_DIRNAME/../scripts" && pwd)

# xm-dashboard --demo's rules, word for word
DEMO_RULES=(
	'cpu_usage_percent warn=70 crit=85 emerg=95 for=3 hysteresis=3'
	'memory_usage_percent warn=75 crit=90 emerg=98 for=3 hysteresis=2'
	'disk_usage_percent{*} warn=80 crit=90 emerg=95 for=3 hysteresis=1'
	'response_time_seconds warn=2 crit=5 emerg=10 for=3'
	'error_rate_percent warn=5 crit=10 emerg=25 for=3'
	'swap_usage_percent warn=50 crit=80 emerg=95 for=3'
	'load1_per_cpu warn=1 crit=2 for=3'
	'disk_usage_percent{*} field=eta_seconds crit=@0:14400 for=3'
)

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
	[ -z "${DASH_TMUX:-}" ] || tmux -L "$DASH_TMUX" kill-server 2> /dev/null || :
}

# --- --help and usage errors ---------------------------------------------

# The XM_* variables script $1 reads: those it names, less those it sets.
vars_read() {
	comm -23 <(grep -o 'XM_[A-Z][A-Z_]*' "$SCRIPTS/$1" | sort -u) \
	    <(grep -o '^[[:space:]]*XM_[A-Z][A-Z_]*=' "$SCRIPTS/$1" | tr -d ' \t=' | sort -u)
}

@test "scripts: --help: the synopsis, a line per option and per variable read, on stdout, status 0" {
	# script#its usage line#its options, each as its help line begins
	while IFS='#' read -r s synopsis options; do
		for h in --help -h; do
			run -0 --separate-stderr "$SCRIPTS/$s" "$h" < /dev/null
			assert_equal "$stderr" ""
			assert_equal "${lines[0]}" "$synopsis"
			IFS=';' read -ra opts <<< "$options"
			for o in "${opts[@]}"; do
				grep -q -- "^  $o  *[a-z]" <<< "$output" || fail "$s $h: no line for \"$o\": $output"
			done
			# every variable the script reads has a line, or shares one
			for v in $(vars_read "$s"); do
				grep -q -- "^  \(XM_[A-Z_]*, \)*$v\(,\|  *[a-z]\|$\)" <<< "$output" ||
				    fail "$s: $v not in --help: $output"
			done
		done
	done <<-'CASES'
	xm-push#usage: xm-push [-i instance] [-m seconds] url [job]#url;job;-f format;-i instance;-m seconds;-h, --help
	xm-dashboard#usage: xm-dashboard [--demo] [xm-show option]...#--demo;-h, --help
	xm-notify-mail#usage: xm-notify-mail (run by xm-alert -x xm-notify-mail)#-h, --help;XM_MAIL_TO;XM_MAIL_INFO
	xm-notify-syslog#usage: xm-notify-syslog (run by xm-alert -x xm-notify-syslog)#-h, --help;XM_SYSLOG_FACILITY
	xm-notify-alertmanager#usage: xm-notify-alertmanager (run by xm-alert -x xm-notify-alertmanager)#-h, --help;XM_ALERTMANAGER_URL
	xm-notify-webhook#usage: xm-notify-webhook [-t json|slack|teams|ntfy|gotify] [url] (run by xm-alert -x)#url;-t type;-h, --help;XM_WEBHOOK_URL;XM_WEBHOOK_AUTH;XM_GOTIFY_TOKEN
	CASES
	# the variables found are the ones meant
	assert_equal "$(vars_read xm-notify-mail | tr '\n' ' ')" 'XM_ALERT_ID XM_EVENT XM_FIELD XM_HOST XM_MAIL_INFO XM_MAIL_TO XM_MESSAGE XM_METRIC XM_PREVIOUS XM_RULE XM_SEVERITY XM_SINCE XM_TS XM_VALUE '
	assert_equal "$(vars_read xm-notify-alertmanager | tr '\n' ' ')" 'XM_ALERTMANAGER_URL XM_ALERT_ID XM_EVENT XM_FIRED XM_HOST XM_MESSAGE XM_METRIC XM_PREVIOUS XM_RULE XM_SEVERITY XM_TS XM_VALUE '
	want='XM_ALERT_ID XM_EVENT XM_FIELD XM_FIRED XM_GOTIFY_TOKEN XM_HOST XM_MESSAGE XM_METRIC '
	want+='XM_PREVIOUS XM_REASON XM_RULE XM_SEVERITY XM_SINCE XM_TS XM_VALUE XM_WEBHOOK_AUTH '
	want+='XM_WEBHOOK_URL '
	assert_equal "$(vars_read xm-notify-webhook | tr '\n' ' ')" "$want"
	# --demo's rules, word for word
	run -0 --separate-stderr "$SCRIPTS/xm-dashboard" --help
	assert_equal "$(sed -n '/^The rules of --demo:$/,$p' <<< "$output")" \
	    "The rules of --demo:$(printf '\n  %s' "${DEMO_RULES[@]}")"
}

@test "scripts: a bad option or argument: one message, the usage, on stderr, status 2" {
	push='usage: xm-push [-i instance] [-m seconds] url [job]
       xm-push -f influx [-m seconds] url'
	while IFS='|' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr "$SCRIPTS/xm-push" "$@" < /dev/null
		assert_equal "$output" ""
		assert_equal "$stderr" "$message${message:+
}$push"
	done <<-'CASES'
	-x http://h|xm-push: -x: unknown option
	--bogus http://h|xm-push: --bogus: unknown option
	--help=1 http://h|xm-push: --help=1: unknown option
	-i|xm-push: -i: needs a value
	-m x http://h|xm-push: -m: "x": not a number of seconds
	-m 'x\cy' http://h|xm-push: -m: "x\cy": not a number of seconds
	'http:\c' job|xm-push: http:\c: not an http:// or https:// address
	|
	http://h job extra|
	ftp://h|xm-push: ftp://h: not an http:// or https:// address
	-f json http://h|xm-push: -f: "json": not a format (prom, influx)
	-f influx http://h job|
	CASES
	for s in xm-notify-mail xm-notify-syslog xm-notify-alertmanager; do
		for a in --bogus 'x\cy'; do
			run -2 --separate-stderr "$SCRIPTS/$s" "$a"
			assert_equal "$output" ""
			assert_equal "$stderr" "$s: $a: unknown argument
usage: $s (run by xm-alert -x $s)"
		done
		# not run by xm-alert: the first variable missing, by name
		run -2 --separate-stderr env -u XM_EVENT "$SCRIPTS/$s"
		assert_equal "$stderr" "$s: XM_EVENT: not set; run me from xm-alert -x"
	done
	webhook='usage: xm-notify-webhook [-t json|slack|teams|ntfy|gotify] [url]'
	webhook+=' (run by xm-alert -x)'
	while IFS='#' read -r args message; do
		eval "set -- $args"
		XM_WEBHOOK_URL= run -2 --separate-stderr "$SCRIPTS/xm-notify-webhook" "$@" \
		    < /dev/null
		assert_equal "$output" ""
		assert_equal "$stderr" "${message:+xm-notify-webhook: $message
}$webhook"
	done <<-'CASES'
	--bogus http://h#--bogus: unknown option
	-x http://h#-x: unknown option
	-t#-t: needs a value
	-t xml http://h#-t: "xml": not json, slack, teams, ntfy or gotify
	-tjsonx http://h#-t: "jsonx": not json, slack, teams, ntfy or gotify
	#no url: give one, or set XM_WEBHOOK_URL
	-t slack#no url: give one, or set XM_WEBHOOK_URL
	http://h extra#extra: unknown argument
	ftp://h#ftp://h: not an http:// or https:// address
	'x\cy'#x\cy: not an http:// or https:// address
	http://#http://: not an http:// or https:// address
	$'http://h/\nurl = "http://evil"'#url: holds a control character
	CASES
	# ntfy's address: a topic's, its name as ntfy allows it
	for u in https://ntfy.sh https://ntfy.sh/ 'https://ntfy.sh/a.b?x=1' \
	    "https://ntfy.sh/$(printf 'a%.0s' {1..65})"; do
		run -2 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t ntfy "$u"
		assert_equal "$stderr" "xm-notify-webhook: ${u%%\?*}: not an ntfy topic's address, \
https://SERVER/TOPIC
$webhook"
	done
	run -2 "$SCRIPTS/xm-notify-webhook" -t ntfy "https://ntfy.sh/$(printf 'a%.0s' {1..64})"
	# the url from the environment, checked as one given
	XM_WEBHOOK_URL=ftp://h run -2 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t json
	assert_equal "$stderr" "xm-notify-webhook: ftp://h: not an http:// or https:// address
$webhook"
	# what the environment holds wrong: said, no usage
	while IFS='#' read -r args message; do
		eval "set -- $args"
		run -2 --separate-stderr env "$@" "$SCRIPTS/xm-notify-webhook" -t gotify \
		    https://g.example/
		assert_equal "$output" ""
		assert_equal "$stderr" "xm-notify-webhook: $message"
	done <<-'CASES'
	-u XM_GOTIFY_TOKEN#XM_GOTIFY_TOKEN: set it to the Gotify application's token
	XM_GOTIFY_TOKEN=#XM_GOTIFY_TOKEN: set it to the Gotify application's token
	XM_GOTIFY_TOKEN=$'a\r\nX-Evil: 1'#XM_GOTIFY_TOKEN: holds a control character
	XM_GOTIFY_TOKEN=t XM_WEBHOOK_AUTH=$'Bearer a\nb'#XM_WEBHOOK_AUTH: holds a control character
	-u XM_EVENT XM_GOTIFY_TOKEN=t#XM_EVENT: not set; run me from xm-alert -x
	CASES
	# the dashboard's other options are xm-show's: its message and usage,
	# then which command they went to
	run -2 --separate-stderr timeout 30 "$SCRIPTS/xm-dashboard" --demo --bogus
	assert_equal "$output" ""
	assert_equal "$stderr" "xm-show: unrecognized option '--bogus'
$(xm-show --bogus 2>&1 | sed 1d)
usage: xm-dashboard [--demo] [xm-show option]..."
}

# --- xm-push ---------------------------------------------------------------

# A stand-in HTTP server on 127.0.0.1 at a free port ($standin is its
# address): each request's line, then its body, appended to file
# requests; it answers status $1 with body $2.
standin_start() {
	local port
	port=$(free_port)
	standin=http://127.0.0.1:$port
	start_server standin perl -MIO::Socket::INET -e '
	    my ($port, $log, $status, $body) = @ARGV;
	    my $s = IO::Socket::INET->new(Listen => 16, LocalAddr => "127.0.0.1",
	        LocalPort => $port, ReuseAddr => 1) or die "stand-in: $!\n";
	    while (my $c = $s->accept) {
	        my ($req, $len, $got) = (scalar <$c>, 0, "");
	        while (defined(my $h = <$c>)) {
	            last if $h =~ /^\r?\n\z/;
	            $len = $1 if $h =~ /^content-length:\s*(\d+)/i;
	        }
	        read($c, $got, $len) if $len;
	        $req =~ s/\r?\n\z//;
	        open(my $f, ">>", $log) or die "stand-in: $log: $!\n";
	        print $f "$req\n$got";
	        close $f;
	        print $c "HTTP/1.1 $status\r\nContent-Type: text/plain\r\n",
	            "Content-Length: ", length($body), "\r\nConnection: close\r\n\r\n$body";
	        close $c;
	    }' "$port" "$BATS_TEST_TMPDIR/requests" "$1" "${2:-}"
	poll 30 curl -s -o /dev/null "$standin/ready" || fail "the stand-in did not start: $(cat standin.log)"
	assert_equal "$(cat requests)" 'GET /ready HTTP/1.1'
}

@test "xm-push: an input without a sample is refused, one line, status 1, nothing sent" {
	standin_start '200 OK'
	while IFS='|' read -r input message; do
		run -1 --separate-stderr "$SCRIPTS/xm-push" -i cron1 "$standin" < <(printf "$input")
		assert_equal "$output" ""
		assert_equal "$stderr" "xm-push: $message"
	done <<-'CASES'
	|nothing on standard input: not pushed
	\n|no sample on standard input, only blanks or comments: not pushed
	 \t \n\n\r\n  |no sample on standard input, only blanks or comments: not pushed
	# HELP xm_m A gauge.\n# TYPE xm_m gauge\n\n|no sample on standard input, only blanks or comments: not pushed
	CASES
	# nothing reached the server
	assert_equal "$(cat requests)" 'GET /ready HTTP/1.1'
	# and a sample among blanks and comments goes, as it came
	run -0 --separate-stderr "$SCRIPTS/xm-push" -i cron1 "$standin/" < <(printf '\n# TYPE xm_m gauge\n  xm_m 1\n')
	assert_equal "$stderr" ""
	assert_equal "$(cat requests)" 'GET /ready HTTP/1.1
PUT /metrics/job/xm/instance/cron1 HTTP/1.1

# TYPE xm_m gauge
  xm_m 1'
}

@test "xm-push, xm-notify-alertmanager: a reply with control characters is told in one line without them" {
	standin_start '400 Bad Request' $'bad\e[31m label\r\nvalue\e]0;owned\a'
	run -1 --separate-stderr "$SCRIPTS/xm-push" -i cron1 "$standin" <<< 'xm_m 1'
	assert_equal "$stderr" "xm-push: $standin/metrics/job/xm/instance/cron1: HTTP 400: bad [31m label  value ]0;owned"
	XM_ALERTMANAGER_URL=$standin XM_EVENT=firing XM_SEVERITY=warning XM_PREVIOUS=ok XM_HOST=h \
	    XM_METRIC=m XM_VALUE=5 XM_RULE='m warn=1' XM_TS=1764288000 XM_FIRED=1764288000 \
	    XM_ALERT_ID=0123456789abcdef XM_MESSAGE='m on h' \
	    run -1 --separate-stderr "$SCRIPTS/xm-notify-alertmanager"
	assert_equal "$stderr" "xm-notify-alertmanager: $standin/api/v2/alerts: HTTP 400: bad [31m label  value ]0;owned"
}

# --- xm-notify-syslog ----------------------------------------------------

@test "xm-notify-syslog: one message to logger(1), control characters made ?, its failure told as ours" {
	mkdir fake
	cat > fake/logger <<-EOF
	#!/bin/sh
	printf '%s\\n' "\$@" > "$PWD/logger.args"
	[ -z "\${FAIL-}" ] || { echo 'logger: socket /dev/log: Connection refused' >&2; exit 1; }
	EOF
	chmod +x fake/logger
	export XM_EVENT=firing XM_SEVERITY=critical XM_ALERT_ID=0123456789abcdef \
	    XM_MESSAGE=$'m on h\e[2J\nx' XM_SYSLOG_FACILITY=local3 PATH=$PWD/fake:$PATH
	run -0 --separate-stderr "$SCRIPTS/xm-notify-syslog"
	assert_equal "$stderr" ""
	assert_equal "$(cat logger.args)" '-t
xm-alert
-p
local3.crit
--
firing critical 0123456789abcdef: m on h?[2J?x'
	FAIL=1 run -1 --separate-stderr "$SCRIPTS/xm-notify-syslog"
	assert_equal "$stderr" 'xm-notify-syslog: logger: socket /dev/log: Connection refused'
}

# --- xm-notify-mail ------------------------------------------------------

# The real mail(1) of mailutils (README), installed if missing, first on
# PATH whatever the mail alternative says; it reads MAILRC, which points
# it at ./sendmail: a stand-in that keeps each message it is given, with
# its arguments, in a directory sent.* of its own (callbacks run at once),
# and says $1 and exits 1 if given.
mail_setup() {
	"$SCRIPTS/install-deps" mail || fail "scripts/install-deps mail failed"
	mkdir -p mailbin
	ln -sf "$(command -v mail.mailutils)" mailbin/mail
	cat > sendmail <<-EOF
	#!/bin/sh
	d=\$(mktemp -d "$PWD/sent.XXXXXX")
	printf '%s\\n' "\$@" > "\$d/args"
	cat > "\$d/message"
	${1:+echo "sendmail: $1" >&2; exit 1}
	EOF
	chmod +x sendmail
	printf 'set sendmail=sendmail://%s/sendmail\n' "$PWD" > mailrc
	export MAILRC=$PWD/mailrc XM_MAIL_TO=ops@example.org
	PATH=$PWD/mailbin:$PATH
}

# What mail(1) gave sendmail: the message alone, whose To: names the
# recipients; no text of the stream among the arguments.
sent_check() {
	local d
	for d in sent.*; do
		assert_equal "$(sed 3d "$d/args")" $'-oi\n-f\n-t'
		[[ $(sed -n 3p "$d/args") == "$(id -un)@"?* ]] || fail "sendmail's sender: $(cat "$d/args")"
	done
}

# The messages sent, in the order of their subjects, each as its headers
# but the two that change (Date, User-Agent), a blank line, the body, "==".
sent() {
	local d
	for d in sent.*; do
		printf '%s\t%s\n' "$(grep -m 1 '^Subject: ' "$d/message")" "$d"
	done | sort | cut -f 2 | while read -r d; do
		grep -v -e '^Date: ' -e '^User-Agent: ' "$d/message"
		echo "=="
	done
}

@test "xm-notify-mail: a firing and its resolution, by the real mail(1), into a stand-in sendmail" {
	mail_setup
	printf '1764288000\tweb1\tdisk_usage_percent{mountpoint="/"}\t91\n1764288060\tweb1\tdisk_usage_percent{mountpoint="/"}\t10\n' > in
	run -0 --separate-stderr xm-alert -e -H -r 'disk_usage_percent{*} warn=80 crit=90' -x "$SCRIPTS/xm-notify-mail" < in
	assert_equal "$stderr" ""
	assert_equal "$(ls -d sent.* | wc -l)" 2
	sent_check
	first=$(grep -l 'event     firing' sent.*/message)
	assert_equal "$(grep -v -e '^Date: ' -e '^User-Agent: ' "$first")" 'Subject: [xm] critical firing: disk_usage_percent{mountpoint="/"} on web1
To: <ops@example.org>

disk_usage_percent{mountpoint="/"} on web1: critical, value 91 (crit 90)

event     firing
severity  critical (was ok)
host      web1
metric    disk_usage_percent{mountpoint="/"}
value     91
rule      disk_usage_percent{*} warn=80 crit=90
at        2025-11-28 00:00:00 UTC
since     2025-11-28 00:00:00 UTC
alert     '"$(cut -f 8 < <(xm-alert -H -r 'disk_usage_percent{*} warn=80 crit=90' < in) | head -n 1)"
	second=$(grep -l 'event     resolved' sent.*/message)
	assert_equal "$(grep -v -e '^Date: ' -e '^User-Agent: ' "$second" | sed -n '1p; 4p')" 'Subject: [xm] ok resolved: disk_usage_percent{mountpoint="/"} on web1
disk_usage_percent{mountpoint="/"} on web1: resolved after 1m0s, value 10'
}

@test "xm-notify-mail: a change between ok and info mails no one, unless XM_MAIL_INFO=1" {
	mail_setup
	printf '1764288000\th\tm\t5\n1764288001\th\tm\t0.5\n' > info
	run -0 --separate-stderr xm-alert -H -r 'm info=1' -x "$SCRIPTS/xm-notify-mail" < info
	assert_equal "$stderr" ""
	run -2 ls -d sent.*
	XM_MAIL_INFO=1 run -0 --separate-stderr xm-alert -H -r 'm info=1' -x "$SCRIPTS/xm-notify-mail" < info
	assert_equal "$stderr" ""
	sent_check
	assert_equal "$(sent | grep '^Subject: ')" 'Subject: [xm] info firing: m on h
Subject: [xm] ok resolved: m on h'
	# a rise from info to warning, and back, are mailed
	rm -r sent.*
	printf '1764288000\th\tm\t5\n1764288001\th\tm\t50\n1764288002\th\tm\t5\n' > up
	run -0 --separate-stderr xm-alert -H -r 'm info=1 warn=40' -x "$SCRIPTS/xm-notify-mail" < up
	assert_equal "$(sent | grep '^Subject: ')" 'Subject: [xm] info deescalated: m on h
Subject: [xm] warning escalated: m on h'
}

@test "xm-notify-mail: what the stream says reaches no shell and makes no header" {
	mail_setup
	metric='m{x="a\"$(touch pwned1)`touch pwned2`\nBcc: evil@example.org",y="'"'"'$HOME'"'"'"}'
	printf '1764288000\tweb1;touch pwned3\t%s\t5\n' "$metric" > in
	run -0 --separate-stderr xm-alert -e -H -r 'm{*} warn=1' -x "$SCRIPTS/xm-notify-mail" < in
	assert_equal "$stderr" ""
	assert_equal "$(sent | sed -n '1,3p')" "Subject: [xm] warning firing: $metric on web1;touch pwned3
To: <ops@example.org>"
	run -2 ls pwned*
	sent_check
	# a line break put in by hand into any variable is not one either, in
	# the subject or the body (where a line of its own could start "~!")
	rm -r sent.*
	XM_EVENT=firing XM_SEVERITY=$'warning\nCc: evil@example.org' XM_PREVIOUS=ok XM_HOST=$'h\r\nBcc: evil@example.org' \
	    XM_METRIC=$'m\n~! touch pwned4' XM_FIELD=value XM_VALUE=5 XM_RULE='m warn=1' XM_TS=1764288000 \
	    XM_SINCE=1764288000 XM_ALERT_ID=0123456789abcdef XM_MESSAGE=$'m on h\e[2J\n~! touch pwned5' \
	    run -0 --separate-stderr "$SCRIPTS/xm-notify-mail"
	assert_equal "$stderr" ""
	assert_equal "$(sent)" 'Subject: [xm] warning?Cc: evil@example.org firing: m?~! touch pwned4 on h??Bcc: evil@example.org
To: <ops@example.org>

m on h?[2J?~! touch pwned5

event     firing
severity  warning?Cc: evil@example.org (was ok)
host      h??Bcc: evil@example.org
metric    m?~! touch pwned4
value     5
rule      m warn=1
at        2025-11-28 00:00:00 UTC
since     2025-11-28 00:00:00 UTC
alert     0123456789abcdef
=='
	run -2 ls pwned*
}

@test "xm-notify-mail: mail failing, or not there, is one line of its own, status 1" {
	mail_setup 'no route to host'
	export XM_EVENT=firing XM_SEVERITY=warning XM_PREVIOUS=ok XM_HOST=h XM_METRIC=m XM_FIELD=value \
	    XM_VALUE=5 XM_RULE='m warn=1' XM_TS=1764288000 XM_SINCE=1764288000 \
	    XM_ALERT_ID=0123456789abcdef XM_MESSAGE='m on h'
	run -1 --separate-stderr "$SCRIPTS/xm-notify-mail"
	assert_equal "$output" ""
	assert_equal "$stderr" 'xm-notify-mail: mail to ops@example.org: cannot send message: Process exited with a non-zero status'
	assert_equal "$(ls -d sent.* | wc -l)" 1
	# no mail(1) at all: what to install
	mkdir tools
	for t in date tr sed cut; do ln -s "$(command -v "$t")" tools/; done
	run -1 --separate-stderr env PATH="$PWD/tools" "$SCRIPTS/xm-notify-mail"
	assert_equal "$stderr" "xm-notify-mail: mail: not found (Debian's mailutils: scripts/install-deps mail)"
	# no address: said, nothing sent
	rm -r sent.*
	XM_MAIL_TO= run -2 --separate-stderr "$SCRIPTS/xm-notify-mail"
	assert_equal "$stderr" 'xm-notify-mail: XM_MAIL_TO: set XM_MAIL_TO to the address'
	run -2 ls -d sent.*
}

# --- xm-dashboard ----------------------------------------------------------

# xm-dashboard copied into dash/scripts, beside dash/bin where it looks
# first: the real xm-buffer; the real xm-sample, given "$@" after the
# dashboard's own arguments; the real xm-alert, which first prints the
# rules in force under the dashboard's arguments into file rules; and a
# stand-in xm-show that keeps its arguments and the stream it is given.
dash_setup() {
	mkdir -p dash/scripts dash/bin
	cp "$SCRIPTS/xm-dashboard" dash/scripts/
	ln -s "$(command -v xm-buffer)" dash/bin/xm-buffer
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/sample.args"\nexec "%s" "$@" %s\n' \
	    "$PWD" "$(command -v xm-sample)" "$*" > dash/bin/xm-sample
	printf '#!/bin/sh\n"%s" "$@" --rules > "%s/rules" || exit\nexec "%s" "$@"\n' \
	    "$(command -v xm-alert)" "$PWD" "$(command -v xm-alert)" > dash/bin/xm-alert
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/show.args"\ncat > "%s/stream"\n' \
	    "$PWD" "$PWD" > dash/bin/xm-show
	chmod +x dash/bin/*
}

@test "xm-dashboard: --demo runs under its own rules, and an alert fires within 60 synthetic seconds" {
	want=$(printf '%s\n' "${DEMO_RULES[@]}")
	# the seed is the clock's in a real --demo: some of them, at full speed
	for seed in 1 2 3 4 5 6 7 8 9 10; do
		rm -rf dash
		dash_setup --seed "$seed" --start 1764288000 -n 60
		run -0 --separate-stderr timeout 30 dash/scripts/xm-dashboard --demo -r 0.5
		assert_equal "$stderr" ""
		assert_equal "$(cat sample.args)" '-i
1
--synthetic'
		assert_equal "$(cat show.args)" '-r
0.5'
		assert_equal "$(cat rules)" "$want"
		# the first alert: within the 60 s, under a rule of --demo
		first=$(awk -F '\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		    $col["event"] == "firing" { print $1 - 1764288000 "\t" $col["rule"]; exit }' stream)
		[ -n "$first" ] || fail "seed $seed: no alert in 60 s"
		[ "${first%%$'\t'*}" -le 60 ] || fail "seed $seed: first alert at $first"
		grep -qxF -- "${first#*$'\t'}" <<< "$want" || fail "seed $seed: $first"
	done
}

@test "xm-dashboard: without --demo, this machine under xm-alert's default rules" {
	dash_setup -n 1 -m cpu
	run -0 --separate-stderr timeout 30 dash/scripts/xm-dashboard --ascii
	assert_equal "$stderr" ""
	assert_equal "$(cat sample.args)" '-i
1
--top
5'
	assert_equal "$(cat show.args)" '--ascii'
	assert_equal "$(cat rules)" "$(xm-alert --rules)"
	grep -q $'\tcpu_usage_percent\t' stream
}

@test "xm-dashboard: its terminal closed (SIGHUP): nothing left in TMPDIR, every stage gone" {
	mkdir -p dash/scripts dash/bin t
	cp "$SCRIPTS/xm-dashboard" dash/scripts/
	for p in xm-sample xm-buffer xm-alert xm-show; do
		ln -s "$(command -v "$p")" dash/bin/
	done
	DASH_TMUX="xm-dashboard-$BATS_TEST_NUMBER-$$"
	tmux -L "$DASH_TMUX" -f /dev/null new-session -d -x 100 -y 40 \
	    "TMPDIR='$PWD/t' '$PWD/dash/scripts/xm-dashboard' --demo"
	# the session's leader is the dashboard's shell: its terminal's SIGHUP goes there alone
	sid=$(tmux -L "$DASH_TMUX" list-panes -F '#{pane_pid}')
	poll 30 eval "ps -o args= -s $sid | grep -q xm-show"
	tmux -L "$DASH_TMUX" kill-server
	# gone, or zombies on their way to being reaped
	poll 10 eval "[ -z \"\$(ps -o stat= -s $sid | grep -v Z)\" ]"
	assert_equal "$(ls t)" ''
}

# --- xm-notify-webhook -----------------------------------------------------

# tests/recv, the recording HTTP receiver, on 127.0.0.1 at a port of its
# own choosing ($hook is its address), keeping each request in got:
# N.request, N.headers, N.body; it answers got/status with got/reply.
recv_start() {
	mkdir got
	start_server recv perl "$BATS_TEST_DIRNAME/recv" "$PWD/got"
	poll 30 test -s got/port || fail "the receiver did not start: $(cat recv.log)"
	hook=http://127.0.0.1:$(cat got/port)
}

# How many requests the receiver has had.
requests() {
	find got -name '*.request' | wc -l
}

# Request $1: its method and target $2, sent as JSON.
posted() {
	assert_equal "$(cat "got/$1.request")" "POST $2"
	assert_equal "$(grep -i '^content-type:' "got/$1.headers")" 'Content-Type: application/json'
}

# Body $1 as jq sorts it, beside the JSON on stdin.
same_json() {
	assert_equal "$(jq -S . "got/$1.body")" "$(jq -S .)"
}

# A disk past its warning threshold, past critical, then below both: the
# real xm-alert's three events (firing, escalated, resolved) to command
# $1, which must answer each; $id is the alert's.
WEBHOOK_RULE='disk_usage_percent{*} warn=80 crit=90'
webhook_events() {
	printf '%s\tweb1\tdisk_usage_percent{mountpoint="/"}\t%s\n' \
	    1764288000 85 1764288060 95 1764288120 10 > in
	run -0 --separate-stderr timeout 60 xm-alert -H -r "$WEBHOOK_RULE" -x "$1" < in
	assert_equal "$stderr" ""
	assert_equal "$(requests)" 3
	id=$(xm-alert -H -r "$WEBHOOK_RULE" < in | cut -f 8 | sort -u)
	[[ $id =~ ^[0-9a-f]{16}$ ]] || fail "alert_id: $id"
}

# One event by hand: webhook_events' firing, then NAME=value... over it.
webhook_env() {
	export XM_EVENT=firing XM_SEVERITY=warning XM_PREVIOUS=ok XM_HOST=web1 \
	    XM_METRIC='disk_usage_percent{mountpoint="/"}' XM_FIELD=value XM_VALUE=85 \
	    XM_RULE="$WEBHOOK_RULE" XM_TS=1764288000 XM_SINCE=1764288000 XM_FIRED=1764288000 \
	    XM_ALERT_ID=0123456789abcdef XM_REASON=value \
	    XM_MESSAGE='disk_usage_percent{mountpoint="/"} on web1: warning, value 85 (warn 80)'
	[ $# -eq 0 ] || export "$@"
}

@test "xm-notify-webhook -t json: each variable of the event a field, numbers as numbers" {
	recv_start
	webhook_events "$SCRIPTS/xm-notify-webhook '$hook/hook?a=1&b=2'"
	for n in 1 2 3; do
		posted "$n" '/hook?a=1&b=2'
	done
	same_json 1 <<-EOF
	{"event": "firing", "severity": "warning", "previous": "ok", "resolved": false,
	 "host": "web1", "metric": "disk_usage_percent{mountpoint=\"/\"}", "field": "value",
	 "value": 85, "rule": "$WEBHOOK_RULE", "ts": 1764288000, "since": 1764288000,
	 "fired": 1764288000, "alert_id": "$id", "reason": "value",
	 "message": "disk_usage_percent{mountpoint=\"/\"} on web1: warning, value 85 (warn 80)"}
	EOF
	same_json 2 <<-EOF
	{"event": "escalated", "severity": "critical", "previous": "warning", "resolved": false,
	 "host": "web1", "metric": "disk_usage_percent{mountpoint=\"/\"}", "field": "value",
	 "value": 95, "rule": "$WEBHOOK_RULE", "ts": 1764288060, "since": 1764288060,
	 "fired": 1764288000, "alert_id": "$id", "reason": "value",
	 "message": "disk_usage_percent{mountpoint=\"/\"} on web1: critical, value 95 (crit 90)"}
	EOF
	same_json 3 <<-EOF
	{"event": "resolved", "severity": "ok", "previous": "critical", "resolved": true,
	 "host": "web1", "metric": "disk_usage_percent{mountpoint=\"/\"}", "field": "value",
	 "value": 10, "rule": "$WEBHOOK_RULE", "ts": 1764288120, "since": 1764288120,
	 "fired": 1764288000, "alert_id": "$id", "reason": "value",
	 "message": "disk_usage_percent{mountpoint=\"/\"} on web1: resolved after 2m0s, value 10"}
	EOF
	# a value and times as numbers where they are numbers JSON writes, a
	# stale resolution resolved, -t json as the default
	webhook_env XM_EVENT=stale XM_SEVERITY=ok XM_VALUE=- XM_TS=1764288000.25 \
	    XM_SINCE=-1.5e-3 XM_FIRED=+Inf XM_REASON=stale
	run -0 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t json "$hook/x"
	assert_equal "$stderr" ""
	posted 4 /x
	assert_equal "$(jq -c '[.event, .resolved, .value, .ts, .since, .fired, .reason]' \
	    got/4.body)" '["stale",true,null,1764288000.25,-0.0015,"+Inf","stale"]'
	XM_VALUE=1e3 XM_TS=.5 XM_SINCE=01 XM_FIRED= run -0 "$SCRIPTS/xm-notify-webhook" "$hook/x"
	assert_equal "$(jq -c '[.value, .ts, .since, .fired]' got/5.body)" '[1000,".5","01",null]'
}

@test "xm-notify-webhook -t slack: an incoming webhook's message, its colour by severity" {
	recv_start
	webhook_events "$SCRIPTS/xm-notify-webhook -t slack $hook/services/T0/B0/X"
	for n in 1 2 3; do
		posted "$n" /services/T0/B0/X
	done
	same_json 1 <<-EOF
	{"text": "warning firing: disk_usage_percent{mountpoint=\"/\"} on web1", "mrkdwn": false,
	 "attachments": [{"color": "warning",
	  "fallback": "warning firing: disk_usage_percent{mountpoint=\"/\"} on web1",
	  "text": "disk_usage_percent{mountpoint=\"/\"} on web1: warning, value 85 (warn 80)",
	  "fields": [
	   {"title": "Severity", "value": "warning (was ok)", "short": true},
	   {"title": "Event", "value": "firing", "short": true},
	   {"title": "Host", "value": "web1", "short": true},
	   {"title": "Value", "value": "85", "short": true},
	   {"title": "Metric", "value": "disk_usage_percent{mountpoint=\"/\"}", "short": false},
	   {"title": "Rule", "value": "$WEBHOOK_RULE", "short": false},
	   {"title": "Alert", "value": "$id", "short": true}],
	  "footer": "xm-alert", "ts": 1764288000}]}
	EOF
	for n in 2 3; do
		jq -c '[.text, .attachments[0].color, .attachments[0].fields[0].value,
		    .attachments[0].fields[3].value, .attachments[0].ts]' "got/$n.body"
	done > got.fields
	m='disk_usage_percent{mountpoint=\"/\"} on web1'
	assert_equal "$(cat got.fields)" \
	    '["critical escalated: '"$m"'","danger","critical (was warning)","95",1764288060]
["resolved: '"$m"'","good","ok (was critical)","10",1764288120]'
	# a value of another column says which; a time that is none is left out
	webhook_env XM_FIELD=eta_seconds XM_VALUE=3600 XM_TS=x
	run -0 "$SCRIPTS/xm-notify-webhook" -t slack "$hook/s"
	assert_equal "$(jq -c '[.attachments[0].fields[3].value, .attachments[0].ts]' got/4.body)" \
	    '["3600 (eta_seconds)",null]'
	assert_equal "$(jq -c '.attachments[0] | has("ts")' got/4.body)" false
}

@test "xm-notify-webhook -t teams: a workflow's Adaptive Card, its colour by severity" {
	recv_start
	flow='/workflows/1/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s'
	webhook_events "$SCRIPTS/xm-notify-webhook -t teams '$hook$flow'"
	for n in 1 2 3; do
		posted "$n" "$flow"
	done
	fact() {
		printf '{"type": "RichTextBlock", "spacing": "%s", "inlines": [
		    {"type": "TextRun", "text": "%s: ", "weight": "Bolder"},
		    {"type": "TextRun", "text": "%s"}]}' "$1" "$2" "$3"
	}
	same_json 1 <<-EOF
	{"type": "message", "attachments": [{
	  "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
	  "content": {"\$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
	   "type": "AdaptiveCard", "version": "1.4", "msteams": {"width": "Full"},
	   "body": [
	    {"type": "TextBlock", "text": "warning firing", "weight": "Bolder", "size": "Medium",
	     "color": "warning", "wrap": true},
	    {"type": "RichTextBlock", "inlines": [{"type": "TextRun",
	     "text": "disk_usage_percent{mountpoint=\"/\"} on web1: warning, value 85 (warn 80)"}]},
	    $(fact Medium Host web1),
	    $(fact None Metric 'disk_usage_percent{mountpoint=\"/\"}'),
	    $(fact None Severity 'warning (was ok)'),
	    $(fact None Value 85),
	    $(fact None Rule "$WEBHOOK_RULE"),
	    $(fact None At '2025-11-28 00:00:00 UTC'),
	    $(fact None Alert "$id")]}}]}
	EOF
	for n in 2 3; do
		jq -c '.attachments[0].content.body | [.[0].text, .[0].color, .[4].inlines[1].text,
		    .[7].inlines[1].text]' "got/$n.body"
	done > got.fields
	assert_equal "$(cat got.fields)" \
	    '["critical escalated","attention","critical (was warning)","2025-11-28 00:01:00 UTC"]
["resolved","good","ok (was critical)","2025-11-28 00:02:00 UTC"]'
	# the stream's text only in TextRuns, where Teams reads no markdown
	assert_equal "$(jq -c '[.. | objects | select(.type == "TextBlock") | .text]' got/1.body)" \
	    '["warning firing"]'
}

@test "xm-notify-webhook -t ntfy: JSON at the server's root with the topic, priority by severity" {
	recv_start
	webhook_events "$SCRIPTS/xm-notify-webhook -t ntfy $hook/xm-web1"
	for n in 1 2 3; do
		posted "$n" /
	done
	m='disk_usage_percent{mountpoint=\"/\"}'
	text="$m on web1: warning, value 85 (warn 80)\\n\\nseverity: warning (was ok)\\nhost: web1"
	text+="\\nmetric: $m\\nvalue: 85\\nrule: $WEBHOOK_RULE\\nat: 2025-11-28 00:00:00 UTC"
	text+="\\nalert: $id"
	same_json 1 <<-EOF
	{"topic": "xm-web1", "title": "warning firing: $m on web1", "message": "$text",
	 "priority": 4, "tags": ["warning"]}
	EOF
	for n in 2 3; do
		jq -c '[.topic, .title, .priority, .tags]' "got/$n.body"
	done > got.fields
	assert_equal "$(cat got.fields)" \
	    '["xm-web1","critical escalated: '"$m"' on web1",5,["rotating_light"]]
["xm-web1","resolved: '"$m"' on web1",2,["white_check_mark"]]'
	# behind a path, with a query, a slash at the end; a token as asked
	webhook_env
	XM_WEBHOOK_AUTH='Bearer tk_secret' run -0 --separate-stderr \
	    "$SCRIPTS/xm-notify-webhook" -t ntfy "$hook/ntfy/Alerts_1-x/?auth=a"
	assert_equal "$stderr" ""
	posted 4 /ntfy/?auth=a
	assert_equal "$(jq -r .topic got/4.body)" Alerts_1-x
	assert_equal "$(grep -i '^authorization:' got/4.headers)" 'Authorization: Bearer tk_secret'
}

@test "xm-notify-webhook -t gotify: to /message, the token as X-Gotify-Key, priority by severity" {
	recv_start
	export XM_GOTIFY_TOKEN=AbCd.s3cret
	webhook_events "$SCRIPTS/xm-notify-webhook -t gotify $hook/"
	for n in 1 2 3; do
		posted "$n" /message
		assert_equal "$(grep -i '^x-gotify-key:' "got/$n.headers")" \
		    'X-Gotify-Key: AbCd.s3cret'
	done
	m='disk_usage_percent{mountpoint=\"/\"}'
	text="$m on web1: warning, value 85 (warn 80)\\n\\nseverity: warning (was ok)\\nhost: web1"
	text+="\\nmetric: $m\\nvalue: 85\\nrule: $WEBHOOK_RULE\\nat: 2025-11-28 00:00:00 UTC"
	text+="\\nalert: $id"
	same_json 1 <<-EOF
	{"title": "warning firing: disk_usage_percent{mountpoint=\"/\"} on web1",
	 "message": "$text", "priority": 5,
	 "extras": {"client::display": {"contentType": "text/plain"},
	  "xm::event": {"event": "firing", "severity": "warning", "previous": "ok",
	   "resolved": false, "host": "web1", "metric": "disk_usage_percent{mountpoint=\"/\"}",
	   "field": "value", "value": 85, "rule": "$WEBHOOK_RULE", "ts": 1764288000,
	   "since": 1764288000, "fired": 1764288000, "alert_id": "$id", "reason": "value",
	   "message": "disk_usage_percent{mountpoint=\"/\"} on web1: warning, value 85 (warn 80)"}}}
	EOF
	for n in 2 3; do
		jq -c '[.title, .priority, .extras["xm::event"].event]' "got/$n.body"
	done > got.fields
	assert_equal "$(cat got.fields)" '["critical escalated: '"$m"' on web1",8,"escalated"]
["resolved: '"$m"' on web1",2,"resolved"]'
	# the token in the url instead, as Gotify's pages give it, its
	# /message there already
	unset XM_GOTIFY_TOKEN
	webhook_env
	run -0 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t gotify "$hook/g/message?token=t0k"
	assert_equal "$stderr" ""
	posted 4 '/g/message?token=t0k'
	run -1 grep -i '^x-gotify-key:' got/4.headers
}

@test "xm-notify-webhook: severity to colour and priority, each preset, as xm-notify(1)'s table" {
	recv_start
	webhook_env
	# event severity|slack teams ntfy tags gotify
	while IFS='|' read -r ev sev want; do
		for t in slack teams ntfy gotify; do
			XM_EVENT=$ev XM_SEVERITY=$sev XM_GOTIFY_TOKEN=t \
			    run -0 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t "$t" "$hook/$t"
			assert_equal "$stderr" ""
		done
		n=$(requests)
		got=$(jq -r '.attachments[0].color' "got/$((n - 3)).body")
		got="$got $(jq -r '.attachments[0].content.body[0].color' "got/$((n - 2)).body")"
		got="$got $(jq -r '"\(.priority) \(.tags | join(","))"' "got/$((n - 1)).body")"
		got="$got $(jq -r .priority "got/$n.body")"
		assert_equal "$ev $sev: $got" "$ev $sev: $want"
	done <<-'CASES'
	resolved|ok|good good 2 white_check_mark 2
	stale|ok|good good 2 white_check_mark 2
	firing|info|#439FE0 accent 3 information_source 3
	firing|warning|warning warning 4 warning 5
	deescalated|warning|warning warning 4 warning 5
	escalated|critical|danger attention 5 rotating_light 8
	repeated|critical|danger attention 5 rotating_light 8
	firing|emergency|danger attention 5 sos 10
	firing|severe|warning warning 4 warning 5
	CASES
	# a resolution reads as one whatever the severity said
	XM_EVENT=stale XM_SEVERITY=critical run -0 "$SCRIPTS/xm-notify-webhook" -t slack "$hook/s"
	assert_equal "$(jq -r '"\(.text) \(.attachments[0].color)"' "got/$(requests).body")" \
	    'resolved: disk_usage_percent{mountpoint="/"} on web1 good'
}

@test "xm-notify-webhook: what the stream says arrives as it was, in valid JSON, and never runs" {
	recv_start
	# quotes, backslashes, command substitutions, a mention, line breaks,
	# control characters, UTF-8, and bytes that are not UTF-8
	bad=$'q"b\\s $(touch pwned1) `touch pwned2` <!channel> & \n\r\e[31m\x01\x7f '
	bad+=$'\303\251\360\237\230\200 \xff \xc3 \xc0\xaf \xed\xa0\x80 \xf0\x9f\x98'
	# as JSON has it: each byte that is not UTF-8 U+FFFD
	u=$'\357\277\275'
	want=$'q"b\\s $(touch pwned1) `touch pwned2` <!channel> & \n\r\e[31m\x01\x7f '
	want+=$'\303\251\360\237\230\200'" $u $u $u$u $u$u$u $u$u$u"
	webhook_env XM_HOST="$bad" XM_METRIC="$bad" XM_VALUE="$bad" XM_RULE="$bad" XM_FIELD="$bad" \
	    XM_PREVIOUS="$bad" XM_TS="$bad" XM_ALERT_ID="$bad" XM_REASON="$bad" XM_MESSAGE="$bad"
	for t in json slack teams ntfy gotify; do
		XM_GOTIFY_TOKEN=t run -0 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t "$t" \
		    "$hook/$t"
		assert_equal "$stderr" ""
		n=$(requests)
		case $t in
		ntfy) posted "$n" / ;;
		gotify) posted "$n" /gotify/message ;;
		*) posted "$n" "/$t" ;;
		esac
		iconv -f UTF-8 -t UTF-8 "got/$n.body" > /dev/null || fail "$t: not UTF-8"
		jq -e . "got/$n.body" > /dev/null || fail "$t: not JSON: $(cat "got/$n.body")"
		# quote and backslash escaped, control characters as \u00XX
		for raw in 'q\"b\\s $(touch pwned1) `touch pwned2` ' \
		    '\u000a\u000d\u001b[31m\u0001\u007f '; do
			grep -qF -- "$raw" "got/$n.body" || fail "$t: $raw: $(cat "got/$n.body")"
		done
	done
	ats() { printf '%s' "$want" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g'; }
	assert_equal "$(jq -j .host got/1.body)" "$want"
	assert_equal "$(jq -j '[.metric, .value, .rule, .field, .previous, .ts, .alert_id, .reason,
	    .message] | unique | length' got/1.body)" 1
	assert_equal "$(jq -j .message got/1.body)" "$want"
	assert_equal "$(jq -j '.attachments[0].fields[2].value' got/2.body)" "$(ats)"
	assert_equal "$(jq -j '.attachments[0].text' got/2.body)" "$(ats)"
	assert_equal "$(jq -j '.attachments[0].content.body[2].inlines[1].text' got/3.body)" "$want"
	assert_equal "$(jq -j .title got/4.body)" "warning firing: $want on $want"
	assert_equal "$(jq -j '.extras["xm::event"].host' got/5.body)" "$want"
	# xm-alert's own words hostile too: still JSON, nothing run
	XM_EVENT=$bad XM_SEVERITY=$bad
	for t in json slack teams ntfy gotify; do
		XM_GOTIFY_TOKEN=t run -0 "$SCRIPTS/xm-notify-webhook" -t "$t" "$hook/$t"
		jq -e . "got/$(requests).body" > /dev/null || fail "$t: not JSON"
	done
	run -2 ls pwned*
	# through the real xm-alert, the stream's host and labels
	metric='m{x="a\"$(touch pwned3)`touch pwned4`",y="<!here> \\ '"'"'$HOME'"'"'"}'
	printf '1764288000\tweb1;touch pwned5\t%s\t5\n' "$metric" > in
	run -0 --separate-stderr xm-alert -H -r 'm{*} warn=1' \
	    -x "$SCRIPTS/xm-notify-webhook $hook/a" < in
	assert_equal "$stderr" ""
	assert_equal "$(jq -j '"\(.host)|\(.metric)"' "got/$(requests).body")" \
	    "web1;touch pwned5|$metric"
	run -2 ls pwned*
}

@test "xm-notify-webhook: an answer other than 2xx, or none: the words on one line, status 1" {
	recv_start
	webhook_env
	printf '400 Bad Request' > got/status
	printf 'invalid_payload\e[31m: "text"\r\nmissing\e]0;owned\a' > got/reply
	words='invalid_payload [31m: "text"  missing ]0;owned'
	for t in json slack teams ntfy gotify; do
		XM_GOTIFY_TOKEN=t run -1 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t "$t" \
		    "$hook/$t?token=secret"
		assert_equal "$output" ""
		assert_equal "$stderr" "xm-notify-webhook: $hook/$t: HTTP 400: $words"
	done
	assert_equal "$(requests)" 5
	# a redirect drops the event too; an answer without words
	printf '302 Found' > got/status
	printf 'moved' > got/reply
	run -1 --separate-stderr "$SCRIPTS/xm-notify-webhook" "$hook/h"
	assert_equal "$stderr" "xm-notify-webhook: $hook/h: HTTP 302: moved"
	printf '500 Internal Server Error' > got/status
	rm got/reply
	run -1 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t slack "$hook/h"
	assert_equal "$stderr" "xm-notify-webhook: $hook/h: HTTP 500"
	printf '204 No Content' > got/status
	run -0 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t teams "$hook/h"
	assert_equal "$stderr" ""
	# nothing listening: curl's words, as ours
	port=$(free_port)
	run -1 --separate-stderr "$SCRIPTS/xm-notify-webhook" "http://127.0.0.1:$port/h"
	assert_equal "$output" ""
	want="(7) Failed to connect to 127.0.0.1 port $port "
	[[ $stderr == "xm-notify-webhook: http://127.0.0.1:$port/h: $want"* ]] || fail "$stderr"
	assert_equal "${#lines[@]}" 0
	[[ $stderr != *$'\n'* ]] || fail "more than a line: $stderr"
	# and xm-alert tries again, saying so
	printf '503 Service Unavailable' > got/status
	printf 'down' > got/reply
	printf '1764288000\th\tm\t5\n' > in
	run -1 --separate-stderr timeout 60 xm-alert -H -r 'm warn=1' --exec-timeout 5 \
	    -x "$SCRIPTS/xm-notify-webhook $hook/m" < in
	[[ $stderr == *"xm-notify-webhook: $hook/m: HTTP 503: down"* ]] || fail "$stderr"
}

@test "xm-notify-webhook: the address and secrets reach curl on its stdin, not its command line" {
	recv_start
	webhook_env
	mkdir fake
	printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/curl.args"\nexec %s "$@"\n' \
	    "$PWD" "$(command -v curl)" > fake/curl
	chmod +x fake/curl
	PATH=$PWD/fake:$PATH XM_GOTIFY_TOKEN='s3cret"\x' XM_WEBHOOK_AUTH='Bearer tk_\"s3cret' \
	    XM_WEBHOOK_URL="$hook/services/T0/B0/s3cret?q=\"1" \
	    run -0 --separate-stderr "$SCRIPTS/xm-notify-webhook" -t gotify
	assert_equal "$stderr" ""
	posted 1 '/services/T0/B0/s3cret/message?q="1'
	assert_equal "$(grep -i -e '^x-gotify-key:' -e '^authorization:' got/1.headers)" \
	    'Authorization: Bearer tk_\"s3cret
X-Gotify-Key: s3cret"\x'
	run -1 grep -e s3cret -e 127.0.0.1 curl.args
	assert_equal "$(sed 's|^@.*/body$|@BODY|; s|^/.*/reply$|REPLY|' curl.args)" '-sS
-m
5
-K
-
-H
Content-Type: application/json
--data-binary
@BODY
-o
REPLY
-w
%{http_code}'
	# the url given, the environment's aside
	XM_WEBHOOK_URL=http://127.0.0.1:1/no run -0 "$SCRIPTS/xm-notify-webhook" "$hook/given"
	posted 2 /given
}

@test "xm-notify-webhook: xm-notify(1)'s EXAMPLES, a line per service, each posted where it says" {
	recv_start
	# the stream a record that fires a default rule at once; every
	# https:// address the receiver's, the host a first segment
	printf '1764288000\tweb1\tmemory_oom_kills_per_second\t1\n' > in
	PATH=$SCRIPTS:$PATH
	flow='/workflows/1/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s'
	export TEAMS_URL=$hook$flow
	n=0
	while IFS= read -r ex; do
		[[ $ex == *xm-notify-webhook* ]] || continue
		ex=${ex//https:\/\//$hook/}
		[[ $ex == 'xm-sample | '* ]] || fail "not from xm-sample: $ex"
		run -0 --separate-stderr timeout 60 bash -c "cat in | ${ex#xm-sample | }"
		assert_equal "$stderr" ""
		n=$((n + 1))
		assert_equal "$(requests)" "$n"
		printf '%s %s\n' "$(cat "got/$n.request")" "$(jq -r '.event // .title // .text //
		    .attachments[0].content.body[0].text' "got/$n.body")"
	done < <(man_examples xm-notify.1) > got.examples
	assert_equal "$(cat got.examples)" 'POST /hooks.example.org/xm firing
POST /hooks.slack.com/services/T0/B0/X warning firing: memory_oom_kills_per_second on web1
POST '"$flow"' warning firing
POST /ntfy.sh/ warning firing: memory_oom_kills_per_second on web1
POST /gotify.example/message warning firing: memory_oom_kills_per_second on web1'
	assert_equal "$(grep -i '^x-gotify-key:' got/5.headers)" 'X-Gotify-Key: AbCd'
}
