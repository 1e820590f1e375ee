// A training checkpoint: a model's state dict and its optimizer's in one .npz file, keys prefixed
// "model." and "optim." (docs/state-dict-format.md). Loading both into a freshly built model and
// optimizer resumes training exactly where it stopped; with DataLoader::set_epoch, step for step.
#pragma once

#include <string>

#include "descent/nn/module.hpp"
#include "descent/optim/optimizer.hpp"

namespace descent::train {

void save_checkpoint(const std::string& path, const nn::Module& model,
                     const optim::Optimizer& optimizer);

// Checks every key and shape of both parts; on any error, model and optimizer are left unchanged.
void load_checkpoint(const std::string& path, nn::Module& model, optim::Optimizer& optimizer);

}  // namespace descent::train
