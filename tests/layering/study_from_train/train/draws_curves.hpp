// A deliberate include of the top layer from train/ (train -> study), so that ctest shows the
// layering check refusing it: the study tools sit above everything they draw.
#pragma once
#include "descent/study/figure.hpp"
