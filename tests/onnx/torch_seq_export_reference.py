#!/usr/bin/python3
"""Writes the PyTorch-exported sequence models that tests/onnx/test_load_torch_seq.cpp loads with
onnx::load: an Embedding -> LSTM (2 layers) -> Linear char model and an Embedding -> GRU (1 layer,
bidirectional) -> Linear one, exported by torch.onnx.export (opset 14) with fixed seeds, and a small
transformer encoder (Embedding -> 2 pre-norm TransformerEncoderLayers, 2 heads -> Linear; opset 17
for LayerNormalization), each with a fixed token window and PyTorch's logits (.npz, which descent's
io::load_npz reads).
CI does not run this (it has no torch); the files are committed in tests/onnx/data/.

    /usr/bin/python3 tests/onnx/torch_seq_export_reference.py
"""
import os

import numpy as np
import torch

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
VOCAB, EMBED, HIDDEN = 40, 16, 32


class CharModel(torch.nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, EMBED)
        if kind == "lstm":
            self.rnn = torch.nn.LSTM(EMBED, HIDDEN, num_layers=2, batch_first=True)
            width = HIDDEN
        else:
            self.rnn = torch.nn.GRU(EMBED, HIDDEN, num_layers=1, batch_first=True,
                                    bidirectional=True)
            width = 2 * HIDDEN
        self.head = torch.nn.Linear(width, VOCAB)

    def forward(self, tokens):
        y, _ = self.rnn(self.embed(tokens))
        return self.head(y)


for seed, kind in [(1, "lstm"), (2, "gru")]:
    torch.manual_seed(seed)
    model = CharModel(kind).eval()
    tokens = torch.randint(0, VOCAB, (3, 10), generator=torch.Generator().manual_seed(seed + 10))
    with torch.no_grad():
        logits = model(tokens)
    path = os.path.join(HERE, f"torch_char_{kind}.onnx")
    torch.onnx.export(model, (tokens,), path, opset_version=14, input_names=["tokens"],
                      output_names=["logits"])
    np.savez(os.path.join(HERE, f"torch_char_{kind}.npz"), tokens=tokens.numpy(),
             logits=logits.numpy())
    print(kind, path, os.path.getsize(path), "bytes; logits", tuple(logits.shape),
          "max |logit|", float(logits.abs().max()))


class TinyEncoder(torch.nn.Module):
    """Embedding(40, 16) -> TransformerEncoder(2 pre-norm layers, 2 heads, feed-forward 32) -> Linear."""

    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, EMBED)
        layer = torch.nn.TransformerEncoderLayer(EMBED, 2, dim_feedforward=32, dropout=0.0,
                                                 batch_first=True, norm_first=True)
        self.encoder = torch.nn.TransformerEncoder(layer, 2)
        self.head = torch.nn.Linear(EMBED, VOCAB)

    def forward(self, tokens):
        return self.head(self.encoder(self.embed(tokens)))


torch.manual_seed(3)
model = TinyEncoder().eval()
tokens = torch.randint(0, VOCAB, (3, 10), generator=torch.Generator().manual_seed(13))
with torch.no_grad():
    logits = model(tokens)
path = os.path.join(HERE, "torch_encoder.onnx")
torch.onnx.export(model, (tokens,), path, opset_version=17, input_names=["tokens"],
                  output_names=["logits"])
np.savez(os.path.join(HERE, "torch_encoder.npz"), tokens=tokens.numpy(), logits=logits.numpy())
print("encoder", path, os.path.getsize(path), "bytes; logits", tuple(logits.shape),
      "max |logit|", float(logits.abs().max()))
