// MultiStepLR: lr = base_lr · gamma^(number of milestones <= epoch)
// (torch.optim.lr_scheduler.MultiStepLR; a milestone listed twice counts twice, as there).
#pragma once

#include <vector>

#include "descent/optim/scheduler/lr_scheduler.hpp"

namespace descent::optim {

class MultiStepLR : public LRScheduler {
public:
    MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1);
};

}  // namespace descent::optim
