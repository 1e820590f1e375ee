// The seedable generator: reproducible streams, distribution sanity, permutations.
#include <algorithm>
#include <cmath>
#include <thread>
#include <vector>

#include "support.hpp"

using namespace descent;

TEST_CASE("the engine is the standard mt19937_64") {
    // The C++ standard fixes the 10000th output of a default-seeded mt19937_64 (seed 5489).
    Generator gen(5489);
    uint64_t x = 0;
    for (int i = 0; i < 10000; ++i) x = gen.next_u64();
    CHECK(x == 9981545732273789042ULL);
}

TEST_CASE("uniform floats are the top 24 bits of the engine's output") {
    Generator a(42), b(42);
    for (int i = 0; i < 5; ++i) CHECK(a.uniform() == float(b.next_u64() >> 40) / 16777216.0f);
}

TEST_CASE("the same seed gives the same numbers, another seed other numbers") {
    manual_seed(123);
    const Tensor a = randn({100});
    const Tensor u = rand({10});
    manual_seed(123);
    CHECK(equal(randn({100}), a));
    CHECK(equal(rand({10}), u));
    manual_seed(124);
    CHECK_FALSE(equal(randn({100}), a));
    Generator g1(7), g2(7);
    CHECK(equal(normal({3, 3}, 1.0f, 2.0f, g1), normal({3, 3}, 1.0f, 2.0f, g2)));
}

TEST_CASE("distributions have the right range and moments") {
    Generator gen(1);
    const Tensor u = uniform({100000}, -2.0f, 3.0f, gen);
    const auto uv = u.to_vector();
    CHECK(*std::min_element(uv.begin(), uv.end()) >= -2.0f);
    CHECK(*std::max_element(uv.begin(), uv.end()) < 3.0f);
    CHECK(u.mean().item() == doctest::Approx(0.5).epsilon(0.02));
    const Tensor n = normal({100000}, 1.0f, 2.0f, gen);
    CHECK(n.mean().item() == doctest::Approx(1.0).epsilon(0.02));
    CHECK(std::sqrt(n.var().item()) == doctest::Approx(2.0).epsilon(0.02));
}

TEST_CASE("randint and randperm") {
    Generator gen(3);
    std::vector<int> counts(4, 0);
    for (int i = 0; i < 4000; ++i) counts[gen.randint(0, 4)]++;
    for (int c : counts) CHECK(c == doctest::Approx(1000).epsilon(0.15));
    auto p = randperm(50, gen);
    std::vector<int64_t> sorted = p;
    std::sort(sorted.begin(), sorted.end());
    for (int64_t i = 0; i < 50; ++i) CHECK(sorted[i] == i);
    CHECK(p != sorted);  // shuffled (a sorted result has probability 1/50!)
    CHECK_ERROR(ValueError, [&] { gen.randint(3, 3); }, {"randint()", "3"});
    CHECK_ERROR(ValueError, [&] { uniform({2}, 1.0f, 0.0f); }, {"uniform()", "low 1"});
    CHECK_ERROR(ValueError, [&] { normal({2}, 0.0f, -1.0f); }, {"normal()", "-1"});
}

TEST_CASE("the default generator is thread-safe: two threads share one sequence, no value twice") {
    // Unlocked, two threads stepping one mt19937_64 draw the same values or corrupt its state
    // (and ThreadSanitizer reports the race; scripts/sanitize.sh runs this test under TSan).
    constexpr int n = 20000;
    manual_seed(77);
    std::vector<uint64_t> alone(2 * n);
    for (auto& x : alone) x = default_generator().next_u64();
    manual_seed(77);
    std::vector<uint64_t> first(n), second(n);
    std::thread other([&] {
        for (auto& x : second) x = default_generator().next_u64();
    });
    for (auto& x : first) x = default_generator().next_u64();
    other.join();
    std::vector<uint64_t> both = first;
    both.insert(both.end(), second.begin(), second.end());
    std::sort(both.begin(), both.end());
    std::sort(alone.begin(), alone.end());
    CHECK(both == alone);
    // A fill holds the lock for all its values: each thread's block is a contiguous run.
    manual_seed(5);
    std::vector<float> a(n), b(n), ref(2 * n);
    std::thread filler([&] { default_generator().fill_normal(b.data(), n, 0.0f, 1.0f); });
    default_generator().fill_normal(a.data(), n, 0.0f, 1.0f);
    filler.join();
    manual_seed(5);
    default_generator().fill_normal(ref.data(), 2 * n, 0.0f, 1.0f);
    const bool a_first = a[0] == ref[0];
    const float* first_half = a_first ? a.data() : b.data();
    const float* second_half = a_first ? b.data() : a.data();
    CHECK(std::equal(first_half, first_half + n, ref.begin()));
    CHECK(std::equal(second_half, second_half + n, ref.begin() + n));
}

TEST_CASE("a copied generator continues the same sequence independently") {
    Generator a(123);
    a.next_u64();
    Generator b = a;
    CHECK(a.next_u64() == b.next_u64());
    Generator c;
    c = b;
    CHECK(c.normal() == b.normal());
}

namespace {
// The 64-bit words of a get_state() tensor: row i is word i in 16-bit chunks, least significant
// first.
std::vector<uint64_t> words_of(const Tensor& state) {
    std::vector<uint64_t> words(static_cast<size_t>(state.size(0)), 0);
    for (int64_t i = 0; i < state.size(0); ++i)
        for (int64_t k = 0; k < 4; ++k)
            words[i] |= static_cast<uint64_t>(state.data()[4 * i + k]) << (16 * k);
    return words;
}
}  // namespace

TEST_CASE("get_state of a seeded generator is the standard's seeding recurrence and position") {
    // [rand.eng.mt]: x0 = seed, xi = f * (x(i-1) ^ (x(i-1) >> 62)) + i, f = 6364136223846793005;
    // nothing is drawn yet, so the position is at the end of the block (312).
    const Tensor state = Generator(2024).get_state();
    REQUIRE(state.shape() == Shape{313, 4});
    const std::vector<uint64_t> words = words_of(state);
    uint64_t x = 2024;
    for (uint64_t i = 0; i < 312; ++i) {
        if (i > 0) x = 6364136223846793005ULL * (x ^ (x >> 62)) + i;
        CHECK_MESSAGE(words[i] == x, "word " << i);
    }
    CHECK(words[312] == 312);
    for (float v : state.to_vector()) CHECK((v >= 0 && v <= 65535 && v == std::floor(v)));
}

TEST_CASE("set_state(get_state()) continues the sequence exactly, from any position") {
    for (int drawn : {0, 1, 100, 311, 312, 313, 1000}) {
        Generator a(99);
        for (int i = 0; i < drawn; ++i) a.next_u64();
        const Tensor state = a.get_state();
        std::vector<uint64_t> expected(700);
        for (auto& v : expected) v = a.next_u64();
        Generator b(1);  // another seed: set_state replaces all of it
        b.set_state(state);
        std::vector<uint64_t> got(700);
        for (auto& v : got) v = b.next_u64();
        CHECK_MESSAGE(got == expected, "after " << drawn << " draws");
        CHECK(equal(b.get_state(), a.get_state()));
    }
    // The default generator, which Dropout draws from, is restored the same way.
    manual_seed(5);
    randn({10});
    const Tensor state = default_generator().get_state();
    const Tensor next = rand({50});
    default_generator().set_state(state);
    CHECK(equal(rand({50}), next));
}

TEST_CASE(
    "set_state refuses what get_state cannot have written and leaves the generator as it was") {
    Generator gen(7);
    gen.next_u64();
    const Tensor good = gen.get_state();
    auto with = [&](int64_t row, int64_t k, float v) {
        Tensor t = good.clone();
        t.data()[4 * row + k] = v;
        return t;
    };
    CHECK_ERROR(ShapeError,
                [&] {
                    gen.set_state(zeros({312, 4}));
                },
                {"Generator::set_state()", "(312, 4)", "expected (313, 4)"});
    CHECK_ERROR(ShapeError, [&] { gen.set_state(Tensor()); }, {"Generator::set_state()"});
    CHECK_ERROR(ValueError, [&] { gen.set_state(with(3, 1, 1.5f)); },
                {"state[3][1] = 1.5", "16-bit"});
    CHECK_ERROR(ValueError, [&] { gen.set_state(with(0, 0, 65536.0f)); }, {"state[0][0] = 65536"});
    CHECK_ERROR(ValueError, [&] { gen.set_state(with(5, 2, -1.0f)); }, {"state[5][2] = -1"});
    CHECK_ERROR(ValueError, [&] { gen.set_state(with(9, 3, std::nanf(""))); }, {"state[9][3]"});
    CHECK_ERROR(ValueError, [&] { gen.set_state(with(312, 0, 313.0f)); },
                {"position 313", "[0, 312]"});
    Tensor all_zero = zeros({313, 4});
    CHECK_ERROR(ValueError, [&] { gen.set_state(all_zero); }, {"all 312 state words are zero"});
    // Nothing was taken: the generator continues from where it was.
    Generator twin(7);
    twin.next_u64();
    for (int i = 0; i < 20; ++i) CHECK(gen.next_u64() == twin.next_u64());
}
