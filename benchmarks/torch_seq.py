"""PyTorch side of bench_seq: workloads W5 (char-LSTM) and W6 (tiny GPT) of shared/WORKLOADS.md.

bench_seq runs this with /usr/bin/python3 (Debian's python3-torch) and parses its "RESULT key value" lines. The
corpus, vocabulary, split, W5's streams, W6's LCG window starts and the validation windows are those of
benchmarks/seq_workloads.hpp, line for line, so both sides see the same tokens in the same order. Tokens/s is
the median over windows of 20 steps after the first (warm-up); the validation loss is taken after --steps steps.
torch 1.13 has no F.scaled_dot_product_attention: W6's attention is written out (q·kᵀ/√d, causal mask, softmax, ·v).
"""
import argparse
import math
import os
import resource
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F

WINDOW = 20
MASK64 = (1 << 64) - 1


def load_corpus(path):
    """data::TextCorpus::fortunes_files and TextCorpus: regular files (not links), no leading '.', not .dat
    or .u8, in name order; tokens are the ranks of the bytes among the distinct bytes; the last
    int(n * 0.1) tokens are held out."""
    names = sorted(n for n in os.listdir(path)
                   if not n.startswith(".") and not n.endswith((".dat", ".u8"))
                   and os.path.isfile(os.path.join(path, n)) and not os.path.islink(os.path.join(path, n)))
    data = b"".join(open(os.path.join(path, n), "rb").read() for n in names)
    vocab = sorted(set(data))
    rank = {b: i for i, b in enumerate(vocab)}
    ids = [rank[b] for b in data]
    split = len(ids) - int(len(ids) * 0.1)
    return ids[:split], ids[split:], len(vocab)


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK64
        return (self.state >> 33) % n


def windows(tokens, starts, T):
    x = [tokens[s:s + T] for s in starts]
    y = [tokens[s + 1:s + T + 1] for s in starts]
    return torch.tensor(x, dtype=torch.int64), torch.tensor(y, dtype=torch.int64).reshape(-1)


def stream_starts(n_train, B, T, step):
    length = n_train // B
    chunks = (length - 1) // T
    return [b * length + (step % chunks) * T for b in range(B)]


class CharLSTM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embed = nn.Embedding(vocab, 64)
        self.lstm = nn.LSTM(64, 256, batch_first=True)
        self.head = nn.Linear(256, vocab)

    def forward(self, x, state):
        out, (h, c) = self.lstm(self.embed(x), state)
        return self.head(out.reshape(-1, 256)), (h.detach(), c.detach())


class Block(nn.Module):
    def __init__(self, C, heads):
        super().__init__()
        self.C, self.heads = C, heads
        self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.qkv, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.fc1, self.fc2 = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x):
        B, T, C = x.shape
        hd = C // self.heads
        q, k, v = self.qkv(self.ln1(x)).chunk(3, -1)
        q, k, v = (t.reshape(B, T, self.heads, hd).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        att = att.masked_fill(~causal, float("-inf")).softmax(-1)
        a = (att @ v).transpose(1, 2).reshape(B, T, C)
        h = x + self.proj(a)
        return h + self.fc2(F.gelu(self.fc1(self.ln2(h))))


class TinyGPT(nn.Module):
    def __init__(self, vocab, T):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, 128), nn.Embedding(T, 128)
        self.blocks = nn.ModuleList(Block(128, 4) for _ in range(4))
        self.ln, self.head = nn.LayerNorm(128), nn.Linear(128, vocab)

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1]))
        for b in self.blocks:
            h = b(h)
        return self.head(self.ln(h)).reshape(-1, self.head.out_features)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--workload", choices=["W5", "W6"], required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--corpus", default="/usr/share/games/fortunes")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    train, val, vocab = load_corpus(args.corpus)
    w5 = args.workload == "W5"
    T, B = 64, (32 if w5 else 12)
    torch.manual_seed(0)
    if w5:
        model = CharLSTM(vocab)
        opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    else:
        model = TinyGPT(vocab, T)
        opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    state, lcg = None, Lcg(0)
    seconds, last_loss = [], float("nan")
    t0 = time.perf_counter()
    for step in range(args.steps):
        if w5:
            starts = stream_starts(len(train), B, T, step)
        else:
            starts = [lcg.next(len(train) - T - 1) for _ in range(B)]
        x, y = windows(train, starts, T)
        if w5:
            logits, state = model(x, state)
        else:
            logits = model(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0 if w5 else 1.0)
        opt.step()
        if (step + 1) % WINDOW == 0:
            last_loss = loss.item()
            t1 = time.perf_counter()
            if step + 1 > WINDOW:
                seconds.append(t1 - t0)
            t0 = t1
    with torch.no_grad():
        x, y = windows(val, [i * T for i in range(32)], T)
        logits = model(x, None)[0] if w5 else model(x)
        val_loss = F.cross_entropy(logits, y).item()
    print("RESULT version", torch.__version__)
    if seconds:
        print(f"RESULT tokens_per_s {B * T * WINDOW / statistics.median(seconds):.1f}")
    print(f"RESULT train_loss {last_loss:.4f}")
    print(f"RESULT val_loss {val_loss:.4f}")
    print("RESULT rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


if __name__ == "__main__":
    main()
