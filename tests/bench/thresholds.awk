# thresholds.awk: the peer of xm-alert in make bench: the default rules'
# range checks and each series' severity, firing, escalating,
# de-escalating and resolving as the value says (no for=, hysteresis or
# repeat), a record out per record in with severity and event appended.
BEGIN {
	FS = OFS = "\t"
	split("cpu_usage_percent 70 85 95 memory_usage_percent 75 90 98 " \
	    "disk_usage_percent{*} 80 90 95 response_time_seconds 2 5 10 " \
	    "error_rate_percent 5 10 25 swap_usage_percent 50 80 95", r, " ")
	for (i = 1; i in r; i += 4) {
		w[r[i]] = r[i + 1]; c[r[i]] = r[i + 2]; e[r[i]] = r[i + 3]
	}
	split("ok info warning critical emergency", name, " ")
}
/^#/ {
	print $0, "severity", "event"
	next
}
{
	m = $3
	if (m ~ /^disk_usage_percent\{/)
		m = "disk_usage_percent{*}"
	if (!(m in w)) {
		print $0, "-", "-"
		next
	}
	v = $4 + 0
	s = (v < 0 || v > e[m]) ? 5 : (v > c[m]) ? 4 : (v > w[m]) ? 3 : 1
	k = $2 SUBSEP $3
	p = sev[k] ? sev[k] : 1
	ev = "-"
	if (s != p) {
		ev = p == 1 ? "firing" : s == 1 ? "resolved" : s > p ? "escalated" : "deescalated"
		sev[k] = s
	}
	print $0, name[s], ev
}
