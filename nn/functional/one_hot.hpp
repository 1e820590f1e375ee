// one_hot, as torch's F.one_hot: class labels to indicator rows.
#pragma once

#include "descent/core/tensor.hpp"

namespace descent::nn::functional {

// index: an int64 tensor of labels, any shape; the result has its shape plus a last dim of
// num_classes (max label + 1 when -1), int64, with 1 at each label. IndexError for a negative
// label or one >= num_classes; TypeError for a non-int64 index.
Tensor one_hot(const Tensor& index, int64_t num_classes = -1, CallSite = {});

}  // namespace descent::nn::functional
