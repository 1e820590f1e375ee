// Forward and backward of the matrix products, side by side. For C = op(A)·op(B) with incoming
// gradient G: d op(A) = G·op(B)ᵀ and d op(B) = op(A)ᵀ·G; when an operand was used transposed its
// gradient is the transpose of that. Each case is one more product with the right flags. Operands
// reach sgemm as they lie in memory: a transposed view is a transpose flag, a row block of a wider
// matrix a leading dimension, a broadcast batch a batch stride of 0; only other layouts are copied.
#include "descent/autograd/ops/matmul.hpp"

#include <algorithm>

#include "descent/autograd/ops/dispatch.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/shape.hpp"
#include "descent/autograd/record.hpp"
#include "descent/core/kernels/blas.hpp"

namespace descent {

using autograd::Node;
using autograd::detail::record;

namespace {

// "(2, 3)" or "(2, 3)ᵀ": how an operand appears in error messages.
std::string operand(const Tensor& t, bool transposed) {
    return detail::cat(t.shape(), transposed ? "ᵀ" : "");
}

// One operand as sgemm reads it: the tensor whose memory it reads (the operand itself, or a
// contiguous copy when its layout is neither row-major nor transposed), sgemm's transpose flag and
// leading dimension.
struct BlasOperand {
    Tensor t;
    bool trans = false;
    int64_t ld = 1;
};

// x: (batch..., R, C), used as op(x) when `trans`.
BlasOperand blas_operand(const Tensor& x, bool trans) {
    const int64_t nd = x.dim(), R = x.shape()[nd - 2], C = x.shape()[nd - 1];
    const int64_t s0 = x.strides()[nd - 2], s1 = x.strides()[nd - 1];
    // A size-1 dim's stride is never followed, so it cannot disqualify a layout.
    if ((C == 1 || s1 == 1) && (R == 1 || s0 >= std::max<int64_t>(C, 1)))
        return {x, trans, R == 1 ? std::max<int64_t>(C, 1) : s0};  // rows s0 apart
    if ((R == 1 || s0 == 1) && (C == 1 || s1 >= std::max<int64_t>(R, 1)))
        return {x, !trans, C == 1 ? std::max<int64_t>(R, 1) : s1};  // the transpose of such
    return {detail::dense(x), trans, std::max<int64_t>(C, 1)};
}

// ---- mm / bmm / batched matmul --------------------------------------------------------------
struct MatmulBackward final : Node {
    // saved: a, b, each only if the other input needs a gradient
    bool ta = false, tb = false, batched = false;
    const char* name() const override { return batched ? "BmmBackward" : "MmBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

// a: (batch..., n, k) or its transpose, b: (batch..., k, m) or its transpose, with equal batch
// shapes (any strides, 0 for a broadcast batch dim) -> (batch..., n, m): one sgemm per matrix.
Tensor product(const Tensor& a, const Tensor& b, bool ta, bool tb, const char* op) {
    const int64_t r = a.dim() - 2;  // index of the first matrix dim
    const int64_t M = a.shape()[r + (ta ? 1 : 0)], K = a.shape()[r + (ta ? 0 : 1)];
    const int64_t Kb = b.shape()[r + (tb ? 1 : 0)], N = b.shape()[r + (tb ? 0 : 1)];
    DESCENT_CHECK(K == Kb, ShapeError, op, "(): shapes ", operand(a, ta), " and ", operand(b, tb),
                  " cannot be multiplied: ", K, " != ", Kb);
    Shape shape(a.shape().begin(), a.shape().begin() + r);
    shape.push_back(M);
    shape.push_back(N);
    DESCENT_CHECK(a.dtype() == b.dtype(), TypeError, op, "(): operands of ", a.dtype(), " and ",
                  b.dtype(), " reached the product unpromoted");  // the doors promote
    Tensor out = make_tensor(shape, a.dtype());
    const BlasOperand A = blas_operand(a, ta), B = blas_operand(b, tb);
    ops_detail::visit_floating(a.dtype(), op, [&](auto tag) {
        using T = decltype(tag);  // float: sgemm, double: dgemm
        const T* pa = A.t.impl()->template first_as<T>();
        const T* pb = B.t.impl()->template first_as<T>();
        T* po = out.data<T>();
        // Walk the batch index in row-major order, each operand following its own batch strides.
        const int64_t batches = out.numel() / std::max<int64_t>(1, M * N);
        const int64_t count = M * N == 0 ? 0 : batches;
        std::vector<int64_t> index(r, 0);
        int64_t oa = 0, ob = 0;
        for (int64_t i = 0; i < count; ++i) {
            kernels::gemm(A.trans, B.trans, M, N, K, T(1), pa + oa, A.ld, pb + ob, B.ld, T(0),
                          po + i * M * N);
            for (int64_t d = r - 1; d >= 0; --d) {
                oa += A.t.strides()[d];
                ob += B.t.strides()[d];
                if (++index[d] < shape[d]) break;
                oa -= A.t.strides()[d] * shape[d];
                ob -= B.t.strides()[d] * shape[d];
                index[d] = 0;
            }
        }
    });
    if (auto node = record<MatmulBackward>(out, a, b)) {
        node->save_for_backward(
            {node->needs_input_grad(1) ? a : Tensor(), node->needs_input_grad(0) ? b : Tensor()});
        node->ta = ta;
        node->tb = tb;
        node->batched = r > 0;
    }
    return out;
}

// C = op(A)·op(B):  dA = G·op(B)ᵀ (A used as is) or op(B)·Gᵀ (A transposed),
// dB = op(A)ᵀ·G (B used as is) or Gᵀ·op(A) (B transposed)
std::vector<Tensor> MatmulBackward::apply(Tensor g) {
    const char* op = batched ? "bmm" : "mm";
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) {
        const Tensor bv = saved(1);
        grads[0] = ta ? product(bv, g, tb, true, op) : product(g, bv, false, !tb, op);
    }
    if (needs_input_grad(1)) {
        const Tensor av = saved(0);
        grads[1] = tb ? product(g, av, true, ta, op) : product(av, g, !ta, false, op);
    }
    return grads;
}

// Both operands in their promoted floating dtype (as PyTorch: float32 with float64 computes in
// float64); a differentiable conversion, so the gradient reaches each in its own dtype. Integer
// products are refused: descent has no integer GEMM (convert with .to(kFloat64)).
std::pair<Tensor, Tensor> promoted(const Tensor& a, const Tensor& b, const char* op) {
    DESCENT_CHECK(a.is_floating_point() && b.is_floating_point(), TypeError, op,
                  "(): expected floating tensors, got ", a.dtype(), " and ", b.dtype(),
                  " (integer matrix products are not implemented; convert with .to(kFloat64))");
    const ScalarType t = promote_types(a.dtype(), b.dtype());
    return {a.dtype() == t ? a : a.to(t), b.dtype() == t ? b : b.to(t)};
}

// mm (rank 2) and bmm (rank 3): the checks of their documented shapes, then product().
Tensor checked_product(const Tensor& a0, const Tensor& b0, bool ta, bool tb, bool batched,
                       const char* op) {
    ops_detail::check_defined(a0, op, "first operand");
    ops_detail::check_defined(b0, op, "second operand");
    const auto [a, b] = promoted(a0, b0, op);
    const int64_t rank = batched ? 3 : 2;
    DESCENT_CHECK(a.dim() == rank && b.dim() == rank, ShapeError, op, "(): expects two ", rank,
                  "-D tensors, got ", a.shape(), " and ", b.shape());
    DESCENT_CHECK(!batched || b.shape()[0] == a.shape()[0], ShapeError, op,
                  "(): batch sizes differ: ", a.shape(), " and ", b.shape());
    return product(a, b, ta, tb, op);
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, CallSite) {
    return checked_product(a, b, transpose_a, transpose_b, false, "mm");
}

Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, CallSite) {
    return checked_product(a, b, transpose_a, transpose_b, true, "bmm");
}

Tensor matmul(const Tensor& a0, const Tensor& b0, CallSite) {
    ops_detail::check_defined(a0, "matmul", "first operand");
    ops_detail::check_defined(b0, "matmul", "second operand");
    const auto [a, b] = promoted(a0, b0, "matmul");
    const int64_t da = a.dim(), db = b.dim();
    DESCENT_CHECK(da >= 1 && db >= 1, ShapeError,
                  "matmul(): both operands need at least 1 dim, got ", a.shape(), " and ",
                  b.shape());
    // The contracted sizes: a's last dim against b's first matrix dim (its only dim if 1-D).
    const int64_t ka = a.shape()[da - 1], kb = b.shape()[db == 1 ? 0 : db - 2];
    DESCENT_CHECK(ka == kb, ShapeError, "matmul(): shapes ", a.shape(), " and ", b.shape(),
                  " cannot be multiplied: ", ka, " != ", kb);
    if (da == 1 && db == 1) return reshape(mm(unsqueeze(a, 0), unsqueeze(b, 1)), {});
    if (da == 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
    if (db == 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
    if (da == 2 && db == 2) return mm(a, b);
    if (db == 2 && a.is_contiguous()) {  // one big product: the batch folds into the rows
        Shape shape = a.shape();
        shape.back() = b.shape()[1];
        return reshape(mm(reshape(a, {-1, ka}), b), shape);
    }
    // Batch dims broadcast (NumPy rules), a 2-D operand counting as a batch of one matrix; both
    // operands are expanded (views, stride 0) to the common batch shape.
    const Shape ba(a.shape().begin(), a.shape().end() - 2),
        bb(b.shape().begin(), b.shape().end() - 2);
    const size_t nb = std::max(ba.size(), bb.size());
    Shape batch(nb);
    for (size_t i = 0; i < nb; ++i) {
        const int64_t x = i + ba.size() >= nb ? ba[i + ba.size() - nb] : 1;
        const int64_t y = i + bb.size() >= nb ? bb[i + bb.size() - nb] : 1;
        DESCENT_CHECK(x == y || x == 1 || y == 1, ShapeError, "matmul(): batch sizes of ",
                      a.shape(), " and ", b.shape(), " do not broadcast");
        batch[i] = x == 1 ? y : x;
    }
    auto batch_of = [&batch](const Tensor& x) {
        Shape shape = batch;
        shape.push_back(x.shape()[x.dim() - 2]);
        shape.push_back(x.shape()[x.dim() - 1]);
        return expand(x, shape);
    };
    return product(batch_of(a), batch_of(b), false, false, "matmul");
}

}  // namespace descent
