// The generator's float and normal conversions, written out so a seed means the same numbers
// everywhere, and the process-wide default generator.
#include "descent/core/random.hpp"

#include <cmath>
#include <numeric>

#include "descent/core/error.hpp"

namespace descent {

Generator::Generator(const Generator& other) {
    std::lock_guard<std::mutex> lock(other.mutex_);
    engine_ = other.engine_;
}

Generator& Generator::operator=(const Generator& other) {
    if (this == &other) return *this;
    std::scoped_lock lock(mutex_, other.mutex_);
    engine_ = other.engine_;
    return *this;
}

void Generator::manual_seed(uint64_t seed) {
    std::lock_guard<std::mutex> lock(mutex_);
    engine_.seed(seed);
}

uint64_t Generator::next_u64() {
    std::lock_guard<std::mutex> lock(mutex_);
    return engine_();
}

float Generator::uniform_locked() {
    // The top 24 bits: every float in [0, 1) on a 2^-24 grid, equally likely.
    return static_cast<float>(engine_() >> 40) * (1.0f / 16777216.0f);
}

float Generator::normal_locked() {
    // Box-Muller, one value per call; u1 in (0, 1] so log(u1) is finite.
    const double u1 = 1.0 - static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
    const double u2 = static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0);
    return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2));
}

uint64_t Generator::below_locked(uint64_t range) {
    // Rejection sampling: drop the incomplete top bucket so every value is equally likely.
    const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t x;
    do {
        x = engine_();
    } while (x >= limit);
    return x % range;
}

float Generator::uniform() {
    std::lock_guard<std::mutex> lock(mutex_);
    return uniform_locked();
}

float Generator::normal() {
    std::lock_guard<std::mutex> lock(mutex_);
    return normal_locked();
}

int64_t Generator::randint(int64_t low, int64_t high) {
    DESCENT_CHECK(low < high, ValueError, "randint(): low ", low, " must be < high ", high);
    std::lock_guard<std::mutex> lock(mutex_);
    return low + static_cast<int64_t>(below_locked(static_cast<uint64_t>(high - low)));
}

void Generator::fill_uniform(float* out, int64_t n, float low, float high) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int64_t i = 0; i < n; ++i) out[i] = low + (high - low) * uniform_locked();
}

void Generator::fill_normal(float* out, int64_t n, float mean, float std) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (int64_t i = 0; i < n; ++i) out[i] = mean + std * normal_locked();
}

std::vector<int64_t> Generator::permutation(int64_t n) {
    DESCENT_CHECK(n >= 0, ValueError, "randperm(): n must be >= 0, got ", n);
    std::vector<int64_t> p(static_cast<size_t>(n));
    std::iota(p.begin(), p.end(), int64_t{0});
    std::lock_guard<std::mutex> lock(mutex_);
    for (int64_t i = n - 1; i > 0; --i)
        std::swap(p[i], p[static_cast<int64_t>(below_locked(static_cast<uint64_t>(i + 1)))]);
    return p;
}

Generator& default_generator() {
    static Generator gen;
    return gen;
}

void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }

Tensor uniform(const Shape& shape, float low, float high, Generator& gen) {
    DESCENT_CHECK(low <= high, ValueError, "uniform(): low ", low, " must be <= high ", high);
    checked_numel(shape, "uniform");
    Tensor t = make_tensor(shape);
    gen.fill_uniform(t.data(), t.numel(), low, high);
    return t;
}

Tensor normal(const Shape& shape, float mean, float std, Generator& gen) {
    DESCENT_CHECK(std >= 0.0f, ValueError, "normal(): std must be >= 0, got ", std);
    checked_numel(shape, "normal");
    Tensor t = make_tensor(shape);
    gen.fill_normal(t.data(), t.numel(), mean, std);
    return t;
}

Tensor rand(const Shape& shape, Generator& gen) { return uniform(shape, 0.0f, 1.0f, gen); }
Tensor randn(const Shape& shape, Generator& gen) { return normal(shape, 0.0f, 1.0f, gen); }

std::vector<int64_t> randperm(int64_t n, Generator& gen) { return gen.permutation(n); }

}  // namespace descent
