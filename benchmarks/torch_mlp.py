"""PyTorch side of bench_mlp: workloads W1, W2, W3, W4 and W7 of shared/WORKLOADS.md, timed as bench_mlp times them.

bench_mlp runs this with /usr/bin/python3 (Debian's python3-torch) and parses its "RESULT key value" lines.
Fashion-MNIST is decoded once into float32 [0,1] tensors before any timing. A training epoch is timed from its
first batch to its last optimizer step, including the per-batch gather of a shuffled index (as descent's
DataLoader does). Each run starts from a fresh model seeded with --seed + run; the median of --runs epochs is
reported, with the test accuracy after the first epoch.
"""
import argparse
import gzip
import resource
import statistics
import struct
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split, data_dir):
    images = read_idx(f"{data_dir}/{split}-images-idx3-ubyte.gz")
    labels = read_idx(f"{data_dir}/{split}-labels-idx1-ubyte.gz")
    x = torch.from_numpy(images.astype(np.float32) / 255.0).reshape(len(images), 784)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def lenet():
    """W3: conv(1->6, 5x5, pad 2)-ReLU-maxpool 2 -> conv(6->16, 5x5)-ReLU-maxpool 2 -> 400-120-84-10."""
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def bn_cnn():
    """W7: mnist_cnn's --model bn: two blocks of two (conv 3x3 no bias, BatchNorm2d, ReLU), 16 then 32 channels,
    maxpool 2 after each block; 1568 -> 128 (no bias, BatchNorm1d, ReLU, Dropout 0.3) -> 10."""
    layers = [nn.Unflatten(1, (1, 28, 28))]
    for i, (cin, cout) in enumerate([(1, 16), (16, 16), (16, 32), (32, 32)]):
        layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        if i % 2 == 1:
            layers.append(nn.MaxPool2d(2))
    layers += [nn.Flatten(), nn.Linear(1568, 128, bias=False), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
               nn.Linear(128, 10)]
    return nn.Sequential(*layers)


WORKLOADS = {
    # name: (layer sizes, batch, optimizer factory)
    "W1": ([784, 128, 10], 64, lambda p: torch.optim.SGD(p, lr=0.1)),
    "W2": ([784, 512, 256, 10], 128, lambda p: torch.optim.Adam(p, lr=1e-3)),
    "W3": ("lenet", 64, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "W7": ("bn_cnn", 64, lambda p: torch.optim.Adam(p, lr=2e-3)),
}


def accuracy(model, x, y):
    model.eval()  # BatchNorm's running statistics, no dropout (W7)
    with torch.no_grad():
        correct = 0
        for i in range(0, len(x), 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    model.train()
    return correct / len(x)


def train_epoch(model, opt, x, y, batch, gen):
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x), generator=gen)
    t0 = time.perf_counter()
    for i in range(0, len(x), batch):
        idx = order[i:i + batch]
        loss = loss_fn(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return time.perf_counter() - t0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--workload", choices=["W1", "W2", "W3", "W4", "W7"], required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--data", default=DATA)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    x_train, y_train = load("train", args.data)
    x_test, y_test = load("t10k", args.data)

    print("RESULT version", torch.__version__)
    if args.workload == "W4":
        torch.manual_seed(args.seed)
        model = mlp(WORKLOADS["W2"][0])
        times = []
        with torch.no_grad():
            for _ in range(args.runs + 1):  # the first pass warms up
                t0 = time.perf_counter()
                for i in range(0, len(x_test), 1000):
                    model(x_test[i:i + 1000])
                times.append(time.perf_counter() - t0)
        print(f"RESULT samples_per_s {len(x_test) / statistics.median(times[1:]):.1f}")
    else:
        sizes, batch, make_opt = WORKLOADS[args.workload]
        times, first_accuracy = [], None
        for run in range(args.runs):
            torch.manual_seed(args.seed + run)
            model = lenet() if sizes == "lenet" else bn_cnn() if sizes == "bn_cnn" else mlp(sizes)
            opt = make_opt(model.parameters())
            gen = torch.Generator().manual_seed(args.seed + run)
            times.append(train_epoch(model, opt, x_train, y_train, batch, gen))
            if first_accuracy is None:
                first_accuracy = accuracy(model, x_test, y_test)
        print(f"RESULT samples_per_s {len(x_train) / statistics.median(times):.1f}")
        print(f"RESULT accuracy {first_accuracy:.4f}")
    print("RESULT rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


if __name__ == "__main__":
    main()
