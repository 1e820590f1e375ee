// The world size a run was started with, as a checkpoint part (train::Checkpoint::add): resuming
// with another number of ranks would give every rank another shard of the data, so it is refused.
#pragma once

#include "descent/core/named_tensors.hpp"

namespace descent::distributed {

class WorldSizeState {
public:
    explicit WorldSizeState(int world_size) : world_size_(world_size) {}
    NamedTensors state_dict() const;  // {"world_size": a one-element tensor}
    // StateError when the saved world size differs from this run's, or the entry is missing.
    void load_state_dict(const NamedTensors& dict);
    int world_size() const { return world_size_; }

private:
    int world_size_;
};

}  // namespace descent::distributed
