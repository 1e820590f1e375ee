// A fixture for the layering ctest: train/ and onnx/ are peers, so this include must be refused.
#pragma once
#include "descent/onnx/export.hpp"
