#!/usr/bin/python3
"""Writes the torch-exported models that tests/onnx/test_torch_models.cpp imports with onnx::load:
tests/onnx/data/torch_<name>.onnx, and tests/onnx/data/torch_reference.npz with the fixed input
"input" (8 Fashion-MNIST test images (8, 1, 28, 28) in [0, 1]) and PyTorch's output "<name>" (8, 10)
of each model for it, all float32.

  mlp           784-256-128-10 with ReLU (nn.Flatten -> ONNX Flatten, Gemm)
  lenet         mnist_cnn's LeNet, flattened with x.view(x.size(0), -1): torch emits the
                Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain for it
  bn_eval       mnist_cnn's bn CNN at half width (8/16 channels, 784 -> 32) to keep the files small,
                eval mode, default export options (constant folding fuses BatchNorm into Conv)
  bn_preserve   the same net in training mode, exported with training=TrainingMode.PRESERVE and
                do_constant_folding=False: BatchNormalization with training_mode=1 (batch
                statistics). Its Dropout is put in eval mode so that the output is deterministic
                (torch then exports no Dropout node).

CI has no torch: the files are committed; re-run this to regenerate them (fixed seeds):
    /usr/bin/python3 tests/onnx/torch_export_reference.py
"""
import gzip
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"


def images(n):
    with gzip.open(FASHION, "rb") as f:
        raw = f.read()
    x = np.frombuffer(raw, dtype=np.uint8, offset=16)[: n * 784].astype(np.float32) / 255.0
    return torch.from_numpy(x.reshape(n, 1, 28, 28).copy())


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return self.fc3(x)


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128),
                         nn.ReLU(), nn.Linear(128, 10))


def conv_bn_relu(i, o):
    return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]


def bn_net():
    layers = conv_bn_relu(1, 8) + conv_bn_relu(8, 8) + [nn.MaxPool2d(2)]
    layers += conv_bn_relu(8, 16) + conv_bn_relu(16, 16) + [nn.MaxPool2d(2), nn.Flatten()]
    layers += [nn.Linear(16 * 7 * 7, 32, bias=False), nn.BatchNorm1d(32), nn.ReLU(),
               nn.Dropout(0.3), nn.Linear(32, 10)]
    m = nn.Sequential(*layers)
    # Running statistics far from (0, 1), so that using them (or not) shows in the output.
    g = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.modules.batchnorm._BatchNorm):
                mod.running_mean.copy_(torch.randn(mod.num_features, generator=g) * 0.2)
                mod.running_var.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
                mod.weight.copy_(torch.rand(mod.num_features, generator=g) + 0.5)
                mod.bias.copy_(torch.randn(mod.num_features, generator=g) * 0.1)
    return m


def export(outputs, name, model, x, **kwargs):
    path = os.path.join(OUT, f"torch_{name}.onnx")
    # The output first: exporting a training-mode model runs it, which would move its statistics.
    with torch.no_grad():
        y = model(x)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    torch.onnx.export(model, (x,), path, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, **kwargs)
    model.load_state_dict(state)
    outputs[name] = y.numpy()
    print(f"{name}: {os.path.getsize(path)} bytes, output[0] {y[0, :4].tolist()}")


def main():
    os.makedirs(OUT, exist_ok=True)
    x = images(8)
    outputs = {"input": x.numpy()}
    torch.manual_seed(0)
    export(outputs, "mlp", mlp().eval(), x)
    torch.manual_seed(1)
    export(outputs, "lenet", LeNet().eval(), x)
    torch.manual_seed(2)
    bn = bn_net()
    export(outputs, "bn_eval", bn.eval(), x)
    bn.train()
    bn[-2].eval()  # the Dropout: deterministic output, no Dropout node
    export(outputs, "bn_preserve", bn, x, training=torch.onnx.TrainingMode.PRESERVE,
           do_constant_folding=False)
    np.savez(os.path.join(OUT, "torch_reference.npz"), **outputs)


if __name__ == "__main__":
    main()
