# xm as a service: make install's systemd units, verified and scored by
# systemd-analyze, their command lines run as written; the Debian
# package; the shell completions.
load helpers

TOP="$BATS_TEST_DIRNAME/.."

setup() {
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	stop_servers
}

# make install of the programs under test into directory $1 of the test's
# (PREFIX $1/usr); $units
# is where the systemd units went.
install_to() {
	set -- "$BATS_TEST_TMPDIR/$1"
	make -s -C "$TOP" install-files BIN="${XM_BIN_PLAIN:-$TOP/bin}" PREFIX="$1/usr" > /dev/null
	units=$1/usr/lib/systemd/system
}

# The command line of key $2 (ExecStart, ExecReload) of unit file $1, with
# systemd's $$ unescaped to the $ the shell then sees.
unit_line() {
	local line
	line=$(sed -n "s/^$2=//p" "$1")
	printf '%s\n' "${line//\$\$/\$}"
}

@test "service: make install puts the units where systemd looks; systemd-analyze verify passes on each, and security --offline scores each service 2.0 or less" {
	need systemd-analyze
	install_to root
	run -0 ls "$units"
	assert_output 'xm-check.service
xm-check.timer
xm-exporter.service'
	run -0 --separate-stderr env MANPATH="$BATS_TEST_TMPDIR/root/usr/share/man:" \
	    systemd-analyze verify "$units/xm-exporter.service" "$units/xm-check.service" \
	    "$units/xm-check.timer"
	assert_equal "$stderr" ''
	for u in xm-exporter xm-check; do
		run -0 systemd-analyze security --offline=true "$units/$u.service"
		exposure=$(sed -n 's/^.* Overall exposure level for .*: \([0-9.]*\) .*/\1/p' <<< "$output")
		[ -n "$exposure" ] || fail "$u: no exposure in: $output"
		awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "$u.service: exposure $exposure"
		echo "$u.service: exposure $exposure" >&3
		# no privilege kept: no root, no capability, nothing written outside its state
		grep -qx 'DynamicUser=yes' "$units/$u.service"
		grep -qx 'CapabilityBoundingSet=' "$units/$u.service"
		grep -qx 'ProtectSystem=strict' "$units/$u.service"
	done
}

@test "service: xm-exporter.service's command line as written: /metrics over HTTPS from a web.yml credential, ExecReload reads it again, SIGTERM to the whole unit saves the state and exits 0 within its stop timeout" {
	need openssl
	install_to root
	mkdir state cred
	make_certs cred
	{
		printf 'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n'
		cat "$FIX/web/users.yml"
	} > cred/web.yml
	port=$(free_port)
	# as /etc/default/xm-exporter would give them, and systemd's StateDirectory= and LoadCredential=
	export XM_EXPORTER_ARGS="--listen 127.0.0.1:$port" STATE_DIRECTORY=$BATS_TEST_TMPDIR/state \
	    CREDENTIALS_DIRECTORY=$BATS_TEST_TMPDIR/cred
	start_server exporter sh -c "exec $(unit_line "$units/xm-exporter.service" ExecStart)" < /dev/null
	MAINPID=$(cat exporter.pid)
	url=https://127.0.0.1:$port/metrics
	poll 30 eval "curl -sf --cacert cred/ca.pem -u alice:s3cret '$url' | grep -q '^xm_memory_total_bytes{'" ||
	    fail "not served: $(cat exporter.log)"
	# the main process is xm-show's, whom ExecReload's SIGHUP reaches
	assert_equal "$(cat /proc/$MAINPID/comm)" xm-show
	sed -i 's/^  alice: .*/  alice: '"$(sed -n 's/^  bob: //p' "$FIX/web/users.yml")"'/' cred/web.yml
	eval "$(unit_line "$units/xm-exporter.service" ExecReload)"
	poll 10 eval "curl -sf --cacert cred/ca.pem -u alice:hunter2 -o /dev/null '$url'"
	# stop: SIGTERM to every process of the unit, as systemd's KillMode=control-group
	start=$SECONDS
	kill -TERM -- "-$MAINPID"
	reap "$MAINPID" 0
	poll 10 eval "! pgrep -g $MAINPID > /dev/null" || fail "the unit's processes outlive SIGTERM"
	[ $((SECONDS - start)) -le 10 ] || fail "stopped in $((SECONDS - start)) s"
	rm -f servers
	run -0 ls state
	assert_output 'alert.tsv
alert.tsv.lock
buffer.tsv
buffer.tsv.lock'
	assert_equal "$(cat exporter.log)" ''
}

@test "service: xm-check.service's command line as written, run twice as its timer would: the state carried, an alert fired once, then held" {
	install_to root
	mkdir state
	printf 'memory_total_bytes warn=1\n' > rules
	export STATE_DIRECTORY=$BATS_TEST_TMPDIR/state XM_CHECK_ARGS="-c $BATS_TEST_TMPDIR/rules"
	cmd=$(unit_line "$units/xm-check.service" ExecStart)
	run -0 --separate-stderr eval "$cmd"
	assert_equal "$stderr" ''
	assert_output --regexp $'^[0-9.]+\t[^\t]+\tmemory_total_bytes\t[0-9]+\twarning\tfiring\t'
	assert_equal "${#lines[@]}" 1
	run -0 --separate-stderr eval "$cmd"
	assert_equal "$output$stderr" ''
	run -0 ls state
	assert_output 'check-alert.tsv
check-alert.tsv.lock
check-sample.tsv
check-sample.tsv.lock'
	# the default rules, with nothing in /etc/default/xm-check
	unset XM_CHECK_ARGS
	mkdir state2
	STATE_DIRECTORY=$BATS_TEST_TMPDIR/state2
	run -0 --separate-stderr eval "$cmd"
	assert_equal "$stderr" ''
}

@test "service: make deb builds xm_VERSION_ARCH.deb, lintian clean; installed into a throwaway root, each program answers --version and a one-set pipeline runs from there; purged without leftovers" {
	need dpkg-deb
	need lintian
	make -s -C "$TOP" deb DEBDIR="$BATS_TEST_TMPDIR" O="$BATS_TEST_TMPDIR/obj" > make.log 2>&1 ||
	    fail "make deb: $(tail -n 20 make.log)"
	version=$(sed -n 's/^VERSION *= *//p' "$TOP/Makefile")
	deb=$BATS_TEST_TMPDIR/xm_${version}_$(dpkg --print-architecture).deb
	[ -f "$deb" ] || fail "no $deb: $(ls)"
	run -0 --separate-stderr lintian --fail-on error,warning "$deb"
	assert_output ''
	root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
	touch "$root/var/lib/dpkg/status"
	dpkg() { command dpkg --root="$root" --log=/dev/null --force-not-root --force-depends "$@"; }
	run -0 dpkg -i "$deb"
	for p in xm-sample xm-buffer xm-alert xm-show; do
		run -0 "$root/usr/bin/$p" --version
		assert_output "$p $version"
	done
	run -0 --separate-stderr bash -o pipefail -c "'$root/usr/bin/xm-sample' -n 1 |
	    '$root/usr/bin/xm-buffer' | '$root/usr/bin/xm-alert' | '$root/usr/bin/xm-show' -o prom"
	assert_line --regexp '^xm_memory_total_bytes\{host="[^"]+"\} [0-9]+$'
	assert_equal "$stderr" ''
	run -0 "$root/usr/bin/xm-exporter" --help
	# README's "Running it as a service", from the installed package: its commands, the
	# unit's score, the exporter answering curl, and its web.yml served by xm-show
	doc_gives README.md 'make deb' "sudo apt install ./${deb##*/}" \
	    'sudo systemctl enable --now xm-exporter.service xm-check.timer' \
	    "curl -s http://127.0.0.1:9101/metrics | grep '^xm_load'" \
	    'systemd-analyze security --offline=true /lib/systemd/system/xm-exporter.service'
	if command -v systemd-analyze > /dev/null; then
		run -0 systemd-analyze security --offline=true "$root/lib/systemd/system/xm-exporter.service"
		assert_line --regexp \
		    '^.* Overall exposure level for xm-exporter.service: (0\.[0-9]|1\.[0-9]|2\.0) '
	fi
	port=$(free_port)
	mkdir state
	# the unit as written, its /usr under the throwaway root
	cmd=$(unit_line "$root/lib/systemd/system/xm-exporter.service" ExecStart)
	XM_EXPORTER_ARGS="--listen 127.0.0.1:$port" STATE_DIRECTORY=$BATS_TEST_TMPDIR/state \
	    start_server exporter sh -c "exec ${cmd//\/usr\//$root/usr/}" < /dev/null
	poll 30 eval "curl -s http://127.0.0.1:$port/metrics | grep -q '^xm_load'" ||
	    fail "the packaged exporter does not serve: $(cat exporter.log)"
	stop_servers
	mkdir etc
	make_certs etc
	sed -n '/^    tls_server_config:$/,/^$/s/^    //p' "$TOP/README.md" |
	    sed 's|\$2y\$10\$\.\.\. .*|'"$(sed -n 's/^  alice: //p' "$FIX/web/users.yml")"'|' > etc/web.yml
	grep -q '^  prometheus: \$2b\$10\$' etc/web.yml ||
	    fail "no user in README's web.yml: $(cat etc/web.yml)"
	start_server readme "$root/usr/bin/xm-show" --listen "127.0.0.1:$port" \
	    --web-config etc/web.yml < /dev/null
	poll 30 eval "curl -sf --cacert etc/ca.pem -u prometheus:s3cret -o /dev/null https://127.0.0.1:$port/metrics" ||
	    fail "README's web.yml does not serve: $(cat readme.log)"
	stop_servers
	[ -L "$root/usr/share/man/man1/xm-notify-mail.1.gz" ]
	jq -e '.uid == "xm-hosts"' "$root/usr/share/xm/grafana-xm.json" > /dev/null
	zcat "$root/usr/share/man/man1/xm-exporter.1.gz" | grep -q '^\.Nm xm-exporter$'
	run -0 dpkg --purge xm
	run -0 find "$root" -mindepth 1 -not -path "$root/var" -not -path "$root/var/lib" \
	    -not -path "$root/var/lib/dpkg" -not -path "$root/var/lib/dpkg/*"
	assert_output ''
	# dpkg's records of the package gone too
	run -0 find "$root/var/lib/dpkg/info" -name 'xm.*'
	assert_output ''
	run -1 grep -x 'Package: xm' "$root/var/lib/dpkg/status"
}

# The options of man page $1's OPTIONS, -x and --long, one a line, sorted.
page_options() {
	sed -n '/^\.Sh OPTIONS/,/^\.Sh /{/^\.It Fl /p;}' "$TOP/man/$1" |
	    grep -o 'Fl \\-[a-z-]*\|Fl [a-zA-Z]\b' | sed 's/^Fl //; s/^\\-/--/; s/^\([a-zA-Z]\)$/-\1/' |
	    sort -u
}

# What bash's completion, as make install put it, offers for the last word
# of the line $1 (a space at its end: a new word), one a line, sorted.
# The line is cut into words as readline does, an = a word of its own.
bash_complete() {
	bash -c '
	    source "$1"
	    line=$2
	    read -ra COMP_WORDS <<< "${line//=/ = }"
	    case $line in *" ") COMP_WORDS+=("") ;; esac
	    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	    COMP_LINE=$line
	    COMP_POINT=${#line}
	    f=$(complete -p "${COMP_WORDS[0]}" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
	    "$f"
	    printf "%s\n" "${COMPREPLY[@]}"' bash "$completions/xm" "$1" | sed '/^$/d' | sort
}

@test "service: bash completion, as make install puts it: every option of each page, -m's families, --columns, --panels, -o's formats, files and directories, notifiers for -x" {
	install_to root
	completions=$BATS_TEST_TMPDIR/root/usr/share/bash-completion/completions
	PATH=$BATS_TEST_TMPDIR/root/usr/bin:$PATH
	for p in xm-sample xm-buffer xm-alert xm-show xm-push xm-exporter xm-dashboard; do
		# each name has its file, where bash-completion looks for it
		[ -e "$completions/$p" ] || fail "no $completions/$p"
		page_options "$p.1" > want
		[ -s want ] || fail "no options in $p.1"
		bash_complete "$p -" > got
		run comm -23 want got
		assert_output ''
	done
	assert_equal "$(bash_complete 'xm-sample --ver')" --version
	assert_equal "$(bash_complete 'xm-sample -m c')" 'cgroup
cpu'
	assert_equal "$(bash_complete 'xm-sample --families=cpu,me')" cpu,memory
	assert_equal "$(bash_complete 'xm-buffer --columns mean,rz')" mean,rzscore
	assert_equal "$(bash_complete 'xm-show --panels p')" processes
	assert_equal "$(bash_complete 'xm-show -o ')" 'csv
influx
json
prom
text
tsv'
	assert_equal "$(bash_complete 'xm-push -f i')" influx
	assert_equal "$(bash_complete 'xm-exporter --listen 9101 -o p')" prom
	assert_equal "$(bash_complete 'xm-dashboard --d')" --demo
	assert_equal "$(bash_complete 'xm-alert -x xm-notify-')" 'xm-notify-alertmanager
xm-notify-mail
xm-notify-syslog
xm-notify-webhook'
	mkdir procdir
	touch web.yml procfile
	assert_equal "$(bash_complete 'xm-show --web-config=we')" web.yml
	assert_equal "$(bash_complete 'xm-sample --procfs proc')" procdir
	assert_equal "$(bash_complete 'xm-alert --state proc')" 'procdir
procfile'
	# no value to offer: nothing, not the options
	assert_equal "$(bash_complete 'xm-sample -i ')" ''
	assert_equal "$(bash_complete 'xm-notify-mail --h')" --help
	assert_equal "$(bash_complete 'xm-notify-webhook -t t')" teams
	assert_equal "$(bash_complete 'xm-notify-webhook -')" '--help
-h
-t'
}

@test "service: zsh completion, as make install puts it, driven on a pseudo-terminal: every option of each page, -m's families, --panels, -o's formats, notifiers for -x" {
	need zsh
	install_to root
	zfuncs=$BATS_TEST_TMPDIR/root/usr/share/zsh/site-functions
	PATH=$BATS_TEST_TMPDIR/root/usr/bin:$PATH
	zc() { timeout 30 zsh -f "$TOP/tests/zsh-complete" "$zfuncs" "$1"; }
	for p in xm-sample xm-buffer xm-alert xm-show xm-exporter xm-dashboard; do
		page_options "$p.1" > want
		zc "$p -" > got
		run comm -23 want got
		assert_output ''
	done
	assert_equal "$(zc 'xm-sample -m c')" 'cgroup
cpu'
	assert_equal "$(zc 'xm-sample -m cpu,me')" cpu,memory
	assert_equal "$(zc 'xm-show --panels p')" processes
	assert_equal "$(zc 'xm-show -o ')" 'csv
influx
json
prom
text
tsv'
	assert_equal "$(zc 'xm-push -f ')" 'influx
prom'
	assert_equal "$(zc 'xm-alert -x xm-notify-')" 'xm-notify-alertmanager
xm-notify-mail
xm-notify-syslog
xm-notify-webhook'
	assert_equal "$(zc 'xm-notify-webhook -t ')" 'gotify
json
ntfy
slack
teams'
}
