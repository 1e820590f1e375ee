#!/usr/bin/python3
"""PyTorch interop for state dicts with an int64 buffer (BatchNorm's num_batches_tracked).

  /usr/bin/python3 tests/io/torch_batchnorm_fixture.py write
      prints fixtures::torch_batchnorm2d (pasted into tests/io/npz_fixtures.hpp): the state dict of
      a torch.nn.BatchNorm2d(3) after two training steps, num_batches_tracked then set to 2^53 + 1,
      exported with numpy.savez as docs/state-dict-format.md says. tests/nn/test_serialize.cpp
      loads it and checks each value and dtype.
  /usr/bin/python3 tests/io/torch_batchnorm_fixture.py check FILE
      loads FILE, a BatchNorm2d(3) state dict that descent's nn::save wrote, into torch and checks
      every tensor keeps its dtype (num_batches_tracked int64) and a forward pass runs.

CI does not run this (it has no torch); the committed bytes are the reference.
"""
import io
import sys

import numpy as np
import torch


def trained_batchnorm():
    bn = torch.nn.BatchNorm2d(3)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([0.5, -1.25, 2.0]))
        bn.bias.copy_(torch.tensor([0.1, 0.2, -0.3]))
    # The inputs test_serialize.cpp feeds descent's BatchNorm2d: x = 0.25 * arange(24), then 2x.
    x = torch.arange(24, dtype=torch.float32).reshape(2, 3, 2, 2) * 0.25
    bn(x)
    bn(x * 2)
    bn.num_batches_tracked.fill_(2**53 + 1)  # a count float32 and float64 would both round
    return bn


def write():
    buf = io.BytesIO()
    np.savez(buf, **{k: v.detach().cpu().numpy() for k, v in trained_batchnorm().state_dict().items()})
    data = buf.getvalue()
    print("const std::string torch_batchnorm2d(")
    for i in range(0, len(data), 22):
        print('    "' + "".join("\\x%02x" % b for b in data[i:i + 22]) + '"')
    print("    , %d);" % len(data))


def check(path):
    state = np.load(path)
    bn = torch.nn.BatchNorm2d(3)
    bn.load_state_dict({k: torch.from_numpy(state[k]) for k in state.files})
    assert bn.num_batches_tracked.dtype == torch.int64, bn.num_batches_tracked.dtype
    assert state["num_batches_tracked"].dtype == np.int64
    for k in ("weight", "bias", "running_mean", "running_var"):
        assert state[k].dtype == np.float32, (k, state[k].dtype)
    bn.eval()
    bn(torch.zeros(1, 3, 2, 2))
    print("torch loaded %s: num_batches_tracked = %d (%s)" %
          (path, bn.num_batches_tracked.item(), bn.num_batches_tracked.dtype))


if __name__ == "__main__":
    write() if sys.argv[1] == "write" else check(sys.argv[2])
