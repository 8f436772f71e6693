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
