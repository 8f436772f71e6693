# series.awk: N records over S series, round robin, a second apart per round.
BEGIN {
	OFS = "\t"; srand(1)
	for (i = 0; i < N; i++) {
		s = i % S
		if (s == 0) t++
		print 1764300000 + t, "h", "m{s=\"" s "\"}", int(rand() * 1000) / 10
	}
}
