// data::RandomWindows and data::BpttStreams: targets shifted by one, seeded draws, contiguous
// streams across batches, and a corpus shorter than one window refused.
#include "support.hpp"

using namespace descent;

namespace {
Tensor count_to(int64_t n) { return arange(0, n, 1, kInt64); }
}  // namespace

TEST_CASE("RandomWindows: windows of the stream with targets shifted by one, seeded") {
    data::RandomWindows w(count_to(50), 6, 4, 7);
    const data::TextBatch b = w.next();
    CHECK(b.input.shape() == Shape{4, 6});
    CHECK(b.input.dtype() == kInt64);
    const auto in = b.input.to_vector<int64_t>(), tg = b.target.to_vector<int64_t>();
    for (size_t i = 0; i < in.size(); ++i) CHECK(tg[i] == in[i] + 1);
    for (size_t r = 0; r < 4; ++r) {
        CHECK(in[r * 6 + 5] == in[r * 6] + 5);  // contiguous
        CHECK(tg[r * 6 + 5] <= 49);
    }
    data::RandomWindows again(count_to(50), 6, 4, 7);
    CHECK(equal(again.next().input, b.input));
    CHECK_FALSE(equal(w.next().input, b.input));
    // exactly one window fits: it is always the whole stream
    data::RandomWindows tight(count_to(7), 6, 2, 1);
    CHECK(tight.next().target.to_vector<int64_t>() ==
          std::vector<int64_t>{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6});
}

TEST_CASE("BpttStreams: contiguous streams carried across batches, then a new pass") {
    // 21 tokens in 2 streams of 10 (+1 target): stream 0 is 0..10, stream 1 is 10..20
    data::BpttStreams s(count_to(21), 4, 2);
    CHECK(s.steps_per_pass() == 2);
    CHECK(s.at_start());
    const data::TextBatch a = s.next();
    CHECK(a.input.to_vector<int64_t>() == std::vector<int64_t>{0, 1, 2, 3, 10, 11, 12, 13});
    CHECK(a.target.to_vector<int64_t>() == std::vector<int64_t>{1, 2, 3, 4, 11, 12, 13, 14});
    CHECK_FALSE(s.at_start());
    const data::TextBatch b = s.next();
    CHECK(b.input.to_vector<int64_t>() == std::vector<int64_t>{4, 5, 6, 7, 14, 15, 16, 17});
    CHECK(s.at_start());
    CHECK(equal(s.next().input, a.input));
}

TEST_CASE("RandomWindows and BpttStreams: refused short corpora and bad sizes") {
    CHECK_ERROR(ValueError, [] { data::RandomWindows(count_to(6), 6, 1); },
                {"RandomWindows()", "6 tokens", "window of 6", "7 tokens"});
    CHECK_ERROR(ValueError, [] { data::RandomWindows(count_to(60), 0, 1); },
                {"RandomWindows()", "window", "0"});
    CHECK_ERROR(ValueError, [] { data::RandomWindows(zeros({60}), 4, 1); },
                {"RandomWindows()", "int64", "float32"});
    CHECK_ERROR(ValueError, [] { data::BpttStreams(count_to(20), 8, 3); },
                {"BpttStreams()", "20 tokens", "3 streams", "6 tokens each", "window of 8"});
}
