// MNIST-style datasets (MNIST, Fashion-MNIST, KMNIST: any folder of the four IDX files). Images
// stay bytes in memory (60000 x 784 = 47 MB, not 188 MB of floats); get_batch converts only the
// rows asked for, to floats [B, 1, rows, cols] in [0, 1], as torchvision's ToTensor does.
#pragma once

#include <string>

#include "descent/data/dataset.hpp"

namespace descent::data {

enum class Split { Train, Test };

class MNIST : public Dataset {
public:
    using Split = data::Split;  // MNIST::Split::Train and data::Split::Train both read well

    // Reads <root>/train-images-idx3-ubyte and train-labels-idx1-ubyte (or t10k-... for Test),
    // each plain or with a .gz suffix; when both exist the plain file is read (it is what gunzip
    // leaves, and faster to read); name the files with the other constructor to choose. IOError
    // naming the dataset, the split and the path for a missing folder or file (with how to install
    // Fashion-MNIST when root is the default location), a malformed file, image and label counts
    // that differ, images of zero rows or columns, or a label outside 0..num_classes-1.
    explicit MNIST(const std::string& root, Split split = Split::Train, int64_t num_classes = 10);
    // The same from two explicit IDX files (plain or gzip, by content of the name's .gz suffix).
    MNIST(const std::string& images_path, const std::string& labels_path, int64_t num_classes = 10);

    int64_t size() const override { return static_cast<int64_t>(labels_.size()); }
    // data [B, 1, rows, cols] = bytes / 255, and the B labels.
    Batch get_batch(const std::vector<int64_t>& indices) const override;

    int64_t rows() const { return rows_; }
    int64_t cols() const { return cols_; }
    const std::vector<int64_t>& labels() const { return labels_; }

private:
    void load(const std::string& images_path, const std::string& labels_path,
              const std::string& what, int64_t num_classes);

    std::vector<uint8_t> images_;  // [N, rows, cols]
    std::vector<int64_t> labels_;  // [N]
    int64_t rows_ = 0, cols_ = 0;
};

// Where Debian's dataset-fashion-mnist package installs the files.
std::string default_fashion_mnist_dir();
// The ten Fashion-MNIST class names, by label: "T-shirt/top", "Trouser", ..., "Ankle boot".
const std::vector<std::string>& fashion_mnist_classes();

}  // namespace descent::data
