// StepLR: lr = base_lr · gamma^⌊epoch / step_size⌋ (torch.optim.lr_scheduler.StepLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class StepLR : public LRScheduler {
public:
    StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);
};

}  // namespace descent::optim
