// ExponentialLR: lr = base_lr · gamma^epoch (torch.optim.lr_scheduler.ExponentialLR).
#pragma once

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class ExponentialLR : public LRScheduler {
public:
    ExponentialLR(Optimizer& optimizer, double gamma);
};

}  // namespace descent::optim
