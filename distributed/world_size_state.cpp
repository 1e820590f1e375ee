// WorldSizeState's one entry; a float holds any realistic world size exactly.
#include "descent/distributed/world_size_state.hpp"

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::distributed {

NamedTensors WorldSizeState::state_dict() const {
    return {{"world_size", tensor({float(world_size_)})}};
}

void WorldSizeState::load_state_dict(const NamedTensors& dict) {
    DESCENT_CHECK(dict.size() == 1 && dict[0].first == "world_size" && dict[0].second.numel() == 1,
                  StateError, "WorldSizeState::load_state_dict(): expected one entry world_size");
    const int saved = int(dict[0].second.item());
    DESCENT_CHECK(saved == world_size_, StateError, "the checkpoint is of a run of ", saved,
                  " ranks and cannot continue on ", world_size_,
                  ": every rank's shard of the data would change (resume it with mpirun -np ",
                  saved, ")");
}

}  // namespace descent::distributed
