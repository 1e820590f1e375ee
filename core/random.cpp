// The generator's float and normal conversions, written out so a seed means the same numbers
// everywhere, and the process-wide default generator.
#include "descent/core/random.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

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

namespace {
constexpr int64_t chunks_per_word = 4;  // 16 bits each: integers float32 holds exactly
}  // namespace

Tensor Generator::get_state() const {
    std::ostringstream text;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        text << engine_;
    }
    std::vector<float> chunks;
    chunks.reserve(static_cast<size_t>(state_words * chunks_per_word));
    std::istringstream words(text.str());
    for (uint64_t w; words >> w;)
        for (int k = 0; k < chunks_per_word; ++k)
            chunks.push_back(static_cast<float>((w >> (16 * k)) & 0xffff));
    DESCENT_ASSERT(static_cast<int64_t>(chunks.size()) == state_words * chunks_per_word,
                   "(the standard library's engine text has another length)");
    return tensor(chunks, {state_words, chunks_per_word});
}

void Generator::set_state(const Tensor& state) {
    const Shape expected{state_words, chunks_per_word};
    DESCENT_CHECK(state.defined() && state.shape() == expected, ShapeError,
                  "Generator::set_state(): state has shape ",
                  state.defined() ? state.shape() : Shape{}, ", expected ", expected,
                  " (from get_state())");
    const float* d = state.data();
    std::vector<uint64_t> words(static_cast<size_t>(state_words), 0);
    for (int64_t i = 0; i < state_words * chunks_per_word; ++i) {
        DESCENT_CHECK(d[i] >= 0 && d[i] <= 65535 && d[i] == std::floor(d[i]), ValueError,
                      "Generator::set_state(): state[", i / chunks_per_word, "][",
                      i % chunks_per_word, "] = ", d[i],
                      " is not a 16-bit chunk (an integer in [0, 65535])");
        words[i / chunks_per_word] |= static_cast<uint64_t>(d[i]) << (16 * (i % chunks_per_word));
    }
    const uint64_t position = words.back(), n = std::mt19937_64::state_size;
    DESCENT_CHECK(position <= n, ValueError, "Generator::set_state(): position ", position,
                  " is out of range [0, ", n, "]");
    DESCENT_CHECK(std::any_of(words.begin(), words.end() - 1, [](uint64_t w) { return w != 0; }),
                  ValueError, "Generator::set_state(): all ", n,
                  " state words are zero (no generator reaches that state; it would draw zeros "
                  "forever)");
    std::ostringstream text;
    for (uint64_t w : words) text << w << ' ';
    std::istringstream in(text.str());
    std::mt19937_64 engine;
    in >> engine;
    DESCENT_ASSERT(!in.fail(), "(the standard library refused the engine text)");
    std::lock_guard<std::mutex> lock(mutex_);
    engine_ = engine;
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
