// gradcheck and gradgradcheck: autograd gradients against central finite differences, with a
// report naming the worst element.
#include "descent/autograd/gradcheck.hpp"

#include <cmath>
#include <ostream>

#include "descent/autograd/engine.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/core/random.hpp"

namespace descent::autograd {

std::ostream& operator<<(std::ostream& os, const GradcheckResult& r) { return os << r.report; }

namespace {

// v · f(xs), accumulated in double.
double projected(const TensorFunction& f, const std::vector<Tensor>& xs, const Tensor& v) {
    const Tensor out = descent::detail::dense(f(xs));  // f may return a view
    DESCENT_CHECK(out.shape() == v.shape(), ShapeError, "gradcheck(): f returned shape ",
                  out.shape(), " on one call and ", v.shape(), " on another");
    DESCENT_CHECK(out.dtype() == v.dtype(), TypeError, "gradcheck(): f returned ", out.dtype(),
                  " on one call and ", v.dtype(), " on another");
    double s = 0.0;
    visit_dtype(out.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* o = out.data<T>();
        const T* w = v.data<T>();
        for (int64_t i = 0; i < out.numel(); ++i) s += double(o[i]) * double(w[i]);
    });
    return s;
}

// "(1, 2)": the multi-index of flat element i in shape.
std::string index_of(int64_t i, const Shape& shape) {
    Shape idx(shape.size());
    for (size_t d = shape.size(); d-- > 0;) {
        idx[d] = shape[d] ? i % shape[d] : 0;
        i = shape[d] ? i / shape[d] : 0;
    }
    return descent::detail::cat(idx);
}

}  // namespace

GradcheckResult gradcheck(const TensorFunction& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& opt) {
    DESCENT_CHECK(is_floating_point(opt.dtype), TypeError,
                  "gradcheck(): options.dtype must be floating, got ", opt.dtype);
    // Private copies in the checked dtype: perturbing them must not touch the caller's tensors.
    std::vector<Tensor> xs;
    std::vector<size_t> checked;  // indices of the inputs whose gradient is checked
    for (size_t i = 0; i < inputs.size(); ++i) {
        DESCENT_CHECK(inputs[i].defined(), ValueError, "gradcheck(): input ", i, " is undefined");
        const Tensor d = inputs[i].detach();
        Tensor x = d.is_floating_point() ? d.to(opt.dtype, false, /*copy=*/true) : d.clone();
        if (inputs[i].requires_grad()) {
            x.requires_grad_(true);
            checked.push_back(i);
        }
        xs.push_back(x);
    }
    DESCENT_CHECK(!checked.empty(), ValueError,
                  "gradcheck(): no input requires grad, so there is no gradient to check");

    // Analytic: one backward of v·f gives vᵀJ for every checked input.
    const Tensor out = f(xs);
    DESCENT_CHECK(out.defined(), ValueError, "gradcheck(): f returned an undefined tensor");
    DESCENT_CHECK(out.is_floating_point(), TypeError, "gradcheck(): f returned a ", out.dtype(),
                  " tensor; its gradient is not defined");
    Generator gen(opt.seed);
    Tensor v = randn(out.shape(), gen);  // float32 draws, so both dtypes project on the same v
    if (out.dtype() != v.dtype()) v = v.to(out.dtype());
    std::vector<Tensor> analytic(checked.size());
    if (out.requires_grad()) {
        std::vector<Tensor> wrt;
        for (size_t i : checked) wrt.push_back(xs[i]);
        analytic = grad({out}, wrt, {v}, /*retain_graph=*/false, /*create_graph=*/false,
                        /*allow_unused=*/true);
    }  // else f does not depend on the inputs through recorded ops: its gradient is zero

    GradcheckResult result{true, ""};
    double worst_score = -1.0;
    for (size_t c = 0; c < checked.size(); ++c) {
        Tensor& x = xs[checked[c]];
        const std::vector<double> a_all = analytic[c].defined()
                                              ? analytic[c].to(kFloat64).to_vector<double>()
                                              : std::vector<double>(x.numel(), 0.0);
        for (int64_t j = 0; j < x.numel(); ++j) {
            // v·f with element j of x moved by step (in x's dtype), then restored.
            auto at = [&](double step) {
                return visit_dtype(x.dtype(), [&](auto tag) {
                    using T = decltype(tag);
                    T* p = x.data<T>() + j;
                    const T orig = *p;
                    *p = static_cast<T>(orig + step);
                    const double r = projected(f, xs, v);
                    *p = orig;
                    return r;
                });
            };
            const double h = opt.eps;
            const double numeric = (8.0 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12.0 * h);
            const double a = a_all[j];
            const double err = std::abs(a - numeric);
            const double allowed = opt.atol + opt.rtol * std::abs(numeric);
            const double score = std::isfinite(a) && std::isfinite(numeric)
                                     ? err / allowed
                                     : std::numeric_limits<double>::infinity();
            if (score > worst_score) {
                worst_score = score;
                result.report = descent::detail::cat(
                    "input ", checked[c], " (shape ", x.shape(), ") element ", j, " at ",
                    index_of(j, x.shape()), ": analytic (vᵀJ) ", a, ", numeric ", numeric,
                    ", abs err ", err, ", rel err ", err / std::max(std::abs(numeric), 1e-12), " (",
                    opt.dtype, ", atol ", opt.atol, ", rtol ", opt.rtol, ", eps ", opt.eps, ")");
            }
        }
    }
    result.ok = worst_score <= 1.0;
    result.report =
        (result.ok ? "gradcheck passed; worst: " : "gradcheck FAILED at ") + result.report;
    return result;
}

GradcheckResult gradgradcheck(const TensorFunction& f, const std::vector<Tensor>& inputs,
                              const GradcheckOptions& opt) {
    // v is fixed once: the checked function is x ↦ ∂(v·f(x))/∂x, all inputs' gradients flattened
    // and concatenated into one vector.
    Tensor v;
    const TensorFunction first_order = [&](const std::vector<Tensor>& xs) {
        const Tensor out = f(xs);
        if (!v.defined()) {
            Generator gen(opt.seed + 1);
            v = randn(out.shape(), gen);
            if (out.dtype() != v.dtype()) v = v.to(out.dtype());
        }
        std::vector<Tensor> wrt;
        for (const Tensor& x : xs)
            if (x.requires_grad()) wrt.push_back(x);
        std::vector<Tensor> grads(wrt.size());
        if (out.requires_grad())
            grads = grad({out}, wrt, {v}, true, /*create_graph=*/true, /*allow_unused=*/true);
        std::vector<Tensor> flat;
        for (size_t i = 0; i < wrt.size(); ++i)
            flat.push_back(grads[i].defined() ? flatten(grads[i])
                                              : zeros({wrt[i].numel()}, wrt[i].dtype()));
        return cat(flat, 0);
    };
    GradcheckResult result = gradcheck(first_order, inputs, opt);
    result.report = "grad" + result.report;  // the report names the check that was called
    return result;
}

}  // namespace descent::autograd
