# The scripts of scripts/: xm-push against a stand-in HTTP server.
load helpers

SCRIPTS=$(cd "$BATS_TEST_DIRNAME/../scripts" && pwd)

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
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

