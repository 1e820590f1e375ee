#!/usr/bin/python3
"""Prints the reference values of tests/nn/test_packed_sequence.cpp (torch.nn.utils.rnn's
pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence, and RNN modules run on a
PackedSequence) and of the kdim / vdim cases of tests/nn/test_multihead_attention.cpp, in float32,
with inputs and parameters from det() (tests/nn/det.hpp makes the same values). CI does not run
this (it has no torch); the printed numbers are pasted into the tests.

    /usr/bin/python3 tests/nn/packed_torch_reference.py
"""
import torch
from torch.nn.utils.rnn import (pack_padded_sequence, pad_packed_sequence, pad_sequence,
                                pack_sequence)


def det(shape, k):
    """Element i of a tensor of `shape`: ((7·i + 3·k) mod 17 - 8) / 20, in [-0.4, 0.4]."""
    n = 1
    for s in shape:
        n *= s
    v = [((7 * i + 3 * k) % 17 - 8) / 20.0 for i in range(n)]
    return torch.tensor(v, dtype=torch.float32).reshape(shape)


def set_params(module, k0=20):
    with torch.no_grad():
        for j, (_, p) in enumerate(module.named_parameters()):
            p.copy_(det(p.shape, k0 + j))


def show(name, t):
    if t is None:
        print("// %s None" % name)
        return
    vals = ", ".join("%.7g" % v for v in t.detach().reshape(-1).tolist())
    print("// %s %s\n{%s}" % (name, tuple(t.shape), vals))


def packing():
    print("\n// ---- pack_padded_sequence(det((4, 3, 2), 60), {2, 4, 3}, enforce_sorted=False), "
          "then pad_packed_sequence(batch_first, -1, total_length=5); loss Σ padded·det(k=61)")
    x = det((4, 3, 2), 60).requires_grad_()
    p = pack_padded_sequence(x, torch.tensor([2, 4, 3]), enforce_sorted=False)
    show("data", p.data)
    show("batch_sizes", p.batch_sizes)
    show("sorted_indices", p.sorted_indices)
    show("unsorted_indices", p.unsorted_indices)
    padded, lengths = pad_packed_sequence(p, batch_first=True, padding_value=-1, total_length=5)
    show("padded", padded)
    show("lengths", lengths)
    (padded * det(padded.shape, 61)).sum().backward()
    show("x.grad", x.grad)

    print("\n// ---- pack_padded_sequence(det((3, 4, 2), 62), {4, 3, 1}, batch_first)")
    p = pack_padded_sequence(det((3, 4, 2), 62), torch.tensor([4, 3, 1]), batch_first=True)
    show("data", p.data)
    show("batch_sizes", p.batch_sizes)
    show("sorted_indices", p.sorted_indices)

    print("\n// ---- pad_sequence([det((2, 3), 63), det((4, 3), 64), det((1, 3), 65)], "
          "batch_first, 0.5); pack_sequence(same, enforce_sorted=False)")
    seqs = [det((2, 3), 63), det((4, 3), 64), det((1, 3), 65)]
    show("padded", pad_sequence(seqs, batch_first=True, padding_value=0.5))
    show("time-major", pad_sequence(seqs))
    p = pack_sequence(seqs, enforce_sorted=False)
    show("data", p.data)
    show("batch_sizes", p.batch_sizes)
    show("sorted_indices", p.sorted_indices)


def packed_modules():
    print("\n// ---- GRU(3, 2, num_layers=2) on pack_padded_sequence(det((4, 3, 3), 66), {2, 4, 3}, "
          "enforce_sorted=False), h0 det((2, 3, 2), 67); loss Σ out.data·det(k=40) + "
          "Σ h_n·det(k=41)")
    gru = torch.nn.GRU(3, 2, num_layers=2)
    set_params(gru)
    x = det((4, 3, 3), 66).requires_grad_()
    out, hn = gru(pack_padded_sequence(x, torch.tensor([2, 4, 3]), enforce_sorted=False),
                  det((2, 3, 2), 67))
    ((out.data * det(out.data.shape, 40)).sum() + (hn * det(hn.shape, 41)).sum()).backward()
    show("out.data", out.data)
    show("out.batch_sizes", out.batch_sizes)
    show("out.sorted_indices", out.sorted_indices)
    show("h_n", hn)
    show("x.grad", x.grad)
    show("weight_hh_l1.grad", gru.weight_hh_l1.grad)

    print("\n// ---- LSTM(2, 3, bidirectional) on pack_sequence([det((3, 2), 68), "
          "det((2, 2), 69)]), no state; loss Σ out.data·det(k=40) + Σ h_n·det(k=41) + "
          "Σ c_n·det(k=42)")
    lstm = torch.nn.LSTM(2, 3, bidirectional=True)
    set_params(lstm)
    a, b = det((3, 2), 68).requires_grad_(), det((2, 2), 69).requires_grad_()
    out, (hn, cn) = lstm(pack_sequence([a, b]))
    ((out.data * det(out.data.shape, 40)).sum() + (hn * det(hn.shape, 41)).sum() +
     (cn * det(cn.shape, 42)).sum()).backward()
    show("out.data", out.data)
    show("h_n", hn)
    show("c_n", cn)
    show("a.grad", a.grad)
    show("b.grad", b.grad)


def mha_kdim_vdim():
    print("\n// ---- MultiheadAttention(4, 2, kdim=3, vdim=5), params det k=20.., query det((2, 2, 4), "
          "70), key det((3, 2, 3), 71), value det((3, 2, 5), 72); loss Σ out·det(k=74) + "
          "Σ w·det(k=75)")
    mha = torch.nn.MultiheadAttention(4, 2, kdim=3, vdim=5)
    print("// _qkv_same_embed_dim", mha._qkv_same_embed_dim)
    print("// keys " + " ".join(mha.state_dict()))
    set_params(mha)
    query = det((2, 2, 4), 70).requires_grad_()
    key = det((3, 2, 3), 71).requires_grad_()
    value = det((3, 2, 5), 72).requires_grad_()
    out, w = mha(query, key, value)
    ((out * det(out.shape, 74)).sum() + (w * det(w.shape, 75)).sum()).backward()
    show("attn_output", out)
    show("attn_weights", w)
    show("key.grad", key.grad)
    show("value.grad", value.grad)
    show("q_proj_weight.grad", mha.q_proj_weight.grad)
    show("k_proj_weight.grad", mha.k_proj_weight.grad)
    show("v_proj_weight.grad", mha.v_proj_weight.grad)

    print("\n// ---- MultiheadAttention(4, 2, bias=False, kdim=4, vdim=2, batch_first), query det((1, "
          "2, 4), 76), key det((1, 3, 4), 77), value det((1, 3, 2), 78)")
    mha = torch.nn.MultiheadAttention(4, 2, bias=False, kdim=4, vdim=2, batch_first=True)
    print("// keys " + " ".join(mha.state_dict()))
    set_params(mha)
    out, w = mha(det((1, 2, 4), 76), det((1, 3, 4), 77), det((1, 3, 2), 78),
                 average_attn_weights=False)
    show("attn_output", out)
    show("attn_weights", w)


if __name__ == "__main__":
    torch.set_printoptions(precision=7)
    packing()
    packed_modules()
    mha_kdim_vdim()
