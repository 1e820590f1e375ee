// A fixture for cmake/CheckLayers.cmake: a kernel that takes a Tensor, which the layering check
// refuses (kernels take pointers and sizes). Never compiled.
#pragma once

#include "descent/core/tensor.hpp"
