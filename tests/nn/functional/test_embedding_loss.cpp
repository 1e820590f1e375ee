// cosine_embedding_loss, margin_ranking_loss and triplet_margin_loss against PyTorch's values
// (tests/nn/layers_torch_reference.py), gradients in float64, errors.
#include "support.hpp"

#include "descent/nn/functional/loss.hpp"

using namespace descent;
using namespace descent::nn::functional;
using nn::Reduction;
using V = std::vector<Tensor>;

namespace {

// torch: X1, Y1 of the reference script
Tensor X1() {
    return tensor(std::vector<double>{0.5, -1.0, 2.0, 1.0, 0.25, -0.5, -1.5, 0.5, 0.0}, {3, 3},
                  kFloat64);
}
Tensor Y1() {
    return tensor(std::vector<double>{1.0, 0.0, -1.0, 0.0, 0.5, 1.0, 1.0, 1.0, 1.0}, {3, 3},
                  kFloat64);
}
Tensor N1() { return tensor(std::vector<double>{0, 0, 1, 1, 0, 0, -1, 1, 0.5}, {3, 3}, kFloat64); }

}  // namespace

TEST_CASE("cosine_embedding_loss matches PyTorch") {
    const Tensor y = tensor({1, -1, -1}, kInt64);
    // torch: F.cosine_embedding_loss(X1, Y1, [1, -1, -1], margin=0.2, reduction="none"); default
    CHECK_DOUBLES(
        cosine_embedding_loss(
            X1(), Y1(), y, CosineEmbeddingLossFuncOptions().margin(0.2).reduction(Reduction::None)),
        {3}, {1.4629100498861158, 0.0, 0.0});
    CHECK_DOUBLES(cosine_embedding_loss(X1(), Y1(), y), {}, {0.48763668329537196});
    CHECK_DOUBLES(cosine_embedding_loss(X1(), Y1(), y.to(kFloat64)), {}, {0.48763668329537196});
    // Unbatched: (D) inputs and a 0-d target.
    CHECK(allclose(
        cosine_embedding_loss(X1().select(0, 0), Y1().select(0, 0), scalar_tensor(1, kInt64)),
        cosine_embedding_loss(X1(), Y1(), y,
                              CosineEmbeddingLossFuncOptions().reduction(Reduction::None))
            .select(0, 0)));
}

TEST_CASE("margin_ranking_loss and triplet_margin_loss match PyTorch") {
    // torch: F.margin_ranking_loss(X1[0], Y1[0], [1., -1., 1.], margin=0.5, reduction="none")
    CHECK_DOUBLES(
        margin_ranking_loss(X1().select(0, 0), Y1().select(0, 0),
                            tensor(std::vector<double>{1, -1, 1}, {3}, kFloat64),
                            MarginRankingLossFuncOptions().margin(0.5).reduction(Reduction::None)),
        {3}, {1.0, 0.0, 0.0});
    // torch: F.triplet_margin_loss(X1, Y1, N1, reduction="none"); p=1, margin=2, swap=True
    CHECK_DOUBLES(triplet_margin_loss(X1(), Y1(), N1(),
                                      TripletMarginLossFuncOptions().reduction(Reduction::None)),
                  {3}, {2.701562253903848, 2.261010513075359, 2.872587655198871});
    CHECK_DOUBLES(triplet_margin_loss(X1(), Y1(), N1(),
                                      TripletMarginLossFuncOptions().p(1).margin(2).swap(true)),
                  {}, {4.166665333333333});
}

TEST_CASE("distance and ranking losses: gradcheck and gradgradcheck in float64") {
    const Tensor a = test::input({3, 4}, 31), b = test::input({3, 4}, 32),
                 c = test::input({3, 4}, 33);
    const Tensor y = tensor({1, -1, -1}, kInt64);
    CHECK_GRADIENTS(
        [&](const V& v) {
            return cosine_embedding_loss(v[0], v[1], y,
                                         CosineEmbeddingLossFuncOptions().margin(-0.5));
        },
        (V{a, b}));
    const Tensor r = tensor({1, -1, 1, -1});
    CHECK_GRADIENTS(
        [&](const V& v) {
            return margin_ranking_loss(
                v[0], v[1], r,
                MarginRankingLossFuncOptions().margin(0.1).reduction(Reduction::Sum));
        },
        (V{a.select(0, 0).detach().requires_grad_(), b.select(0, 0).detach().requires_grad_()}));
    CHECK_GRADIENTS(
        [](const V& v) {
            return triplet_margin_loss(v[0], v[1], v[2], TripletMarginLossFuncOptions().margin(3));
        },
        (V{a, b, c}));
    CHECK_GRADIENTS(
        [](const V& v) {
            return triplet_margin_loss(v[0], v[1], v[2],
                                       TripletMarginLossFuncOptions().margin(3).p(3).swap(true));
        },
        (V{a, b, c}));
}

TEST_CASE("distance and ranking losses: errors") {
    const Tensor a = zeros({3, 4});
    CHECK_ERROR(ValueError,
                [&] {
                    cosine_embedding_loss(a, a, tensor({1, 0, -1}, kInt64));
                },
                {"cosine_embedding_loss()", "1 or -1", "element 1", "0"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cosine_embedding_loss(a, a, tensor({1, -1}, kInt64));
                },
                {"cosine_embedding_loss()", "(3)", "(2)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cosine_embedding_loss(a, zeros({3, 5}), tensor({1, -1, 1}, kInt64));
                },
                {"cosine_embedding_loss()", "(3, 4)", "(3, 5)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cosine_embedding_loss(zeros({2, 3, 4}), zeros({2, 3, 4}), zeros({2, 3}));
                },
                {"cosine_embedding_loss()", "(N, D) or (D)", "(2, 3, 4)"});
    CHECK_ERROR(ShapeError, [&] { margin_ranking_loss(a, a, zeros({3})); },
                {"margin_ranking_loss()", "(3, 4)", "(3)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    triplet_margin_loss(a, a, zeros({3, 5}));
                },
                {"triplet_margin_loss()", "(3, 4)", "(3, 5)"});
    CHECK_ERROR(ValueError,
                [&] { triplet_margin_loss(a, a, a, TripletMarginLossFuncOptions().p(0)); },
                {"triplet_margin_loss()", "p must be > 0", "0"});
}
