// A deliberate upward include (core -> nn), so that ctest shows the layering check failing on it.
#pragma once
#include "descent/nn/module.hpp"
