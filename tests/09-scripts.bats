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
	# script|its usage line|its options, each as its help line begins
	while IFS='|' read -r s synopsis options; do
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
	xm-push|usage: xm-push [-i instance] [-m seconds] url [job]|url;job;-i instance;-m seconds;-h, --help
	xm-dashboard|usage: xm-dashboard [--demo] [xm-show option]...|--demo;-h, --help
	xm-notify-mail|usage: xm-notify-mail (run by xm-alert -x xm-notify-mail)|-h, --help;XM_MAIL_TO;XM_MAIL_INFO
	xm-notify-syslog|usage: xm-notify-syslog (run by xm-alert -x xm-notify-syslog)|-h, --help;XM_SYSLOG_FACILITY
	xm-notify-alertmanager|usage: xm-notify-alertmanager (run by xm-alert -x xm-notify-alertmanager)|-h, --help;XM_ALERTMANAGER_URL
	CASES
	# the variables found are the ones meant
	assert_equal "$(vars_read xm-notify-mail | tr '\n' ' ')" 'XM_ALERT_ID XM_EVENT XM_FIELD XM_HOST XM_MAIL_INFO XM_MAIL_TO XM_MESSAGE XM_METRIC XM_PREVIOUS XM_RULE XM_SEVERITY XM_SINCE XM_TS XM_VALUE '
	assert_equal "$(vars_read xm-notify-alertmanager | tr '\n' ' ')" 'XM_ALERTMANAGER_URL XM_ALERT_ID XM_EVENT XM_FIRED XM_HOST XM_MESSAGE XM_METRIC XM_PREVIOUS XM_RULE XM_SEVERITY XM_TS XM_VALUE '
	# --demo's rules, word for word
	run -0 --separate-stderr "$SCRIPTS/xm-dashboard" --help
	assert_equal "$(sed -n '/^The rules of --demo:$/,$p' <<< "$output")" \
	    "The rules of --demo:$(printf '\n  %s' "${DEMO_RULES[@]}")"
}

@test "scripts: a bad option or argument: one message, the usage, on stderr, status 2" {
	push='usage: xm-push [-i instance] [-m seconds] url [job]'
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
