// A short training smoke test on a synthetic dataset: the loop the examples use (DataLoader,
// Sequential, fused cross-entropy, Adam) learns three Gaussian blobs, and the metrics agree.
#include "support.hpp"
#include "train/training.hpp"

using namespace descent;

TEST_CASE("A small MLP learns three Gaussian blobs") {
    const auto train_set = test::blobs(100, 5), test_set = test::blobs(50, 6);
    test::Run run(train_set, 0);
    run.epochs(1);
    const float first_epoch_loss = run.losses.front();
    run.epochs(14);
    CHECK(run.losses.back() < 0.3f * first_epoch_loss);

    NoGradGuard no_grad;
    const data::Batch all = test_set->get_batch(data::DataLoader(test_set).order(0));
    const Tensor logits = (*run.model)(all.data);
    train::ConfusionMatrix cm(3);
    cm.update(logits, all.labels);
    CHECK(train::accuracy(logits, all.labels) > 0.95);
    CHECK(cm.accuracy() == doctest::Approx(train::accuracy(logits, all.labels)));
    CHECK(cm.total() == 150);
}
