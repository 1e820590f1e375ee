// TensorDataset and Batch: rows and labels (or targets) come back in the order asked for, a batch
// binds as [data, labels], and bad shapes and indices are refused with the sizes named.
#include "descent/data/tensor_dataset.hpp"
#include "support.hpp"

using namespace descent;
using data::TensorDataset;

TEST_CASE("TensorDataset with labels gathers rows in the order asked for") {
    // Row i of data is [10 i, 10 i + 1, 10 i + 2, 10 i + 3] shaped (2, 2).
    std::vector<float> v;
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 4; ++j) v.push_back(10.0f * i + j);
    TensorDataset ds(tensor(v, {5, 2, 2}), std::vector<int64_t>{4, 3, 2, 1, 0});
    CHECK(ds.size() == 5);
    data::Batch b = ds.get_batch({3, 0, 3});
    CHECK(b.size() == 3);
    CHECK_VALUES(b.data, {3, 2, 2}, {30, 31, 32, 33, 0, 1, 2, 3, 30, 31, 32, 33});
    CHECK(b.labels.dtype() == kInt64);
    CHECK(b.labels.to_vector<int64_t>() == std::vector<int64_t>{1, 4, 1});
    CHECK_FALSE(b.target.defined());
    // The batch is a copy: writing to it leaves the dataset alone.
    b.data.data()[0] = -1;
    CHECK(ds.data().data()[12] == 30);
    // One sample; an empty batch.
    CHECK_VALUES(ds.get(2).data, {1, 2, 2}, {20, 21, 22, 23});
    CHECK(ds.get_batch({}).data.shape() == Shape{0, 2, 2});
    // A batch binds as [data, labels].
    const auto& [x, y] = b;
    CHECK(x.is_same(b.data));
    CHECK(&y == &b.labels);
}

TEST_CASE("TensorDataset with tensor targets") {
    TensorDataset ds(test::iota({4, 3}), tensor({0.5f, 1.5f, 2.5f, 3.5f}, {4, 1}));
    const data::Batch b = ds.get_batch({2, 1});
    CHECK_VALUES(b.data, {2, 3}, {6, 7, 8, 3, 4, 5});
    CHECK_VALUES(b.target, {2, 1}, {2.5f, 1.5f});
    CHECK_FALSE(b.labels.defined());
}

TEST_CASE("TensorDataset errors name the shapes, counts and indices") {
    CHECK_ERROR(ShapeError,
                [] {
                    TensorDataset(zeros({3, 2}), std::vector<int64_t>{1, 2});
                },
                {"TensorDataset()", "(3, 2)", "3 samples", "2 labels"});
    CHECK_ERROR(ShapeError,
                [] {
                    TensorDataset(zeros({3, 2}), zeros({4}));
                },
                {"TensorDataset()", "(3, 2)", "(4)"});
    CHECK_ERROR(ShapeError, [] { TensorDataset(scalar_tensor(1), std::vector<int64_t>{}); },
                {"TensorDataset()", "shape ()"});
    CHECK_ERROR(ValueError, [] { TensorDataset(Tensor(), std::vector<int64_t>{}); }, {"undefined"});
    TensorDataset ds(zeros({3, 2}), std::vector<int64_t>{0, 1, 2});
    CHECK_ERROR(IndexError,
                [&] {
                    ds.get_batch({0, 3});
                },
                {"TensorDataset::get_batch()", "index 3", "position 1", "dataset of 3"});
    CHECK_ERROR(IndexError, [&] { ds.get_batch({-1}); }, {"index -1"});
}

TEST_CASE("binding [x, y] on a batch of a regression dataset says it has no labels") {
    TensorDataset ds(test::iota({4, 3}), tensor({0.5f, 1.5f, 2.5f, 3.5f}, {4, 1}));
    data::Batch b = ds.get_batch({0, 1});
    CHECK_ERROR(StateError,
                [&] {
                    auto& [x, y] = b;
                    (void)x;
                    (void)y;
                },
                {"has none", "(2, 1)", "batch.target"});
    TensorDataset labelled(test::iota({2, 3}), std::vector<int64_t>{1, 0});
    const data::Batch lb = labelled.get_batch({1, 0});
    const auto& [x, y] = lb;
    CHECK(y.to_vector<int64_t>() == std::vector<int64_t>{0, 1});
    CHECK(x.size(0) == 2);
}

TEST_CASE("TensorDataset with int64 targets [N] holds class labels, as torch's") {
    TensorDataset ds(test::iota({3, 2}), tensor(std::vector<int64_t>{2, 0, 1}));
    const data::Batch b = ds.get_batch({2, 0});
    CHECK_FALSE(b.target.defined());
    CHECK(b.labels.to_vector<int64_t>() == std::vector<int64_t>{1, 2});
}
