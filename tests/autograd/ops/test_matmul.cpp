// matmul (1-D to 3-D, batch broadcasting), mm and bmm with transpose flags: values, gradients
// (first and second order) and shape errors.
#include "support.hpp"
#include "support_float64.hpp"

using namespace descent;
using autograd::gradcheck;
using autograd::gradgradcheck;
using V = std::vector<Tensor>;

namespace {

// a (n, k) · b (k, m) by the textbook triple loop, in double: the reference for larger shapes.
std::vector<float> naive_mm(const Tensor& a, const Tensor& b) {
    const int64_t n = a.shape()[0], k = a.shape()[1], m = b.shape()[1];
    std::vector<float> c(static_cast<size_t>(n * m));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < m; ++j) {
            double s = 0;
            for (int64_t p = 0; p < k; ++p) s += double(a.data()[i * k + p]) * b.data()[p * m + j];
            c[i * m + j] = static_cast<float>(s);
        }
    return c;
}

}  // namespace

TEST_CASE("matmul forward values for every rank combination") {
    const Tensor u = tensor({1, 2, 3}), w = tensor({4, 5, 6});
    CHECK_VALUES(matmul(u, w), {}, {32});                        // 4 + 10 + 18
    const Tensor A = tensor({1, 2, 3, 4, 5, 6}, {2, 3});         // [[1 2 3] [4 5 6]]
    CHECK_VALUES(matmul(tensor({1, 2}), A), {3}, {9, 12, 15});   // row vector
    CHECK_VALUES(matmul(A, tensor({1, 0, -1})), {2}, {-2, -2});  // column vector
    const Tensor B = tensor({7, 8, 9, 10, 11, 12}, {3, 2});      // [[7 8] [9 10] [11 12]]
    CHECK_VALUES(matmul(A, B), {2, 2}, {58, 64, 139, 154});
    CHECK_VALUES(A.matmul(B), {2, 2}, {58, 64, 139, 154});
    CHECK_VALUES(matmul(B, A), {3, 3}, {39, 54, 69, 49, 68, 87, 59, 82, 105});

    // Batches: [[1 2] [3 4]]·[[5 6] [7 8]] and I·[[2 3] [4 5]].
    const Tensor P = tensor({1, 2, 3, 4, 1, 0, 0, 1}, {2, 2, 2});
    const Tensor Q = tensor({5, 6, 7, 8, 2, 3, 4, 5}, {2, 2, 2});
    CHECK_VALUES(matmul(P, Q), {2, 2, 2}, {19, 22, 43, 50, 2, 3, 4, 5});

    const Tensor S = tensor({1, 1, 0, 1}, {2, 2});  // [[1 1] [0 1]]
    const Tensor R = tensor({1, 2, 3, 4, 5, 6, 7, 8}, {2, 2, 2});
    // 3-D · 2-D: every batch times S on the right.
    CHECK_VALUES(matmul(R, S), {2, 2, 2}, {1, 3, 3, 7, 5, 11, 7, 15});
    // 2-D · 3-D: S times every batch on the left.
    CHECK_VALUES(matmul(S, R), {2, 2, 2}, {4, 6, 3, 4, 12, 14, 7, 8});
    // A batch of 1 broadcasts like a 2-D operand, on either side.
    CHECK_VALUES(matmul(reshape(S, {1, 2, 2}), R), {2, 2, 2}, {4, 6, 3, 4, 12, 14, 7, 8});
    CHECK_VALUES(matmul(R, reshape(S, {1, 2, 2})), {2, 2, 2}, {1, 3, 3, 7, 5, 11, 7, 15});
    CHECK_VALUES(matmul(reshape(S, {1, 2, 2}), reshape(S, {1, 2, 2})), {1, 2, 2}, {1, 2, 0, 1});
    // 1-D with 3-D: the vector is a row (left) or a column (right) of every batch.
    CHECK_VALUES(matmul(tensor({1, 1}), R), {2, 2}, {4, 6, 12, 14});
    CHECK_VALUES(matmul(R, tensor({1, 2})), {2, 2}, {5, 11, 17, 23});
    // (2, 2, 3) · (3, 2): rows of both batches fold into one product.
    const Tensor T = tensor({1, 2, 3, 4, 5, 6, 0, 0, 1, 1, 0, 0}, {2, 2, 3});
    CHECK_VALUES(matmul(T, B), {2, 2, 2}, {58, 64, 139, 154, 11, 12, 7, 8});
    // Empty batches broadcast against a batch of 1, as any size does.
    CHECK(matmul(zeros({1, 2, 3}), zeros({0, 3, 4})).shape() == Shape{0, 2, 4});
    CHECK(matmul(zeros({0, 2, 3}), zeros({1, 3, 4})).shape() == Shape{0, 2, 4});
    CHECK(matmul(zeros({2, 3}), zeros({0, 3, 4})).shape() == Shape{0, 2, 4});
    CHECK(matmul(zeros({0, 2, 3}), zeros({3, 4})).shape() == Shape{0, 2, 4});
    // Empty inner dim: a sum of nothing is 0.
    CHECK_VALUES(matmul(zeros({2, 0}), zeros({0, 3})), {2, 3}, {0, 0, 0, 0, 0, 0});
}

TEST_CASE("matmul matches a naive product on larger, uneven shapes") {
    Generator gen(3);
    const Tensor a = randn({17, 33}, gen), b = randn({33, 5}, gen);
    CHECK_VALUES(matmul(a, b), {17, 5}, naive_mm(a, b), 1e-4);
    // (3, 17, 33) · (33, 5): each batch separately.
    const Tensor a3 = randn({3, 17, 33}, gen);
    const Tensor c3 = matmul(a3, b);
    REQUIRE(c3.shape() == Shape{3, 17, 5});
    for (int64_t i = 0; i < 3; ++i) {
        INFO("batch ", i);
        CHECK_VALUES(select(c3, 0, i), {17, 5}, naive_mm(select(a3, 0, i), b), 1e-4);
    }
}

TEST_CASE("mm gives the same product for every combination of transpose flags") {
    const Tensor A = tensor({1, 2, 3, 4, 5, 6}, {2, 3}), At = tensor({1, 4, 2, 5, 3, 6}, {3, 2});
    const Tensor B = tensor({7, 8, 9, 10, 11, 12}, {3, 2}),
                 Bt = tensor({7, 9, 11, 8, 10, 12}, {2, 3});
    const std::vector<float> AB = {58, 64, 139, 154};
    CHECK_VALUES(mm(A, B), {2, 2}, AB);
    CHECK_VALUES(A.mm(B), {2, 2}, AB);
    CHECK_VALUES(mm(At, B, true, false), {2, 2}, AB);
    CHECK_VALUES(mm(A, Bt, false, true), {2, 2}, AB);
    CHECK_VALUES(mm(At, Bt, true, true), {2, 2}, AB);
    // A·Aᵀ and Aᵀ·A from A alone.
    CHECK_VALUES(mm(A, A, false, true), {2, 2}, {14, 32, 32, 77});
    CHECK_VALUES(mm(A, A, true, false), {3, 3}, {17, 22, 27, 22, 29, 36, 27, 36, 45});
}

TEST_CASE("bmm multiplies batch by batch, with transpose flags") {
    const Tensor P = tensor({1, 2, 3, 4, 1, 0, 0, 1}, {2, 2, 2});
    const Tensor Pt = tensor({1, 3, 2, 4, 1, 0, 0, 1}, {2, 2, 2});
    const Tensor Q = tensor({5, 6, 7, 8, 2, 3, 4, 5}, {2, 2, 2});
    const Tensor Qt = tensor({5, 7, 6, 8, 2, 4, 3, 5}, {2, 2, 2});
    const std::vector<float> PQ = {19, 22, 43, 50, 2, 3, 4, 5};
    CHECK_VALUES(bmm(P, Q), {2, 2, 2}, PQ);
    CHECK_VALUES(bmm(Pt, Q, true, false), {2, 2, 2}, PQ);
    CHECK_VALUES(bmm(P, Qt, false, true), {2, 2, 2}, PQ);
    CHECK_VALUES(bmm(Pt, Qt, true, true), {2, 2, 2}, PQ);
    // Non-square: (2, 1, 3) · (2, 3, 2).
    const Tensor x = tensor({1, 2, 3, 1, 0, 0}, {2, 1, 3});
    const Tensor y = tensor({7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}, {2, 3, 2});
    CHECK_VALUES(bmm(x, y), {2, 1, 2}, {58, 64, 1, 2});
}

TEST_CASE("matmul gradients match finite differences for every rank combination") {
    const Tensor v3 = test::input({3}, 1), v3b = test::input({3}, 2), v4 = test::input({4}, 3);
    const Tensor m34 = test::input({3, 4}, 4), m45 = test::input({4, 5}, 5),
                 m23 = test::input({2, 3}, 6);
    const Tensor b234 = test::input({2, 3, 4}, 7), b245 = test::input({2, 4, 5}, 8);
    const Tensor o145 = test::input({1, 4, 5}, 9), o134 = test::input({1, 3, 4}, 10);
    const auto mat = [](const V& v) { return matmul(v[0], v[1]); };
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"1-D · 1-D", mat, {v3, v3b}},
             {"1-D · 2-D", mat, {v3, m34}},
             {"2-D · 1-D", mat, {m34, v4}},
             {"2-D · 2-D", mat, {m34, m45}},
             {"3-D · 3-D", mat, {b234, b245}},
             {"3-D · 2-D", mat, {b234, m45}},
             {"2-D · 3-D", mat, {m34, b245}},
             {"1-D · 3-D", mat, {v3, b234}},
             {"3-D · 1-D", mat, {b234, v4}},
             {"batch 1 · 3-D", mat, {o134, b245}},
             {"3-D · batch 1", mat, {b234, o145}},
             {"2-D · 2-D, one side constant", mat, {m23, m34.detach()}},
             {"x · x", [](const V& v) { return matmul(v[0], v[0]); }, {test::input({3, 3}, 11)}},
             {"chain",
              [](const V& v) { return matmul(matmul(v[0], v[1]), v[2]); },
              {m23, m34, m45}},
         }) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

TEST_CASE("mm and bmm gradients match finite differences for every transpose flag") {
    // Stored shapes for op(a) (3, 4) and op(b) (4, 2): a is (4, 3) when transposed, b (2, 4).
    for (const bool ta : {false, true})
        for (const bool tb : {false, true}) {
            INFO("transpose_a ", ta, ", transpose_b ", tb);
            const Tensor a = test::input(ta ? Shape{4, 3} : Shape{3, 4}, 1);
            const Tensor b = test::input(tb ? Shape{2, 4} : Shape{4, 2}, 2);
            const Tensor a3 = test::input(ta ? Shape{2, 4, 3} : Shape{2, 3, 4}, 3);
            const Tensor b3 = test::input(tb ? Shape{2, 2, 4} : Shape{2, 4, 2}, 4);
            const autograd::TensorFunction fm = [ta, tb](const V& v) {
                return mm(v[0], v[1], ta, tb);
            };
            const autograd::TensorFunction fb = [ta, tb](const V& v) {
                return bmm(v[0], v[1], ta, tb);
            };
            CHECK(gradcheck(fm, {a, b}));
            CHECK(gradgradcheck(fm, {a, b}));
            CHECK(gradcheck(fm, {a, b.detach()}));
            CHECK(gradcheck(fm, {a.detach(), b}));
            CHECK(gradcheck(fb, {a3, b3}));
            CHECK(gradgradcheck(fb, {a3, b3}));
            CHECK(gradgradcheck(fb, {a3.detach(), b3}));
        }
}

TEST_CASE("matmul gradients by hand: dA = G·Bᵀ, dB = Aᵀ·G") {
    Tensor A = tensor({1, 2, 3, 4, 5, 6}, {2, 3}).requires_grad_();
    Tensor B = tensor({1, 0, 0, 1, 1, 1}, {3, 2}).requires_grad_();
    matmul(A, B).sum().backward();                       // G = ones (2, 2)
    CHECK_VALUES(A.grad(), {2, 3}, {1, 1, 2, 1, 1, 2});  // row sums of B, per row
    CHECK_VALUES(B.grad(), {3, 2}, {5, 5, 7, 7, 9, 9});  // column sums of A, per column

    Tensor At = tensor({1, 4, 2, 5, 3, 6}, {3, 2}).requires_grad_();
    mm(At, B.detach(), true, false).sum().backward();
    CHECK_VALUES(At.grad(), {3, 2}, {1, 1, 1, 1, 2, 2});  // the transpose of A's gradient
}

TEST_CASE("matmul saves its operands: modifying one, even through a view, is caught") {
    Tensor w = test::input({3, 2}, 1);
    Tensor x = ones({4, 3});
    Tensor y = matmul(x, w);        // dW = Xᵀ·G needs x
    slice(x, 0, 1, 2).fill_(5.0f);  // one row of x, in place through a view of its storage
    CHECK_ERROR(StateError, [&] { y.sum().backward(); },
                {"MmBackward", "modified in place", "(4, 3)"});
}

TEST_CASE("matmul, mm and bmm shape errors name the op and both shapes") {
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({2, 3}), zeros({4, 5}));
                },
                {"matmul", "(2, 3)", "(4, 5)", "3 != 4"});
    CHECK_ERROR(ShapeError, [] { matmul(zeros({3}), zeros({4})); }, {"matmul()", "(3)", "(4)"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({3}), zeros({2, 4}));
                },
                {"matmul()", "(3)", "(2, 4)"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({2, 4}), zeros({3}));
                },
                {"matmul()", "(2, 4)", "(3)"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({2, 2, 3}), zeros({2, 4, 5}));
                },
                {"matmul()", "(2, 2, 3)", "(2, 4, 5)"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({2, 2, 3}), zeros({3, 3, 4}));
                },
                {"matmul()", "(2, 2, 3)", "(3, 3, 4)", "broadcast"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({1, 2, 3, 4}), zeros({5, 6}));
                },
                {"matmul()", "(1, 2, 3, 4)", "(5, 6)", "4 != 5"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({4, 5}), zeros({2, 2, 4, 4}));
                },
                {"matmul()", "(4, 5)", "(2, 2, 4, 4)"});
    CHECK_ERROR(ShapeError,
                [] {
                    matmul(zeros({2, 3, 5, 8}), zeros({2, 8, 6}));
                },
                {"matmul()", "(2, 3, 5, 8)", "(2, 8, 6)", "broadcast"});
    CHECK_ERROR(ShapeError, [] { matmul(scalar_tensor(2), zeros({3})); },
                {"matmul()", "()", "(3)"});
    CHECK_ERROR(ValueError, [] { matmul(Tensor(), zeros({3})); },
                {"matmul()", "first operand", "undefined"});
    CHECK_ERROR(ValueError, [] { matmul(zeros({3}), Tensor()); },
                {"matmul()", "second operand", "undefined"});

    CHECK_ERROR(ShapeError,
                [] {
                    mm(zeros({2, 3}), zeros({2, 3}));
                },
                {"mm()", "(2, 3)", "(2, 3)", "3 != 2"});
    CHECK_ERROR(ShapeError,
                [] {
                    mm(zeros({2, 3}), zeros({4, 3}), true, true);
                },
                {"mm()", "(2, 3)ᵀ", "(4, 3)ᵀ", "2 != 3"});
    CHECK_ERROR(ShapeError,
                [] {
                    mm(zeros({2, 3}), zeros({2, 3}), false, false);
                },
                {"mm()", "cannot be multiplied"});
    CHECK_ERROR(ShapeError, [] { mm(zeros({3}), zeros({3, 2})); }, {"mm()", "(3)", "2-D"});
    CHECK_ERROR(ShapeError,
                [] {
                    mm(zeros({2, 3}), zeros({1, 3, 2}));
                },
                {"mm()", "(2, 3)", "(1, 3, 2)"});

    CHECK_ERROR(ShapeError,
                [] {
                    bmm(zeros({2, 3, 4}), zeros({3, 4, 5}));
                },
                {"bmm()", "batch", "(2, 3, 4)", "(3, 4, 5)"});
    CHECK_ERROR(ShapeError,
                [] {
                    bmm(zeros({2, 3, 4}), zeros({2, 5, 4}));
                },
                {"bmm()", "(2, 3, 4)", "(2, 5, 4)", "4 != 5"});
    CHECK_ERROR(ShapeError,
                [] {
                    bmm(zeros({2, 3, 4}), zeros({2, 5, 4}), true, false);
                },
                {"bmm()", "(2, 3, 4)ᵀ", "(2, 5, 4)", "3 != 5"});
    CHECK_ERROR(ShapeError,
                [] {
                    bmm(zeros({3, 4}), zeros({4, 5}));
                },
                {"bmm()", "3-D", "(3, 4)", "(4, 5)"});
}

// ---- strided operands and broadcast batches -----------------------------------------------------

TEST_CASE("mm, bmm and matmul read transposed views and row blocks in place") {
    Generator gen(7);
    const Tensor a = randn({5, 8}, gen), b = randn({3, 5}, gen);
    // a.t() has strides (1, 8): sgemm reads it with a transpose flag.
    CHECK_VALUES(mm(a.t(), b.t()), {8, 3}, naive_mm(a.t().contiguous(), b.t().contiguous()), 1e-4);
    CHECK_VALUES(matmul(b, a), {3, 8}, naive_mm(b, a), 1e-4);
    // Flags and transposed views combine: (aᵀ)ᵀ = a.
    CHECK_VALUES(mm(a.t(), a.t(), true, false), {5, 5}, naive_mm(a, a.t().contiguous()), 1e-4);
    // A block of columns: rows 8 floats apart, a leading dimension of 8.
    const Tensor cols = a.narrow(1, 2, 4);  // (5, 4)
    CHECK_VALUES(mm(cols, ones({4, 2})), {5, 2}, naive_mm(cols.contiguous(), ones({4, 2})), 1e-4);
    // A layout sgemm cannot read (a column stride of 2) is copied first.
    const Tensor stepped = a.slice(1, 0, 8, 2);  // (5, 4), strides (8, 2)
    CHECK_VALUES(mm(stepped, ones({4, 1})), {5, 1}, naive_mm(stepped.contiguous(), ones({4, 1})),
                 1e-4);
    // Batches of transposed matrices: (2, 8, 5) as a transpose of (2, 5, 8).
    const Tensor p = randn({2, 5, 8}, gen), q = randn({2, 5, 3}, gen);
    const Tensor pq = bmm(p.transpose(1, 2), q);
    REQUIRE(pq.shape() == Shape{2, 8, 3});
    for (int64_t i = 0; i < 2; ++i) {
        INFO("batch ", i);
        CHECK_VALUES(pq[i], {8, 3}, naive_mm(p[i].t().contiguous(), q[i].contiguous()), 1e-4);
    }
}

TEST_CASE("matmul broadcasts any batch dims, as torch.matmul") {
    Generator gen(8);
    const auto check = [](const Tensor& a, const Tensor& b, const Shape& want) {
        const Tensor c = matmul(a, b);
        REQUIRE(c.shape() == want);
        // each output matrix against the product of the two broadcast input matrices
        const int64_t nb = c.dim() - 2;
        Shape batch(c.shape().begin(), c.shape().begin() + nb);
        const Tensor ae = a.dim() >= 2 ? a.expand([&] {
            Shape s = batch;
            s.push_back(a.size(-2));
            s.push_back(a.size(-1));
            return s;
        }())
                                       : a;
        const Tensor be = b.expand([&] {
            Shape s = batch;
            s.push_back(b.size(-2));
            s.push_back(b.size(-1));
            return s;
        }());
        const Tensor af = ae.reshape({-1, a.size(-2), a.size(-1)});
        const Tensor bf = be.reshape({-1, b.size(-2), b.size(-1)});
        const Tensor cf = c.reshape({-1, c.size(-2), c.size(-1)});
        for (int64_t i = 0; i < cf.size(0); ++i) {
            INFO("matrix ", i);
            CHECK_VALUES(cf[i], {c.size(-2), c.size(-1)},
                         naive_mm(af[i].contiguous(), bf[i].contiguous()), 1e-4);
        }
    };
    check(randn({2, 4, 5, 8}, gen), randn({2, 4, 8, 5}, gen), {2, 4, 5, 5});
    check(randn({4, 5, 8}, gen), randn({8, 3}, gen), {4, 5, 3});
    check(randn({2, 1, 5, 8}, gen), randn({3, 8, 6}, gen), {2, 3, 5, 6});
    check(randn({5, 8}, gen), randn({2, 3, 8, 2}, gen), {2, 3, 5, 2});
    check(randn({4, 8, 5}, gen).transpose(1, 2), randn({8, 3}, gen), {4, 5, 3});  // not foldable
    CHECK(matmul(randn({2, 3, 4, 5}, gen), randn({5}, gen)).shape() == Shape{2, 3, 4});
    CHECK(matmul(randn({5}, gen), randn({2, 3, 5, 4}, gen)).shape() == Shape{2, 3, 4});
}

TEST_CASE("batched and broadcast matmul gradients match finite differences") {
    const Tensor a4 = test::input({2, 2, 3, 4}, 31), b4 = test::input({2, 2, 4, 3}, 32);
    const Tensor a3 = test::input({3, 2, 4}, 33), m = test::input({4, 2}, 34);
    const Tensor o = test::input({2, 1, 2, 4}, 35), c3 = test::input({3, 4, 2}, 36);
    const auto mat = [](const V& v) { return matmul(v[0], v[1]); };
    for (const auto& [name, f, inputs] :
         std::vector<std::tuple<const char*, autograd::TensorFunction, V>>{
             {"4-D · 4-D", mat, {a4, b4}},
             {"3-D · 2-D", mat, {a3, m}},
             {"broadcast (2, 1, 2, 4) · (3, 4, 2)", mat, {o, c3}},
             {"transposed views",
              [](const V& v) { return matmul(v[0].transpose(-1, -2), v[1].transpose(-1, -2)); },
              {b4, a4}},
             {"bmm of a transposed view",
              [](const V& v) { return bmm(v[0].transpose(1, 2), v[1]); },
              {c3, test::input({3, 4, 3}, 37)}},
         }) {
        INFO(name);
        CHECK(gradcheck(f, inputs));
        CHECK(gradgradcheck(f, inputs));
    }
}

// ---- float64 --------------------------------------------------------------------------------

namespace {
// a (n, k) · b (k, m) by the triple loop in double.
std::vector<double> naive_mm_f64(const Tensor& a, const Tensor& b) {
    const int64_t n = a.size(0), k = a.size(1), m = b.size(1);
    const std::vector<double> av = a.to_vector<double>(), bv = b.to_vector<double>();
    std::vector<double> c(static_cast<size_t>(n * m), 0.0);
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < m; ++j)
            for (int64_t p = 0; p < k; ++p) c[i * m + j] += av[i * k + p] * bv[p * m + j];
    return c;
}
}  // namespace

TEST_CASE(
    "mm, bmm and matmul in float64 (dgemm) against double loops, gradients at PyTorch's "
    "tolerances") {
    Tensor a = test::doubles({4, 5}, 21), b = test::doubles({5, 3}, 22);
    CHECK_F64(mm(a, b), Shape{4, 3}, naive_mm_f64(a, b));
    CHECK_F64(matmul(a, b), Shape{4, 3}, naive_mm_f64(a, b));
    CHECK_F64(mm(a.t(), a, false, false), Shape{5, 5}, naive_mm_f64(a.t().contiguous(), a));
    Tensor batch = test::doubles({2, 4, 5}, 23);
    const Tensor out = matmul(batch, b);  // (2, 4, 3)
    for (int64_t i = 0; i < 2; ++i)
        CHECK_F64(out.select(0, i), Shape{4, 3}, naive_mm_f64(batch.select(0, i).contiguous(), b));
    CHECK_F64(bmm(batch, batch.transpose(1, 2)).select(0, 1), Shape{4, 4},
              naive_mm_f64(batch.select(0, 1).contiguous(), batch.select(0, 1).t().contiguous()));
    auto f = [](const V& v) { return matmul(v[0], v[1]); };
    CHECK(gradcheck(f, {a.requires_grad_(), b.requires_grad_()}));
    CHECK(gradgradcheck(f, {a, b}));
    CHECK(gradcheck(f, {batch.requires_grad_(), test::doubles({2, 5, 3}, 24).requires_grad_()}));
    CHECK(gradcheck([](const V& v) { return bmm(v[0], v[1], true, false); },
                    {test::doubles({2, 5, 4}, 25).requires_grad_(),
                     test::doubles({2, 5, 3}, 26).requires_grad_()}));
}

TEST_CASE("matmul of float32 and float64 promotes to float64, each gradient in its own dtype") {
    const Tensor a = test::input({3, 4}, 27);  // float32
    const Tensor b = test::doubles({4, 2}, 28).requires_grad_();
    const Tensor c = matmul(a, b);
    CHECK(c.dtype() == kFloat64);
    CHECK_F64(c, Shape{3, 2}, naive_mm_f64(a.detach().to(kFloat64), b.detach()));
    CHECK(mm(b.t(), a.t()).dtype() == kFloat64);
    c.sum().backward();
    CHECK(a.grad().dtype() == kFloat32);
    CHECK(b.grad().dtype() == kFloat64);
    // dL/db = aᵀ·1, summed in double from a's float32 values
    std::vector<double> db(8, 0.0);
    const std::vector<float> av = a.detach().to_vector();
    for (int64_t k = 0; k < 4; ++k)
        for (int64_t i = 0; i < 3; ++i) db[k * 2] += av[i * 4 + k], db[k * 2 + 1] += av[i * 4 + k];
    CHECK_F64(b.grad(), Shape{4, 2}, db);
}

TEST_CASE("matmul refuses integer tensors in words, before computing") {
    const Tensor i = tensor(std::vector<int64_t>{1, 2, 3, 4}, {2, 2}, kInt64);
    CHECK_ERROR(TypeError, [&] { matmul(i, i); },
                {"matmul()", "expected floating tensors, got int64 and int64"});
    CHECK_ERROR(TypeError, [&] { mm(i, ones({2, 2})); }, {"mm()", "int64 and float32"});
}
