// Random numbers from one seedable generator. The engine (std::mt19937_64) and the float
// conversions are fully specified here, so a seed gives the same numbers on every run, compiler and
// machine (std::uniform_real_distribution and std::normal_distribution are not portable; they are
// not used).
#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent {

// Thread-safe: every call holds the generator's mutex (as PyTorch's CPU generator does), a fill
// once for all its values, so concurrent users get disjoint parts of one sequence. Copying takes
// the engine's state, not the mutex.
class Generator {
public:
    explicit Generator(uint64_t seed = default_seed) { manual_seed(seed); }
    Generator(const Generator& other);
    Generator& operator=(const Generator& other);

    void manual_seed(uint64_t seed);

    // The engine's whole state, to resume a run exactly (torch::Generator::get_state/set_state).
    // A (313, 4) float32 tensor: the engine's 312 64-bit words and its position in them (the
    // representation libstdc++'s operator<< writes), each word as four 16-bit chunks, least
    // significant first; every value is an integer in [0, 65535], which float32 holds exactly.
    Tensor get_state() const;
    // Restores a state from get_state(). ShapeError for another shape, ValueError for a value that
    // is not a 16-bit integer, a position above 312 or an all-zero state (no engine reaches it: it
    // would draw zeros forever); the generator is unchanged on refusal.
    void set_state(const Tensor& state);
    static constexpr int64_t state_words = std::mt19937_64::state_size + 1;

    uint64_t next_u64();
    float uniform();                             // [0, 1), 24 random bits
    float normal();                              // standard normal (Box-Muller)
    int64_t randint(int64_t low, int64_t high);  // [low, high), unbiased

    void fill_uniform(float* out, int64_t n, float low, float high);
    void fill_normal(float* out, int64_t n, float mean, float std);
    // A random permutation of 0..n-1 (Fisher-Yates), drawn under one lock.
    std::vector<int64_t> permutation(int64_t n);

    static constexpr uint64_t default_seed = 5489;

private:
    // The same draws, for a caller already holding mutex_.
    float uniform_locked();
    float normal_locked();
    uint64_t below_locked(uint64_t range);

    std::mt19937_64 engine_;
    mutable std::mutex mutex_;
};

// The generator used when none is passed. Thread-safe, as every Generator.
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
