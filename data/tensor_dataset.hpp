// TensorDataset: samples held in memory as one tensor, the rows of its first dim, with a class
// label or a target tensor per row (torch.utils.data.TensorDataset).
#pragma once

#include "descent/data/dataset.hpp"

namespace descent::data {

class TensorDataset : public Dataset {
public:
    // data [N, ...] with N class labels.
    TensorDataset(Tensor data, std::vector<int64_t> labels);
    // data [N, ...] with targets [N, ...]; an int64 targets [N] holds class labels (batches'
    // labels).
    TensorDataset(Tensor data, Tensor targets);

    int64_t size() const override { return data_.size(0); }
    // Copies the requested rows (one memcpy each) into a new [B, ...] tensor.
    Batch get_batch(const std::vector<int64_t>& indices) const override;

    const Tensor& data() const { return data_; }
    const Tensor& targets() const { return targets_; }
    const std::vector<int64_t>& labels() const { return labels_; }

private:
    Tensor data_, targets_;
    std::vector<int64_t> labels_;
};

}  // namespace descent::data
