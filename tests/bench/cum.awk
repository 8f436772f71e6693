# cum.awk: the cheapest awk that keeps any statistic: a cumulative mean
# per series appended to each record (the peer named in issue 12).
BEGIN { FS = OFS = "\t" }
{ k = $2 FS $3; s[k] += $4; n[k]++; print $0, s[k] / n[k] }
