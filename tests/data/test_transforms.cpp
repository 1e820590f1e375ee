// Image transforms: the flip and the crop move pixels where they should (hand-checked on tiny
// images), Normalize's values, Compose, reproducibility from a seed, and the DataLoader applying
// a transform per batch, reproducibly by (seed, epoch, batch index).
#include <set>

#include "support.hpp"

#include "descent/data/dataloader.hpp"
#include "descent/data/tensor_dataset.hpp"
#include "descent/data/transforms.hpp"

using namespace descent;
using namespace descent::data;

TEST_CASE("RandomHorizontalFlip mirrors each row, p decides per sample") {
    // one 3x3 image: 0 1 2 / 3 4 5 / 6 7 8
    const Tensor img = test::iota({1, 1, 3, 3});
    Generator gen(0);
    CHECK_VALUES(RandomHorizontalFlip(1.0f)(img, gen), {1, 1, 3, 3}, {2, 1, 0, 5, 4, 3, 8, 7, 6});
    CHECK_VALUES(RandomHorizontalFlip(0.0f)(img, gen), {1, 1, 3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
    // Two channels flip together; over 200 samples about half are flipped.
    const Tensor two = test::iota({1, 2, 1, 2});
    CHECK_VALUES(RandomHorizontalFlip(1.0f)(two, gen), {1, 2, 1, 2}, {1, 0, 3, 2});
    const Tensor many = test::iota({200, 1, 1, 2});
    const Tensor out = RandomHorizontalFlip(0.5f)(many, gen);
    int64_t flipped = 0;
    for (int64_t i = 0; i < 200; ++i) flipped += out.data()[2 * i] > out.data()[2 * i + 1];
    CHECK(std::abs(flipped - 100) < 29);  // 4 sigma of Binomial(200, 1/2)
}

TEST_CASE("RandomCrop: windows of the zero-padded image") {
    const Tensor img = test::iota({1, 1, 3, 3});
    Generator gen(0);
    // 5x5 from a 3x3 padded by 1: the only window is the padded image itself.
    CHECK_VALUES(RandomCrop(5, 1)(img, gen), {1, 1, 5, 5},
                 {0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 5, 0, 0, 6, 7, 8, 0, 0, 0, 0, 0, 0});
    CHECK_VALUES(RandomCrop(3)(img, gen), {1, 1, 3, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8});
    // 2x2 windows of the 3x3 image: the corner is (top, left), each drawn from {0, 1}.
    std::set<std::vector<float>> seen;
    for (int k = 0; k < 40; ++k) seen.insert(RandomCrop(2)(img, gen).to_vector());
    CHECK(seen ==
          std::set<std::vector<float>>{{0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}});
    // The corner follows the generator's draws: top first, then left, in padded coordinates.
    Generator a(3), ref(3);
    const Tensor crop = RandomCrop(3, 2)(img, a);
    const int64_t top = ref.randint(0, 5) - 2, left = ref.randint(0, 5) - 2;
    for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 3; ++j) {
            const int64_t si = top + i, sj = left + j;
            const bool inside = si >= 0 && si < 3 && sj >= 0 && sj < 3;
            CHECK(crop.data()[i * 3 + j] == (inside ? float(si * 3 + sj) : 0.0f));
        }
}

TEST_CASE("Normalize: (x - mean) / std per channel, or one pair for all") {
    const Tensor x = tensor({1, 3, 2, 6}, {1, 2, 1, 2});
    Generator gen(0);
    CHECK_VALUES(Normalize({1, 2}, {2, 4})(x, gen), {1, 2, 1, 2}, {0, 1, 0, 1});
    CHECK_VALUES(Normalize({1}, {0.5f})(x, gen), {1, 2, 1, 2}, {0, 4, 2, 10});
    CHECK_ERROR(ShapeError,
                [&] {
                    Normalize({0, 0, 0}, {1, 1, 1})(x, gen);
                },
                {"Normalize", "3 means", "2 channels"});
    CHECK_ERROR(ValueError, [] { Normalize({0}, {0}); }, {"Normalize()", "std[0]"});
    CHECK_ERROR(ValueError, [] { Normalize({0, 1}, {1}); }, {"Normalize()", "2", "1"});
}

TEST_CASE("Transforms refuse flat batches and bad arguments, Reshape makes images") {
    Generator gen(0);
    const Tensor flat = zeros({2, 784});
    CHECK_ERROR(ShapeError, [&] { RandomCrop(28, 4)(flat, gen); },
                {"RandomCrop", "(N, C, H, W)", "(2, 784)", "Reshape"});
    CHECK_ERROR(ShapeError, [&] { RandomHorizontalFlip()(flat, gen); }, {"RandomHorizontalFlip"});
    const Tensor images = Reshape({1, 28, 28})(flat, gen);
    CHECK(images.shape() == Shape{2, 1, 28, 28});
    CHECK_ERROR(ShapeError, [&] { Reshape({1, 27, 27})(flat, gen); }, {"Reshape", "(2, 784)"});
    CHECK_ERROR(ShapeError, [&] { RandomCrop(40)(images, gen); }, {"RandomCrop", "40x40"});
    CHECK_ERROR(ValueError, [] { RandomCrop(0); }, {"RandomCrop()"});
    CHECK_ERROR(ValueError, [] { RandomHorizontalFlip(2.0f); }, {"RandomHorizontalFlip()", "2"});
}

TEST_CASE("Compose applies in order, the same seed gives the same batch") {
    const Compose augment{Reshape({1, 4, 4}), RandomCrop(4, 1), RandomHorizontalFlip(0.5f),
                          Normalize({0.5f}, {0.25f})};
    const Tensor batch = test::iota({8, 16}) / 128.0f;
    Generator a(11), b(11), c(12);
    const Tensor x = augment(batch, a);
    CHECK(x.shape() == Shape{8, 1, 4, 4});
    CHECK(equal(x, augment(batch, b)));
    CHECK_FALSE(equal(x, augment(batch, c)));
    // By hand: the same steps one after the other, on one generator.
    Generator d(11);
    Tensor step = Reshape({1, 4, 4})(batch, d);
    step = RandomHorizontalFlip(0.5f)(RandomCrop(4, 1)(step, d), d);
    CHECK(equal(x, Normalize({0.5f}, {0.25f})(step, d)));
}

TEST_CASE("DataLoader applies the transform per batch, reproducibly") {
    // 10 images (1, 2, 2): image i holds 4i .. 4i + 3; label i
    std::vector<int64_t> labels;
    for (int64_t i = 0; i < 10; ++i) labels.push_back(i);
    auto set = std::make_shared<TensorDataset>(test::iota({10, 1, 2, 2}), labels);
    DataLoader loader(set, DataLoaderOptions(4).shuffle(true).seed(1));
    loader.set_transform(Compose{RandomHorizontalFlip(0.5f)});
    std::vector<Tensor> first;
    int64_t flipped = 0;
    for (auto& [x, batch_labels] : loader) {
        first.push_back(x.clone());
        const std::vector<int64_t> y = batch_labels.to_vector<int64_t>();
        for (size_t k = 0; k < y.size(); ++k) {
            const float* img = x.data() + k * 4;
            const float base = 4.0f * float(y[k]);
            const bool flip = img[0] == base + 1;  // each image is itself or its mirror image
            flipped += flip;
            CHECK(img[0] == base + (flip ? 1 : 0));
            CHECK(img[1] == base + (flip ? 0 : 1));
            CHECK(img[2] == base + (flip ? 3 : 2));
        }
    }
    CHECK(first.size() == 3);
    CHECK(flipped > 0);
    CHECK(flipped < 10);
    // Another loader with the same options sees the same augmented batches; batch(e, i) alone too.
    DataLoader again(set, DataLoaderOptions(4).shuffle(true).seed(1));
    again.set_transform(RandomHorizontalFlip(0.5f));
    int64_t i = 0;
    for (auto& batch : again) CHECK(equal(batch.data, first[i++]));
    for (int64_t k = 0; k < 3; ++k) CHECK(equal(loader.batch(0, k).data, first[k]));
    // The next epoch draws again; a loader without the transform hands out the dataset's rows.
    bool differs = false;
    for (int64_t k = 0; k < 3; ++k)
        differs = differs || !equal(loader.batch(1, k).data, loader.batch(0, k).data);
    CHECK(differs);
    loader.set_transform(Transform());
    const Batch plain = loader.batch(0, 0);
    const std::vector<int64_t> plain_labels = plain.labels.to_vector<int64_t>();
    for (size_t k = 0; k < plain_labels.size(); ++k)
        CHECK(plain.data.data()[k * 4 + 1] == 4.0f * float(plain_labels[k]) + 1);
    CHECK_ERROR(IndexError, [&] { loader.batch(0, 3); }, {"DataLoader::batch()", "3"});
}
