// Subset's index remapping and random_split's seeded permutation.
#include "descent/data/subset.hpp"

#include <sstream>

#include "descent/core/error.hpp"
#include "descent/core/random.hpp"

namespace descent::data {

Subset::Subset(std::shared_ptr<Dataset> dataset, std::vector<int64_t> indices)
    : dataset_(std::move(dataset)), indices_(std::move(indices)) {
    DESCENT_CHECK(dataset_, ValueError, "Subset(): dataset is null");
    detail::check_indices(indices_, dataset_->size(), "Subset");
}

Batch Subset::get_batch(const std::vector<int64_t>& indices) const {
    detail::check_indices(indices, size(), "Subset::get_batch");
    std::vector<int64_t> inner(indices.size());
    for (size_t i = 0; i < indices.size(); ++i) inner[i] = indices_[indices[i]];
    return dataset_->get_batch(inner);
}

std::vector<std::shared_ptr<Subset>> random_split(std::shared_ptr<Dataset> dataset,
                                                  std::vector<int64_t> lengths, uint64_t seed) {
    DESCENT_CHECK(dataset, ValueError, "random_split(): dataset is null");
    std::ostringstream shown;
    int64_t total = 0;
    for (size_t i = 0; i < lengths.size(); ++i) {
        shown << (i ? ", " : "") << lengths[i];
        total += lengths[i];
    }
    for (int64_t n : lengths)
        DESCENT_CHECK(n >= 0, ValueError, "random_split(): lengths (", shown.str(),
                      ") include a negative length");
    DESCENT_CHECK(total == dataset->size(), ValueError, "random_split(): lengths (", shown.str(),
                  ") sum to ", total, ", the dataset has ", dataset->size(), " samples");

    Generator gen(seed);
    const std::vector<int64_t> perm = randperm(total, gen);
    std::vector<std::shared_ptr<Subset>> out;
    auto at = perm.begin();
    for (int64_t n : lengths) {
        out.push_back(std::make_shared<Subset>(dataset, std::vector<int64_t>(at, at + n)));
        at += n;
    }
    return out;
}

}  // namespace descent::data
