// Checkpoints: a run stopped, saved to a file, and resumed in freshly built objects matches an
// uninterrupted run step for step, bit for bit; a checkpoint that does not fit is refused whole.
#include "descent/train/checkpoint.hpp"

#include <unistd.h>

#include "support.hpp"
#include "train/training.hpp"

using namespace descent;

namespace {
std::string temp_path(const char* name) {
    return "/tmp/descent_test_" + std::to_string(getpid()) + "_" + name;
}
}  // namespace

TEST_CASE("A resumed training run matches an uninterrupted one step for step") {
    const auto data = test::blobs(40, 11);
    test::Run straight(data, 7);
    straight.epochs(4);

    const std::string path = temp_path("checkpoint.npz");
    test::Run first(data, 7);
    first.epochs(2);
    train::save_checkpoint(path, *first.model, *first.opt);

    test::Run resumed(data, 99);  // different initial weights, overwritten by the checkpoint
    train::load_checkpoint(path, *resumed.model, *resumed.opt);
    resumed.loader->set_epoch(2);
    resumed.losses = first.losses;
    resumed.epochs(2);

    REQUIRE(resumed.losses.size() == straight.losses.size());
    CHECK(resumed.losses == straight.losses);  // exact, not approximate
    const auto a = straight.model->named_parameters(), b = resumed.model->named_parameters();
    for (size_t i = 0; i < a.size(); ++i)
        CHECK_MESSAGE(equal(a[i].second, b[i].second), a[i].first);
    std::remove(path.c_str());
}

TEST_CASE("load_checkpoint refuses a checkpoint of another model and changes nothing") {
    const auto data = test::blobs(10, 1);
    test::Run run(data, 1);
    run.epochs(1);
    const std::string path = temp_path("other.npz");
    train::save_checkpoint(path, *run.model, *run.opt);

    manual_seed(2);
    nn::Sequential wider(nn::Linear(2, 17), nn::ReLU(), nn::Linear(17, 3));
    optim::Adam opt(wider.parameters(), optim::AdamOptions(0.02));
    const Tensor before = wider.parameters()[0].clone();
    CHECK_ERROR(ShapeError, [&] { train::load_checkpoint(path, wider, opt); },
                {"0.weight", "(16, 2)", "(17, 2)"});
    CHECK(equal(wider.parameters()[0], before));

    // The model part fits but the optimizer is an SGD: refused, and the model is restored.
    nn::Sequential same(nn::Linear(2, 16), nn::ReLU(), nn::Linear(16, 3));
    optim::SGD sgd(same.parameters(), optim::SGDOptions(0.1));
    const Tensor same_before = same.parameters()[0].clone();
    CHECK_THROWS_AS(train::load_checkpoint(path, same, sgd), Error);
    CHECK(equal(same.parameters()[0], same_before));

    io::save_npz(path, {{"weights", zeros({2})}});
    CHECK_ERROR(ValueError, [&] { train::load_checkpoint(path, same, sgd); },
                {"unexpected key 'weights'"});
    std::remove(path.c_str());
}
