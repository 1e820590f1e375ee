// Mode: whether a monitored metric improves by going down (a loss) or up (an accuracy). Shared by
// ReduceLROnPlateau and EarlyStopping.
#pragma once

namespace descent::optim {

enum class Mode { min, max };

}  // namespace descent::optim
