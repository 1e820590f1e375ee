// Subset: a view of some samples of another dataset, by index; random_split cuts a dataset into
// disjoint random subsets (torch.utils.data.Subset and random_split). Neither copies samples.
#pragma once

#include <memory>

#include "descent/data/dataset.hpp"

namespace descent::data {

class Subset : public Dataset {
public:
    // IndexError if an index is outside the dataset; ValueError for a null dataset.
    Subset(std::shared_ptr<Dataset> dataset, std::vector<int64_t> indices);

    int64_t size() const override { return static_cast<int64_t>(indices_.size()); }
    Batch get_batch(const std::vector<int64_t>& indices) const override;

    const std::shared_ptr<Dataset>& dataset() const { return dataset_; }
    const std::vector<int64_t>& indices() const { return indices_; }

private:
    std::shared_ptr<Dataset> dataset_;
    std::vector<int64_t> indices_;
};

// Splits a random permutation of the dataset's indices (a pure function of `seed`) into
// consecutive pieces of `lengths`, which must sum to the dataset's size.
std::vector<std::shared_ptr<Subset>> random_split(std::shared_ptr<Dataset> dataset,
                                                  std::vector<int64_t> lengths, uint64_t seed);

}  // namespace descent::data
