// nn::Embedding and functional::embedding: PyTorch's init, values and gradients against
// torch.nn.Embedding (tests/nn/seq_torch_reference.py), padding_idx, from_pretrained, gradcheck,
// and refused inputs.
#include "support.hpp"

#include <cmath>

#include "nn/det.hpp"

using namespace descent;
using V = std::vector<Tensor>;

TEST_CASE("Embedding: N(0, 1) init, the padding row zeroed, PyTorch's key") {
    manual_seed(3);
    nn::Embedding e(1000, 8, 3);
    CHECK(e.weight.shape() == Shape{1000, 8});
    REQUIRE(e.named_parameters().size() == 1);
    CHECK(e.named_parameters()[0].first == "weight");
    CHECK(e.weight.requires_grad());
    double mean = 0, sq = 0;
    const std::vector<float> w = e.weight.to_vector<float>();
    for (float v : w) mean += v, sq += double(v) * v;
    mean /= w.size();
    CHECK(std::abs(mean) < 0.05);
    CHECK(sq / w.size() - mean * mean == doctest::Approx(1.0).epsilon(0.05));
    CHECK_VALUES(e.weight[3], {8}, {0, 0, 0, 0, 0, 0, 0, 0});
    // A negative padding_idx counts from the end, as PyTorch's.
    nn::Embedding last(5, 2, -1);
    CHECK(*last.padding_idx == 4);
    CHECK_VALUES(last.weight[4], {2}, {0, 0});
    CHECK(test::printed(last) == "Embedding(5, 2, padding_idx=4)");
}

TEST_CASE("Embedding: values and gradients match torch.nn.Embedding, the padding row gets none") {
    nn::Embedding e(10, 3, 2);
    {
        NoGradGuard no_grad;
        e.weight.copy_(test::det({10, 3}, 0));
    }
    const Tensor idx = tensor(std::vector<int64_t>{1, 2, 9, 2, 0, 4}, {2, 3});
    const Tensor out = e(idx);
    CHECK_VALUES(out, {2, 3, 3},
                 {-0.2, 0.15, -0.35, 0, 0.35, -0.15, -0.3, 0.05, 0.4, 0, 0.35, -0.15, -0.4, -0.05,
                  0.3, 0.4, -0.1, 0.25});
    test::weighted(out, 5).backward();
    CHECK_VALUES(e.weight.grad(), {10, 3},
                 {0.3, -0.2, 0.15, 0.35, -0.15, 0.2, 0, 0, 0, 0, 0, 0, -0.35, 0,    0.35,
                  0,   0,    0,    0,    0,     0,   0, 0, 0, 0, 0, 0, -0.1,  0.25, -0.25});
    // Any index shape: a 0-d index gives one row, an empty one no rows.
    CHECK_VALUES(e(tensor(std::vector<int64_t>{9}, Shape{})), {3}, {-0.3f, 0.05f, 0.4f});
    CHECK(e(zeros({0, 4}, kInt64)).shape() == Shape{0, 4, 3});
}

TEST_CASE("Embedding::from_pretrained: a copy of the weights, frozen unless asked") {
    const Tensor w = test::det({4, 2}, 7);
    nn::Embedding frozen = nn::Embedding::from_pretrained(w);
    CHECK_FALSE(frozen.weight.requires_grad());
    CHECK(equal(frozen.weight, w));
    CHECK_FALSE(frozen.weight.is_same(w));
    // The padding row keeps its given values (PyTorch's from_pretrained does not zero it).
    nn::Embedding trained = nn::Embedding::from_pretrained(w.to(kFloat64), false, 1);
    CHECK(trained.weight.requires_grad());
    CHECK(trained.weight.dtype() == kFloat64);
    CHECK(equal(trained.weight, w.to(kFloat64)));
    const Tensor idx = tensor(std::vector<int64_t>{1, 3, 1});
    CHECK(equal(trained(idx)[0], w.to(kFloat64)[1]));
    trained(idx).sum().backward();
    CHECK_VALUES(trained.weight.grad(), {4, 2}, {0, 0, 0, 0, 0, 0, 1, 1});
    CHECK_ERROR(ShapeError, [] { nn::Embedding::from_pretrained(zeros({3})); },
                {"from_pretrained()", "(3)"});
}

TEST_CASE("embedding: gradients of first and second order, with and without padding_idx") {
    const Tensor w = test::input({5, 3}, 1);
    const Tensor idx = tensor(std::vector<int64_t>{4, 0, 2, 4, 1, 2}, {3, 2});
    auto f = [&](const V& v) { return nn::functional::embedding(idx, v[0]); };
    CHECK_GRADIENTS(f, V{w});
    // With padding_idx 2 the output depends on row 2 but takes no gradient from it (as PyTorch),
    // so that row is a constant here and the other four rows are checked through the padding path.
    const Tensor rows = test::input({4, 3}, 2), pad_row = test::input({1, 3}, 3).detach();
    auto padded = [&](const V& v) {
        const Tensor weight =
            cat({v[0].slice(0, 0, 2), pad_row.to(v[0].dtype()), v[0].slice(0, 2, 4)});
        return nn::functional::embedding(idx, weight, 2);
    };
    CHECK_GRADIENTS(padded, V{rows});
}

TEST_CASE("Embedding: refused indices and sizes") {
    nn::Embedding e(10, 3);
    CHECK_ERROR(IndexError,
                [&] {
                    e(tensor(std::vector<int64_t>{1, 10}));
                },
                {"embedding()", "index 10", "num_embeddings 10"});
    CHECK_ERROR(IndexError, [&] { e(tensor(std::vector<int64_t>{-1})); },
                {"index -1", "num_embeddings 10"});
    CHECK_ERROR(TypeError, [&] { e(tensor({1, 2})); }, {"Embedding", "int64", "float32"});
    CHECK_ERROR(ValueError, [] { nn::Embedding(0, 3); }, {"Embedding()", "0"});
    CHECK_ERROR(ValueError, [] { nn::Embedding(10, 3, 10); },
                {"Embedding()", "padding_idx 10", "num_embeddings 10"});
}
