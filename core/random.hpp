// Random numbers from one seedable generator. The engine (std::mt19937_64) and the float
// conversions are fully specified here, so a seed gives the same numbers on every run, compiler and
// machine (std::uniform_real_distribution and std::normal_distribution are not portable; they are
// not used).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

class Generator {
public:
    explicit Generator(uint64_t seed = default_seed) { manual_seed(seed); }
    void manual_seed(uint64_t seed) { engine_.seed(seed); }

    uint64_t next_u64() { return engine_(); }
    float uniform();                             // [0, 1), 24 random bits
    float normal();                              // standard normal (Box-Muller)
    int64_t randint(int64_t low, int64_t high);  // [low, high), unbiased

    void fill_uniform(float* out, int64_t n, float low, float high);
    void fill_normal(float* out, int64_t n, float mean, float std);

    static constexpr uint64_t default_seed = 5489;

private:
    std::mt19937_64 engine_;
};

// The generator used when none is passed. Not thread-safe, like any shared generator.
Generator& default_generator();
// Reseeds the default generator: torch::manual_seed.
void manual_seed(uint64_t seed);

Tensor rand(const Shape& shape, Generator& gen = default_generator());   // U[0, 1)
Tensor randn(const Shape& shape, Generator& gen = default_generator());  // N(0, 1)
Tensor uniform(const Shape& shape, float low, float high, Generator& gen = default_generator());
Tensor normal(const Shape& shape, float mean, float std, Generator& gen = default_generator());
// A random permutation of 0..n-1 (Fisher-Yates).
std::vector<int64_t> randperm(int64_t n, Generator& gen = default_generator());

}  // namespace descent
