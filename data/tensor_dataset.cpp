// TensorDataset: checks of data against labels or targets, and the row gather of a batch.
#include "descent/data/tensor_dataset.hpp"

#include <cstring>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::data {

namespace {

void check_data(const Tensor& data) {
    DESCENT_CHECK(data.defined(), ValueError, "TensorDataset(): data is undefined");
    DESCENT_CHECK(data.dim() >= 1, ShapeError, "TensorDataset(): data of shape ", data.shape(),
                  " has no first dim to index samples by");
}

// The rows of t [N, ...] at `indices`, as a new [B, ...] tensor.
Tensor gather_rows(const Tensor& view, const std::vector<int64_t>& indices) {
    const Tensor t = descent::detail::dense(view);  // rows are read as row-major blocks
    Shape shape = t.shape();
    const int64_t row = shape[0] ? t.numel() / shape[0] : 0;
    shape[0] = static_cast<int64_t>(indices.size());
    Tensor out = make_tensor(shape);
    // [B] rows of [row] floats
    for (size_t b = 0; b < indices.size(); ++b)
        std::memcpy(out.data() + b * row, t.data() + indices[b] * row, row * sizeof(float));
    return out;
}

}  // namespace

TensorDataset::TensorDataset(Tensor data, std::vector<int64_t> labels)
    : data_(std::move(data)), labels_(std::move(labels)) {
    check_data(data_);
    DESCENT_CHECK(static_cast<int64_t>(labels_.size()) == data_.size(0), ShapeError,
                  "TensorDataset(): data of shape ", data_.shape(), " has ", data_.size(0),
                  " samples but ", labels_.size(), " labels");
}

TensorDataset::TensorDataset(Tensor data, Tensor targets)
    : data_(std::move(data)), targets_(std::move(targets)) {
    check_data(data_);
    DESCENT_CHECK(targets_.defined() && targets_.dim() >= 1 && targets_.size(0) == data_.size(0),
                  ShapeError, "TensorDataset(): data of shape ", data_.shape(),
                  " and targets of shape ", targets_.defined() ? targets_.shape() : Shape{},
                  targets_.defined() ? "" : " (undefined)", " differ in their first dim");
    if (targets_.dtype() == kInt64 && targets_.dim() == 1) {  // class labels, as torch's
        labels_ = targets_.to_vector<int64_t>();
        targets_ = Tensor();
    }
}

Batch TensorDataset::get_batch(const std::vector<int64_t>& indices) const {
    detail::check_indices(indices, size(), "TensorDataset::get_batch");
    Batch batch;
    batch.data = gather_rows(data_, indices);
    if (targets_.defined()) batch.target = gather_rows(targets_, indices);
    if (!labels_.empty() || !targets_.defined()) {
        std::vector<int64_t> labels;
        labels.reserve(indices.size());
        for (int64_t i : indices) labels.push_back(labels_[i]);
        batch.labels = tensor(labels);  // int64 [B]
    }
    return batch;
}

}  // namespace descent::data
