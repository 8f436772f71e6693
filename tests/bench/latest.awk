# latest.awk: what xm-show -o tsv does, in awk: keep the latest record
# of every series, and print them all at the end.
BEGIN { FS = OFS = "\t" }
/^#/ { next }
{ last[$2 FS $3] = $0 }
END { for (k in last) print last[k] }
