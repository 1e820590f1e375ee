// batch_norm: normalise each channel (dim 1) of a batch by its mean and variance, then scale and
// shift it, as torch.nn.functional.batch_norm. One autograd node; its backward is written with
// descent's ops, so it is twice differentiable in training and in eval mode.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// input: (N, C, *); running_mean, running_var, weight, bias: (C) or undefined.
// training: normalise by the batch's statistics over N and *, y = (x - mean)/√(var + eps)·weight
// + bias with the biased var, and when running stats are given update them in place (no grad):
// running = (1 - momentum)·running + momentum·batch_stat, with the unbiased var in running_var.
// Refused (ValueError) with one value per channel: N·Π* = 1, as PyTorch.
// Not training: normalise by running_mean and running_var, which must then be given.
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight = Tensor(), const Tensor& bias = Tensor(),
                  bool training = false, float momentum = 0.1f, float eps = 1e-5f, CallSite = {});

namespace detail {
// ValueError naming `who` and input's shape unless training has more than one value per channel.
void check_values_per_channel(const char* who, const Tensor& input);
}  // namespace detail

}  // namespace descent::nn::functional
