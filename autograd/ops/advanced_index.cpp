// Advanced indexing (tensor indices): the basic indices become views first, the tensor indices
// are broadcast together, and every result element is mapped to its row-major position in that
// view. Reading is then index_select on the flattened view (so the gradient, and its gradient, are
// index_select's); writing stores through the view's strides.
#include "descent/autograd/ops/advanced_index.hpp"

#include <cstring>

#include "descent/autograd/grad_mode.hpp"
#include "descent/autograd/ops/gather.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/core/factory.hpp"

namespace descent::ops_detail {

using Kind = indexing::TensorIndex::Kind;

bool has_tensor_index(const IndexList& indices) {
    for (const auto& i : indices)
        if (i.kind() == Kind::Tensor) return true;
    return false;
}

namespace {

// What a list with tensor indices resolves to: the basic view, the dims of that view the tensor
// indices address (in order), their int64 indices broadcast to one shape, the result's shape, and
// for each result element its row-major position in the view.
struct Plan {
    Tensor view;
    Shape result;
    std::vector<int64_t> flat;
};

Plan make_plan(const Tensor& a, const IndexList& indices) {
    // Tensor entries become full slices (k of them for a k-dim mask) for the basic pass.
    IndexList basic;
    int64_t consumed = 0;
    for (const auto& i : indices) {
        if (i.kind() == Kind::Tensor) {
            const Tensor t = i.tensor();
            DESCENT_CHECK(t.dtype() == kInt64 || t.dtype() == kBool, TypeError,
                          "index(): a tensor index must be int64 or bool, got ",
                          dtype_name(t.dtype()));
            const int64_t k = t.dtype() == kBool ? t.dim() : 1;
            DESCENT_CHECK(k > 0, IndexError, "index(): a 0-d bool index is not supported (shape ",
                          a.shape(), ")");
            for (int64_t j = 0; j < k; ++j) basic.emplace_back(indexing::Slice());
            consumed += k;
        } else {
            basic.push_back(i);
            consumed += i.kind() == Kind::Integer || i.kind() == Kind::Slice;
        }
    }
    Plan plan;
    plan.view = basic_index(a, basic);  // checks the integers and the count of indices
    const Tensor& v = plan.view;
    // Where each tensor index lands in the view, as int64 (a mask gives one per dim it covers).
    std::vector<int64_t> dims;
    std::vector<Tensor> idx;
    int64_t at = 0;
    for (const auto& i : indices) {
        switch (i.kind()) {
            case Kind::Integer: break;
            case Kind::Slice:
            case Kind::None: ++at; break;
            case Kind::Ellipsis: at += a.dim() - consumed; break;
            case Kind::Tensor: {
                const Tensor t = i.tensor();
                if (t.dtype() == kInt64) {
                    dims.push_back(at++);
                    idx.push_back(t);
                    break;
                }
                const Tensor m = detail::dense(t);
                for (int64_t j = 0; j < m.dim(); ++j)
                    DESCENT_CHECK(m.shape()[j] == v.shape()[at + j], IndexError,
                                  "index(): the mask of shape ", m.shape(),
                                  " does not match the indexed shape ", v.shape(), " at dim ",
                                  at + j, " (", m.shape()[j], " vs ", v.shape()[at + j], ")");
                // nonzero(mask): one int64 list of positions per dim of the mask
                const bool* mp = m.data<bool>();
                std::vector<std::vector<int64_t>> pos(static_cast<size_t>(m.dim()));
                std::vector<int64_t> c(static_cast<size_t>(m.dim()), 0);
                for (int64_t p = 0; p < m.numel(); ++p) {
                    if (mp[p])
                        for (size_t j = 0; j < c.size(); ++j) pos[j].push_back(c[j]);
                    for (size_t j = c.size(); j-- > 0;) {
                        if (++c[j] < m.shape()[j]) break;
                        c[j] = 0;
                    }
                }
                for (int64_t j = 0; j < m.dim(); ++j) {
                    dims.push_back(at++);
                    idx.push_back(tensor(pos[static_cast<size_t>(j)]));
                }
                break;
            }
        }
    }
    // The tensor indices broadcast together (ShapeError naming the shapes otherwise).
    Shape b = idx[0].shape();
    for (size_t j = 1; j < idx.size(); ++j) b = broadcast_shapes(b, idx[j].shape(), "index");
    int64_t nb = 1;
    for (int64_t s : b) nb *= s;
    std::vector<std::vector<int64_t>> values;  // each index broadcast to b, negatives wrapped
    for (size_t j = 0; j < idx.size(); ++j) {
        const Tensor e = detail::dense(expand(idx[j], b));
        const int64_t* ep = e.data<int64_t>();
        const int64_t n = v.shape()[dims[j]];
        std::vector<int64_t> w(ep, ep + nb);
        for (int64_t& x : w) {
            DESCENT_CHECK(x >= -n && x < n, IndexError, "index(): index ", x,
                          " is out of range for dim ", dims[j], " of size ", n, " (shape ",
                          v.shape(), ")");
            if (x < 0) x += n;
        }
        values.push_back(std::move(w));
    }
    // Adjacent tensor indices put their dims in place; separated ones put them first.
    bool adjacent = true;
    for (size_t j = 1; j < dims.size(); ++j) adjacent = adjacent && dims[j] == dims[j - 1] + 1;
    const int64_t lead = adjacent ? dims.front() : 0;  // view dims before the broadcast dims
    std::vector<int64_t> rest;  // the view's dims not addressed by a tensor index, in order
    std::vector<bool> is_adv(static_cast<size_t>(v.dim()), false);
    for (int64_t d : dims) is_adv[static_cast<size_t>(d)] = true;
    for (int64_t d = 0; d < v.dim(); ++d)
        if (!is_adv[static_cast<size_t>(d)]) rest.push_back(d);
    for (int64_t r = 0; r < lead; ++r) plan.result.push_back(v.shape()[rest[r]]);
    for (int64_t s : b) plan.result.push_back(s);
    for (size_t r = static_cast<size_t>(lead); r < rest.size(); ++r)
        plan.result.push_back(v.shape()[rest[r]]);
    // Row-major strides of the view's shape, and the result walked in row-major order.
    std::vector<int64_t> st(static_cast<size_t>(v.dim()), 1);
    for (int64_t d = v.dim() - 1; d > 0; --d) st[d - 1] = st[d] * v.shape()[d];
    int64_t total = 1;
    for (int64_t s : plan.result) total *= s;
    plan.flat.resize(static_cast<size_t>(total));
    const int64_t nbd = static_cast<int64_t>(b.size());
    std::vector<int64_t> c(plan.result.size(), 0);
    for (int64_t p = 0; p < total; ++p) {
        int64_t q = 0;  // the position in the broadcast shape b
        for (int64_t j = 0; j < nbd; ++j) q = q * b[j] + c[lead + j];
        int64_t f = 0;
        for (size_t j = 0; j < dims.size(); ++j) f += values[j][q] * st[dims[j]];
        for (int64_t r = 0; r < static_cast<int64_t>(rest.size()); ++r)
            f += c[r < lead ? r : r + nbd] * st[rest[r]];
        plan.flat[static_cast<size_t>(p)] = f;
        for (size_t j = c.size(); j-- > 0;) {
            if (++c[j] < plan.result[j]) break;
            c[j] = 0;
        }
    }
    return plan;
}

}  // namespace

Tensor advanced_index(const Tensor& a, const IndexList& indices) {
    Plan plan = make_plan(a, indices);
    const Tensor flat_view = reshape(plan.view, {-1});
    return reshape(index_select(flat_view, 0, tensor(plan.flat)), plan.result);
}

Shape advanced_index_shape(const Tensor& a, const IndexList& indices) {
    autograd::NoGradGuard no_grad;
    return make_plan(a, indices).result;
}

void advanced_index_put_(const Tensor& a, const IndexList& indices, const Tensor& value) {
    Plan plan;
    {
        autograd::NoGradGuard no_grad;
        plan = make_plan(a, indices);
    }
    DESCENT_CHECK(broadcast_shapes(plan.result, value.shape(), "index_put_") == plan.result,
                  ShapeError, "index_put_(): value of shape ", value.shape(),
                  " does not broadcast to the indexed shape ", plan.result);
    const Tensor& v = plan.view;
    Tensor src;
    {
        autograd::NoGradGuard no_grad;
        src = detail::converted(expand(value.detach(), plan.result), v.dtype());
    }
    const int64_t es = v.element_size();
    const char* from = static_cast<const char*>(src.impl()->first_raw());
    char* base = static_cast<char*>(v.impl()->storage->data());
    for (size_t p = 0; p < plan.flat.size(); ++p) {
        int64_t f = plan.flat[p], off = v.storage_offset();
        for (int64_t d = v.dim(); d-- > 0;) {  // row-major position -> the view's strides
            off += (f % v.shape()[d]) * v.strides()[d];
            f /= v.shape()[d];
        }
        std::memcpy(base + off * es, from + static_cast<int64_t>(p) * es, static_cast<size_t>(es));
    }
    a.impl()->storage->bump_version();
}

}  // namespace descent::ops_detail
