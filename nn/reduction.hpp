// How a loss combines its per-element values: their mean (the default), their sum, or none (the
// unreduced tensor), as PyTorch's reduction='mean' | 'sum' | 'none'.
#pragma once

namespace descent::nn {

enum class Reduction { Mean, Sum, None };

inline const char* to_string(Reduction r) {
    return r == Reduction::Mean ? "mean" : r == Reduction::Sum ? "sum" : "none";
}

}  // namespace descent::nn
