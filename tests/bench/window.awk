# window.awk: what xm-buffer --columns mean,min,max does, in awk, by the
# same method: a 300-sample window per series, a running sum, and
# monotonic deques (of sample numbers) for the minimum and maximum.
BEGIN { FS = OFS = "\t"; OFMT = CONVFMT = "%.10g"; W = 300 }
/^#/ { print; next }
{
	k = $2 SUBSEP $3
	v = $4 + 0
	t = ++seq[k]				# this sample's number in its series
	val[k, t] = v
	sum[k] += v
	if (t > W) {				# the oldest leaves
		o = t - W
		sum[k] -= val[k, o]
		delete val[k, o]
		if (lq[k, lh[k]] == o) delete lq[k, lh[k]++]
		if (hq[k, hh[k]] == o) delete hq[k, hh[k]++]
	}
	if (!(k in lh)) { lh[k] = lt[k] = hh[k] = ht[k] = 1 }
	while (lt[k] > lh[k] && val[k, lq[k, lt[k] - 1]] > v) delete lq[k, --lt[k]]
	lq[k, lt[k]++] = t
	while (ht[k] > hh[k] && val[k, hq[k, ht[k] - 1]] < v) delete hq[k, --ht[k]]
	hq[k, ht[k]++] = t
	print $0, sum[k] / (t < W ? t : W), val[k, lq[k, lh[k]]], val[k, hq[k, hh[k]]]
}
