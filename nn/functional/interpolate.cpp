// interpolate: per spatial dim, the source indices (nearest) or the two neighbours and their
// weights (linear) are computed once, as PyTorch 1.13's CPU kernels compute them, then applied
// with index_select and mul/add, whose derivatives of every order are index_add / index_select.
#include "descent/nn/functional/interpolate.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn::functional {

namespace {

template <class T>
std::string list(const std::vector<T>& v) {
    std::ostringstream s;
    s << "(";
    for (size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
    s << ")";
    return s.str();
}

bool linear_mode(const std::string& mode) { return mode == "linear" || mode == "bilinear"; }

// Nearest: y[j] = x[src(j)] along dim d of x, src = ⌊j·s⌋ clamped to n - 1, as PyTorch's CPU
// kernel: s = 1/scale_factor or n/out in double for a float64 input (else float), ⌊·⌋ in float.
Tensor nearest_dim(const Tensor& x, int64_t d, int64_t out, std::optional<double> scale_factor) {
    const int64_t n = x.size(d);
    const bool given = scale_factor && *scale_factor > 0.0;
    const float s =
        x.dtype() == kFloat64
            ? static_cast<float>(given ? 1.0 / *scale_factor
                                       : static_cast<double>(n) / static_cast<double>(out))
            : (given ? static_cast<float>(1.0 / *scale_factor)
                     : static_cast<float>(n) / static_cast<float>(out));
    std::vector<int64_t> src(static_cast<size_t>(out));
    for (int64_t j = 0; j < out; ++j)
        src[j] = std::min(static_cast<int64_t>(std::floor(static_cast<float>(j) * s)), n - 1);
    return index_select(x, d, src);
}

// Linear along dim d: y[j] = x[i0]·λ0 + x[i1]·λ1, the indices and weights computed in T (float
// for float32 inputs, double for float64), as PyTorch's compute_indices_weights_linear.
template <class T>
Tensor linear_dim_t(const Tensor& x, int64_t d, int64_t out, bool align_corners,
                    std::optional<double> scale_factor) {
    const int64_t n = x.size(d);
    T scale;
    if (align_corners)
        scale = out > 1 ? static_cast<T>(n - 1) / static_cast<T>(out - 1) : T(0);
    else
        scale = scale_factor && *scale_factor > 0.0 ? static_cast<T>(1.0 / *scale_factor)
                                                    : static_cast<T>(n) / static_cast<T>(out);
    std::vector<int64_t> i0(static_cast<size_t>(out)), i1(static_cast<size_t>(out));
    std::vector<double> w0(static_cast<size_t>(out)), w1(static_cast<size_t>(out));
    bool any_second = false;
    for (int64_t j = 0; j < out; ++j) {
        // the source position: dst·scale, or the half-pixel one clamped at 0
        T src = align_corners ? scale * static_cast<T>(j)
                              : scale * (static_cast<T>(j) + T(0.5)) - T(0.5);
        if (!align_corners && src < T(0)) src = T(0);
        const int64_t a = static_cast<int64_t>(src);
        const T l1 = std::min(std::max(src - static_cast<T>(a), T(0)), T(1));
        i0[j] = a;
        i1[j] = a + (a < n - 1 ? 1 : 0);
        w0[j] = static_cast<double>(T(1) - l1);
        w1[j] = static_cast<double>(l1);
        any_second = any_second || l1 != T(0);
    }
    if (!any_second) return index_select(x, d, i0);  // every weight on the first neighbour
    Shape wshape(static_cast<size_t>(x.dim()), 1);
    wshape[d] = out;  // (1, .., out, .., 1): broadcast over the other dims
    return index_select(x, d, i0) * tensor(w0, wshape, x.dtype()) +
           index_select(x, d, i1) * tensor(w1, wshape, x.dtype());
}

Tensor linear_dim(const Tensor& x, int64_t d, int64_t out, bool align_corners,
                  std::optional<double> scale_factor) {
    return x.dtype() == kFloat64 ? linear_dim_t<double>(x, d, out, align_corners, scale_factor)
                                 : linear_dim_t<float>(x, d, out, align_corners, scale_factor);
}

}  // namespace

void detail::check_interpolate_options(const char* who, const InterpolateFuncOptions& o) {
    const std::string& mode = o.mode();
    DESCENT_CHECK(mode != "bicubic" && mode != "trilinear" && mode != "area" &&
                      mode != "nearest-exact",
                  ValueError, who, ": mode '", mode,
                  "' is not implemented; nearest, linear and bilinear are");
    DESCENT_CHECK(mode == "nearest" || linear_mode(mode), ValueError, who, ": unknown mode '",
                  mode, "'; expected nearest, linear or bilinear");
    DESCENT_CHECK(!(o.size() && o.scale_factor()), ValueError, who,
                  ": give only one of size and scale_factor, got both: size ", list(*o.size()),
                  ", scale_factor ", list(*o.scale_factor()));
    DESCENT_CHECK(o.size() || o.scale_factor(), ValueError, who,
                  ": give one of size and scale_factor, got neither");
    DESCENT_CHECK(!o.align_corners() || linear_mode(mode), ValueError, who,
                  ": align_corners can only be set with the interpolating modes linear and "
                  "bilinear, got mode ",
                  mode);
    DESCENT_CHECK(!(o.size() && o.recompute_scale_factor().value_or(false)), ValueError, who,
                  ": recompute_scale_factor is not meaningful with an explicit size");
    if (o.size()) {
        const std::vector<int64_t>& s = *o.size();
        DESCENT_CHECK(!s.empty() &&
                          std::all_of(s.begin(), s.end(), [](int64_t v) { return v > 0; }),
                      ValueError, who, ": size must be one or more values > 0, got ", list(s));
    } else {
        const std::vector<double>& s = *o.scale_factor();
        DESCENT_CHECK(
            !s.empty() && std::all_of(s.begin(), s.end(),
                                      [](double v) { return std::isfinite(v) && v > 0.0; }),
            ValueError, who, ": scale_factor must be one or more finite values > 0, got ", list(s));
    }
}

Tensor detail::interpolate(const char* who, const Tensor& x, const InterpolateFuncOptions& o) {
    DESCENT_CHECK(x.defined(), ValueError, who, ": input is an undefined tensor");
    check_interpolate_options(who, o);
    const std::string& mode = o.mode();
    DESCENT_CHECK(x.dim() == 3 || x.dim() == 4, ShapeError, who,
                  ": expected input (N, C, L) or (N, C, H, W), got ", x.shape());
    DESCENT_CHECK(mode != "linear" || x.dim() == 3, ShapeError, who,
                  ": mode linear needs input (N, C, L), got ", x.shape(), " (use bilinear)");
    DESCENT_CHECK(mode != "bilinear" || x.dim() == 4, ShapeError, who,
                  ": mode bilinear needs input (N, C, H, W), got ", x.shape(), " (use linear)");
    DESCENT_CHECK(!linear_mode(mode) || x.is_floating_point(), TypeError, who, ": mode ", mode,
                  " expects a floating input, got ", x.dtype());
    const size_t dims = static_cast<size_t>(x.dim() - 2);
    const size_t given = o.size() ? o.size()->size() : o.scale_factor()->size();
    DESCENT_CHECK(given == 1 || given == dims, ValueError, who, ": ",
                  o.size() ? "size" : "scale_factor", " has ", given, " values for the ", dims,
                  " spatial dims of input ", x.shape(), "; give 1 or ", dims);
    // Output sizes, and the scale factors the kernels use (none with size or when recomputed).
    std::vector<int64_t> out(dims);
    std::vector<std::optional<double>> scales(dims);
    for (size_t i = 0; i < dims; ++i) {
        const int64_t n = x.size(static_cast<int64_t>(i) + 2);
        if (o.size()) {
            out[i] = (*o.size())[given == 1 ? 0 : i];
        } else {
            const double sf = (*o.scale_factor())[given == 1 ? 0 : i];
            out[i] = static_cast<int64_t>(static_cast<double>(n) * sf);
            if (!o.recompute_scale_factor().value_or(false)) scales[i] = sf;
        }
    }
    bool spatial_ok = true;
    for (int64_t d = 2; d < x.dim(); ++d) spatial_ok = spatial_ok && x.size(d) > 0;
    DESCENT_CHECK(spatial_ok &&
                      std::all_of(out.begin(), out.end(), [](int64_t v) { return v > 0; }),
                  ValueError, who, ": input and output sizes must be > 0, got input ", x.shape(),
                  " and output size ", list(out));
    // Last spatial dim first (W, then H), as PyTorch's kernels weight them.
    Tensor y = x;
    for (size_t i = dims; i-- > 0;) {
        const int64_t d = static_cast<int64_t>(i) + 2;
        y = mode == "nearest"
                ? nearest_dim(y, d, out[i], scales[i])
                : linear_dim(y, d, out[i], o.align_corners().value_or(false), scales[i]);
    }
    return y;
}

Tensor interpolate(const Tensor& input, const InterpolateFuncOptions& options, CallSite) {
    return detail::interpolate("interpolate()", input, options);
}

}  // namespace descent::nn::functional
