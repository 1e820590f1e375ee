// Dataset's out-of-line destructor, the index checks every dataset shares, and Batch's refusal to
// bind labels it does not have.
#include "descent/data/dataset.hpp"

#include "descent/core/error.hpp"

namespace descent::data {

Dataset::~Dataset() = default;

void Batch::check_labelled() const {
    DESCENT_CHECK(
        !(!labels.defined() && target.defined()), StateError,
        "Batch: `auto& [x, y] = batch` binds class labels, and this dataset has none: its "
        "targets are a tensor of shape ",
        target.shape(), "; use batch.data and batch.target");
}

namespace detail {
void check_indices(const std::vector<int64_t>& indices, int64_t size, const char* op) {
    for (size_t i = 0; i < indices.size(); ++i)
        DESCENT_CHECK(indices[i] >= 0 && indices[i] < size, IndexError, op, "(): index ",
                      indices[i], " (position ", i, ") is out of range for a dataset of ", size);
}
}  // namespace detail

}  // namespace descent::data
