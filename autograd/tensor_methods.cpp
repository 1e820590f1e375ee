// The Tensor methods that touch the graph: backward, detach, retain_grad, the in-place updates and
// the method forms of the ops. Declared with the class in core/tensor.hpp; defined here because
// they need autograd, which core does not see.
#include <algorithm>
#include <cmath>
#include <vector>

#include "descent/autograd/engine.hpp"
#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/advanced_index.hpp"
#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/softmax.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/kernels/copy.hpp"
#include "descent/core/random.hpp"

namespace descent {

void Tensor::backward(const Tensor& gradient, bool retain_graph, bool create_graph) const {
    autograd::backward({*this}, {gradient}, retain_graph, create_graph);
}

Tensor Tensor::detach() const { return alias(*this); }

Tensor Tensor::contiguous(CallSite) const {
    if (!defined() || is_contiguous()) return *this;  // an op's own check names an undefined input
    return descent::clone(*this);
}

void Tensor::retain_grad() const {
    DESCENT_CHECK(requires_grad(), StateError, "retain_grad(): a tensor of shape ", shape(),
                  " that does not require grad has no gradient to retain");
    if (is_leaf()) return;  // leaves keep their gradient anyway
    impl_->retains_grad = true;
    grad_fn()->retained_output = impl_;
}

// ---- in place ----------------------------------------------------------------------------------

namespace {

// In-place updates are not recorded: refuse them where a graph would be needed, and where two
// elements of self share one memory location (an expanded view), as PyTorch does.
void check_inplace(const Tensor& self, const Tensor* other, const char* op) {
    DESCENT_CHECK(self.defined(), ValueError, op, "(): undefined tensor");
    DESCENT_CHECK(self.is_contiguous() || !has_internal_overlap(self.shape(), self.strides()),
                  StateError, op, "(): more than one element of the written-to tensor (sizes ",
                  self.shape(), ", strides ", Shape(self.strides().begin(), self.strides().end()),
                  ") refers to a single memory location; clone() it before writing in place");
    const bool grad_on = autograd::GradMode::is_enabled();
    DESCENT_CHECK(!(grad_on && self.requires_grad()), StateError, op,
                  "(): cannot modify in place a tensor of shape ", self.shape(),
                  " that requires grad while grad mode is on; wrap the update in NoGradGuard "
                  "(as optimizers do) or use the out-of-place op");
    if (!other) return;
    DESCENT_CHECK(other->defined(), ValueError, op, "(): undefined operand");
    DESCENT_CHECK(!(grad_on && other->requires_grad()), StateError, op, "(): the operand of shape ",
                  other->shape(),
                  " requires grad, but in-place ops are not recorded; use the recorded "
                  "out-of-place index_put(x, {...}, value)");
    DESCENT_CHECK(broadcast_shapes(self.shape(), other->shape(), op) == self.shape(), ShapeError,
                  op, "(): operand of shape ", other->shape(),
                  " does not broadcast to the tensor's shape ", self.shape());
}

Tensor& bumped(Tensor& t) {
    t.impl()->storage->bump_version();
    return t;
}

// An operand that shares memory with self in another layout (x.add_(x.t())) is read from a copy,
// so that the write cannot change values the op has still to read.
Tensor operand(const Tensor& self, const Tensor& other) {
    const TensorImpl &s = *self.impl(), &o = *other.impl();
    const bool same_layout = s.offset == o.offset && s.strides == o.strides && s.shape == o.shape;
    if (s.storage != o.storage || same_layout) return other;
    if (other.dtype() != kFloat32) return other.clone();
    Tensor copy = make_tensor(other.shape());
    kernels::strided_copy(o.first(), o.strides, copy.data(), copy.strides(), o.shape);
    return copy;
}

// PyTorch's can_cast: an in-place result may narrow within its kind (float64 into float32) but
// not change kind downward (floating into an integer, an integer into bool).
void check_cast(const Tensor& self, ScalarType result, const char* op) {
    const bool ok = !(is_floating_point(result) && !self.is_floating_point()) &&
                    !(is_integral(result) && self.dtype() == kBool);
    DESCENT_CHECK(ok, TypeError, op, "(): result type ", result,
                  " can't be cast to the desired output type ", self.dtype(),
                  " (the tensor of shape ", self.shape(), " written in place)");
}

// A C++ number for an in-place update of self: floating only if it has a fractional part, so
// that x_int64 *= 2.0 stays an integer update (the C++ type is lost in the double parameter).
Tensor inplace_scalar(const Tensor& self, double value) {
    return ops_detail::scalar_operand(self, value,
                                      !std::isfinite(value) || value != std::trunc(value));
}

// self = f(self, other) in place for a self or other that is not float32, after check_cast.
Tensor& binary_inplace(Tensor& self, kernels::Binary f, const Tensor& other, const char* op);

// Runs the in-place update f on self's elements: directly when self is contiguous; for a view,
// on a contiguous copy that is then written back through the view's strides into its base.
template <class F>
Tensor& through_view(Tensor& self, F&& f) {
    if (self.is_contiguous()) {
        f(self);
    } else {
        Tensor tmp = descent::detail::dense(self);
        f(tmp);
        if (self.dtype() == kFloat32)
            kernels::strided_copy(tmp.data(), tmp.strides(), self.impl()->first(), self.strides(),
                                  self.shape());
        else
            kernels::convert(tmp.dtype(), tmp.impl()->first_raw(), tmp.strides(), self.dtype(),
                             self.impl()->first_raw(), self.strides(), self.shape());
    }
    return bumped(self);
}

// uniform_ / normal_: floating tensors only, as PyTorch. float64 widens the same float32 draws, so a
// model initialised from one seed starts from the same values in float32 and in float64.
template <class Fill>
Tensor& random_fill(Tensor& self, const char* op, Fill fill) {
    DESCENT_CHECK(self.is_floating_point(), TypeError, op, "(): expected a floating tensor, got ",
                  self.dtype());
    return through_view(self, [&](Tensor& out) {
        if (out.dtype() == kFloat32) return fill(out.data(), out.numel());
        std::vector<float> draws(static_cast<size_t>(out.numel()));
        fill(draws.data(), out.numel());
        std::copy(draws.begin(), draws.end(), out.data<double>());
    });
}

Tensor& binary_inplace(Tensor& self, kernels::Binary f, const Tensor& other, const char* op) {
    check_cast(self, ops_detail::binary_dtypes(f, self.dtype(), other.dtype(), op).result, op);
    return through_view(self,
                        [&](Tensor& out) { ops_detail::binary_into(f, out, other, out, op); });
}

// add_ and sub_ share one body; op names the caller so its errors say what was called.
Tensor& add_scaled(Tensor& self, const Tensor& other_, float alpha, const char* op) {
    check_inplace(self, &other_, op);
    const Tensor other = operand(self, other_);
    if (self.dtype() != kFloat32 || other.dtype() != kFloat32) {
        const Tensor scaled = alpha == 1.0f ? other : mul(other, inplace_scalar(other, alpha));
        return binary_inplace(self, kernels::Binary::Add, scaled, op);
    }
    return through_view(self, [&](Tensor& out) {
        if (other.shape() == out.shape()) {
            kernels::axpy(alpha, descent::detail::dense(other).data(), other.numel(), out.data());
        } else if (alpha == 1.0f) {
            ops_detail::binary_into(kernels::Binary::Add, out, other, out);
        } else {
            Tensor scaled = make_tensor(other.shape());
            ops_detail::unary_into(kernels::Unary::Affine, other, scaled, alpha, 0.0f);
            ops_detail::binary_into(kernels::Binary::Add, out, scaled, out);
        }
    });
}

}  // namespace

Tensor& Tensor::zero_() { return fill_(0.0); }

// As torch's fill_, the value is converted as a cast: 2.7 into int64 is 2, into bool true.
Tensor& Tensor::fill_(double value) {
    check_inplace(*this, nullptr, "fill_");
    if (dtype() != kFloat32) {  // one converting copy from a broadcast 0-d source
        kernels::convert(kFloat64, &value, std::vector<int64_t>(shape().size(), 0), dtype(),
                         impl_->first_raw(), strides(), shape());
    } else if (is_contiguous()) {
        kernels::fill(data(), numel(), static_cast<float>(value));
    } else {
        kernels::strided_fill(impl_->first(), strides(), shape(), static_cast<float>(value));
    }
    return bumped(*this);
}

Tensor& Tensor::copy_(const Tensor& src_) {
    check_inplace(*this, &src_, "copy_");
    const Tensor src = operand(*this, src_);
    // src read through its own strides, broadcast dims with stride 0: no copy of src either
    std::vector<int64_t> from(shape().size(), 0);
    const size_t lead = shape().size() - src.shape().size();
    for (size_t d = 0; d < src.shape().size(); ++d)
        if (src.shape()[d] != 1) from[lead + d] = src.strides()[d];
    if (dtype() == kFloat32 && src.dtype() == kFloat32)
        kernels::strided_copy(src.impl()->first(), from, impl_->first(), strides(), shape());
    else  // any dtype into any, converted as a cast (as torch's copy_)
        kernels::convert(src.dtype(), src.impl()->first_raw(), from, dtype(), impl_->first_raw(),
                         strides(), shape());
    return bumped(*this);
}

Tensor& Tensor::add_(const Tensor& other, float alpha) {
    return add_scaled(*this, other, alpha, "add_");
}

Tensor& Tensor::sub_(const Tensor& other, float alpha) {
    return add_scaled(*this, other, -alpha, "sub_");
}

Tensor& Tensor::mul_(const Tensor& other_) {
    check_inplace(*this, &other_, "mul_");
    const Tensor other = operand(*this, other_);
    if (dtype() != kFloat32 || other.dtype() != kFloat32)
        return binary_inplace(*this, kernels::Binary::Mul, other, "mul_");
    return through_view(*this, [&](Tensor& out) {
        ops_detail::binary_into(kernels::Binary::Mul, out, other, out);
    });
}

Tensor& Tensor::mul_(double value) {
    check_inplace(*this, nullptr, "mul_");
    if (dtype() != kFloat32)
        return binary_inplace(*this, kernels::Binary::Mul, inplace_scalar(*this, value), "mul_");
    return through_view(*this, [&](Tensor& out) {
        ops_detail::unary_into(kernels::Unary::Affine, out, out, value, 0.0f);
    });
}

Tensor& Tensor::div_(const Tensor& other_) {
    check_inplace(*this, &other_, "div_");
    const Tensor other = operand(*this, other_);
    if (dtype() != kFloat32 || other.dtype() != kFloat32)
        return binary_inplace(*this, kernels::Binary::Div, other, "div_");
    return through_view(*this, [&](Tensor& out) {
        ops_detail::binary_into(kernels::Binary::Div, out, other, out);
    });
}

Tensor& Tensor::add_(double value) {
    check_inplace(*this, nullptr, "add_");
    if (dtype() != kFloat32)
        return binary_inplace(*this, kernels::Binary::Add, inplace_scalar(*this, value), "add_");
    ops_detail::unary_into(kernels::Unary::Affine, *this, *this, 1.0f, value);
    return bumped(*this);
}

Tensor& Tensor::sub_(double value) {
    check_inplace(*this, nullptr, "sub_");
    if (dtype() != kFloat32)
        return binary_inplace(*this, kernels::Binary::Sub, inplace_scalar(*this, value), "sub_");
    ops_detail::unary_into(kernels::Unary::Affine, *this, *this, 1.0f, -value);
    return bumped(*this);
}

// A true division, not a multiply by 1/value: x /= 3.f gives the bits x / 3.f does.
Tensor& Tensor::div_(double value) {
    check_inplace(*this, nullptr, "div_");
    if (dtype() != kFloat32)
        return binary_inplace(*this, kernels::Binary::Div, inplace_scalar(*this, value), "div_");
    ops_detail::binary_into(kernels::Binary::Div, *this, scalar_tensor(value), *this);
    return bumped(*this);
}

// The compound operators are the in-place methods, with their refusals.
Tensor& Tensor::operator+=(const Tensor& other) { return add_(other); }
Tensor& Tensor::operator+=(double value) { return add_(value); }
Tensor& Tensor::operator-=(const Tensor& other) { return sub_(other); }
Tensor& Tensor::operator-=(double value) { return sub_(value); }
Tensor& Tensor::operator*=(const Tensor& other) { return mul_(other); }
Tensor& Tensor::operator*=(double value) { return mul_(value); }
Tensor& Tensor::operator/=(const Tensor& other) { return div_(other); }
Tensor& Tensor::operator/=(double value) { return div_(value); }

Tensor& Tensor::clamp_(float min, float max) {
    check_inplace(*this, nullptr, "clamp_");
    DESCENT_CHECK(!(min > max), ValueError, "clamp_(): min ", min, " is greater than max ", max);
    return through_view(*this, [&](Tensor& out) {
        ops_detail::unary_into(kernels::Unary::Clamp, out, out, min, max);
    });
}

Tensor& Tensor::uniform_(float low, float high) { return uniform_(low, high, default_generator()); }

Tensor& Tensor::uniform_(float low, float high, Generator& gen) {
    check_inplace(*this, nullptr, "uniform_");
    DESCENT_CHECK(low <= high, ValueError, "uniform_(): low ", low, " must be <= high ", high);
    return random_fill(*this, "uniform_",
                       [&](float* out, int64_t n) { gen.fill_uniform(out, n, low, high); });
}

Tensor& Tensor::normal_(float mean, float std) { return normal_(mean, std, default_generator()); }

Tensor& Tensor::normal_(float mean, float std, Generator& gen) {
    check_inplace(*this, nullptr, "normal_");
    DESCENT_CHECK(std >= 0.0f, ValueError, "normal_(): std must be >= 0, got ", std);
    return random_fill(*this, "normal_",
                       [&](float* out, int64_t n) { gen.fill_normal(out, n, mean, std); });
}

// index_put_: the write goes through the view index(indices), so base and views see it. The checks
// are this tensor's (grad, shape), made before the view exists.
Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices,
                           const Tensor& value) {
    check_inplace(*this, nullptr, "index_put_");
    DESCENT_CHECK(value.defined(), ValueError, "index_put_(): undefined value");
    DESCENT_CHECK(!(autograd::GradMode::is_enabled() && value.requires_grad()), StateError,
                  "index_put_(): the value of shape ", value.shape(),
                  " requires grad, but in-place ops are not recorded; use the recorded "
                  "out-of-place index_put(x, {...}, value)");
    autograd::NoGradGuard no_grad;  // the view only carries the write
    // Advanced indexing has no view to write through: it writes element by element.
    if (ops_detail::has_tensor_index(indices)) {
        ops_detail::advanced_index_put_(*this, indices, value);
        return *this;
    }
    Tensor region = descent::index(*this, indices);
    DESCENT_CHECK(broadcast_shapes(region.shape(), value.shape(), "index_put_") == region.shape(),
                  ShapeError, "index_put_(): value of shape ", value.shape(),
                  " does not broadcast to the indexed shape ", region.shape());
    region.copy_(value);
    return *this;
}

Tensor& Tensor::index_put_(std::initializer_list<indexing::TensorIndex> indices, float value) {
    check_inplace(*this, nullptr, "index_put_");
    autograd::NoGradGuard no_grad;
    if (ops_detail::has_tensor_index(indices)) {
        ops_detail::advanced_index_put_(*this, indices, scalar_tensor(value));
        return *this;
    }
    Tensor region = descent::index(*this, indices);
    region.fill_(value);
    return *this;
}

// ---- method forms ------------------------------------------------------------------------------
// The method's CallSite, made at the user's call, is the one the free function's nodes see.

Tensor Tensor::clone(CallSite) const { return descent::clone(*this); }
Tensor Tensor::neg(CallSite) const { return descent::neg(*this); }
Tensor Tensor::exp(CallSite) const { return descent::exp(*this); }
Tensor Tensor::log(CallSite) const { return descent::log(*this); }
Tensor Tensor::sqrt(CallSite) const { return descent::sqrt(*this); }
Tensor Tensor::abs(CallSite) const { return descent::abs(*this); }
Tensor Tensor::tanh(CallSite) const { return descent::tanh(*this); }
Tensor Tensor::sigmoid(CallSite) const { return descent::sigmoid(*this); }
Tensor Tensor::relu(CallSite) const { return descent::relu(*this); }
Tensor Tensor::pow(float exponent, CallSite) const { return descent::pow(*this, exponent); }
Tensor Tensor::pow(const Tensor& exponent, CallSite) const { return descent::pow(*this, exponent); }
Tensor Tensor::clamp(float min, float max, CallSite) const {
    return descent::clamp(*this, min, max);
}
Tensor Tensor::sin(CallSite) const { return descent::sin(*this); }
Tensor Tensor::cos(CallSite) const { return descent::cos(*this); }
Tensor Tensor::log1p(CallSite) const { return descent::log1p(*this); }
Tensor Tensor::expm1(CallSite) const { return descent::expm1(*this); }
Tensor Tensor::square(CallSite) const { return descent::square(*this); }
Tensor Tensor::rsqrt(CallSite) const { return descent::rsqrt(*this); }
Tensor Tensor::reciprocal(CallSite) const { return descent::reciprocal(*this); }
Tensor Tensor::erf(CallSite) const { return descent::erf(*this); }

Tensor Tensor::sum(CallSite) const { return descent::sum(*this); }
Tensor Tensor::sum(int64_t dim, bool keepdim, CallSite) const {
    return descent::sum(*this, dim, keepdim);
}
Tensor Tensor::mean(CallSite) const { return descent::mean(*this); }
Tensor Tensor::mean(int64_t dim, bool keepdim, CallSite) const {
    return descent::mean(*this, dim, keepdim);
}
Tensor Tensor::max(CallSite) const { return descent::max(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim, CallSite) const {
    return descent::max(*this, dim, keepdim);
}
Tensor Tensor::min(CallSite) const { return descent::min(*this); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim, CallSite) const {
    return descent::min(*this, dim, keepdim);
}
Tensor Tensor::var(bool unbiased, CallSite) const { return descent::var(*this, unbiased); }
Tensor Tensor::var(int64_t dim, bool unbiased, bool keepdim, CallSite) const {
    return descent::var(*this, dim, unbiased, keepdim);
}
Tensor Tensor::var(int dim, bool unbiased, bool keepdim, CallSite) const {
    return descent::var(*this, dim, unbiased, keepdim);
}
Tensor Tensor::sum_to_size(const Shape& shape, CallSite) const {
    return descent::sum_to_size(*this, shape);
}

Tensor Tensor::matmul(const Tensor& other, CallSite) const { return descent::matmul(*this, other); }
Tensor Tensor::mm(const Tensor& other, CallSite) const {
    return descent::mm(*this, other, false, false);
}
Tensor Tensor::reshape(const Shape& shape, CallSite) const {
    return descent::reshape(*this, shape);
}
Tensor Tensor::view(const Shape& shape, CallSite) const { return descent::view(*this, shape); }
Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim, CallSite) const {
    return descent::flatten(*this, start_dim, end_dim);
}
Tensor Tensor::squeeze(CallSite) const { return descent::squeeze(*this); }
Tensor Tensor::squeeze(int64_t dim, CallSite) const { return descent::squeeze(*this, dim); }
Tensor Tensor::unsqueeze(int64_t dim, CallSite) const { return descent::unsqueeze(*this, dim); }
Tensor Tensor::expand(const Shape& shape, CallSite) const { return descent::expand(*this, shape); }
Tensor Tensor::t(CallSite) const { return descent::t(*this); }
Tensor Tensor::transpose(int64_t dim0, int64_t dim1, CallSite) const {
    return descent::transpose(*this, dim0, dim1);
}
Tensor Tensor::permute(const std::vector<int64_t>& dims, CallSite) const {
    return descent::permute(*this, dims);
}
// All dims reversed (PyTorch's .T; PyTorch warns below or above 2 dims, descent does not). A
// method only: a free function named T would clash with users' own `T`s.
Tensor Tensor::T(CallSite) const {
    DESCENT_CHECK(defined(), ValueError, "T(): called on an undefined tensor");
    std::vector<int64_t> dims(dim());
    for (int64_t i = 0; i < dim(); ++i) dims[i] = dim() - 1 - i;
    return descent::permute(*this, dims);
}
Tensor Tensor::diagonal(int64_t offset, int64_t dim1, int64_t dim2, CallSite) const {
    return descent::diagonal(*this, offset, dim1, dim2);
}
Tensor Tensor::unfold(int64_t dim, int64_t size, int64_t step, CallSite) const {
    return descent::unfold(*this, dim, size, step);
}
Tensor Tensor::index(std::initializer_list<indexing::TensorIndex> indices, CallSite) const {
    return descent::index(*this, indices);
}
Tensor Tensor::operator[](int64_t index) const { return descent::select(*this, 0, index); }
Tensor Tensor::index_put(std::initializer_list<indexing::TensorIndex> indices, const Tensor& value,
                         CallSite) const {
    return descent::index_put(*this, indices, value);
}
Tensor Tensor::index_put(std::initializer_list<indexing::TensorIndex> indices, float value,
                         CallSite) const {
    return descent::index_put(*this, indices, value);
}
Tensor Tensor::slice(int64_t dim, int64_t start, int64_t end, int64_t step, CallSite) const {
    return descent::slice(*this, dim, start, end, step);
}
Tensor Tensor::narrow(int64_t dim, int64_t start, int64_t length, CallSite) const {
    return descent::narrow(*this, dim, start, length);
}
Tensor Tensor::select(int64_t dim, int64_t index, CallSite) const {
    return descent::select(*this, dim, index);
}
Tensor Tensor::index_select(int64_t dim, const std::vector<int64_t>& index, CallSite) const {
    return descent::index_select(*this, dim, index);
}
Tensor Tensor::gather(int64_t dim, const std::vector<int64_t>& index, CallSite) const {
    return descent::gather(*this, dim, index);
}

Tensor Tensor::softmax(int64_t dim, CallSite) const { return descent::softmax(*this, dim); }
Tensor Tensor::log_softmax(int64_t dim, CallSite) const { return descent::log_softmax(*this, dim); }
Tensor Tensor::logsumexp(int64_t dim, bool keepdim, CallSite) const {
    return descent::logsumexp(*this, dim, keepdim);
}

}  // namespace descent
