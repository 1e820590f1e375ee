// Classification metrics for the training loop: accuracy of a batch of logits, and a confusion
// matrix that accumulates over an epoch and prints itself with class names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::train {

// Row-wise argmax of logits [N, C]: the predicted class of each sample (argmax(logits, 1) as a
// vector).
std::vector<int64_t> predictions(const Tensor& logits);

// How many rows of logits [N, C] have their argmax at the label; labels.size() must be N.
int64_t correct(const Tensor& logits, const std::vector<int64_t>& labels);

// correct / N, in [0, 1].
double accuracy(const Tensor& logits, const std::vector<int64_t>& labels);
// The same with labels as an int64 tensor [N] (a DataLoader batch's); TypeError for any other
// dtype.
int64_t correct(const Tensor& logits, const Tensor& labels);
double accuracy(const Tensor& logits, const Tensor& labels);

// counts[truth][predicted] over every update() since construction or reset().
class ConfusionMatrix {
public:
    explicit ConfusionMatrix(int64_t num_classes);

    void update(const Tensor& logits, const std::vector<int64_t>& labels);
    void update(const Tensor& logits, const Tensor& labels);  // int64 labels [N]
    void update(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels);
    void reset();

    int64_t num_classes() const { return num_classes_; }
    int64_t at(int64_t truth, int64_t predicted) const;
    int64_t total() const;
    double accuracy() const;             // trace / total; 0 when empty
    double recall(int64_t truth) const;  // at(t, t) / row sum: how often class t is found

    // A table: one row per true class (named by class_names when given, else by index), one column
    // per predicted class, and each row's recall.
    std::string to_string(const std::vector<std::string>& class_names = {}) const;

private:
    int64_t num_classes_;
    std::vector<int64_t> counts_;  // [num_classes, num_classes], row = truth
};

}  // namespace descent::train
