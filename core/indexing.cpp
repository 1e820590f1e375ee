// TensorIndex's tensor form, out of line: core/indexing.hpp sees Tensor only declared.
#include "descent/core/indexing.hpp"

#include "descent/core/tensor.hpp"

namespace descent::indexing {

TensorIndex::TensorIndex(const Tensor& tensor) : kind_(Kind::Tensor), tensor_(tensor.impl_ptr()) {
    if (!tensor.defined()) detail::throw_undefined("index() with a tensor index");
}

Tensor TensorIndex::tensor() const { return Tensor(tensor_); }

}  // namespace descent::indexing
