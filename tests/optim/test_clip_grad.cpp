// Gradient clipping: total norms of order 2, 1, 3 and infinity over several parameters, the
// scaling PyTorch documents, parameters without gradients, non-finite norms, clip_grad_value_.
#include "support.hpp"

#include <cmath>

#include "descent/optim/clip_grad.hpp"

using namespace descent;
using optim::clip_grad_norm_;
using optim::clip_grad_value_;

namespace {

// Parameters whose gradients are [3, -4] and [[12]], plus one without a gradient.
std::vector<Tensor> with_grads() {
    Tensor a = zeros({2}).requires_grad_(), b = zeros({1, 1}).requires_grad_(),
           none = zeros({3}).requires_grad_();
    a.mutable_grad() = tensor({3, -4});
    b.mutable_grad() = tensor({12}, {1, 1});
    return {a, b, none};
}

}  // namespace

TEST_CASE("clip_grad_norm_ scales all gradients by max_norm / (total + 1e-6)") {
    std::vector<Tensor> ps = with_grads();
    const double total = clip_grad_norm_(ps, 1.0);
    CHECK(total == doctest::Approx(13));  // √(9 + 16 + 144)
    const float c = static_cast<float>(1.0 / (13 + 1e-6));
    CHECK_VALUES(ps[0].grad(), {2}, {3 * c, -4 * c});
    CHECK_VALUES(ps[1].grad(), {1, 1}, {12 * c});
    CHECK_FALSE(ps[2].grad().defined());
    // The clipped gradients have total norm max_norm (up to the 1e-6).
    CHECK(clip_grad_norm_(ps, 100.0) == doctest::Approx(1.0));
}

TEST_CASE("clip_grad_norm_ leaves gradients under the limit alone") {
    std::vector<Tensor> ps = with_grads();
    CHECK(clip_grad_norm_(ps, 13.5) == doctest::Approx(13));
    CHECK_VALUES(ps[0].grad(), {2}, {3, -4});
    CHECK_VALUES(ps[1].grad(), {1, 1}, {12});
}

TEST_CASE("clip_grad_norm_ with norms of order 1, 3 and infinity") {
    std::vector<Tensor> ps = with_grads();
    CHECK(clip_grad_norm_(ps, 1000, 1.0) == doctest::Approx(19));
    CHECK(clip_grad_norm_(ps, 1000, 3.0) == doctest::Approx(std::cbrt(27.0 + 64 + 1728)));
    const double total = clip_grad_norm_(ps, 6, optim::inf_norm);
    CHECK(total == doctest::Approx(12));
    const float c = static_cast<float>(6 / (12 + 1e-6));
    CHECK_VALUES(ps[0].grad(), {2}, {3 * c, -4 * c});
    CHECK_VALUES(ps[1].grad(), {1, 1}, {12 * c});
}

TEST_CASE("clip_grad_norm_ without gradients, with non-finite ones, and with bad arguments") {
    Tensor w = ones({2}).requires_grad_();
    CHECK(clip_grad_norm_({w}, 1.0) == 0.0);
    CHECK(clip_grad_norm_({}, 1.0) == 0.0);
    w.mutable_grad() = tensor({INFINITY, 1});
    CHECK_ERROR(ValueError, [&] { clip_grad_norm_({w}, 1.0, 2.0, true); },
                {"clip_grad_norm_()", "inf", "error_if_nonfinite"});
    CHECK(std::isinf(clip_grad_norm_({w}, 1.0)));  // as PyTorch: reported, not hidden
    CHECK_ERROR(ValueError, [&] { clip_grad_norm_({w}, -1.0); }, {"max_norm", "-1"});
    CHECK_ERROR(ValueError, [&] { clip_grad_norm_({w}, 1.0, 0.0); }, {"norm_type", "0"});
}

TEST_CASE("clip_grad_value_ clamps every gradient element") {
    std::vector<Tensor> ps = with_grads();
    clip_grad_value_(ps, 3.5);
    CHECK_VALUES(ps[0].grad(), {2}, {3, -3.5f});
    CHECK_VALUES(ps[1].grad(), {1, 1}, {3.5f});
    CHECK_FALSE(ps[2].grad().defined());
    CHECK_ERROR(ValueError, [&] { clip_grad_value_(ps, -1); }, {"clip_grad_value_()", "-1"});
}

TEST_CASE("clip_grad_norm_ over long gradients of odd length, and with NaN") {
    // 1003 elements: the eight-lane loop and its tail both count.
    std::vector<float> values(1003);
    double squares = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        values[i] = static_cast<float>(static_cast<int>(i % 7) - 3) * 0.5f;
        squares += double(values[i]) * values[i];
    }
    squares -= double(values[1001]) * values[1001];
    values[1001] = -9.0f;  // the largest, in the tail
    squares += 81.0;
    Tensor w = zeros({1003}).requires_grad_();
    w.mutable_grad() = tensor(values, {1003});
    CHECK(clip_grad_norm_({w}, 1e9) == doctest::Approx(std::sqrt(squares)).epsilon(1e-12));
    CHECK(clip_grad_norm_({w}, 1e9, optim::inf_norm) == 9.0);
    w.mutable_grad().data()[500] = NAN;
    CHECK(std::isnan(clip_grad_norm_({w}, 1e9, optim::inf_norm)));
    CHECK(std::isnan(clip_grad_norm_({w}, 1e9)));
}
