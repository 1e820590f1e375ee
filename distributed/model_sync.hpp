// Making every rank start from the same model: a check that every rank built the same one (names
// and shapes of parameters and buffers), and a broadcast of rank 0's values to the others.
#pragma once

#include "descent/distributed/communicator.hpp"
#include "descent/nn/module.hpp"

namespace descent::distributed {

// Collective. ValueError on every rank when some rank's model differs from rank 0's, naming the
// first rank that differs and its first differing entry, e.g. "check_same_model(): rank 1 built a
// different model than rank 0: entry 2 is parameter 1.weight (256, 784) on rank 0 but parameter
// 1.weight (512, 784) on rank 1".
void check_same_model(const nn::Module& model, Communicator& comm);

// Collective. Rank 0's parameters and buffers, copied into every other rank's model in place
// (run check_same_model first: the sizes must agree).
void broadcast_parameters(nn::Module& model, Communicator& comm);

}  // namespace descent::distributed
