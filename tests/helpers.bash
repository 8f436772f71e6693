# helpers.bash: what every xm bats file loads first.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

PATH="${XM_BIN:-$BATS_TEST_DIRNAME/../bin}:$PATH"
FIX="$BATS_TEST_DIRNAME/fixtures"
GOLD="$BATS_TEST_DIRNAME/golden"
MAN="$BATS_TEST_DIRNAME/../man"
export LC_ALL=C TZ=UTC

# Compare stdin with a golden file, byte for byte.
golden() {
	diff -u "$GOLD/$1" -
}

# xm-sample over the two fixture snapshots, ten seconds apart.
snap() {
	xm-sample --procfs "$FIX/host-t0/proc" --procfs "$FIX/host-t1/proc" \
	    --sysfs "$FIX/host-t0/sys" --sysfs "$FIX/host-t1/sys" \
	    -i 10 -n 1 --start 1764300000 --host web1 "$@"
}

# Wait up to 5 s for a file to hold at least $2 lines.
wait_lines() {
	local i
	for i in $(seq 50); do
		[ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# The EXAMPLES of a man page: each ".Dl $ command" line, one per line.
man_examples() {
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /s/^\.Dl \$ //p' "$MAN/$1" | sed 's/\\e/\\/g; s/\\(aq/'"'"'/g; s/\\(dq/"/g'
}

# Run every EXAMPLE of a man page: each must succeed, print something,
# and say nothing on stderr.
run_man_examples() {
	local ex
	while IFS= read -r ex; do
		run -0 --separate-stderr timeout 60 bash -o pipefail -c "$ex"
		assert_equal "$stderr" ""
		[ -n "$output" ] || fail "no output from: $ex"
	done < <(man_examples "$1")
}

# Servers in tests: on 127.0.0.1 at a free port, their data in the
# test's own directory, waited for by polling, stopped by PID.

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	perl -MIO::Socket::INET -e '
	    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)
	        or die "free_port: $!\n";
	    print $s->sockport, "\n"'
}

# Run "$@" until it succeeds, every 0.1 s, for at most $1 seconds.
poll() {
	local until=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$until" ] || return 1
		sleep 0.1
	done
}

# Wait for background process $1 of this shell and require exit status $2.
# Not "run wait": run's subshell cannot wait for its parent's children,
# and says 255 whenever the process is still running.
reap() {
	local rc=0
	wait "$1" || rc=$?
	[ "$rc" -eq "$2" ] || fail "process $1 exited $rc, not $2"
}

# Start server $1 in the background: "$@" after it, its output in $1.log,
# its PID in $1.pid, stopped by stop_servers.  It leads a process group
# of its own (setsid: bats runs without job control, so no fork), and a
# server that is a pipeline stops whole.
start_server() {
	local name=$1
	shift
	# stdin said again, or a background job reads /dev/null; bats's fd 3
	# not passed on, or bats would wait for the server to end
	setsid "$@" <&0 > "$BATS_TEST_TMPDIR/$name.log" 2>&1 3>&- &
	echo "$!" > "$BATS_TEST_TMPDIR/$name.pid"
	echo "$name" >> "$BATS_TEST_TMPDIR/servers"
}

# Wait up to 30 s for an HTTP readiness endpoint to answer 2xx; on
# failure show what server $1 said.
wait_ready() {
	poll 30 curl -sf -o /dev/null "$2" && return 0
	echo "# $1 did not become ready at $2:" >&2
	sed 's/^/#   /' "$BATS_TEST_TMPDIR/$1.log" >&2
	return 1
}

# Skip, with one line, only where the package's program is not there.
need() {
	command -v "$1" > /dev/null || skip "$1 is not installed (scripts/install-deps check)"
}

# Certificates made with openssl(1) in directory $1, for the TLS tests:
# ca.pem (a CA), server.pem and .key (for 127.0.0.1, ::1 and localhost,
# issued by the CA), client.pem and .key (a TLS client's, by the CA),
# rogue.pem and .key (a client's, self-signed), serveronly.pem and .key
# (by the CA, for a TLS server only).
make_certs() {
	(
		cd "$1" || exit 1
		req() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "$@" 2> /dev/null; }
		sign() {
			printf '%s\n' "$2" > "$1.ext"
			openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
			    -days 2 -extfile "$1.ext" -out "$1.pem" 2> /dev/null
		}
		req -x509 -keyout ca.key -out ca.pem -days 2 -subj '/CN=xm test CA' &&
		    req -keyout server.key -out server.csr -subj /CN=127.0.0.1 &&
		    sign server "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
extendedKeyUsage=serverAuth" &&
		    req -keyout client.key -out client.csr -subj /CN=prometheus &&
		    sign client extendedKeyUsage=clientAuth &&
		    req -keyout serveronly.key -out serveronly.csr -subj /CN=server &&
		    sign serveronly extendedKeyUsage=serverAuth &&
		    req -x509 -keyout rogue.key -out rogue.pem -days 2 -subj /CN=rogue
	) || fail "openssl could not make the test's certificates"
}

# Stop every server this test started: SIGTERM, then SIGKILL after 10 s.
stop_servers() {
	local name pid
	[ -f "$BATS_TEST_TMPDIR/servers" ] || return 0
	while read -r name; do
		pid=$(cat "$BATS_TEST_TMPDIR/$name.pid")
		kill -- "-$pid" 2> /dev/null || kill "$pid" 2> /dev/null || continue
		poll 10 eval "! kill -0 $pid 2> /dev/null" ||
		    kill -9 -- "-$pid" 2> /dev/null || kill -9 "$pid" 2> /dev/null
	done < "$BATS_TEST_TMPDIR/servers"
	rm -f "$BATS_TEST_TMPDIR/servers"
}

# --help of program $1: status 0, nothing on stderr, the usage first, and
# each option of its page's OPTIONS (.It Fl lines) on a line of its own
# with a word on what it does.
help_lists_options() {
	local opt
	run -0 --separate-stderr "$1" --help
	assert_equal "$stderr" ""
	assert_line --index 0 --regexp "^usage: $1 "
	while read -r opt; do
		assert_line --regexp "^ +(-[a-zA-Z], )?$opt( [^ ]+)? +[a-z]"
	done < <(sed -n '/^\.Sh OPTIONS/,/^\.Sh /s/^\.It Fl \(. , Fl \)\{0,1\}\\-\([a-z-]*\).*/--\2/p' "$MAN/$1.1")
}

# The commands a document gives: each line after "$ " (in a display or
# a .Dl line) or cron's five times, its continuation lines (after a
# trailing |, & or \) joined with one blank, mdoc's escapes undone.
doc_commands() {
	sed 's/^\.Dl //; s/\\e/\\/g; s/\\(aq/'"'"'/g; s/\\(dq/"/g; s/\\-/-/g' "$1" |
	    awk '{ sub(/^[ \t]+/, ""); line = cont ? line " " $0 : $0; cont = /[|&\\]$/
	           if (!cont) print line }' |
	    sed -n 's/^\$ //p; s/^\* \* \* \* \* //p'
}

# Require document $1 to give each command after it.
doc_gives() {
	local doc=$1 c
	shift
	doc_commands "$BATS_TEST_DIRNAME/../$doc" > "$BATS_TEST_TMPDIR/commands"
	for c in "$@"; do
		grep -qxF -- "$c" "$BATS_TEST_TMPDIR/commands" || fail "$doc does not give: $c"
	done
}
