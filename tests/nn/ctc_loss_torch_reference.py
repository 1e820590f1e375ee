#!/usr/bin/python3
"""Prints the PyTorch values that tests/nn/functional/test_ctc_loss.cpp checks descent's ctc_loss
against: losses for each reduction, padded and concatenated targets, repeated labels, an impossible
alignment with and without zero_infinity, another blank, an empty target, the unbatched form, and
gradients. CI does not run this (it has no torch); the numbers are pasted into the test.

The gradients are taken w.r.t. the logits x of log_probs = log_softmax(x): PyTorch's ctc backward
returns exp(log_probs) - (occupancy) for log_probs, which is not the derivative of the loss w.r.t.
a free log_probs tensor (it adds exp(log_probs), a term log_softmax's backward removes). descent
returns the true derivative, so the two agree through log_softmax, which is how CTC is used.

    /usr/bin/python3 tests/nn/ctc_loss_torch_reference.py
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def show(name, t):
    vals = ", ".join(repr(float(v)) for v in t.detach().reshape(-1))
    print(f"// {name}: shape {tuple(t.shape)}\n{{{vals}}}")


T, N, C = 6, 3, 5


def logits():  # the test builds the same: sin(arange(90) * 0.37) * 2, reshaped (T, N, C)
    return (torch.sin(torch.arange(T * N * C, dtype=torch.float64) * 0.37) * 2).reshape(T, N, C)


PADDED = torch.tensor([[1, 2, 2, 3], [4, 1, 0, 0], [3, 3, 3, 0]])  # repeated labels 2 2 and 3 3 3
CONCAT = torch.tensor([1, 2, 2, 3, 4, 1, 3, 3, 3])
IL, TL = torch.tensor([6, 5, 6]), torch.tensor([4, 2, 3])

print("// ---- A: padded targets", PADDED.tolist(), "input_lengths", IL.tolist(),
      "target_lengths", TL.tolist())
lp = logits().log_softmax(2)
for r in ["none", "sum", "mean"]:
    show(f"A {r}", F.ctc_loss(lp, PADDED, IL, TL, reduction=r))
    show(f"A concatenated {r}", F.ctc_loss(lp, CONCAT, IL, TL, reduction=r))
x = logits().requires_grad_()
F.ctc_loss(x.log_softmax(2), PADDED, IL, TL, reduction="mean").backward()
show("A dmean/dx", x.grad)
x = logits().requires_grad_()
W = torch.tensor([1.0, -2.0, 0.5])
(F.ctc_loss(x.log_softmax(2), CONCAT, IL, TL, reduction="none") * W).sum().backward()
show("A d(none . [1, -2, 0.5])/dx", x.grad)

print("// ---- B: impossible alignment: targets [[3, 3, 3], [1, 2, 0]], input_lengths [4, 6], "
      "target_lengths [3, 2] (3 3 3 needs 5 frames)")
lp2 = logits()[:, :2].log_softmax(2)
TG2, IL2, TL2 = torch.tensor([[3, 3, 3], [1, 2, 0]]), torch.tensor([4, 6]), torch.tensor([3, 2])
for zi in [False, True]:
    for r in ["none", "sum", "mean"]:
        show(f"B zero_infinity={zi} {r}", F.ctc_loss(lp2, TG2, IL2, TL2, reduction=r,
                                                     zero_infinity=zi))
x = logits()[:, :2].clone().requires_grad_()
F.ctc_loss(x.log_softmax(2), TG2, IL2, TL2, reduction="mean", zero_infinity=True).backward()
show("B zero_infinity=True dmean/dx", x.grad)

print("// ---- D: blank=4, targets [[0, 1, 1], [2, 3, 0], [3, 0, 0]], input_lengths [6, 4, 3], "
      "target_lengths [3, 2, 0] (an empty target)")
TG3, IL3, TL3 = torch.tensor([[0, 1, 1], [2, 3, 0], [3, 0, 0]]), torch.tensor([6, 4, 3]), \
    torch.tensor([3, 2, 0])
for r in ["none", "mean"]:
    show(f"D {r}", F.ctc_loss(lp, TG3, IL3, TL3, blank=4, reduction=r))
x = logits().requires_grad_()
F.ctc_loss(x.log_softmax(2), TG3, IL3, TL3, blank=4, reduction="sum").backward()
show("D dsum/dx", x.grad)

print("// ---- E: unbatched: log_probs[:, 0], targets [1, 2, 2], input_length 6, target_length 3")
for r in ["none", "mean"]:
    show(f"E {r}", F.ctc_loss(lp[:, 0], torch.tensor([1, 2, 2]), torch.tensor(6), torch.tensor(3),
                              reduction=r))
