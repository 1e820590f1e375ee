#!/usr/bin/python3
"""Prints the PyTorch values that tests/nn/functional/test_activation_composed.cpp,
test_cross_entropy_options.cpp, test_embedding_loss.cpp, test_likelihood_loss.cpp, test_loss.cpp,
test_conv_pool1d.cpp, test_pad.cpp and test_conv_transpose.cpp check descent against: each
activation, loss and layer on fixed float64 inputs (written here and in the tests alike), its value and some gradients.
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

# ---- 1-D convolution and pooling (tests/nn/functional/test_conv_pool1d.cpp) -------------------
print("// ---- conv_pool1d: X = sin(arange(42)).reshape(2, 3, 7)")
S1 = torch.sin(torch.arange(42.0)).reshape(2, 3, 7)
W1 = torch.cos(torch.arange(36.0)).reshape(4, 3, 3) * 0.5
B1 = torch.tensor([0.1, -0.2, 0.3, 0.0])
WG = torch.cos(torch.arange(12.0)).reshape(6, 1, 2)
show("conv1d stride 2 padding 1", F.conv1d(S1, W1, B1, stride=2, padding=1))
show("conv1d groups 3 dilation 2 padding 1 no bias", F.conv1d(S1, WG, None, padding=1, dilation=2, groups=3))
show("conv1d same", F.conv1d(S1, W1, B1, padding="same"))
show("max_pool1d 3 2 1", F.max_pool1d(S1, 3, 2, 1))
show("avg_pool1d 3 2 1 no count_include_pad", F.avg_pool1d(S1, 3, 2, 1, count_include_pad=False))
show("adaptive_avg_pool1d 3", F.adaptive_avg_pool1d(S1, 3))

# ---- padding and pixel shuffle (tests/nn/functional/test_pad.cpp) ------------------------------
print("// ---- pad: P2 = arange(24.).reshape(1, 2, 3, 4)")
P2 = torch.arange(24.0).reshape(1, 2, 3, 4)
show("pad constant (1, 2, 0, 1) value 9", F.pad(P2, (1, 2, 0, 1), value=9.0))
show("pad constant (-1, 1)", F.pad(P2, (-1, 1)))
show("pad reflect (2, 1, 1, 2)", F.pad(P2, (2, 1, 1, 2), mode="reflect"))
show("pad replicate (1, 0, 2, 1)", F.pad(P2, (1, 0, 2, 1), mode="replicate"))
show("pad reflect 1-d (2, 3) on (1, 2, 4)", F.pad(P2[:, :, 0], (2, 3), mode="reflect"))
x = P2.clone().requires_grad_()
(g,) = torch.autograd.grad((F.pad(x, (2, 1, 1, 2), mode="reflect") * torch.arange(2 * 6 * 7.0).reshape(1, 2, 6, 7)).sum(), x)
show("pad reflect grad (weighted by arange)", g)
x = P2.clone().requires_grad_()
(g,) = torch.autograd.grad((F.pad(x, (1, 0, 2, 1), mode="replicate") * torch.arange(2 * 6 * 5.0).reshape(1, 2, 6, 5)).sum(), x)
show("pad replicate grad (weighted by arange)", g)
PS = torch.arange(2 * 8 * 2 * 3.0).reshape(2, 8, 2, 3)
show("pixel_shuffle 2", F.pixel_shuffle(PS, 2))
show("pixel_unshuffle 2 of arange(2*2*4*6)", F.pixel_unshuffle(torch.arange(2 * 2 * 4 * 6.0).reshape(2, 2, 4, 6), 2))

# ---- transposed convolution (tests/nn/functional/test_conv_transpose.cpp) -----------------------
print("// ---- conv_transpose2d: XT = sin(arange(36.)).reshape(1, 4, 3, 3)")
XT = torch.sin(torch.arange(36.0)).reshape(1, 4, 3, 3)
WT = torch.cos(torch.arange(108.0)).reshape(4, 3, 3, 3) * 0.5
BT = torch.tensor([0.1, -0.2, 0.3])
WT2 = torch.cos(torch.arange(16.0)).reshape(4, 1, 2, 2)
show("conv_transpose2d stride 2 padding 1 output_padding 1", F.conv_transpose2d(XT, WT, BT, stride=2, padding=1, output_padding=1))
show("conv_transpose2d groups 2 dilation 2 padding 1 no bias", F.conv_transpose2d(XT, WT2, None, padding=1, groups=2, dilation=2))
show("conv_transpose2d groups 2 dilation 2 padding 1 output_padding 1 (>= stride)",
     F.conv_transpose2d(XT, WT2, None, padding=1, output_padding=1, groups=2, dilation=2))
x, w, b = XT.clone().requires_grad_(), WT.clone().requires_grad_(), BT.clone().requires_grad_()
y = F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)
gx, gb = torch.autograd.grad((y * torch.cos(torch.arange(108.0)).reshape(1, 3, 6, 6)).sum(), (x, b))
show("conv_transpose2d stride 2 grad x (weighted by cos(arange(108)))", gx)
show("conv_transpose2d stride 2 grad bias", gb)
x, w = XT.clone().requires_grad_(), WT2.clone().requires_grad_()
y = F.conv_transpose2d(x, w, None, padding=1, output_padding=1, groups=2, dilation=2)
gx, gw = torch.autograd.grad((y * torch.cos(torch.arange(32.0)).reshape(1, 2, 4, 4)).sum(), (x, w))
show("conv_transpose2d output_padding >= stride grad x (weighted by cos(arange(32)))", gx)
show("conv_transpose2d output_padding >= stride grad w", gw)
m = torch.nn.ConvTranspose2d(6, 4, (3, 2), stride=2, groups=2)
print("// ConvTranspose2d(6, 4, (3, 2), stride=2, groups=2) state dict:",
      {k: tuple(v.shape) for k, v in m.state_dict().items()})

# ---- group / instance norm, batch norm without running stats (tests/nn/functional/test_group_norm.cpp, the modules: tests/nn/test_group_norm.cpp)
print("// ---- norms: XG = sin(arange(48.)).reshape(2, 4, 3, 2)")
XG = torch.sin(torch.arange(48.0)).reshape(2, 4, 3, 2)
WG4 = torch.tensor([1.5, -0.5, 2.0, 0.25])
BG4 = torch.tensor([0.1, 0.2, -0.3, 0.0])
show("group_norm 2 groups weight bias", F.group_norm(XG, 2, WG4, BG4))
show("instance_norm", F.instance_norm(XG))
x, w, b = XG.clone().requires_grad_(), WG4.clone().requires_grad_(), BG4.clone().requires_grad_()
gx, gw, gb = torch.autograd.grad((F.group_norm(x, 2, w, b) * torch.cos(torch.arange(48.0)).reshape(2, 4, 3, 2)).sum(), (x, w, b))
show("group_norm grad x (weighted by cos(arange(48)))", gx)
show("group_norm grad weight", gw)
show("group_norm grad bias", gb)
bn = torch.nn.BatchNorm2d(4, track_running_stats=False).eval()
show("BatchNorm2d(4, track_running_stats=False) in eval", bn(XG))
print("// its state dict:", list(bn.state_dict().keys()))
print("// GroupNorm(2, 4) state dict:", list(torch.nn.GroupNorm(2, 4).state_dict().keys()))
print("// InstanceNorm2d(4) state dict:", list(torch.nn.InstanceNorm2d(4).state_dict().keys()))
print("// InstanceNorm2d(4, affine=True) state dict:", list(torch.nn.InstanceNorm2d(4, affine=True).state_dict().keys()))
