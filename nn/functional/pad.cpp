// pad (constant, reflect, replicate) one dim at a time by concatenation, and pixel (un)shuffle as a
// reshape-permute-reshape.
#include "descent/nn/functional/pad.hpp"

#include <algorithm>

#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/ops/reorder.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn::functional {

namespace {

// x padded along `d` by `before` and `after` (both >= 0 here) in `mode`.
Tensor pad_dim(const Tensor& x, int64_t d, int64_t before, int64_t after, const std::string& mode,
               double value) {
    if (before == 0 && after == 0) return x;
    const int64_t n = x.size(d);
    std::vector<Tensor> parts;
    auto side = [&](int64_t count, bool first) {
        if (count == 0) return;
        Shape s = x.shape();
        s[static_cast<size_t>(d)] = count;
        if (mode == "constant")
            parts.push_back(full(s, value, x.dtype()));
        else if (mode == "reflect")  // x[count], ..., x[1] before; x[n-2], ..., x[n-1-count] after
            parts.push_back(flip(narrow(x, d, first ? 1 : n - 1 - count, count), {d}));
        else  // replicate: the edge element repeated
            parts.push_back(expand(narrow(x, d, first ? 0 : n - 1, 1), s));
    };
    side(before, true);
    parts.push_back(x);
    side(after, false);
    return cat(parts, d);
}

}  // namespace

Tensor pad(const Tensor& input, const std::vector<int64_t>& pads, const std::string& mode,
           double value, CallSite) {
    DESCENT_CHECK(input.defined(), ValueError, "pad(): input is an undefined tensor");
    DESCENT_CHECK(mode == "constant" || mode == "reflect" || mode == "replicate", ValueError,
                  "pad(): mode must be \"constant\", \"reflect\" or \"replicate\", got \"", mode,
                  "\"");
    const int64_t dims = static_cast<int64_t>(pads.size()) / 2;
    DESCENT_CHECK(pads.size() % 2 == 0, ValueError, "pad(): pad must hold pairs, got ", pads.size(),
                  " values");
    DESCENT_CHECK(dims <= input.dim(), ValueError, "pad(): ", dims, " dims to pad but the input ",
                  input.shape(), " has ", input.dim());
    if (mode != "constant") {
        DESCENT_CHECK(dims >= 1 && dims <= 3 && input.dim() >= dims + 1 && input.dim() <= dims + 2,
                      ValueError, "pad(): mode \"", mode,
                      "\" pads the last 1-3 dims of an input "
                      "with one or two more (batch, channels); got ",
                      dims, " dims to pad and input ", input.shape());
        for (int64_t i = 0; i < dims; ++i) {
            const int64_t d = input.dim() - 1 - i, n = input.size(d);
            for (int64_t k = 0; k < 2; ++k) {
                const int64_t p = pads[static_cast<size_t>(2 * i + k)];
                DESCENT_CHECK(p >= 0, ValueError, "pad(): mode \"", mode,
                              "\" takes pads >= 0, got ", p);
                DESCENT_CHECK(mode == "replicate" ? (p == 0 || n > 0) : p < n, ValueError,
                              "pad(): ", mode, " pad ", p, " of dim ", d, " must be < its size ", n,
                              " (input ", input.shape(), ")");
            }
        }
    }
    Tensor x = input;
    for (int64_t i = 0; i < dims; ++i) {
        const int64_t d = input.dim() - 1 - i;
        int64_t before = pads[static_cast<size_t>(2 * i)];
        int64_t after = pads[static_cast<size_t>(2 * i + 1)];
        // A negative constant pad crops (PyTorch's).
        const int64_t start = before < 0 ? -before : 0, stop = after < 0 ? -after : 0;
        DESCENT_CHECK(start + stop <= x.size(d), ValueError, "pad(): pads (", before, ", ", after,
                      ") crop more than dim ", d, " of input ", input.shape(), " holds");
        if (start > 0 || stop > 0) x = narrow(x, d, start, x.size(d) - start - stop);
        x = pad_dim(x, d, std::max<int64_t>(before, 0), std::max<int64_t>(after, 0), mode, value);
    }
    return x;
}

Tensor pixel_shuffle(const Tensor& input, int64_t r, CallSite) {
    DESCENT_CHECK(input.defined(), ValueError, "pixel_shuffle(): input is an undefined tensor");
    DESCENT_CHECK(r > 0, ValueError, "pixel_shuffle(): upscale_factor must be > 0, got ", r);
    DESCENT_CHECK(input.dim() >= 3 && input.size(-3) % (r * r) == 0, ShapeError,
                  "pixel_shuffle(): input must be (*, C·r², H, W) with r = ", r, ", got ",
                  input.shape());
    const Shape& s = input.shape();
    const size_t lead = s.size() - 3;
    const int64_t C = s[lead] / (r * r), H = s[lead + 1], W = s[lead + 2];
    Shape split(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(lead));
    Shape out = split;
    split.insert(split.end(), {C, r, r, H, W});
    out.insert(out.end(), {C, H * r, W * r});
    std::vector<int64_t> perm;
    for (size_t i = 0; i < lead; ++i) perm.push_back(static_cast<int64_t>(i));
    const int64_t l = static_cast<int64_t>(lead);
    perm.insert(perm.end(), {l, l + 3, l + 1, l + 4, l + 2});  // (C, H, r, W, r)
    return reshape(permute(reshape(input, split), perm), out);
}

Tensor pixel_unshuffle(const Tensor& input, int64_t r, CallSite) {
    DESCENT_CHECK(input.defined(), ValueError, "pixel_unshuffle(): input is an undefined tensor");
    DESCENT_CHECK(r > 0, ValueError, "pixel_unshuffle(): downscale_factor must be > 0, got ", r);
    DESCENT_CHECK(input.dim() >= 3 && input.size(-2) % r == 0 && input.size(-1) % r == 0,
                  ShapeError, "pixel_unshuffle(): input must be (*, C, H·r, W·r) with r = ", r,
                  ", got ", input.shape());
    const Shape& s = input.shape();
    const size_t lead = s.size() - 3;
    const int64_t C = s[lead], H = s[lead + 1] / r, W = s[lead + 2] / r;
    Shape split(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(lead));
    Shape out = split;
    split.insert(split.end(), {C, H, r, W, r});
    out.insert(out.end(), {C * r * r, H, W});
    std::vector<int64_t> perm;
    for (size_t i = 0; i < lead; ++i) perm.push_back(static_cast<int64_t>(i));
    const int64_t l = static_cast<int64_t>(lead);
    perm.insert(perm.end(), {l, l + 2, l + 4, l + 1, l + 3});  // (C, r, r, H, W)
    return reshape(permute(reshape(input, split), perm), out);
}

}  // namespace descent::nn::functional
