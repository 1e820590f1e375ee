// chunk, split and unbind: the sizes are checked first, then each piece is a narrow (or select)
// view of the input. One SplitBackward node takes all the pieces' gradients and joins them, as
// PyTorch's SplitBackward / UnbindBackward, so n pieces cost one input-sized cat in backward.
#include "descent/autograd/ops/split.hpp"

#include "descent/autograd/ops/arithmetic.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/join.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/factory.hpp"

namespace descent {

using autograd::Edge;
using autograd::Node;

namespace {

// ---- the pieces' backward -------------------------------------------------------------------
// Each piece's own node (PieceBackward) hands its gradient to the node of the whole input instead
// of spreading it over a zero tensor of the input's size, so an RNN's T time steps cost T, not T².

struct SplitBackward final : Node {
    int64_t dim = 0;
    bool stacked = false;  // unbind: the pieces lost dim, so their gradients are stacked back
    std::vector<Shape> piece_shapes;
    std::vector<Tensor> grads;  // slot i: piece i's gradient, set by its PieceBackward
    const char* name() const override { return "SplitBackward"; }
    std::vector<Tensor> apply(Tensor) override;
};

// pieces of a:  dL/da = cat(dL/dpiece_i) along dim (unbind: stack), zeros for a piece that
// got no gradient
std::vector<Tensor> SplitBackward::apply(Tensor) {
    std::vector<Tensor> parts;
    parts.reserve(grads.size());
    for (size_t i = 0; i < grads.size(); ++i)
        parts.push_back(grads[i].defined() ? grads[i]
                                           : zeros(piece_shapes[i], next_edges()[0].dtype));
    grads.assign(grads.size(), Tensor());  // a retained graph starts the next backward empty
    return {stacked ? stack(parts, dim) : cat(parts, dim)};
}

struct PieceBackward final : Node {
    std::shared_ptr<SplitBackward> whole;
    size_t index = 0;
    const char* name() const override { return "PieceBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

// piece i:  dL/dpiece_i to SplitBackward's slot i; a 0-d zero along the edge (for the order)
std::vector<Tensor> PieceBackward::apply(Tensor g) {
    Tensor& slot = whole->grads[index];
    slot = slot.defined() ? add(slot, g) : g;
    return {zeros({}, next_edges()[0].dtype)};
}

// The views of a (made without recording), each given a PieceBackward leading to one
// SplitBackward, when a needs a gradient.
std::vector<Tensor> recorded_pieces(const Tensor& a, std::vector<Tensor> views, int64_t dim,
                                    bool stacked) {
    if (!autograd::GradMode::is_enabled() || !a.requires_grad()) return views;
    auto whole = std::make_shared<SplitBackward>();
    whole->dim = dim;
    whole->stacked = stacked;
    whole->grads.resize(views.size());
    whole->connect({autograd::detail::edge_to(a)}, Shape{});
    if (autograd::is_anomaly_enabled()) whole->created_at = CallSite::running();
    for (size_t i = 0; i < views.size(); ++i) {
        whole->piece_shapes.push_back(views[i].shape());
        auto node = std::make_shared<PieceBackward>();
        node->whole = whole;
        node->index = i;
        autograd::detail::attach(node, {Edge{whole, Shape{}, a.dtype()}}, views[i]);
    }
    return views;
}

// The dim the pieces are cut along, normalised; the input must have at least one dim.
int64_t cut_dim(const Tensor& a, int64_t dim, const char* op) {
    ops_detail::check_defined(a, op);
    DESCENT_CHECK(a.dim() > 0, ShapeError, op, "(): cannot cut a 0-d tensor into pieces");
    return normalize_dim(dim, a.shape(), op);
}

std::vector<Tensor> pieces(const Tensor& a, const std::vector<int64_t>& sizes, int64_t dim) {
    std::vector<Tensor> out;
    out.reserve(sizes.size());
    {
        autograd::NoGradGuard views_only;
        int64_t start = 0;
        for (int64_t len : sizes) {
            out.push_back(narrow(a, dim, start, len));
            start += len;
        }
    }
    return recorded_pieces(a, std::move(out), dim, false);
}

// Pieces of `size` elements, the last one shorter (a single empty piece for an empty dim).
std::vector<int64_t> even_sizes(int64_t n, int64_t size) {
    if (n == 0) return {0};
    std::vector<int64_t> sizes;
    for (int64_t start = 0; start < n; start += size) sizes.push_back(std::min(size, n - start));
    return sizes;
}

std::vector<Tensor> split_sizes_impl(const Tensor& a, const std::vector<int64_t>& sizes,
                                     int64_t dim, const char* op) {
    dim = cut_dim(a, dim, op);
    int64_t total = 0;
    for (int64_t s : sizes) {
        DESCENT_CHECK(s >= 0, ValueError, op, "(): split_sizes ", Shape(sizes.begin(), sizes.end()),
                      " has a negative size ", s);
        total += s;
    }
    DESCENT_CHECK(total == a.size(dim), ValueError, op, "(): split_sizes ",
                  Shape(sizes.begin(), sizes.end()), " add up to ", total, ", but dim ", dim,
                  " has size ", a.size(dim), " (shape ", a.shape(), ")");
    return pieces(a, sizes, dim);
}

}  // namespace

std::vector<Tensor> chunk(const Tensor& a, int64_t chunks, int64_t dim, CallSite) {
    ops_detail::check_defined(a, "chunk");
    DESCENT_CHECK(chunks > 0, ValueError, "chunk(): chunks must be positive, got ", chunks);
    dim = cut_dim(a, dim, "chunk");
    const int64_t n = a.size(dim);
    if (n == 0) return pieces(a, std::vector<int64_t>(static_cast<size_t>(chunks), 0), dim);
    return pieces(a, even_sizes(n, (n + chunks - 1) / chunks), dim);
}

std::vector<Tensor> split(const Tensor& a, int64_t split_size, int64_t dim, CallSite) {
    dim = cut_dim(a, dim, "split");
    const int64_t n = a.size(dim);
    DESCENT_CHECK(split_size > 0 || (split_size == 0 && n == 0), ValueError,
                  "split(): split_size must be positive (0 only for an empty dim), got ",
                  split_size, " for dim ", dim, " of size ", n);
    return pieces(a, even_sizes(n, split_size), dim);
}

std::vector<Tensor> split(const Tensor& a, const std::vector<int64_t>& split_sizes, int64_t dim,
                          CallSite) {
    return split_sizes_impl(a, split_sizes, dim, "split");
}

std::vector<Tensor> split_with_sizes(const Tensor& a, const std::vector<int64_t>& split_sizes,
                                     int64_t dim, CallSite) {
    return split_sizes_impl(a, split_sizes, dim, "split_with_sizes");
}

std::vector<Tensor> unbind(const Tensor& a, int64_t dim, CallSite) {
    dim = cut_dim(a, dim, "unbind");
    std::vector<Tensor> out;
    out.reserve(static_cast<size_t>(a.size(dim)));
    {
        autograd::NoGradGuard views_only;
        for (int64_t i = 0; i < a.size(dim); ++i) out.push_back(select(a, dim, i));
    }
    return recorded_pieces(a, std::move(out), dim, true);
}

}  // namespace descent
