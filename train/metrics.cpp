// Accuracy and the confusion matrix. Labels are checked against the class count, so a wrong label
// file shows up as an error naming the label, not as a silently wrong accuracy.
#include "descent/train/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "descent/autograd/ops/reduce.hpp"
#include "descent/core/error.hpp"

namespace descent::train {

std::vector<int64_t> predictions(const Tensor& logits) {
    DESCENT_CHECK(logits.defined() && logits.dim() == 2, ShapeError,
                  "predictions(): logits must be [N, C], got ",
                  logits.defined() ? logits.shape() : Shape{});
    return argmax(logits, 1).to_vector<int64_t>();
}

int64_t correct(const Tensor& logits, const std::vector<int64_t>& labels) {
    const std::vector<int64_t> predicted = predictions(logits);
    DESCENT_CHECK(predicted.size() == labels.size(), ShapeError, "correct(): logits ",
                  logits.shape(), " has ", predicted.size(), " rows but there are ", labels.size(),
                  " labels");
    int64_t n = 0;
    for (size_t i = 0; i < labels.size(); ++i) n += predicted[i] == labels[i];
    return n;
}

double accuracy(const Tensor& logits, const std::vector<int64_t>& labels) {
    if (labels.empty()) return 0.0;
    return static_cast<double>(correct(logits, labels)) / static_cast<double>(labels.size());
}

namespace {
std::vector<int64_t> label_vector(const Tensor& labels, const char* op) {
    DESCENT_CHECK(labels.defined() && labels.dtype() == kInt64, TypeError, op,
                  "(): expected int64 labels, got ",
                  labels.defined() ? dtype_name(labels.dtype()) : "an undefined tensor");
    return labels.to_vector<int64_t>();
}
}  // namespace

int64_t correct(const Tensor& logits, const Tensor& labels) {
    return correct(logits, label_vector(labels, "correct"));
}
double accuracy(const Tensor& logits, const Tensor& labels) {
    return accuracy(logits, label_vector(labels, "accuracy"));
}
void ConfusionMatrix::update(const Tensor& logits, const Tensor& labels) {
    update(logits, label_vector(labels, "ConfusionMatrix::update"));
}

ConfusionMatrix::ConfusionMatrix(int64_t num_classes) : num_classes_(num_classes) {
    DESCENT_CHECK(num_classes > 0 && num_classes <= 100000, ValueError,
                  "ConfusionMatrix(): num_classes must be in [1, 100000], got ", num_classes);
    counts_.assign(static_cast<size_t>(num_classes * num_classes), 0);
}

void ConfusionMatrix::update(const Tensor& logits, const std::vector<int64_t>& labels) {
    DESCENT_CHECK(logits.defined() && logits.dim() == 2 && logits.size(1) == num_classes_,
                  ShapeError, "ConfusionMatrix::update(): logits must be [N, ", num_classes_,
                  "], got ", logits.defined() ? logits.shape() : Shape{});
    update(predictions(logits), labels);
}

void ConfusionMatrix::update(const std::vector<int64_t>& predicted,
                             const std::vector<int64_t>& labels) {
    DESCENT_CHECK(predicted.size() == labels.size(), ShapeError,
                  "ConfusionMatrix::update(): ", predicted.size(), " predictions but ",
                  labels.size(), " labels");
    // Every pair is checked before any is counted: a refused update leaves the matrix as it was.
    for (size_t i = 0; i < labels.size(); ++i)
        DESCENT_CHECK(labels[i] >= 0 && labels[i] < num_classes_ && predicted[i] >= 0 &&
                          predicted[i] < num_classes_,
                      IndexError, "ConfusionMatrix::update(): sample ", i, " has label ", labels[i],
                      " and prediction ", predicted[i], ", outside [0, ", num_classes_, ")");
    for (size_t i = 0; i < labels.size(); ++i)
        ++counts_[static_cast<size_t>(labels[i] * num_classes_ + predicted[i])];
}

void ConfusionMatrix::reset() { std::fill(counts_.begin(), counts_.end(), 0); }

int64_t ConfusionMatrix::at(int64_t truth, int64_t predicted) const {
    DESCENT_CHECK(truth >= 0 && truth < num_classes_ && predicted >= 0 && predicted < num_classes_,
                  IndexError, "ConfusionMatrix::at(", truth, ", ", predicted, "): classes are [0, ",
                  num_classes_, ")");
    return counts_[static_cast<size_t>(truth * num_classes_ + predicted)];
}

int64_t ConfusionMatrix::total() const {
    int64_t n = 0;
    for (int64_t c : counts_) n += c;
    return n;
}

double ConfusionMatrix::accuracy() const {
    int64_t diagonal = 0;
    for (int64_t k = 0; k < num_classes_; ++k) diagonal += at(k, k);
    const int64_t n = total();
    return n == 0 ? 0.0 : static_cast<double>(diagonal) / static_cast<double>(n);
}

double ConfusionMatrix::recall(int64_t truth) const {
    int64_t row = 0;
    for (int64_t p = 0; p < num_classes_; ++p) row += at(truth, p);
    return row == 0 ? 0.0 : static_cast<double>(at(truth, truth)) / static_cast<double>(row);
}

std::string ConfusionMatrix::to_string(const std::vector<std::string>& class_names) const {
    DESCENT_CHECK(class_names.empty() || static_cast<int64_t>(class_names.size()) == num_classes_,
                  ValueError, "ConfusionMatrix::to_string(): ", class_names.size(),
                  " class names for ", num_classes_, " classes");
    const auto name = [&](int64_t k) {
        return class_names.empty() ? std::to_string(k) : class_names[static_cast<size_t>(k)];
    };
    size_t label_width = 5;  // "truth"
    for (int64_t k = 0; k < num_classes_; ++k) label_width = std::max(label_width, name(k).size());
    int cell = 5;
    for (int64_t c : counts_) cell = std::max(cell, static_cast<int>(std::to_string(c).size()) + 1);

    std::ostringstream s;
    char buf[64];
    s << std::string(label_width, ' ') << " predicted ->\n"
      << "truth";
    s << std::string(label_width - 5, ' ');
    for (int64_t p = 0; p < num_classes_; ++p) {
        s << std::setw(cell) << p;
    }
    s << "  recall\n";
    for (int64_t t = 0; t < num_classes_; ++t) {
        const std::string label = name(t);
        s << label << std::string(label_width - label.size(), ' ');
        for (int64_t p = 0; p < num_classes_; ++p) {
            s << std::setw(cell) << at(t, p);
        }
        std::snprintf(buf, sizeof buf, "  %5.1f%%", 100.0 * recall(t));
        s << buf << "\n";
    }
    if (!class_names.empty()) {
        s << "columns:";
        for (int64_t k = 0; k < num_classes_; ++k) s << " " << k << "=" << name(k);
        s << "\n";
    }
    return s.str();
}

}  // namespace descent::train
