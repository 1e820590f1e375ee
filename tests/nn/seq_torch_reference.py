#!/usr/bin/python3
"""Prints the reference values of tests/nn/test_embedding.cpp, test_layer_norm.cpp,
test_rnn_cell.cpp, test_rnn.cpp, test_attention.cpp,
test_multihead_attention.cpp, test_transformer_encoder_layer.cpp and test_transformer_encoder.cpp: torch.nn's Embedding, LayerNorm, cells,
RNN / LSTM / GRU, MultiheadAttention and TransformerEncoder(Layer)
in float32, with every parameter and input set by det() below (the C++ tests' det() makes the same
values), each module's outputs and the gradients of a fixed weighted sum of them. CI does not run
this (it has no torch); the printed numbers are pasted into the tests.

    /usr/bin/python3 tests/nn/seq_torch_reference.py
"""
import math

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def det(shape, k):
    """Element i of a tensor of `shape`: ((7·i + 3·k) mod 17 - 8) / 20, in [-0.4, 0.4]."""
    n = 1
    for s in shape:
        n *= s
    v = [((7 * i + 3 * k) % 17 - 8) / 20.0 for i in range(n)]
    return torch.tensor(v, dtype=torch.float32).reshape(shape)


def set_params(module, k0=20):
    """The module's parameters, in named_parameters() order, get det(shape, k0 + position)."""
    with torch.no_grad():
        for j, (_, p) in enumerate(module.named_parameters()):
            p.copy_(det(p.shape, k0 + j))


def show(name, t):
    vals = ", ".join("%.7g" % v for v in t.detach().reshape(-1).tolist())
    print("// %s %s\n{%s}" % (name, tuple(t.shape), vals))


def embedding():
    print("\n// ---- Embedding(10, 3, padding_idx=2), weight det((10, 3), 0)")
    e = torch.nn.Embedding(10, 3, padding_idx=2)
    with torch.no_grad():
        e.weight.copy_(det((10, 3), 0))
    idx = torch.tensor([[1, 2, 9], [2, 0, 4]])
    out = e(idx)
    (out * det(out.shape, 5)).sum().backward()
    show("out", out)
    show("weight.grad", e.weight.grad)


def layer_norm():
    print("\n// ---- LayerNorm([2, 3]) weight det k=1, bias det k=2, x det((2, 2, 3), 3)")
    ln = torch.nn.LayerNorm([2, 3])
    with torch.no_grad():
        ln.weight.copy_(det((2, 3), 1))
        ln.bias.copy_(det((2, 3), 2))
    x = (det((2, 2, 3), 3) * torch.arange(1, 13).reshape(2, 2, 3)).requires_grad_()
    out = ln(x)
    (out * det(out.shape, 4)).sum().backward()
    show("out", out)
    show("x.grad", x.grad)
    show("weight.grad", ln.weight.grad)
    show("bias.grad", ln.bias.grad)


def cells():
    for name, cell in [("RNNCell tanh", torch.nn.RNNCell(3, 2)),
                       ("RNNCell relu", torch.nn.RNNCell(3, 2, nonlinearity="relu")),
                       ("LSTMCell", torch.nn.LSTMCell(3, 2)),
                       ("GRUCell", torch.nn.GRUCell(3, 2))]:
        print("\n// ---- %s(3, 2), params det k=20.., x det((2, 3), 10), h det((2, 2), 11), "
              "c det((2, 2), 12)" % name)
        set_params(cell)
        x = det((2, 3), 10).requires_grad_()
        h = det((2, 2), 11)
        if name == "LSTMCell":
            h1, c1 = cell(x, (h, det((2, 2), 12)))
            loss = (h1 * det((2, 2), 30)).sum() + (c1 * det((2, 2), 31)).sum()
            show("h'", h1)
            show("c'", c1)
        else:
            h1 = cell(x, h)
            loss = (h1 * det((2, 2), 30)).sum()
            show("h'", h1)
        loss.backward()
        show("x.grad", x.grad)
        show("weight_ih.grad", cell.weight_ih.grad)
        show("weight_hh.grad", cell.weight_hh.grad)
        show("bias_hh.grad", cell.bias_hh.grad)


def sequence(title, module, x, hx=None, lengths=None, grads=()):
    """Runs module on x (T, N, in) or batch_first; with lengths, through pack_padded_sequence."""
    print("\n// ---- " + title)
    set_params(module)
    x = x.requires_grad_()
    T = x.shape[1] if module.batch_first else x.shape[0]
    if lengths is None:
        out, h = module(x, hx)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=module.batch_first,
                                      enforce_sorted=False)
        out, h = module(packed, hx)
        out, _ = pad_packed_sequence(out, batch_first=module.batch_first, total_length=T)
    loss = (out * det(out.shape, 40)).sum()
    show("output", out)
    if isinstance(h, tuple):
        show("h_n", h[0])
        show("c_n", h[1])
        loss = loss + (h[0] * det(h[0].shape, 41)).sum() + (h[1] * det(h[1].shape, 42)).sum()
    else:
        show("h_n", h)
        loss = loss + (h * det(h.shape, 41)).sum()
    loss.backward()
    show("input.grad", x.grad)
    params = dict(module.named_parameters())
    for g in grads:
        show(g + ".grad", params[g].grad)


def sequences():
    torch.manual_seed(0)
    sequence("LSTM(3, 2, num_layers=2, bidirectional), x det((4, 2, 3), 50), h0 det((4, 2, 2), 51),"
             " c0 det((4, 2, 2), 52)",
             torch.nn.LSTM(3, 2, num_layers=2, bidirectional=True), det((4, 2, 3), 50),
             (det((4, 2, 2), 51), det((4, 2, 2), 52)),
             grads=["weight_ih_l0", "weight_hh_l1_reverse", "bias_hh_l0_reverse"])
    sequence("GRU(3, 2, batch_first, bidirectional), x det((2, 4, 3), 53), h0 det((2, 2, 2), 54)",
             torch.nn.GRU(3, 2, batch_first=True, bidirectional=True), det((2, 4, 3), 53),
             det((2, 2, 2), 54), grads=["weight_ih_l0", "weight_hh_l0_reverse", "bias_ih_l0"])
    sequence("RNN(3, 2, num_layers=2, relu, bias=false), x det((3, 2, 3), 55), no h0",
             torch.nn.RNN(3, 2, num_layers=2, nonlinearity="relu", bias=False),
             det((3, 2, 3), 55), grads=["weight_hh_l0", "weight_ih_l1"])
    sequence("LSTM(3, 2, bidirectional), lengths {2, 4, 3}, x det((4, 3, 3), 56), h0 det((2, 3, 2),"
             " 57), c0 det((2, 3, 2), 58)",
             torch.nn.LSTM(3, 2, bidirectional=True), det((4, 3, 3), 56),
             (det((2, 3, 2), 57), det((2, 3, 2), 58)), lengths=[2, 4, 3],
             grads=["weight_ih_l0", "weight_hh_l0_reverse"])
    sequence("GRU(3, 2, batch_first, bidirectional), lengths {4, 2}, x det((2, 4, 3), 53), h0 "
             "det((2, 2, 2), 54)",
             torch.nn.GRU(3, 2, batch_first=True, bidirectional=True), det((2, 4, 3), 53),
             det((2, 2, 2), 54), lengths=[4, 2],
             grads=["weight_ih_l0", "weight_hh_l0_reverse"])
    sequence("RNN(3, 2, tanh), lengths {1, 3}, x det((3, 2, 3), 59), no h0",
             torch.nn.RNN(3, 2), det((3, 2, 3), 59), lengths=[1, 3], grads=["weight_hh_l0"])


def sdpa_math(q, k, v, attn_mask=None, is_causal=False, scale=None):
    """PyTorch 2's scaled_dot_product_attention, its documented math path (torch 1.13 has none)."""
    L, S = q.shape[-2], k.shape[-2]
    s = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * s
    if is_causal:
        attn_mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=0)
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(attn_mask.logical_not(), float("-inf"))
        else:
            scores = scores + attn_mask
    return torch.softmax(scores, dim=-1) @ v


def attention():
    print("\n// ---- sdpa, q det((2, 3, 4), 60), k det((2, 5, 4), 61), v det((2, 5, 3), 62)")
    q, k, v = det((2, 3, 4), 60), det((2, 5, 4), 61), det((2, 5, 3), 62)
    show("plain", sdpa_math(q, k, v))
    show("bool mask det((3, 5), 63) > -0.2", sdpa_math(q, k, v, det((3, 5), 63) > -0.2))
    show("float mask det((3, 5), 64)", sdpa_math(q, k, v, det((3, 5), 64)))
    show("is_causal", sdpa_math(q, k, v, is_causal=True))
    show("scale 0.3", sdpa_math(q, k, v, scale=0.3))
    q, k, v = q.requires_grad_(), k.requires_grad_(), v.requires_grad_()
    (sdpa_math(q, k, v, det((3, 5), 63) > -0.2) * det((2, 3, 3), 65)).sum().backward()
    show("q.grad", q.grad)
    show("k.grad", k.grad)
    show("v.grad", v.grad)

    print("\n// ---- MultiheadAttention(4, 2), params det k=20.., query det((3, 2, 4), 70), key "
          "det((5, 2, 4), 71), value det((5, 2, 4), 72), key_padding_mask {0,0,0,1,1; 0,0,0,0,0}, "
          "attn_mask det((3, 5), 73)")
    mha = torch.nn.MultiheadAttention(4, 2)
    set_params(mha)
    print("// keys " + " ".join(mha.state_dict()))
    query = det((3, 2, 4), 70).requires_grad_()
    kpm = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]], dtype=torch.bool)
    out, w = mha(query, det((5, 2, 4), 71), det((5, 2, 4), 72), key_padding_mask=kpm,
                 attn_mask=det((3, 5), 73))
    ((out * det(out.shape, 74)).sum() + (w * det(w.shape, 75)).sum()).backward()
    show("attn_output", out)
    show("attn_weights", w)
    show("query.grad", query.grad)
    show("in_proj_weight.grad", mha.in_proj_weight.grad)
    show("out_proj.weight.grad", mha.out_proj.weight.grad)

    print("\n// ---- MultiheadAttention(4, 2, batch_first) self-attention, x det((2, 3, 4), 76), "
          "bool attn_mask (4, 3, 3) det((4, 3, 3), 77) > 0.1 with the diagonal allowed, "
          "average_attn_weights=False")
    mha = torch.nn.MultiheadAttention(4, 2, batch_first=True)
    set_params(mha)
    x = det((2, 3, 4), 76)
    am = (det((4, 3, 3), 77) > 0.1) & ~torch.eye(3, dtype=torch.bool)
    out, w = mha(x, x, x, attn_mask=am, average_attn_weights=False)
    show("attn_output", out)
    show("attn_weights", w)


def transformer():
    print("\n// ---- TransformerEncoderLayer(4, 2, 6, activation relu), eval, params det k=20.., "
          "src det((3, 2, 4), 80), src_mask det((3, 3), 81), key_padding_mask {0,0,1; 0,0,0}")
    layer = torch.nn.TransformerEncoderLayer(4, 2, 6)
    set_params(layer)
    layer.eval()
    print("// keys " + " ".join(layer.state_dict()))
    src = det((3, 2, 4), 80).requires_grad_()
    kpm = torch.tensor([[0, 0, 1], [0, 0, 0]], dtype=torch.bool)
    out = layer(src, src_mask=det((3, 3), 81), src_key_padding_mask=kpm)
    (out * det(out.shape, 82)).sum().backward()
    show("out", out)
    show("src.grad", src.grad)
    show("linear1.weight.grad", layer.linear1.weight.grad)
    show("self_attn.in_proj_weight.grad", layer.self_attn.in_proj_weight.grad)

    print("\n// ---- TransformerEncoder(layer(4, 2, 5, gelu, batch_first, norm_first), 2, "
          "norm=LayerNorm(4)), eval, params det k=20.., src det((2, 3, 4), 83) * arange(1, 25) / 8, "
          "causal float mask")
    layer = torch.nn.TransformerEncoderLayer(4, 2, 5, activation="gelu", batch_first=True,
                                             norm_first=True)
    enc = torch.nn.TransformerEncoder(layer, 2, norm=torch.nn.LayerNorm(4))
    set_params(enc)
    enc.eval()
    print("// keys " + " ".join(enc.state_dict()))
    src = (det((2, 3, 4), 83) * torch.arange(1, 25).reshape(2, 3, 4) / 8).requires_grad_()
    out = enc(src, mask=torch.nn.Transformer.generate_square_subsequent_mask(3))
    (out * det(out.shape, 84)).sum().backward()
    show("out", out)
    show("src.grad", src.grad)
    show("layers.1.linear2.weight.grad", enc.layers[1].linear2.weight.grad)


def state_dict_keys():
    print("\n// ---- state_dict keys of LSTM(3, 2, num_layers=2, bidirectional)")
    print("// " + " ".join(torch.nn.LSTM(3, 2, num_layers=2, bidirectional=True).state_dict()))


if __name__ == "__main__":
    torch.set_num_threads(1)
    print("// torch %s, float32" % torch.__version__)
    embedding()
    layer_norm()
    cells()
    sequences()
    attention()
    transformer()
    state_dict_keys()
