// Finding and reading the four MNIST IDX files, and the byte-to-float batch gather.
#include "descent/data/mnist.hpp"

#include <sys/stat.h>

#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/io/idx.hpp"

namespace descent::data {

namespace {

bool exists(const std::string& path, bool directory) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 &&
           (directory ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

std::string strip_slashes(std::string s) {
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

// What to do about missing files: at the default location, install the package; elsewhere, say
// where the package would put Fashion-MNIST, in case that is what the user meant.
std::string hint(const std::string& root) {
    if (strip_slashes(root) != default_fashion_mnist_dir())
        return "; Debian's package dataset-fashion-mnist installs Fashion-MNIST in " +
               default_fashion_mnist_dir();
    return "; install Debian's package dataset-fashion-mnist "
           "(apt-get install dataset-fashion-mnist)";
}

// <root>/<name>, or <root>/<name>.gz if only that exists (the plain file wins when both do).
std::string find_file(const std::string& root, const std::string& name, const std::string& what) {
    const std::string plain = strip_slashes(root) + "/" + name;
    if (exists(plain, false)) return plain;
    if (exists(plain + ".gz", false)) return plain + ".gz";
    throw IOError(
        descent::detail::cat(what, ": neither ", plain, " nor ", plain, ".gz exists", hint(root)));
}

// Asks the cache for the `n` bytes at `p` (a hint: no effect on results).
void prefetch(const uint8_t* p, int64_t n) {
    for (int64_t i = 0; i < n; i += 64) __builtin_prefetch(p + i);
    if (n > 0) __builtin_prefetch(p + n - 1);  // the last line, when n is not a multiple of 64
}

}  // namespace

MNIST::MNIST(const std::string& root, Split split, int64_t num_classes) {
    const std::string what = split == Split::Train ? "MNIST(train)" : "MNIST(test)";
    DESCENT_CHECK(exists(root, true), IOError, what, ": directory ", root, " does not exist",
                  hint(root));
    const std::string prefix = split == Split::Train ? "train" : "t10k";
    const std::string images_path = find_file(root, prefix + "-images-idx3-ubyte", what);
    const std::string labels_path = find_file(root, prefix + "-labels-idx1-ubyte", what);
    load(images_path, labels_path, what, num_classes);
}

MNIST::MNIST(const std::string& images_path, const std::string& labels_path, int64_t num_classes) {
    load(images_path, labels_path, "MNIST(" + images_path + ")", num_classes);
}

void MNIST::load(const std::string& images_path, const std::string& labels_path,
                 const std::string& what, int64_t num_classes) {
    DESCENT_CHECK(num_classes >= 1 && num_classes <= 256, ValueError, what,
                  ": num_classes must be in [1, 256] (labels are bytes), got ", num_classes);
    // read_idx's own errors name the file; prefixed with the dataset and split they say which.
    auto read = [&](const std::string& path) {
        try {
            return io::read_idx(path);
        } catch (const IOError& e) {
            throw IOError(descent::detail::cat(what, ": ", e.what()));
        }
    };
    io::IdxArray images = read(images_path);
    DESCENT_CHECK(images.dims.size() == 3, IOError, what, ": ", images_path, " has ",
                  images.dims.size(), " dims; expected 3 (images, rows, cols)");
    DESCENT_CHECK(images.dims[1] > 0 && images.dims[2] > 0, IOError, what, ": ", images_path,
                  " holds images of ", images.dims[1], " x ", images.dims[2],
                  " pixels; rows and columns must be at least 1");
    io::IdxArray labels = read(labels_path);
    DESCENT_CHECK(labels.dims.size() == 1, IOError, what, ": ", labels_path, " has ",
                  labels.dims.size(), " dims; expected 1 (labels)");
    DESCENT_CHECK(images.dims[0] == labels.dims[0], IOError, what, ": ", images_path, " holds ",
                  images.dims[0], " images but ", labels_path, " holds ", labels.dims[0],
                  " labels");
    for (size_t i = 0; i < labels.data.size(); ++i)
        DESCENT_CHECK(labels.data[i] < num_classes, IOError, what, ": ", labels_path, " has label ",
                      int(labels.data[i]), " at index ", i, "; labels must be in 0..",
                      num_classes - 1, " (num_classes ", num_classes, ")");
    images_ = std::move(images.data);
    labels_.assign(labels.data.begin(), labels.data.end());
    rows_ = images.dims[1];
    cols_ = images.dims[2];
}

Batch MNIST::get_batch(const std::vector<int64_t>& indices) const {
    detail::check_indices(indices, size(), "MNIST::get_batch");
    const int64_t pixels = rows_ * cols_;
    const int64_t b = static_cast<int64_t>(indices.size());
    Batch batch;
    batch.data = make_tensor({b, 1, rows_, cols_});
    std::vector<int64_t> labels(indices.size());
    float* out = batch.data.data();
    // [B] images of [rows * cols] bytes -> floats. Shuffled rows are cache misses the hardware
    // prefetcher cannot predict; asking for the image a few rows ahead overlaps those misses with
    // the conversion (64 rows of 784 bytes: 14 -> 5 us).
    constexpr int64_t ahead = 4;
    for (int64_t i = 0; i < b; ++i) {
        if (i + ahead < b) prefetch(images_.data() + indices[i + ahead] * pixels, pixels);
        io::detail::bytes_to_unit_floats(images_.data() + indices[i] * pixels, pixels,
                                         out + i * pixels);
        labels[i] = labels_[indices[i]];
    }
    batch.labels = tensor(labels);  // int64 [B], as torch's DataLoader gives
    return batch;
}

std::string default_fashion_mnist_dir() { return "/usr/share/datasets/fashion-mnist"; }

const std::vector<std::string>& fashion_mnist_classes() {
    static const std::vector<std::string> classes = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return classes;
}

}  // namespace descent::data
