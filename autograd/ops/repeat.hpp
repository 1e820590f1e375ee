// Repeating a tensor: repeat and tile (the whole tensor, along each dim) and repeat_interleave
// (each element in turn). Composed from reshape and expand, whose gradient sums the copies back.
#pragma once

#include <optional>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// torch.repeat: `repeats` has at least a.dim() entries; a is first viewed with leading 1s to
// that many dims, then dim d is repeated repeats[d] times: (2, 3).repeat({2, 1, 2}) is (2, 2, 6).
Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats, CallSite = {});
// torch.tile: as repeat, but fewer entries than dims are padded with leading 1s.
Tensor tile(const Tensor& a, const std::vector<int64_t>& reps, CallSite = {});
// Each element `repeats` times in a row along dim; without a dim, of the flattened tensor.
Tensor repeat_interleave(const Tensor& a, int64_t repeats,
                         std::optional<int64_t> dim = std::nullopt, CallSite = {});

}  // namespace descent
