// The method forms of the everyday ops (core/tensor.hpp's "everyday ops" block): each calls the
// free function of autograd/ops with the same arguments. The method's CallSite, made at the
// user's call, is the one the free function's nodes see.
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/compare.hpp"
#include "descent/autograd/ops/norm.hpp"
#include "descent/autograd/ops/pointwise.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/reorder.hpp"
#include "descent/autograd/ops/repeat.hpp"
#include "descent/autograd/ops/scan.hpp"
#include "descent/autograd/ops/split.hpp"

namespace descent {

using Dims = std::vector<int64_t>;

Tensor Tensor::sum(const Dims& dims, bool keepdim, CallSite) const {
    return descent::sum(*this, dims, keepdim);
}
Tensor Tensor::mean(const Dims& dims, bool keepdim, CallSite) const {
    return descent::mean(*this, dims, keepdim);
}
Tensor Tensor::amax(const Dims& dims, bool keepdim, CallSite) const {
    return descent::amax(*this, dims, keepdim);
}
Tensor Tensor::amax(int64_t dim, bool keepdim, CallSite) const {
    return descent::amax(*this, dim, keepdim);
}
Tensor Tensor::amin(const Dims& dims, bool keepdim, CallSite) const {
    return descent::amin(*this, dims, keepdim);
}
Tensor Tensor::amin(int64_t dim, bool keepdim, CallSite) const {
    return descent::amin(*this, dim, keepdim);
}
Tensor Tensor::var(const Dims& dims, int64_t correction, bool keepdim, CallSite) const {
    return descent::var(*this, dims, correction, keepdim);
}
Tensor Tensor::var(std::nullopt_t all, int64_t correction, bool keepdim, CallSite) const {
    return descent::var(*this, all, correction, keepdim);
}
Tensor Tensor::var(int64_t dim, int correction, bool keepdim, CallSite) const {
    return descent::var(*this, dim, correction, keepdim);
}
Tensor Tensor::var(int dim, int correction, bool keepdim, CallSite) const {
    return descent::var(*this, dim, correction, keepdim);
}
Tensor Tensor::std(bool unbiased, CallSite) const { return descent::std(*this, unbiased); }
Tensor Tensor::std(int64_t dim, bool unbiased, bool keepdim, CallSite) const {
    return descent::std(*this, dim, unbiased, keepdim);
}
Tensor Tensor::std(int dim, bool unbiased, bool keepdim, CallSite) const {
    return descent::std(*this, dim, unbiased, keepdim);
}
Tensor Tensor::std(const Dims& dims, int64_t correction, bool keepdim, CallSite) const {
    return descent::std(*this, dims, correction, keepdim);
}
Tensor Tensor::std(std::nullopt_t all, int64_t correction, bool keepdim, CallSite) const {
    return descent::std(*this, all, correction, keepdim);
}
Tensor Tensor::std(int64_t dim, int correction, bool keepdim, CallSite) const {
    return descent::std(*this, dim, correction, keepdim);
}
Tensor Tensor::std(int dim, int correction, bool keepdim, CallSite) const {
    return descent::std(*this, dim, correction, keepdim);
}
Tensor Tensor::norm(float p, CallSite) const { return descent::norm(*this, p); }
Tensor Tensor::norm(float p, const Dims& dims, bool keepdim, CallSite) const {
    return descent::norm(*this, p, dims, keepdim);
}
Tensor Tensor::norm(const std::string& p, const Dims& dims, bool keepdim, CallSite) const {
    return descent::norm(*this, p, dims, keepdim);
}
Tensor Tensor::prod(CallSite) const { return descent::prod(*this); }
Tensor Tensor::prod(int64_t dim, bool keepdim, CallSite) const {
    return descent::prod(*this, dim, keepdim);
}
Tensor Tensor::cumsum(int64_t dim, CallSite) const { return descent::cumsum(*this, dim); }
Tensor Tensor::cumprod(int64_t dim, CallSite) const { return descent::cumprod(*this, dim); }

std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim, CallSite) const {
    return descent::chunk(*this, chunks, dim);
}
std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim, CallSite) const {
    return descent::split(*this, split_size, dim);
}
std::vector<Tensor> Tensor::split(const Dims& split_sizes, int64_t dim, CallSite) const {
    return descent::split(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::split_with_sizes(const Dims& split_sizes, int64_t dim, CallSite) const {
    return descent::split_with_sizes(*this, split_sizes, dim);
}
std::vector<Tensor> Tensor::unbind(int64_t dim, CallSite) const {
    return descent::unbind(*this, dim);
}
Tensor Tensor::repeat(const Dims& repeats, CallSite) const {
    return descent::repeat(*this, repeats);
}
Tensor Tensor::tile(const Dims& reps, CallSite) const { return descent::tile(*this, reps); }
Tensor Tensor::repeat_interleave(int64_t repeats, std::optional<int64_t> dim, CallSite) const {
    return descent::repeat_interleave(*this, repeats, dim);
}
Tensor Tensor::flip(const Dims& dims, CallSite) const { return descent::flip(*this, dims); }
Tensor Tensor::roll(const Dims& shifts, const Dims& dims, CallSite) const {
    return descent::roll(*this, shifts, dims);
}
Tensor Tensor::tril(int64_t diagonal, CallSite) const { return descent::tril(*this, diagonal); }
Tensor Tensor::triu(int64_t diagonal, CallSite) const { return descent::triu(*this, diagonal); }

Tensor Tensor::clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max,
                     CallSite) const {
    return descent::clamp(*this, min, max);
}
Tensor Tensor::clamp(std::optional<float> min, std::optional<float> max, CallSite) const {
    return descent::clamp(*this, min, max);
}
Tensor Tensor::lerp(const Tensor& end, float weight, CallSite) const {
    return descent::lerp(*this, end, weight);
}
Tensor Tensor::lerp(const Tensor& end, const Tensor& weight, CallSite) const {
    return descent::lerp(*this, end, weight);
}
Tensor Tensor::atan2(const Tensor& other, CallSite) const { return descent::atan2(*this, other); }
Tensor Tensor::floor(CallSite) const { return descent::floor(*this); }
Tensor Tensor::ceil(CallSite) const { return descent::ceil(*this); }
Tensor Tensor::round(CallSite) const { return descent::round(*this); }
Tensor Tensor::trunc(CallSite) const { return descent::trunc(*this); }
Tensor Tensor::nan_to_num(std::optional<float> nan, std::optional<float> posinf,
                          std::optional<float> neginf, CallSite) const {
    return descent::nan_to_num(*this, nan, posinf, neginf);
}

Tensor Tensor::floor_divide(const Tensor& other, CallSite) const {
    return descent::floor_divide(*this, other);
}
Tensor Tensor::remainder(const Tensor& other, CallSite) const {
    return descent::remainder(*this, other);
}
Tensor Tensor::eq(const Tensor& other) const { return descent::eq(*this, other); }
Tensor Tensor::ne(const Tensor& other) const { return descent::ne(*this, other); }
Tensor Tensor::lt(const Tensor& other) const { return descent::lt(*this, other); }
Tensor Tensor::le(const Tensor& other) const { return descent::le(*this, other); }
Tensor Tensor::gt(const Tensor& other) const { return descent::gt(*this, other); }
Tensor Tensor::ge(const Tensor& other) const { return descent::ge(*this, other); }

}  // namespace descent
