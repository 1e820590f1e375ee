// batch_norm's forward (per-channel moments and one affine pass, core/kernels/channels) and its
// backward: in descent ops under create_graph (so it differentiates again), else fused kernels.
#include "descent/nn/functional/batch_norm.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/reduce.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/ops/unary.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/channels.hpp"

namespace descent::nn::functional {

using autograd::Node;

namespace {

struct BatchNormBackward final : Node {
    // saved: x, w (if given), mean and invstd (C): the statistics the forward used, constants
    bool batch_stats = false;
    float eps = 0.0f;
    int64_t n = 0, c = 0, s = 0;
    int weight_at = -1, bias_at = -1;  // input positions of weight and bias, -1 when absent
    const char* name() const override { return "BatchNormBackward"; }

    // y = γ·x̂ + β, x̂ = (x - μ)·σ⁻¹, Σ over N and space (m values a channel):  batch stats:
    // dx = σ⁻¹·(γg - Σγg/m - x̂·Σ(γg·x̂)/m); running stats: dx = γσ⁻¹g; dγ = Σ g·x̂, dβ = Σ g
    std::vector<Tensor> apply(Tensor g) override {
        if (!autograd::GradMode::is_enabled()) return fused(g);
        const Shape per_channel{1, c, 1};
        const float m = static_cast<float>(n * s);
        const Tensor g3 = reshape(g, {n, c, s});
        const Tensor x3 = reshape(saved(0), {n, c, s});
        Tensor mu = reshape(saved(2), per_channel), inv = reshape(saved(3), per_channel);
        if (batch_stats && autograd::GradMode::is_enabled()) {
            // create_graph: the statistics as functions of x, so the second derivative sees them
            mu = sum_to_size(x3, per_channel) / m;
            const Tensor d = x3 - mu;
            inv = 1.0f / sqrt(sum_to_size(d * d, per_channel) / m + eps);
        }
        const Tensor xhat = (x3 - mu) * inv;
        const Tensor gw = weight_at >= 0 ? g3 * reshape(saved(1), per_channel) : g3;
        std::vector<Tensor> grads(next_edges().size());
        if (needs_input_grad(0)) {
            const Tensor dx = batch_stats ? inv * (gw - sum_to_size(gw, per_channel) / m -
                                                   xhat * (sum_to_size(gw * xhat, per_channel) / m))
                                          : gw * inv;
            grads[0] = reshape(dx, input_shape(0));
        }
        if (weight_at >= 0 && needs_input_grad(weight_at))
            grads[weight_at] = reshape(sum_to_size(g3 * xhat, per_channel), {c});
        if (bias_at >= 0 && needs_input_grad(bias_at))
            grads[bias_at] = reshape(sum_to_size(g3, per_channel), {c});
        return grads;
    }
    // The same gradients when no graph is built: two passes over (g, x), dx as one affine map
    // dx = a·g + b·x + k per channel, a = γσ⁻¹, b = -a·σ⁻¹·Σ(g·x̂)/m, k = -a·Σg/m - b·μ
    // (running stats: b = k = 0).
    std::vector<Tensor> fused(const Tensor& g) {
        return ops_detail::visit_floating(saved(0).dtype(), "batch_norm",
                                          [&](auto tag) { return fused_as<decltype(tag)>(g); });
    }
    template <class T>  // the input's element type
    std::vector<Tensor> fused_as(const Tensor& g_) {
        const Tensor xc = saved(0), mean = saved(2), invstd = saved(3);
        const Tensor g = ops_detail::as_dtype(descent::detail::dense(g_), xc.dtype());
        const T m = static_cast<T>(n * s);
        Tensor sum_g = make_tensor({c}, xc.dtype()), sum_gxhat = make_tensor({c}, xc.dtype());
        kernels::channel_grad_sums(g.data<T>(), xc.data<T>(), n, c, s, mean.data<T>(),
                                   invstd.data<T>(), sum_g.data<T>(), sum_gxhat.data<T>());
        std::vector<Tensor> grads(next_edges().size());
        if (needs_input_grad(0)) {
            const Tensor wt = weight_at >= 0 ? saved(1) : Tensor();
            std::vector<T> a(c), b(c, T(0)), k(c, T(0));
            for (int64_t j = 0; j < c; ++j) {
                a[j] = (wt.defined() ? wt.data<T>()[j] : T(1)) * invstd.data<T>()[j];
                if (!batch_stats) continue;
                b[j] = -a[j] * invstd.data<T>()[j] * sum_gxhat.data<T>()[j] / m;
                k[j] = -a[j] * sum_g.data<T>()[j] / m - b[j] * mean.data<T>()[j];
            }
            Tensor dx = make_tensor(input_shape(0), xc.dtype());
            kernels::channel_affine2(g.data<T>(), batch_stats ? xc.data<T>() : nullptr, n, c, s,
                                     a.data(), b.data(), k.data(), dx.data<T>());
            grads[0] = std::move(dx);
        }
        if (weight_at >= 0 && needs_input_grad(weight_at)) grads[weight_at] = sum_gxhat;
        if (bias_at >= 0 && needs_input_grad(bias_at)) grads[bias_at] = sum_g;
        return grads;
    }
};

void check_channel_vector(const Tensor& t, const char* what, const Tensor& input) {
    DESCENT_CHECK(!t.defined() || (t.dim() == 1 && t.size(0) == input.size(1)), ShapeError,
                  "batch_norm(): ", what, " ", t.defined() ? t.shape() : Shape{}, " vs input ",
                  input.shape(), ": expected (", input.size(1), "), one value per channel");
}

}  // namespace

namespace detail {
void check_values_per_channel(const char* who, const Tensor& input) {
    const int64_t c = input.size(1);
    DESCENT_CHECK(c == 0 || input.numel() / c > 1, ValueError, who,
                  ": expected more than 1 value per channel when training, got input ",
                  input.shape());
}
}  // namespace detail

Tensor batch_norm(const Tensor& input_, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, float momentum,
                  float eps, CallSite) {
    const Tensor input = input_.contiguous();  // kernels read row-major buffers
    DESCENT_CHECK(input.defined(), ValueError, "batch_norm(): input is an undefined tensor");
    DESCENT_CHECK(input.dim() >= 2, ShapeError,
                  "batch_norm(): expected input (N, C, *) of at least 2 dims, got ", input.shape());
    check_channel_vector(running_mean, "running_mean", input);
    check_channel_vector(running_var, "running_var", input);
    check_channel_vector(weight, "weight", input);
    check_channel_vector(bias, "bias", input);
    DESCENT_CHECK(running_mean.defined() == running_var.defined(), ValueError,
                  "batch_norm(): running_mean and running_var must be both given or both not");
    DESCENT_CHECK(training || running_mean.defined(), ValueError,
                  "batch_norm(): running_mean and running_var must be given in eval mode "
                  "(training = false)");
    DESCENT_CHECK(eps > 0.0f, ValueError, "batch_norm(): eps must be > 0, got ", eps);
    if (training) detail::check_values_per_channel("batch_norm()", input);
    for (const Tensor* t : {&running_mean, &running_var, &weight, &bias})
        DESCENT_CHECK(input.is_floating_point() && (!t->defined() || t->dtype() == input.dtype()),
                      TypeError, "batch_norm(): expected input, running stats, weight and bias of ",
                      "one floating dtype, got input ", input.dtype(), " and ",
                      t->defined() ? dtype_name(t->dtype()) : "no tensor");

    const int64_t n = input.size(0), c = input.size(1);
    const int64_t s = n * c == 0 ? 0 : input.numel() / (n * c);
    // the statistics normalised by: the batch's (biased var) or the running ones
    const ScalarType dt = input.dtype();
    Tensor mean = training ? make_tensor({c}, dt) : running_mean.clone();
    Tensor var = training ? make_tensor({c}, dt) : running_var;
    if (training) {
        ops_detail::visit_floating(dt, "batch_norm", [&](auto tag) {
            using T = decltype(tag);
            kernels::channel_moments(input.data<T>(), n, c, s, mean.data<T>(), var.data<T>());
        });
        if (running_mean.defined()) {
            NoGradGuard no_grad;
            const float count = static_cast<float>(n * s);
            Tensor rm = running_mean, rv = running_var;
            rm.mul_(1.0f - momentum).add_(mean, momentum);
            rv.mul_(1.0f - momentum).add_(var, momentum * count / (count - 1.0f));  // unbiased
        }
    }
    // y = x·scale + shift per channel, scale = γσ⁻¹, shift = β - μ·scale
    Tensor invstd = make_tensor({c}, dt), scale = make_tensor({c}, dt),
           shift = make_tensor({c}, dt);
    Tensor y = make_tensor(input.shape(), dt);
    ops_detail::visit_floating(dt, "batch_norm", [&](auto tag) {
        using T = decltype(tag);
        const Tensor vd = descent::detail::dense(var);
        kernels::channel_normalizer(c, descent::detail::dense(mean).data<T>(), vd.data<T>(),
                                    static_cast<T>(eps),
                                    weight.defined() ? weight.contiguous().data<T>() : nullptr,
                                    bias.defined() ? bias.contiguous().data<T>() : nullptr,
                                    invstd.data<T>(), scale.data<T>(), shift.data<T>());
        kernels::channel_affine(input.data<T>(), n, c, s, scale.data<T>(), shift.data<T>(),
                                y.data<T>());
    });

    std::vector<Tensor> inputs{input};
    if (weight.defined()) inputs.push_back(weight);
    if (bias.defined()) inputs.push_back(bias);
    if (auto node = autograd::detail::record_list<BatchNormBackward>(y, inputs)) {
        node->save_for_backward({input, weight, mean, invstd});
        if (weight.defined()) node->weight_at = 1;
        if (bias.defined()) node->bias_at = weight.defined() ? 2 : 1;
        node->batch_stats = training;
        node->eps = eps;
        node->n = n;
        node->c = c;
        node->s = s;
    }
    return y;
}

}  // namespace descent::nn::functional
