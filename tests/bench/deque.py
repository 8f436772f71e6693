# deque.py: the window of the original Python design: a deque of the
# last 300 values per series, and the mean, min and max of it for each
# record, as its statistics functions take them.
import sys
from collections import defaultdict, deque

W = 300
win = defaultdict(lambda: deque(maxlen=W))
out = sys.stdout
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    d = win[(f[1], f[2])]
    d.append(float(f[3]))
    out.write("%s\t%.10g\t%.10g\t%.10g\n" % (line.rstrip("\n"), sum(d) / len(d), min(d), max(d)))
