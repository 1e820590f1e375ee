// Windows over a token stream for language models: a batch of inputs (B, T) and their targets,
// the same windows shifted by one token. RandomWindows draws random starts (seeded);
// BpttStreams cuts the stream into B contiguous streams and walks them window by window, so a
// recurrent model can carry its hidden state across batches (truncated backpropagation through
// time).
#pragma once

#include <cstdint>

#include "descent/core/random.hpp"
#include "descent/core/tensor.hpp"

namespace descent::data {

struct TextBatch {
    Tensor input;   // int64 (B, T): tokens[s .. s + T)
    Tensor target;  // int64 (B, T): tokens[s + 1 .. s + T + 1)
};

class RandomWindows {
public:
    // tokens int64 (N). ValueError unless window >= 1, batch_size >= 1 and N >= window + 1
    // (one window and its shifted target), naming the counts.
    RandomWindows(Tensor tokens, int64_t window, int64_t batch_size, uint64_t seed = 0);
    // batch_size windows with starts uniform in [0, N - window - 1].
    TextBatch next();
    Generator& generator() { return gen_; }  // its state resumes a run exactly
    int64_t window() const { return window_; }
    int64_t batch_size() const { return batch_; }

private:
    Tensor tokens_;
    int64_t window_, batch_;
    Generator gen_;
};

class BpttStreams {
public:
    // tokens int64 (N) cut into batch_size streams of L = (N - 1) / batch_size tokens each
    // (the tail dropped). ValueError unless window, batch_size >= 1 and L >= window.
    BpttStreams(Tensor tokens, int64_t window, int64_t batch_size);
    // The next window of every stream; after the last full window, a new pass from the start.
    TextBatch next();
    // Whether the next batch starts a pass (a recurrent model resets its state there).
    bool at_start() const { return step_ == 0; }
    int64_t steps_per_pass() const { return steps_; }
    void reset() { step_ = 0; }

private:
    Tensor streams_;  // int64 (B, L + 1)
    int64_t window_, batch_, steps_, step_ = 0;
};

}  // namespace descent::data
