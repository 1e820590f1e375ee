// Inverted dropout: in training, each element (dropout) or each whole channel (dropout1d,
// dropout2d) is zeroed with probability p and the survivors are scaled by 1/(1-p), so the expected
// output equals the input and evaluation needs no rescaling.
#pragma once

#include "descent/core/random.hpp"
#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// x itself when !training or p == 0; zeros when p == 1. ValueError for p outside [0, 1]. The mask
// is drawn from `gen`; the gradient is g times the same mask.
Tensor dropout(const Tensor& x, float p = 0.5f, bool training = true,
               Generator& gen = default_generator(), CallSite = {});

// Channel dropout, torch.nn.functional.dropout2d: each channel of each sample (all H·W values of
// x[n, c]) is zeroed with probability p, the rest scaled by 1/(1-p). x: (N, C, H, W) or (C, H, W);
// ShapeError for another rank. One draw per channel from `gen`; the gradient is g times the mask.
Tensor dropout2d(const Tensor& x, float p = 0.5f, bool training = true,
                 Generator& gen = default_generator(), CallSite = {});

// Channel dropout of sequences, torch.nn.functional.dropout1d: each channel of each sample (all L
// values of x[n, c]) is zeroed with probability p, the rest scaled by 1/(1-p). x: (N, C, L) or
// (C, L); ShapeError for another rank. One draw per channel from `gen`.
Tensor dropout1d(const Tensor& x, float p = 0.5f, bool training = true,
                 Generator& gen = default_generator(), CallSite = {});

}  // namespace descent::nn::functional
