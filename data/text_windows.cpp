// RandomWindows and BpttStreams: gathering (B, T) windows of a token stream.
#include "descent/data/text_windows.hpp"

#include <cstring>
#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::data {

namespace {
void check_tokens(const Tensor& t, const char* op) {
    DESCENT_CHECK(t.defined() && t.dtype() == kInt64 && t.dim() == 1, ValueError, op,
                  ": expected int64 tokens (N), got ",
                  t.defined() ? dtype_name(t.dtype()) : "undefined", " ",
                  t.defined() ? t.shape() : Shape{});
}
}  // namespace

RandomWindows::RandomWindows(Tensor tokens, int64_t window, int64_t batch, uint64_t seed)
    : tokens_(tokens.defined() ? tokens.contiguous() : tokens),
      window_(window),
      batch_(batch),
      gen_(seed) {
    check_tokens(tokens_, "RandomWindows()");
    DESCENT_CHECK(window >= 1 && batch >= 1, ValueError,
                  "RandomWindows(): window and batch_size must be >= 1, got ", window, " and ",
                  batch);
    DESCENT_CHECK(tokens_.numel() >= window + 1, ValueError, "RandomWindows(): ", tokens_.numel(),
                  " tokens are too few for one window of ", window,
                  " and its target shifted by one (", window + 1, " tokens)");
}

// input, target: (B, T), gathered row by row from tokens[start .. start + T + 1)
TextBatch RandomWindows::next() {
    const int64_t T = window_, N = tokens_.numel();
    Tensor input = empty({batch_, T}, kInt64), target = empty({batch_, T}, kInt64);
    const int64_t* src = tokens_.data<int64_t>();
    int64_t *in = input.data<int64_t>(), *tg = target.data<int64_t>();
    for (int64_t b = 0; b < batch_; ++b) {
        const int64_t s = gen_.randint(0, N - T);  // s + T <= N - 1
        std::memcpy(in + b * T, src + s, size_t(T) * sizeof(int64_t));
        std::memcpy(tg + b * T, src + s + 1, size_t(T) * sizeof(int64_t));
    }
    return {input, target};
}

BpttStreams::BpttStreams(Tensor tokens, int64_t window, int64_t batch)
    : window_(window), batch_(batch) {
    check_tokens(tokens, "BpttStreams()");
    DESCENT_CHECK(window >= 1 && batch >= 1, ValueError,
                  "BpttStreams(): window and batch_size must be >= 1, got ", window, " and ",
                  batch);
    const int64_t N = tokens.numel(), L = (N - 1) / batch;
    DESCENT_CHECK(L >= window, ValueError, "BpttStreams(): ", N, " tokens in ", batch,
                  " streams give ", L, " tokens each, too few for one window of ", window,
                  " and its shifted target");
    steps_ = L / window;
    // stream b holds tokens[b·L .. b·L + L], its last token the target of the final step
    const std::vector<int64_t> all = tokens.to_vector<int64_t>();
    std::vector<int64_t> s(size_t(batch * (L + 1)));
    for (int64_t b = 0; b < batch; ++b)
        std::memcpy(s.data() + b * (L + 1), all.data() + b * L, size_t(L + 1) * sizeof(int64_t));
    streams_ = tensor(s, {batch, L + 1}, kInt64);
}

// input, target: (B, T), columns [step·T, step·T + T) of the streams and the next ones
TextBatch BpttStreams::next() {
    const int64_t T = window_, off = step_ * T, width = streams_.shape()[1];
    Tensor input = empty({batch_, T}, kInt64), target = empty({batch_, T}, kInt64);
    const int64_t* src = streams_.data<int64_t>();
    int64_t *in = input.data<int64_t>(), *tg = target.data<int64_t>();
    for (int64_t b = 0; b < batch_; ++b) {
        std::memcpy(in + b * T, src + b * width + off, size_t(T) * sizeof(int64_t));
        std::memcpy(tg + b * T, src + b * width + off + 1, size_t(T) * sizeof(int64_t));
    }
    step_ = (step_ + 1) % steps_;
    return {input, target};
}

}  // namespace descent::data
