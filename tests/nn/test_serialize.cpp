// nn::save / nn::load: a round trip restores every value into the same tensors, and a file made for
// another model is refused with the key and shapes named, leaving the model as it was. PyTorch
// interop with dtypes: a torch BatchNorm2d state dict (int64 count) loads, and saves back as NumPy
// wrote it; an older file's float32 count converts, lossy dtypes are refused.
#include "descent/nn/serialize.hpp"

#include <unistd.h>
#include <zip.h>

#include "descent/io/npz.hpp"
#include "descent/nn/batch_norm.hpp"
#include "io/npz_fixtures.hpp"
#include "io/scratch.hpp"
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

namespace {
// The bytes of entry `name` of the zip at `path` (as NumPy or descent wrote them).
std::string entry_bytes(const std::string& path, const std::string& name) {
    int err = 0;
    zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &err);
    REQUIRE(za != nullptr);
    zip_stat_t st;
    REQUIRE(zip_stat(za, name.c_str(), 0, &st) == 0);
    std::string bytes(st.size, '\0');
    zip_file_t* f = zip_fopen(za, name.c_str(), 0);
    REQUIRE(f != nullptr);
    CHECK(zip_fread(f, bytes.data(), st.size) == zip_int64_t(st.size));
    zip_fclose(f);
    zip_discard(za);
    return bytes;
}

// BatchNorm2d(3) as tests/io/torch_batchnorm_fixture.py sets up torch's, trained on the same two
// batches.
nn::BatchNorm2d trained_batchnorm() {
    nn::BatchNorm2d bn(3);
    {
        NoGradGuard no_grad;
        bn.weight.copy_(tensor({0.5f, -1.25f, 2.0f}));
        bn.bias.copy_(tensor({0.1f, 0.2f, -0.3f}));
    }
    const Tensor x = arange(24).reshape({2, 3, 2, 2}) * 0.25f;
    bn(x);
    bn(x * 2.0f);
    return bn;
}
}  // namespace

TEST_CASE("nn::load reads a torch BatchNorm2d state dict (numpy.savez), int64 count included") {
    test::ScratchDir dir;
    const std::string p = dir.file("torch_bn.npz");
    test::write_bytes(p, fixtures::torch_batchnorm2d);
    nn::BatchNorm2d bn(3);
    const Tensor count = bn.num_batches_tracked;
    nn::load(bn, p);
    CHECK(bn.num_batches_tracked.is_same(count));
    REQUIRE(bn.num_batches_tracked.dtype() == kInt64);
    CHECK(bn.num_batches_tracked.item<int64_t>() == (int64_t(1) << 53) + 1);  // no float rounding
    CHECK_VALUES(bn.weight, {3}, {0.5f, -1.25f, 2.0f});
    CHECK_VALUES(bn.bias, {3}, {0.1f, 0.2f, -0.3f});
    // torch's running statistics are descent's after the same two batches.
    const nn::BatchNorm2d ours = trained_batchnorm();
    CHECK(ours.num_batches_tracked.item<int64_t>() == 2);
    CHECK(allclose(bn.running_mean, ours.running_mean, 1e-6, 1e-6));
    CHECK(allclose(bn.running_var, ours.running_var, 1e-6, 1e-6));

    // Saved back, every entry is byte for byte the one numpy.savez wrote from torch's state dict
    // (int64 '<i8' count, float32 rest), so numpy.load and torch read it as they wrote it.
    // (tests/io/torch_batchnorm_fixture.py check FILE loads such a file into torch itself.)
    const std::string q = dir.file("descent_bn.npz");
    nn::save(bn, q);
    for (const auto& [key, t] : bn.state_dict()) {
        CAPTURE(key);
        CHECK(entry_bytes(q, key + ".npy") == entry_bytes(p, key + ".npy"));
    }
    CHECK(entry_bytes(q, "num_batches_tracked.npy").find("'descr': '<i8'") != std::string::npos);
}

TEST_CASE(
    "nn::load converts a float32 num_batches_tracked of older files and refuses lossy dtypes") {
    test::ScratchDir dir;
    const std::string p = dir.file("old_bn.npz");
    const nn::BatchNorm2d trained = trained_batchnorm();
    // What descent wrote before tensors had dtypes: the count as a float32 ().
    NamedTensors old = trained.state_dict();
    old.back().second = scalar_tensor(2.0f);
    io::save_npz(p, old);
    CHECK(io::load_npz(p).back().second.dtype() == kFloat32);
    nn::BatchNorm2d bn(3);
    nn::load(bn, p);
    CHECK(bn.num_batches_tracked.dtype() == kInt64);
    CHECK(bn.num_batches_tracked.item<int64_t>() == 2);
    CHECK(equal(bn.running_var, trained.running_var));
    nn::save(bn, p);  // saved again, it is int64
    CHECK(io::load_npz(p).back().second.dtype() == kInt64);

    // A count that is no integer, a negative byte, integers into a float parameter: refused by
    // key and dtypes, before anything is copied.
    nn::BatchNorm2d target(3);
    const NamedTensors before = target.state_dict();
    std::vector<Tensor> kept;
    for (const auto& [k, t] : before) kept.push_back(t.clone());
    CHECK_ERROR(ValueError,
                [&] {
                    target.load_state_dict(
                        test::with_entry(old, "num_batches_tracked", scalar_tensor(2.5f)));
                },
                {"BatchNorm2d", "\"num_batches_tracked\"", "2.5", "float32", "int64",
                 "cannot hold exactly"});
    CHECK_ERROR(TypeError,
                [&] {
                    target.load_state_dict(
                        test::with_entry(old, "weight", tensor(std::vector<int64_t>{1, 2, 3})));
                },
                {"load_state_dict(): BatchNorm2d", "key \"weight\" is int64 in the state dict",
                 "float32 in the model"});
    CHECK_ERROR(ShapeError,
                [&] {
                    target.load_state_dict(
                        test::with_entry(old, "num_batches_tracked", zeros({1}, kInt64)));
                },
                {"\"num_batches_tracked\"", "(1)", "()"});
    const NamedTensors after = target.state_dict();
    for (size_t i = 0; i < after.size(); ++i) CHECK(equal(after[i].second, kept[i]));

    // Floating into floating converts, as PyTorch's copy_: float64 values round to float32.
    nn::Linear lin(2, 1);
    lin.load_state_dict(
        {{"weight", tensor(std::vector<double>{0.1, 1.0 + 0x1p-40}, {1, 2}, kFloat64)},
         {"bias", tensor(std::vector<double>{-2.5}, {1}, kFloat64)}});
    CHECK(lin.weight.dtype() == kFloat32);
    CHECK_VALUES(lin.weight, {1, 2}, {0.1f, 1.0f});
    CHECK_VALUES(lin.bias, {1}, {-2.5f});
}

namespace {
// A module with a buffer of every dtype, as a user's custom layer might register.
struct Mixed : nn::Module {
    Tensor w, f64, steps, mask, bytes;
    Mixed() : nn::Module("Mixed") {
        w = register_parameter("w", zeros({2}));
        f64 = register_buffer("f64", zeros({2}, kFloat64));
        steps = register_buffer("steps", zeros({}, kInt64));
        mask = register_buffer("mask", zeros({3}, kBool));
        bytes = register_buffer("bytes", zeros({2}, kUInt8));
    }
};
}  // namespace

TEST_CASE("nn::save and nn::load keep buffers of every dtype, exactly") {
    test::ScratchDir dir;
    const std::string p = dir.file("mixed.npz");
    Mixed a;
    a.load_state_dict({{"w", tensor({1.5f, -2.0f})},
                       {"f64", tensor(std::vector<double>{0.1, 1.0 + 0x1p-40}, kFloat64)},
                       {"steps", scalar_tensor(1, kInt64)},
                       {"mask", tensor(std::vector<bool>{true, false, true})},
                       {"bytes", tensor(std::vector<int64_t>{0, 255}, kUInt8)}});
    nn::save(a, p);
    Mixed b;
    nn::load(b, p);
    for (const auto& [key, t] : b.state_dict()) {
        CAPTURE(key);
        CHECK(t.dtype() == (key == "w"       ? kFloat32
                            : key == "f64"   ? kFloat64
                            : key == "steps" ? kInt64
                            : key == "mask"  ? kBool
                                             : kUInt8));
    }
    CHECK(b.f64.to_vector<double>() == std::vector<double>{0.1, 1.0 + 0x1p-40});
    CHECK(b.steps.item<int64_t>() == 1);
    CHECK(b.mask.to_vector<bool>() == std::vector<bool>{true, false, true});
    CHECK(b.bytes.to_vector<uint8_t>() == std::vector<uint8_t>{0, 255});
    // Into a bool or uint8 buffer only the values it holds: 2 is no bool, 256 no byte.
    CHECK_ERROR(ValueError,
                [&] {
                    b.load_state_dict(test::with_entry(b.state_dict(), "mask",
                                                       tensor(std::vector<int64_t>{0, 2, 1})));
                },
                {"\"mask\"", "holds 2 (int64) at element 1", "bool"});
    CHECK_ERROR(ValueError,
                [&] {
                    b.load_state_dict(test::with_entry(b.state_dict(), "bytes",
                                                       tensor(std::vector<int64_t>{256, 0})));
                },
                {"\"bytes\"", "256", "uint8"});
    CHECK(b.mask.to_vector<bool>() == std::vector<bool>{true, false, true});
}
