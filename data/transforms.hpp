// Batch transforms for image datasets, torchvision's names: Normalize, RandomCrop,
// RandomHorizontalFlip, Compose, and Reshape (flat rows to images). They work on a whole batch
// (N, C, H, W) at once; a random one draws per sample from the generator it is given, which the
// DataLoader seeds from (seed, epoch, batch index), so any batch can be reproduced alone.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

#include "descent/core/random.hpp"
#include "descent/core/tensor.hpp"

namespace descent::data {

// What DataLoader::set_transform takes: a batch in, a batch out, randomness from `gen` only.
using Transform = std::function<Tensor(const Tensor& batch, Generator& gen)>;

// (x - mean[c]) / std[c] for each channel c. One value each applies to every channel.
class Normalize {
public:
    // ValueError unless mean and std have the same, non-zero length and every std is > 0.
    Normalize(std::vector<float> mean, std::vector<float> std);
    // ShapeError unless batch is (N, C, H, W) with C equal to the length of mean (or it is 1).
    Tensor operator()(const Tensor& batch, Generator& gen = default_generator()) const;
    std::vector<float> mean, std;
};

// A size × size window of each image padded with `padding` zeros on every side, at a position
// drawn uniformly per sample (top, then left).
class RandomCrop {
public:
    // ValueError unless size > 0 and padding >= 0.
    explicit RandomCrop(int64_t size, int64_t padding = 0);
    // (N, C, H, W) -> (N, C, size, size); ShapeError if size > H + 2·padding or W + 2·padding.
    Tensor operator()(const Tensor& batch, Generator& gen = default_generator()) const;
    int64_t size, padding;
};

// Each image mirrored left to right with probability p (one draw per sample).
class RandomHorizontalFlip {
public:
    // ValueError unless 0 <= p <= 1.
    explicit RandomHorizontalFlip(float p = 0.5f);
    Tensor operator()(const Tensor& batch, Generator& gen = default_generator()) const;
    float p;
};

// (N, *) -> (N, sample_shape): e.g. Reshape({1, 28, 28}) turns flat (N, 784) rows, as a
// TensorDataset of flattened images holds them, into the images the other transforms take. A view.
class Reshape {
public:
    explicit Reshape(Shape sample_shape);
    // ShapeError unless each sample's element count matches.
    Tensor operator()(const Tensor& batch, Generator& gen = default_generator()) const;
    Shape sample_shape;
};

// The transforms in order, sharing one generator (so the draws of each follow the previous one's).
class Compose {
public:
    Compose(std::initializer_list<Transform> transforms);
    explicit Compose(std::vector<Transform> transforms);
    Tensor operator()(const Tensor& batch, Generator& gen = default_generator()) const;
    std::vector<Transform> transforms;
};

}  // namespace descent::data
