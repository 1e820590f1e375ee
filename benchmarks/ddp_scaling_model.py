#!/usr/bin/env python3
# The scaling model of docs/distributed.md: ring allreduce 2(N-1)/N x bytes / bandwidth plus
# 2(N-1) latencies per bucket, against compute per step (per-sample time measured by bench_ddp on
# one process), no overlap assumed. Prints the tables: efficiency at the workload's batch, and the
# per-machine batch at which efficiency is 80%.
workloads = {  # name: (parameters, buckets of 1 MiB, seconds of compute per sample, batch)
    "W1": (101_770, 1, 0.361e-3 / 64, 64),
    "W2": (535_818, 2, 4.307e-3 / 128, 128),
    "W3": (61_706, 1, 8.559e-3 / 64, 64),
}
networks = {"10 Gbit/s (TCP, 20 us)": (10e9 / 8, 20e-6), "100 Gbit/s (RDMA, 3 us)": (100e9 / 8, 3e-6)}
machines = [2, 4, 8, 16, 64, 256]


def comm(params, buckets, n, bandwidth, latency):
    return 2 * (n - 1) / n * 4 * params / bandwidth + buckets * 2 * (n - 1) * latency


for net, (bw, lat) in networks.items():
    print(f"\n{net}: efficiency at the workload's per-machine batch / per-machine batch for 80%")
    print("| workload | " + " | ".join(f"N = {n}" for n in machines) + " |")
    print("|---|" + "---|" * len(machines))
    for w, (p, b, ts, batch) in workloads.items():
        cells = []
        for n in machines:
            c = comm(p, b, n, bw, lat)
            eff = batch * ts / (batch * ts + c)
            need = 4 * c / ts  # b * ts >= 4 * c  <=>  efficiency >= 80%
            cells.append(f"{100 * eff:.0f}% / {need:.0f}")
        print(f"| {w} | " + " | ".join(cells) + " |")
