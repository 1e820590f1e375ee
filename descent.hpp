// descent: everything a user program needs, in one include. Finer headers are under core/,
// autograd/ (and later nn/, optim/) for programs that want to include less.
#pragma once

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/named_tensors.hpp"
#include "descent/core/print.hpp"
#include "descent/core/random.hpp"
#include "descent/core/shape.hpp"
#include "descent/core/tensor.hpp"
#include "descent/core/threads.hpp"

#include "descent/core/data/dataloader.hpp"
#include "descent/core/data/dataset.hpp"
#include "descent/core/data/mnist.hpp"
#include "descent/core/data/subset.hpp"
#include "descent/core/data/tensor_dataset.hpp"
#include "descent/core/io/idx.hpp"
#include "descent/core/io/npz.hpp"


#include "descent/autograd/engine.hpp"
#include "descent/autograd/function.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/gradcheck.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/tape.hpp"

#include "descent/optim/train/csv_logger.hpp"
#include "descent/optim/train/metrics.hpp"
#include "descent/optim/train/progress.hpp"
