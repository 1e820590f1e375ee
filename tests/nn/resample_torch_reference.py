#!/usr/bin/python3
"""Prints the PyTorch 1.13 values that tests/nn/functional/test_interpolate.cpp, test_pool.cpp
(adaptive max pooling), test_bilinear.cpp and tests/nn/test_upsample.cpp check descent against: F.interpolate in modes
nearest / bilinear / linear, F.adaptive_max_pool2d (values and indices) and F.bilinear, on fixed
float64 inputs (the same formula is written in the tests), with some gradients.
CI does not run this (it has no torch); the numbers are pasted into the tests.

    /usr/bin/python3 tests/nn/resample_torch_reference.py
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def show(name, t):
    vals = ", ".join(repr(float(v)) for v in t.detach().reshape(-1))
    print(f"// {name}: shape {tuple(t.shape)}\n{{{vals}}}")


def ramp(*shape):
    """v_i = (7·i mod n) + 0.1·i over the n elements, row-major: distinct, not monotone."""
    n = 1
    for s in shape:
        n *= s
    i = torch.arange(n, dtype=torch.float64)
    return ((7 * i) % n + 0.1 * i).reshape(shape)


# ---- interpolate on X = ramp(1, 2, 3, 4)
X = ramp(1, 2, 3, 4)
show("nearest size (5, 7)", F.interpolate(X, size=(5, 7), mode="nearest"))
show("nearest scale 1.5", F.interpolate(X, scale_factor=1.5, mode="nearest"))
show("nearest scale (2, 0.5)", F.interpolate(X, scale_factor=(2.0, 0.5), mode="nearest"))
show("nearest scale 1.2 (out = in)", F.interpolate(X, scale_factor=1.2, mode="nearest"))
show("nearest scale 1.7 recompute", F.interpolate(X, scale_factor=1.7, mode="nearest",
                                                  recompute_scale_factor=True))
show("nearest scale 1.7", F.interpolate(X, scale_factor=1.7, mode="nearest"))
show("bilinear size (5, 7)", F.interpolate(X, size=(5, 7), mode="bilinear"))
show("bilinear size (5, 7) align_corners", F.interpolate(X, size=(5, 7), mode="bilinear",
                                                         align_corners=True))
show("bilinear scale 1.5", F.interpolate(X, scale_factor=1.5, mode="bilinear"))
show("bilinear scale 1.5 recompute", F.interpolate(X, scale_factor=1.5, mode="bilinear",
                                                   recompute_scale_factor=True))
show("bilinear size (2, 3)", F.interpolate(X, size=(2, 3), mode="bilinear"))
show("bilinear size (1, 1) align_corners", F.interpolate(X, size=(1, 1), mode="bilinear",
                                                         align_corners=True))
x = X.clone().requires_grad_()
y = F.interpolate(x, size=(5, 7), mode="bilinear")
(y * torch.arange(y.numel()).reshape(y.shape)).sum().backward()
show("grad of bilinear size (5, 7)", x.grad)
x = X.clone().requires_grad_()
y = F.interpolate(x, size=(2, 3), mode="nearest")
(y * torch.arange(y.numel()).reshape(y.shape)).sum().backward()
show("grad of nearest size (2, 3)", x.grad)

# 3-D (N, C, L)
S = ramp(1, 2, 4)
show("1d nearest size 6", F.interpolate(S, size=6, mode="nearest"))
show("1d nearest scale 2.5", F.interpolate(S, scale_factor=2.5, mode="nearest"))
show("1d linear size 6", F.interpolate(S, size=6, mode="linear"))
show("1d linear size 6 align_corners", F.interpolate(S, size=6, mode="linear",
                                                     align_corners=True))
show("Upsample(scale_factor=2, bilinear)", torch.nn.Upsample(scale_factor=2, mode="bilinear")(X))
show("Upsample(size=(4, 6))", torch.nn.Upsample(size=(4, 6))(X))

# ---- adaptive_max_pool2d on A = ramp(1, 2, 5, 7)
A = ramp(1, 2, 5, 7)
y, i = F.adaptive_max_pool2d(A, (3, 4), return_indices=True)
show("adaptive_max_pool2d (3, 4)", y)
show("its indices", i)
y, i = F.adaptive_max_pool2d(A, (2, 5), return_indices=True)
show("adaptive_max_pool2d (2, 5)", y)
show("its indices", i)
a = A.clone().requires_grad_()
y = F.adaptive_max_pool2d(a, (3, 4))
(y * torch.arange(y.numel()).reshape(y.shape)).sum().backward()
show("grad of adaptive_max_pool2d (3, 4)", a.grad)

# ---- bilinear: x1 (3, 2), x2 (3, 4), weight (5, 2, 4), bias (5); ramps scaled by 0.1
x1, x2 = 0.1 * ramp(3, 2), 0.1 * ramp(3, 4) - 1.0
w, b = 0.1 * ramp(5, 2, 4) - 2.0, 0.1 * ramp(5)
show("bilinear(x1, x2, w, b)", F.bilinear(x1, x2, w, b))
show("bilinear(x1, x2, w) no bias", F.bilinear(x1, x2, w))
show("bilinear batched (3, 1, 2)", F.bilinear(x1.reshape(3, 1, 2), x2.reshape(3, 1, 4), w, b))
