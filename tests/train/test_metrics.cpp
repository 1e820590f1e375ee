// predictions, accuracy and the confusion matrix: counts, recall, the printed table, and refusals
// that leave the counts untouched.
#include "descent/train/metrics.hpp"

#include "support.hpp"

using namespace descent;

namespace {
// Logits whose argmax in row i is predicted[i] (value 1 there, 0 elsewhere).
Tensor one_hot_logits(const std::vector<int64_t>& predicted, int64_t classes) {
    Tensor t = zeros({static_cast<int64_t>(predicted.size()), classes});
    for (size_t i = 0; i < predicted.size(); ++i)
        t.data()[static_cast<int64_t>(i) * classes + predicted[i]] = 1.0f;
    return t;
}
}  // namespace

TEST_CASE("accuracy counts rows whose argmax is the label") {
    const Tensor logits = tensor({0.1f, 2.0f, -1.0f,  //
                                  3.0f, 0.0f, 0.5f,   //
                                  0.0f, 0.2f, 0.1f,   //
                                  -1.f, -2.f, -0.5f},
                                 {4, 3});
    // argmaxes: 1, 0, 1, 2
    CHECK(train::predictions(logits) == std::vector<int64_t>{1, 0, 1, 2});
    CHECK(train::correct(logits, {1, 0, 2, 2}) == 3);
    CHECK(train::accuracy(logits, {1, 0, 2, 2}) == doctest::Approx(0.75));
    CHECK(train::accuracy(logits, {0, 1, 0, 0}) == 0.0);
    CHECK_ERROR(ShapeError,
                [&] {
                    train::correct(logits, {1, 0});
                },
                {"correct()", "4", "2 labels"});
    CHECK_ERROR(ShapeError, [&] { train::predictions(zeros({3})); }, {"predictions()", "(3)"});
    // Labels as an int64 tensor, as a DataLoader batch holds them.
    const Tensor labels = tensor(std::vector<int64_t>{1, 0, 2, 2});
    CHECK(train::correct(logits, labels) == 3);
    CHECK(train::accuracy(logits, labels) == doctest::Approx(0.75));
    CHECK_ERROR(TypeError,
                [&] {
                    train::correct(logits, tensor({1, 0, 2, 2}));
                },
                {"correct()", "int64", "float32"});
}

TEST_CASE("ConfusionMatrix accumulates truth by prediction and reports recall") {
    train::ConfusionMatrix cm(3);
    cm.update(one_hot_logits({0, 1, 1, 2}, 3), {0, 1, 2, 2});
    cm.update(std::vector<int64_t>{2, 0}, {2, 0});
    CHECK(cm.total() == 6);
    CHECK(cm.at(0, 0) == 2);
    CHECK(cm.at(2, 1) == 1);
    CHECK(cm.at(2, 2) == 2);
    CHECK(cm.at(1, 1) == 1);
    CHECK(cm.accuracy() == doctest::Approx(5.0 / 6.0));
    CHECK(cm.recall(2) == doctest::Approx(2.0 / 3.0));

    const std::string table = cm.to_string({"cat", "dog", "bird"});
    CHECK(table.find("bird") != std::string::npos);
    CHECK(table.find("66.7%") != std::string::npos);  // bird's recall
    CHECK(table.find("100.0%") != std::string::npos);

    cm.reset();
    CHECK(cm.total() == 0);
    CHECK(cm.accuracy() == 0.0);
}

TEST_CASE("ConfusionMatrix refuses labels outside its classes and mismatched inputs") {
    train::ConfusionMatrix cm(3);
    CHECK_ERROR(IndexError,
                [&] {
                    cm.update(std::vector<int64_t>{0, 1}, {0, 3});
                },
                {"sample 1", "label 3", "[0, 3)"});
    CHECK_ERROR(ShapeError, [&] { cm.update(zeros({2, 4}), {0, 1}); }, {"[N, 3]", "(2, 4)"});
    CHECK_ERROR(ShapeError,
                [&] {
                    cm.update(std::vector<int64_t>{0}, {0, 1});
                },
                {"1 predictions", "2 labels"});
    CHECK_ERROR(ValueError, [&] { cm.to_string({"a", "b"}); }, {"2 class names", "3 classes"});
    CHECK_ERROR(ValueError, [] { train::ConfusionMatrix(0); }, {"num_classes", "0"});
    CHECK(cm.total() == 0);  // nothing counted from the refused updates
}
