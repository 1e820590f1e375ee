// Dataset's out-of-line destructor and the index checks every dataset shares.
#include "descent/data/dataset.hpp"

#include "descent/core/error.hpp"

namespace descent::data {

Dataset::~Dataset() = default;

namespace detail {
void check_indices(const std::vector<int64_t>& indices, int64_t size, const char* op) {
    for (size_t i = 0; i < indices.size(); ++i)
        DESCENT_CHECK(indices[i] >= 0 && indices[i] < size, IndexError, op, "(): index ",
                      indices[i], " (position ", i, ") is out of range for a dataset of ", size);
}
}  // namespace detail

}  // namespace descent::data
