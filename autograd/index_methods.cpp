// Method forms of the index ops (autograd/ops/reduce.hpp's argmax / argmin, sort.hpp,
// gather.hpp): the same meaning as the free functions, indices as int64 tensors.
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/sort.hpp"
#include "descent/core/tensor.hpp"

namespace descent {

Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim, CallSite) const {
    return descent::argmax(*this, dim, keepdim);
}
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim, CallSite) const {
    return descent::argmin(*this, dim, keepdim);
}
std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted,
                                        CallSite) const {
    return descent::topk(*this, k, dim, largest, sorted);
}
std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending, CallSite) const {
    return descent::sort(*this, dim, descending);
}
Tensor Tensor::argsort(int64_t dim, bool descending, CallSite) const {
    return descent::argsort(*this, dim, descending);
}
Tensor Tensor::nonzero(CallSite) const { return descent::nonzero(*this); }
Tensor Tensor::gather(int64_t dim, const Tensor& index, CallSite) const {
    return descent::gather(*this, dim, index);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src, CallSite) const {
    return descent::scatter(*this, dim, index, src);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, double value, CallSite) const {
    return descent::scatter(*this, dim, index, value);
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor& index, const Tensor& src, CallSite) const {
    return descent::scatter_add(*this, dim, index, src);
}
Tensor Tensor::index_select(int64_t dim, const Tensor& index, CallSite) const {
    return descent::index_select(*this, dim, index);
}
Tensor Tensor::index_add(int64_t dim, const Tensor& index, const Tensor& source, double alpha,
                         CallSite) const {
    return descent::index_add(*this, dim, index, source, alpha);
}

}  // namespace descent
