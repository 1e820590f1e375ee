// repeat, tile and repeat_interleave as reshape -> expand -> reshape: the copies are an expand of
// a size-1 dim, whose backward sums them back (sum_to_size), so both derivative orders hold.
#include "descent/autograd/ops/repeat.hpp"

#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/shape.hpp"

namespace descent {

namespace {

void check_counts(const std::vector<int64_t>& counts, const char* op, const char* what) {
    for (int64_t r : counts)
        DESCENT_CHECK(r >= 0, ValueError, op, "(): ", what, " ",
                      Shape(counts.begin(), counts.end()), " has a negative count ", r);
}

Tensor repeat_impl(const Tensor& a, const std::vector<int64_t>& repeats, const char* op) {
    ops_detail::check_defined(a, op);
    DESCENT_CHECK(static_cast<int64_t>(repeats.size()) >= a.dim(), ValueError, op, "(): repeats ",
                  Shape(repeats.begin(), repeats.end()), " has fewer entries than the ", a.dim(),
                  " dims of shape ", a.shape());
    check_counts(repeats, op, "repeats");
    const size_t lead = repeats.size() - static_cast<size_t>(a.dim());
    // a as (1, s0, 1, s1, ...), expanded to (r0, s0, r1, s1, ...), then merged to (r0·s0, ...).
    Shape spaced, expanded, merged;
    for (size_t d = 0; d < repeats.size(); ++d) {
        const int64_t s = d < lead ? 1 : a.size(static_cast<int64_t>(d - lead));
        spaced.insert(spaced.end(), {1, s});
        expanded.insert(expanded.end(), {repeats[d], s});
        merged.push_back(repeats[d] * s);
    }
    return reshape(expand(reshape(a, spaced), expanded), merged);
}

}  // namespace

Tensor repeat(const Tensor& a, const std::vector<int64_t>& repeats, CallSite) {
    return repeat_impl(a, repeats, "repeat");
}

Tensor tile(const Tensor& a, const std::vector<int64_t>& reps, CallSite) {
    ops_detail::check_defined(a, "tile");
    check_counts(reps, "tile", "reps");
    std::vector<int64_t> padded = reps;
    if (static_cast<int64_t>(padded.size()) < a.dim())
        padded.insert(padded.begin(), static_cast<size_t>(a.dim()) - reps.size(), 1);
    return repeat_impl(a, padded, "tile");
}

Tensor repeat_interleave(const Tensor& a, int64_t repeats, std::optional<int64_t> dim, CallSite) {
    ops_detail::check_defined(a, "repeat_interleave");
    DESCENT_CHECK(repeats >= 0, ValueError, "repeat_interleave(): repeats must be >= 0, got ",
                  repeats);
    int64_t d = 0;
    if (dim) d = normalize_dim(*dim, a.shape(), "repeat_interleave");
    const Tensor x = !dim || a.dim() == 0 ? flatten(a) : a;
    // x as (..., n, 1, ...), expanded to (..., n, repeats, ...), merged to (..., n·repeats, ...).
    Shape expanded = x.shape();
    expanded.insert(expanded.begin() + d + 1, repeats);
    Shape merged = x.shape();
    merged[static_cast<size_t>(d)] *= repeats;
    return reshape(expand(unsqueeze(x, d + 1), expanded), merged);
}

}  // namespace descent
