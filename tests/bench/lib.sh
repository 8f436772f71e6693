# tests/bench/lib.sh: what the benchmarks share, sourced by each.  Every
# figure is the median of XM_BENCH_RUNS runs (3 by default) with the
# least and the most beside it; rates are records a second over wall
# time; ratios are of rates, measured in the same run of make bench.
: "${XM_BIN:?}" "${XM_BENCH:?}"
here=$(cd "$(dirname "$0")" && pwd)
R=${XM_BENCH_RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/m"
PATH=$XM_BIN:$PATH

# measure NAME INPUT command...: each run's "cpu wall maxrss" in $tmp/m/NAME;
# a peer that is not installed leaves "missing" there.
measure() {
	name=$1 in=$2
	shift 2
	if ! command -v "$1" > /dev/null 2>&1; then
		echo missing > "$tmp/m/$name"
		return 0
	fi
	"$XM_BENCH/rusage" "$R" "$@" < "$in" > "$tmp/m/$name" 2> "$tmp/m/$name.err" ||
	    { echo "failed: $(head -c 200 "$tmp/m/$name.err")" > "$tmp/m/$name"; }
}

# get NAME FIELD STAT: median, min, max or mean of a field over the runs
get() {
	awk -v f="$2" -v s="$3" '
	    $1 != "cpu" { exit 1 }
	    { for (i = 1; i < NF; i += 2) if ($i == f) v[n++] = $(i + 1) + 0 }
	    END {
		if (n == 0) exit 1
		for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		if (s == "median") x = n % 2 ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
		else if (s == "min") x = v[0]
		else if (s == "max") x = v[n - 1]
		else { for (i = 0; i < n; i++) x += v[i]; x /= n }
		print x
	    }' "$tmp/m/$1"
}

# rate NAME RECORDS: records a second, by the median wall time
rate() { awk -v n="$2" -v w="$(get "$1" wall median)" 'BEGIN { printf "%.0f", n / w }'; }

# row LABEL NAME RECORDS [PEER]: a table row; PEER is the name the ratio is to
row() {
	label=$1 name=$2 n=$3 peer=${4:-}
	if ! get "$name" wall median > /dev/null 2>&1; then
		printf '| %s | %s | | | | |\n' "$label" "$(head -n 1 "$tmp/m/$name")"
		return 0
	fi
	ratio=
	if [ -n "$peer" ] && get "$peer" wall median > /dev/null 2>&1; then
		ratio=$(awk -v a="$(rate "$name" "$n")" -v b="$(rate "$peer" "$n")" 'BEGIN { printf "%.2f×", a / b }')
	fi
	l=$label awk -v w="$(get "$name" wall median)" -v lo="$(get "$name" wall min)" \
	    -v hi="$(get "$name" wall max)" -v r="$(rate "$name" "$n")" -v x="$ratio" \
	    -v m="$(get "$name" maxrss max)" \
	    'BEGIN { printf "| %s | %.3f | %.3f–%.3f | %.2f | %s | %d |\n", ENVIRON["l"], w, lo, hi, r / 1e6, x, m }'
}

head_row() {
	echo "| command | wall s (median) | min–max | M records/s | ratio | peak RSS kB |"
	echo "|---|---:|---:|---:|---:|---:|"
}

# ratio NAME PEER RECORDS: the rate of NAME over that of PEER
ratio() { awk -v a="$(rate "$1" "$3")" -v b="$(rate "$2" "$3")" 'BEGIN { printf "%.2f", a / b }'; }

# synthetic FILE N: N records of xm-sample --synthetic, 34 series a set
synthetic() {
	xm-sample --synthetic --seed 1 --start 1764300000 -n $(($2 / 34 + 1)) -H | head -n "$2" > "$1"
}
