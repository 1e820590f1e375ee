// MNIST on tiny IDX folders the test writes (28 x 28 images with known bytes): both splits, plain
// and gzip files, the float conversion, and the errors for a missing folder or file, counts that
// differ and files of the wrong shape.
#include "descent/data/mnist.hpp"
#include "descent/io/idx.hpp"
#include "io/scratch.hpp"
#include "support.hpp"

using namespace descent;
using data::MNIST;

namespace {

// n images whose pixel p of image i is (i * 7 + p) % 256, and labels (i * 3) % 10.
void write_split(const std::string& dir, const std::string& prefix, int64_t n_images,
                 int64_t n_labels, bool gzip) {
    io::IdxArray images{{n_images, 28, 28}, {}}, labels{{n_labels}, {}};
    for (int64_t i = 0; i < n_images; ++i)
        for (int64_t p = 0; p < 784; ++p) images.data.push_back(uint8_t((i * 7 + p) % 256));
    for (int64_t i = 0; i < n_labels; ++i) labels.data.push_back(uint8_t((i * 3) % 10));
    const std::string gz = gzip ? ".gz" : "";
    io::write_idx(dir + "/" + prefix + "-images-idx3-ubyte" + gz, images, gzip);
    io::write_idx(dir + "/" + prefix + "-labels-idx1-ubyte" + gz, labels, gzip);
}

}  // namespace

TEST_CASE("MNIST reads a tiny IDX folder, both splits, plain and gzip") {
    test::ScratchDir dir;
    write_split(dir.path(), "train", 5, 5, true);
    write_split(dir.path(), "t10k", 3, 3, false);
    MNIST train(dir.path());
    MNIST test(dir.path() + "/", data::Split::Test);
    CHECK(train.size() == 5);
    CHECK(test.size() == 3);
    CHECK(train.rows() == 28);
    CHECK(train.cols() == 28);
    CHECK(train.labels() == std::vector<int64_t>{0, 3, 6, 9, 2});

    const data::Batch b = train.get_batch({4, 1});
    CHECK(b.data.shape() == Shape{2, 1, 28, 28});
    CHECK(b.labels.to_vector<int64_t>() == std::vector<int64_t>{2, 3});
    // Pixel p of image i is ((7 i + p) % 256) / 255.
    bool all_match = true;
    for (int64_t k = 0; k < 2; ++k)
        for (int64_t p = 0; p < 784; ++p) {
            const int64_t i = k == 0 ? 4 : 1;
            all_match &= b.data.data()[k * 784 + p] == float((i * 7 + p) % 256) / 255.0f;
        }
    CHECK(all_match);
    CHECK(b.data.data()[784 + 248] == 1.0f);  // image 1, pixel 248: byte 255
    CHECK(b.data.data()[784 + 249] == 0.0f);  // byte 0
    CHECK(test.get(2).labels.to_vector<int64_t>() == std::vector<int64_t>{6});
    CHECK_ERROR(IndexError, [&] { train.get_batch({5}); },
                {"MNIST::get_batch()", "index 5", "dataset of 5"});
}

TEST_CASE("MNIST: a missing folder or file, counts that differ, files of the wrong shape") {
    test::ScratchDir dir;
    const std::string missing = dir.file("nowhere");
    CHECK_ERROR(IOError, [&] { MNIST m(missing); }, {"MNIST(train)", missing, "does not exist"});
    // Elsewhere the message says where the package puts Fashion-MNIST; only the default location
    // asks for it to be installed.
    CHECK_ERROR(
        IOError, [&] { MNIST m(missing); },
        {"dataset-fashion-mnist installs Fashion-MNIST in /usr/share/datasets/fashion-mnist"});
    const auto hint = test::expect_error<IOError>([&] { MNIST m(missing); }, {"apt-get"});
    CHECK_FALSE(hint.ok);

    write_split(dir.path(), "train", 4, 4, false);
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path(), MNIST::Split::Test); },
                {"MNIST(test)", dir.file("t10k-images-idx3-ubyte"), ".gz"});
    std::filesystem::remove(dir.file("train-labels-idx1-ubyte"));
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path()); }, {dir.file("train-labels-idx1-ubyte")});

    write_split(dir.path(), "train", 4, 3, false);
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path()); },
                {"MNIST(train)", "4 images", "3 labels", dir.file("train-labels-idx1-ubyte")});

    io::write_idx(dir.file("train-images-idx3-ubyte"),
                  io::IdxArray{{3, 784}, std::vector<uint8_t>(3 * 784)}, false);
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path()); },
                {dir.file("train-images-idx3-ubyte"), "2 dims"});
    // A malformed file surfaces read_idx's error.
    test::write_bytes(dir.file("train-images-idx3-ubyte"), test::idx_header({4, 28, 28}) + "abc");
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path()); }, {"MNIST(train): read_idx()", "truncated"});
}

TEST_CASE("MNIST refuses labels outside its classes and images of zero rows or columns") {
    test::ScratchDir dir;
    write_split(dir.path(), "train", 4, 4, false);
    io::write_idx(dir.file("train-labels-idx1-ubyte"), io::IdxArray{{4}, {1, 2, 12, 3}}, false);
    CHECK_ERROR(
        IOError, [&] { MNIST m(dir.path()); },
        {"MNIST(train)", dir.file("train-labels-idx1-ubyte"), "label 12 at index 2", "0..9"});
    MNIST wide(dir.path(), MNIST::Split::Train, /*num_classes=*/13);  // a class count of its own
    CHECK(wide.labels() == std::vector<int64_t>{1, 2, 12, 3});
    CHECK_ERROR(ValueError, [&] { MNIST m(dir.path(), MNIST::Split::Train, 0); },
                {"num_classes", "got 0"});

    io::write_idx(dir.file("train-images-idx3-ubyte"), io::IdxArray{{4, 0, 28}, {}}, false);
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path(), MNIST::Split::Train, 13); },
                {"MNIST(train)", "0 x 28 pixels"});
    io::write_idx(dir.file("train-images-idx3-ubyte"), io::IdxArray{{4, 28, 0}, {}}, false);
    CHECK_ERROR(IOError, [&] { MNIST m(dir.path(), MNIST::Split::Train, 13); }, {"28 x 0 pixels"});
}

TEST_CASE("MNIST from two explicit files, plain or gzip, and which file a folder read means") {
    test::ScratchDir dir;
    write_split(dir.path(), "train", 5, 5, true);
    MNIST from_files(dir.file("train-images-idx3-ubyte.gz"),
                     dir.file("train-labels-idx1-ubyte.gz"));
    CHECK(from_files.size() == 5);
    CHECK(from_files.labels() == std::vector<int64_t>{0, 3, 6, 9, 2});
    CHECK_ERROR(IOError, [&] { MNIST m(dir.file("nope"), dir.file("train-labels-idx1-ubyte.gz")); },
                {"MNIST(" + dir.file("nope") + ")", "read_idx()"});
    // A plain file beside the .gz is the one a folder read takes (documented in mnist.hpp).
    write_split(dir.path(), "train", 2, 2, false);
    CHECK(MNIST(dir.path()).size() == 2);
}

TEST_CASE("MNIST at the default location loads Fashion-MNIST or says how to install it") {
    // Passes either way; the suite does not need the dataset.
    if (std::filesystem::exists(data::default_fashion_mnist_dir() + "/t10k-labels-idx1-ubyte.gz")) {
        MNIST m(data::default_fashion_mnist_dir(), MNIST::Split::Test);
        CHECK(m.size() == 10000);
        CHECK(m.rows() == 28);
    } else {
        CHECK_ERROR(IOError, [] { MNIST m(data::default_fashion_mnist_dir(), MNIST::Split::Test); },
                    {"dataset-fashion-mnist", "apt-get install dataset-fashion-mnist"});
    }
    CHECK(data::default_fashion_mnist_dir() == "/usr/share/datasets/fashion-mnist");
    const auto& classes = data::fashion_mnist_classes();
    REQUIRE(classes.size() == 10);
    CHECK(classes[0] == "T-shirt/top");
    CHECK(classes[6] == "Shirt");
    CHECK(classes[9] == "Ankle boot");
}
