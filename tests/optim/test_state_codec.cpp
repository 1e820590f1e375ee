// The state-dict encodings: a double survives three floats exactly, ±inf too, NaN and values
// float32 cannot carry are refused by name; counts are exact to 2^24; the reader names every
// missing, unexpected and wrong key in one StateError.
#include "support.hpp"

#include <cmath>
#include <limits>

#include "descent/optim/state_codec.hpp"

using namespace descent;
using namespace descent::optim::detail;

TEST_CASE("encode_double / decode_double: exact for doubles float32 cannot hold, and for ±inf") {
    Generator gen(3);
    for (int i = 0; i < 1000; ++i) {
        // 53 random bits of mantissa over a wide range of exponents
        const double x =
            std::ldexp(static_cast<double>(gen.next_u64() >> 11), -53 - i % 60) * (i % 2 ? -1 : 1);
        const Tensor t = encode_double(x, "x");
        REQUIRE(t.shape() == Shape{3});
        CHECK(decode_double(t.data()) == x);
        CHECK(t.data()[0] == static_cast<float>(x));  // hi alone is the value to float precision
    }
    const double lr = 0.1 * 0.7 * 0.7 * 0.7;
    CHECK(static_cast<double>(static_cast<float>(lr)) != lr);  // float32 alone would lose it
    CHECK(decode_double(encode_double(lr, "lr").data()) == lr);
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(decode_double(encode_double(inf, "best").data()) == inf);
    CHECK(decode_double(encode_double(-inf, "best").data()) == -inf);
    CHECK_ERROR(ValueError, [&] { encode_double(std::nan(""), "best"); }, {"best", "NaN"});
    CHECK_ERROR(ValueError, [&] { encode_double(1e-30 / 3, "eps"); },
                {"eps", "cannot be stored exactly"});
    const Tensor rows = encode_doubles({0.1, 1.0 / 3}, "base_lrs");
    REQUIRE(rows.shape() == Shape{2, 3});
    CHECK(decode_double(rows.data() + 3) == 1.0 / 3);
}

TEST_CASE("encode_count: exact up to 2^24, refused beyond") {
    CHECK(encode_count(16777216, "epoch").item() == 16777216.0f);
    CHECK(encode_count(-1, "best_epoch").item() == -1.0f);
    CHECK_ERROR(ValueError, [&] { encode_count(16777217, "epoch"); },
                {"epoch", "16777217", "2^24"});
}

TEST_CASE("StateDictReader: every missing, unexpected and wrong key in one StateError") {
    const NamedTensors dict{{"a", encode_double(0.5, "a")},
                            {"n", scalar_tensor(1.5f)},
                            {"m", scalar_tensor(-2.0f)},
                            {"v", zeros({2})},
                            {"extra", zeros({1})}};
    StateDictReader reader("Thing.load_state_dict()", dict);
    CHECK(reader.number("a") == 0.5);
    CHECK_FALSE(reader.count("n"));
    CHECK(reader.count("m", -2, 3) == -2);
    CHECK_FALSE(reader.take("v", {3}));
    CHECK_FALSE(reader.number("gone"));
    CHECK(reader.has_prefix("ex"));
    CHECK_FALSE(reader.has_prefix("z"));
    CHECK_ERROR(
        StateError, [&] { reader.finish(); },
        {"Thing.load_state_dict(): missing keys: gone; unexpected keys: extra; wrong values: "
         "n is 1.5, not an integer in [0, 16777216], v has shape (2), expected (3)"});

    StateDictReader clean("Thing.load_state_dict()", {{"a", encode_double(0.5, "a")}});
    CHECK(clean.number("a") == 0.5);
    clean.finish();  // nothing wrong: returns
    StateDictReader nan("Thing", {{"a", tensor({NAN, 0.0f, 0.0f})}});
    CHECK_FALSE(nan.number("a"));
    CHECK_ERROR(StateError, [&] { nan.finish(); }, {"a is NaN"});
}
