// nn::save / nn::load: a round trip restores every value into the same tensors, and a file made for
// another model is refused with the key and shapes named, leaving the model as it was.
#include "descent/nn/serialize.hpp"

#include <unistd.h>

#include "support.hpp"

using namespace descent;

namespace {
std::string temp_path(const char* name) {
    return "/tmp/descent_test_" + std::to_string(getpid()) + "_" + name;
}
}  // namespace

TEST_CASE("nn::save then nn::load restores a model's values into its own tensors") {
    const std::string path = temp_path("model.npz");
    manual_seed(1);
    nn::Sequential a(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
    nn::save(a, path);
    manual_seed(2);
    nn::Sequential b(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
    const Tensor weight_before = b.named_parameters()[0].second;
    CHECK_FALSE(equal(a.parameters()[0], b.parameters()[0]));
    nn::load(b, path);
    const auto pa = a.named_parameters(), pb = b.named_parameters();
    REQUIRE(pa.size() == pb.size());
    for (size_t i = 0; i < pa.size(); ++i) {
        CHECK(pa[i].first == pb[i].first);
        CHECK(equal(pa[i].second, pb[i].second));
    }
    CHECK(b.named_parameters()[0].second.is_same(weight_before));  // copied in, not replaced
    std::remove(path.c_str());
}

TEST_CASE("nn::load refuses another model's file and changes nothing") {
    const std::string path = temp_path("other.npz");
    nn::Sequential small(nn::Linear(4, 3));
    nn::save(small, path);
    nn::Sequential wide(nn::Linear(5, 3));
    const Tensor before = wide.parameters()[0].clone();
    CHECK_ERROR(ShapeError, [&] { nn::load(wide, path); }, {"0.weight", "(3, 4)", "(3, 5)"});
    CHECK(equal(wide.parameters()[0], before));
    nn::Sequential deeper(nn::Linear(4, 3), nn::Linear(3, 3));
    CHECK_ERROR(ValueError, [&] { nn::load(deeper, path); }, {"1.weight"});
    CHECK_ERROR(IOError, [&] { nn::load(deeper, temp_path("missing.npz")); }, {"missing.npz"});
    std::remove(path.c_str());
}
