#!/usr/bin/python3
"""Prints the PyTorch values tests/nn/functional/test_activation_composed.cpp and
tests/nn/functional/test_loss_options.cpp check descent against: each activation and loss on
fixed float64 inputs (written here and in the tests alike), its value and the gradient of its sum.
CI does not run this (it has no torch); the numbers are pasted into the tests.

    /usr/bin/python3 tests/nn/layers_torch_reference.py
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def show(name, t):
    vals = ", ".join(repr(float(v)) for v in t.detach().reshape(-1))
    print(f"// {name}: shape {tuple(t.shape)}\n{{{vals}}}")


# Activations: the points include every kink (0, ±3, the hardtanh bounds) and a far one.
X = [-25.0, -4.0, -3.0, -2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5, 3.0, 4.0, 25.0]
ACTIVATIONS = [
    ("elu", lambda x: F.elu(x)),
    ("elu_alpha_0.5", lambda x: F.elu(x, alpha=0.5)),
    ("selu", F.selu),
    ("silu", F.silu),
    ("mish", F.mish),
    ("hardtanh", F.hardtanh),
    ("hardtanh_-2_2.5", lambda x: F.hardtanh(x, -2.0, 2.5)),
    ("relu6", F.relu6),
    ("hardswish", F.hardswish),
    ("hardsigmoid", F.hardsigmoid),
    ("softsign", F.softsign),
    ("tanhshrink", F.tanhshrink),
]
print("// ---- activations on X =", X)
for name, f in ACTIVATIONS:
    x = torch.tensor(X, requires_grad=True)
    y = f(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    show(name + " value", y)
    show(name + " grad", g)

# prelu: (2, 3, 2) input, one weight per channel, and one shared weight.
P = torch.tensor([[[-1.0, 2.0], [0.0, -3.0], [0.5, -0.25]], [[4.0, -2.0], [-1.5, 1.0], [-0.5, 0.0]]])
for name, w0 in [("prelu_per_channel", [0.25, -0.5, 2.0]), ("prelu_shared", [0.1])]:
    x = P.clone().requires_grad_()
    w = torch.tensor(w0, requires_grad=True)
    y = F.prelu(x, w)
    gx, gw = torch.autograd.grad((y * torch.arange(12.0).reshape(2, 3, 2)).sum(), (x, w))
    show(name + " value", y)
    show(name + " grad x (weighted by arange)", gx)
    show(name + " grad w (weighted by arange)", gw)
S = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
show("softmin dim 1", F.softmin(S, dim=1))
show("softmin dim 0", F.softmin(S, dim=0))

# ---- losses -----------------------------------------------------------------------------
print("// ---- losses")
Z = torch.tensor([[1.0, -0.5, 2.0, 0.25], [0.0, 1.5, -1.0, 0.5], [-2.0, 0.75, 0.5, 1.0]])
T = torch.tensor([2, 0, 3])
W = torch.tensor([0.5, 2.0, 1.0, 3.0])
for red in ["mean", "sum", "none"]:
    show(f"cross_entropy weight {red}", F.cross_entropy(Z, T, weight=W, reduction=red))
    show(f"cross_entropy ignore 0 {red}", F.cross_entropy(Z, T, ignore_index=0, reduction=red))
    show(f"cross_entropy weight ignore 3 smoothing 0.2 {red}",
         F.cross_entropy(Z, T, weight=W, ignore_index=3, label_smoothing=0.2, reduction=red))
Q = torch.softmax(torch.tensor([[0.5, 1.0, -1.0, 0.0], [2.0, 0.0, 0.0, -1.0], [0.0, 0.0, 1.0, 1.0]]), 1)
show("soft targets Q", Q)
for red in ["mean", "sum", "none"]:
    show(f"cross_entropy soft {red}", F.cross_entropy(Z, Q, reduction=red))
    show(f"cross_entropy soft weight smoothing 0.1 {red}",
         F.cross_entropy(Z, Q, weight=W, label_smoothing=0.1, reduction=red))
# N-d: (2, 3, 2) input with the classes along dim 1, targets (2, 2).
Z3 = torch.tensor([[[1.0, 0.0], [-1.0, 2.0], [0.5, 0.5]], [[0.0, -1.0], [1.0, 1.0], [2.0, -2.0]]])
T3 = torch.tensor([[0, 1], [2, 1]])
W3 = torch.tensor([1.0, 0.5, 2.0])
for red in ["mean", "none"]:
    show(f"cross_entropy 3d weight {red}", F.cross_entropy(Z3, T3, weight=W3, reduction=red))
    show(f"nll_loss 3d ignore 1 {red}", F.nll_loss(Z3, T3, ignore_index=1, reduction=red))
show("nll_loss weight mean", F.nll_loss(Z, T, weight=W))
show("cross_entropy unbatched", F.cross_entropy(Z[0], T[0]))
z = Z.clone().requires_grad_()
(g,) = torch.autograd.grad(F.cross_entropy(z, T, weight=W, ignore_index=3, label_smoothing=0.2), z)
show("cross_entropy weight ignore 3 smoothing 0.2 grad", g)

A = torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.6, 0.3]])
B = torch.tensor([[0.25, 0.25, 0.5], [0.0, 0.7, 0.3]])
for red in ["mean", "batchmean", "sum", "none"]:
    show(f"kl_div {red}", F.kl_div(A.log(), B, reduction=red))
show("kl_div log_target batchmean", F.kl_div(A.log(), (B + 0.1).log(), reduction="batchmean", log_target=True))

X1 = torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.25, -0.5], [-1.5, 0.5, 0.0]])
Y1 = torch.tensor([[1.0, 0.0, -1.0], [0.0, 0.5, 1.0], [1.0, 1.0, 1.0]])
PW = torch.tensor([1.0, 3.0, 0.5])
WB = torch.tensor([[2.0], [1.0], [0.5]])
show("bce_with_logits pos_weight mean", F.binary_cross_entropy_with_logits(X1, Y1.abs(), pos_weight=PW))
show("bce_with_logits weight pos_weight none",
     F.binary_cross_entropy_with_logits(X1, Y1.abs(), weight=WB, pos_weight=PW, reduction="none"))
for beta in [1.0, 0.5, 0.0]:
    show(f"smooth_l1_loss beta {beta} none", F.smooth_l1_loss(X1, Y1, beta=beta, reduction="none"))
show("huber_loss delta 0.5 sum", F.huber_loss(X1, Y1, delta=0.5, reduction="sum"))
YC = torch.tensor([1, -1, -1])
show("cosine_embedding_loss margin 0.2 none", F.cosine_embedding_loss(X1, Y1, YC, margin=0.2, reduction="none"))
show("cosine_embedding_loss mean", F.cosine_embedding_loss(X1, Y1, YC))
show("margin_ranking_loss margin 0.5 none",
     F.margin_ranking_loss(X1[0], Y1[0], torch.tensor([1.0, -1.0, 1.0]), margin=0.5, reduction="none"))
N1 = torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [-1.0, 1.0, 0.5]])
show("triplet_margin_loss none", F.triplet_margin_loss(X1, Y1, N1, reduction="none"))
show("triplet_margin_loss p 1 margin 2 swap mean", F.triplet_margin_loss(X1, Y1, N1, p=1.0, margin=2.0, swap=True))
CNT = torch.tensor([[0.0, 1.0, 3.0], [2.0, 0.0, 5.0], [1.0, 4.0, 0.5]])
show("poisson_nll_loss none", F.poisson_nll_loss(X1, CNT, reduction="none"))
show("poisson_nll_loss full none", F.poisson_nll_loss(X1, CNT, full=True, reduction="none"))
show("poisson_nll_loss not log_input mean", F.poisson_nll_loss(X1.abs(), CNT, log_input=False))
V = torch.tensor([[0.5, 1.0, 2.0], [1e-8, 0.25, 1.0], [3.0, 0.1, 0.5]])
show("gaussian_nll_loss none", F.gaussian_nll_loss(X1, Y1, V, reduction="none"))
show("gaussian_nll_loss full var (3) mean", F.gaussian_nll_loss(X1, Y1, torch.tensor([0.5, 2.0, 1.0]), full=True))
v = V.clone().requires_grad_()
(g,) = torch.autograd.grad(F.gaussian_nll_loss(X1, Y1, v, reduction="sum"), v)
show("gaussian_nll_loss sum grad var", g)
