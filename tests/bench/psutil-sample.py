# psutil-sample.py: what the original Python design did each interval --
# the same families as xm-sample, through psutil -- printed as xm records.
#
#	python3 psutil-sample.py INTERVAL COUNT
import os
import socket
import sys
import time

import psutil

interval, count = float(sys.argv[1]), int(sys.argv[2])
host = socket.gethostname()
out = sys.stdout


def put(ts, metric, value):
    out.write("%.3f\t%s\t%s\t%s\n" % (ts, host, metric, value))


psutil.cpu_times_percent(None)
disk0 = psutil.disk_io_counters(perdisk=True)
net0 = psutil.net_io_counters(pernic=True)
t0 = time.monotonic()
for k in range(1, count + 1):
    time.sleep(max(0.0, t0 + k * interval - time.monotonic()))
    ts = time.time()
    cpu = psutil.cpu_times_percent(None)
    put(ts, "cpu_usage_percent", 100 - cpu.idle - cpu.iowait)
    put(ts, "cpu_iowait_percent", cpu.iowait)
    put(ts, "cpu_steal_percent", cpu.steal)
    vm = psutil.virtual_memory()
    put(ts, "memory_total_bytes", vm.total)
    put(ts, "memory_available_bytes", vm.available)
    put(ts, "memory_used_bytes", vm.total - vm.available)
    put(ts, "memory_usage_percent", vm.percent)
    sw = psutil.swap_memory()
    put(ts, "swap_used_bytes", sw.used)
    put(ts, "swap_usage_percent", sw.percent)
    for part in psutil.disk_partitions():
        du = psutil.disk_usage(part.mountpoint)
        put(ts, 'disk_usage_percent{mountpoint="%s"}' % part.mountpoint, du.percent)
    disk1 = psutil.disk_io_counters(perdisk=True)
    for dev, c in disk1.items():
        if dev in disk0:
            put(ts, 'disk_read_bytes_per_second{device="%s"}' % dev,
                (c.read_bytes - disk0[dev].read_bytes) / interval)
    disk0 = disk1
    net1 = psutil.net_io_counters(pernic=True)
    for dev, c in net1.items():
        if dev in net0 and dev != "lo":
            put(ts, 'network_receive_bytes_per_second{device="%s"}' % dev,
                (c.bytes_recv - net0[dev].bytes_recv) / interval)
    net0 = net1
    for name, v in zip(("load1", "load5", "load15"), os.getloadavg()):
        put(ts, name, v)
    out.flush()
