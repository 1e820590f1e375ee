// Forward and backward of the matrix products, side by side. For C = op(A)·op(B) with incoming
// gradient G: d op(A) = G·op(B)ᵀ and d op(B) = op(A)ᵀ·G; when an operand was used transposed its
// gradient is the transpose of that. Each case is one more product with the right flags.
#include "descent/autograd/ops/matmul.hpp"

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

// ---- mm / bmm -------------------------------------------------------------------------------
struct MatmulBackward final : Node {
    // saved: a, b, each only if the other input needs a gradient
    bool ta = false, tb = false, batched = false;
    const char* name() const override { return batched ? "BmmBackward" : "MmBackward"; }
    std::vector<Tensor> apply(Tensor g) override;
};

// a: (B, n, k) or its transpose, b: (B, k, m) or its transpose, B = 1 and no batch dim for mm
Tensor product(const Tensor& a, const Tensor& b, bool ta, bool tb, bool batched, const char* op) {
    ops_detail::check_defined(a, op, "first operand");
    ops_detail::check_defined(b, op, "second operand");
    const int64_t rank = batched ? 3 : 2;
    DESCENT_CHECK(a.dim() == rank && b.dim() == rank, ShapeError, op, "(): expects two ", rank,
                  "-D tensors, got ", a.shape(), " and ", b.shape());
    const int64_t batch = batched ? a.shape()[0] : 1;
    DESCENT_CHECK(!batched || b.shape()[0] == batch, ShapeError, op,
                  "(): batch sizes differ: ", a.shape(), " and ", b.shape());
    const int64_t r = rank - 2;  // index of the first matrix dim
    const int64_t M = a.shape()[r + (ta ? 1 : 0)], K = a.shape()[r + (ta ? 0 : 1)];
    const int64_t Kb = b.shape()[r + (tb ? 1 : 0)], N = b.shape()[r + (tb ? 0 : 1)];
    DESCENT_CHECK(K == Kb, ShapeError, op, "(): shapes ", operand(a, ta), " and ", operand(b, tb),
                  " cannot be multiplied: ", K, " != ", Kb);
    Tensor out = make_tensor(batched ? Shape{batch, M, N} : Shape{M, N});
    for (int64_t i = 0; i < batch; ++i)
        kernels::gemm(ta, tb, M, N, K, 1.0f, a.data() + i * M * K, b.data() + i * K * N, 0.0f,
                      out.data() + i * M * N);
    if (auto node = record<MatmulBackward>(out, a, b)) {
        node->save_for_backward(
            {node->needs_input_grad(1) ? a : Tensor(), node->needs_input_grad(0) ? b : Tensor()});
        node->ta = ta;
        node->tb = tb;
        node->batched = batched;
    }
    return out;
}

// C = op(A)·op(B):  dA = G·op(B)ᵀ (A used as is) or op(B)·Gᵀ (A transposed),
// dB = op(A)ᵀ·G (B used as is) or Gᵀ·op(A) (B transposed)
std::vector<Tensor> MatmulBackward::apply(Tensor g) {
    const bool batch = batched;
    auto product = [batch](const Tensor& x, const Tensor& y, bool tx, bool ty) {
        return batch ? bmm(x, y, tx, ty) : mm(x, y, tx, ty);
    };
    std::vector<Tensor> grads(2);
    if (needs_input_grad(0)) {
        const Tensor bv = saved(1);
        grads[0] = ta ? product(bv, g, tb, true) : product(g, bv, false, !tb);
    }
    if (needs_input_grad(1)) {
        const Tensor av = saved(0);
        grads[1] = tb ? product(g, av, true, ta) : product(av, g, !ta, false);
    }
    return grads;
}

}  // namespace

Tensor mm(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, CallSite) {
    return product(a, b, transpose_a, transpose_b, false, "mm");
}

Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b, CallSite) {
    return product(a, b, transpose_a, transpose_b, true, "bmm");
}

Tensor matmul(const Tensor& a, const Tensor& b, CallSite) {
    ops_detail::check_defined(a, "matmul", "first operand");
    ops_detail::check_defined(b, "matmul", "second operand");
    const int64_t da = a.dim(), db = b.dim();
    DESCENT_CHECK(da >= 1 && da <= 3 && db >= 1 && db <= 3, ShapeError,
                  "matmul(): supports 1-D to 3-D tensors, got ", a.shape(), " and ", b.shape());
    // The contracted sizes: a's last dim against b's first matrix dim (its only dim if 1-D).
    const int64_t ka = a.shape()[da - 1], kb = b.shape()[db == 1 ? 0 : db - 2];
    DESCENT_CHECK(ka == kb, ShapeError, "matmul(): shapes ", a.shape(), " and ", b.shape(),
                  " cannot be multiplied: ", ka, " != ", kb);
    if (da == 1 && db == 1) return reshape(mm(unsqueeze(a, 0), unsqueeze(b, 1)), {});
    if (da == 1) return squeeze(matmul(unsqueeze(a, 0), b), -2);
    if (db == 1) return squeeze(matmul(a, unsqueeze(b, 1)), -1);
    if (da == 2 && db == 2) return mm(a, b);
    if (da == 3 && db == 2) {  // one big product: the batch folds into the rows
        const int64_t B = a.shape()[0], n = a.shape()[1];
        return reshape(mm(reshape(a, {B * n, ka}), b), {B, n, b.shape()[1]});
    }
    // Batched: a 2-D operand or a batch of 1 is repeated over the other's batch (which may be 0).
    const int64_t ba = da == 3 ? a.shape()[0] : 1, bb = db == 3 ? b.shape()[0] : 1;
    DESCENT_CHECK(ba == bb || ba == 1 || bb == 1, ShapeError, "matmul(): batch sizes of ",
                  a.shape(), " and ", b.shape(), " do not broadcast");
    const int64_t B = ba == 1 ? bb : ba;
    auto batch_of = [B](const Tensor& x) {
        const Tensor x3 = x.dim() == 3 ? x : unsqueeze(x, 0);
        return expand(x3, {B, x3.shape()[1], x3.shape()[2]});
    };
    return bmm(batch_of(a), batch_of(b));
}

}  // namespace descent
