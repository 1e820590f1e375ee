// The image transforms: argument checks at construction, shape checks per batch, per-sample draws
// in sample order, loops in core/kernels (channels, image).
#include "descent/data/transforms.hpp"

#include <cstring>

#include "descent/autograd/ops/shape.hpp"
#include "descent/core/error.hpp"
#include "descent/core/kernels/channels.hpp"
#include "descent/core/kernels/image.hpp"

namespace descent::data {

namespace {
void check_images(const char* who, const Tensor& batch) {
    DESCENT_CHECK(batch.defined(), ValueError, who, ": batch is an undefined tensor");
    DESCENT_CHECK(batch.dim() == 4, ShapeError, who, ": expected a batch of images (N, C, H, W), ",
                  "got ", batch.shape(), " (data::Reshape({C, H, W}) turns flat rows into images)");
}
}  // namespace

Normalize::Normalize(std::vector<float> mean_, std::vector<float> std_)
    : mean(std::move(mean_)), std(std::move(std_)) {
    DESCENT_CHECK(!mean.empty() && mean.size() == std.size(), ValueError, "Normalize(): mean has ",
                  mean.size(), " values and std ", std.size(), "; expected the same number, > 0");
    for (size_t c = 0; c < std.size(); ++c)
        DESCENT_CHECK(std[c] > 0.0f, ValueError, "Normalize(): std[", c, "] = ", std[c],
                      " must be > 0");
}

Tensor Normalize::operator()(const Tensor& batch, Generator&) const {
    check_images("Normalize", batch);
    const int64_t n = batch.size(0), c = batch.size(1), s = batch.size(2) * batch.size(3);
    const int64_t k = static_cast<int64_t>(mean.size());
    DESCENT_CHECK(k == 1 || k == c, ShapeError, "Normalize: ", k, " means for a batch ",
                  batch.shape(), " of ", c, " channels");
    std::vector<float> scale(static_cast<size_t>(c)), shift(static_cast<size_t>(c));
    for (int64_t j = 0; j < c; ++j) {  // (x - m) / s as x·(1/s) + (-m/s)
        const size_t i = static_cast<size_t>(k == 1 ? 0 : j);
        scale[j] = 1.0f / std[i];
        shift[j] = -mean[i] / std[i];
    }
    Tensor out = make_tensor(batch.shape());
    kernels::channel_affine(batch.data(), n, c, s, scale.data(), shift.data(), out.data());
    return out;
}

RandomCrop::RandomCrop(int64_t size_, int64_t padding_) : size(size_), padding(padding_) {
    DESCENT_CHECK(size > 0 && padding >= 0, ValueError, "RandomCrop(): size must be > 0 and ",
                  "padding >= 0, got size ", size, ", padding ", padding);
}

Tensor RandomCrop::operator()(const Tensor& batch, Generator& gen) const {
    check_images("RandomCrop", batch);
    const int64_t n = batch.size(0), c = batch.size(1), h = batch.size(2), w = batch.size(3);
    DESCENT_CHECK(size <= h + 2 * padding && size <= w + 2 * padding, ShapeError,
                  "RandomCrop: ", "a ", size, "x", size, " crop of ", batch.shape(), " padded by ",
                  padding, " does not fit");
    Tensor out = make_tensor({n, c, size, size});
    for (int64_t i = 0; i < n; ++i) {
        // the window's corner in the padded image, then in the image's own coordinates
        const int64_t top = gen.randint(0, h + 2 * padding - size + 1) - padding;
        const int64_t left = gen.randint(0, w + 2 * padding - size + 1) - padding;
        kernels::crop(batch.data() + i * c * h * w, c, h, w, top, left, size, size,
                      out.data() + i * c * size * size);
    }
    return out;
}

RandomHorizontalFlip::RandomHorizontalFlip(float p_) : p(p_) {
    DESCENT_CHECK(p >= 0.0f && p <= 1.0f, ValueError,
                  "RandomHorizontalFlip(): probability p must be in [0, 1], got ", p);
}

Tensor RandomHorizontalFlip::operator()(const Tensor& batch, Generator& gen) const {
    check_images("RandomHorizontalFlip", batch);
    const int64_t n = batch.size(0), c = batch.size(1), h = batch.size(2), w = batch.size(3);
    const int64_t per = c * h * w;
    Tensor out = make_tensor(batch.shape());
    for (int64_t i = 0; i < n; ++i) {
        const float* src = batch.data() + i * per;
        float* dst = out.data() + i * per;
        if (gen.uniform() < p)
            kernels::flip_horizontal(src, c, h, w, dst);
        else if (per > 0)
            std::memcpy(dst, src, static_cast<size_t>(per) * sizeof(float));
    }
    return out;
}

Reshape::Reshape(Shape sample_shape_) : sample_shape(std::move(sample_shape_)) {
    for (int64_t d : sample_shape)
        DESCENT_CHECK(d >= 0, ValueError, "Reshape(): sample shape ", sample_shape,
                      " has a negative size");
}

Tensor Reshape::operator()(const Tensor& batch, Generator&) const {
    DESCENT_CHECK(batch.defined() && batch.dim() >= 1, ShapeError,
                  "Reshape: expected a batch (N, *), got ",
                  batch.defined() ? batch.shape() : Shape{});
    const int64_t n = batch.size(0);
    DESCENT_CHECK(batch.numel() == n * numel(sample_shape), ShapeError, "Reshape: a batch ",
                  batch.shape(), " cannot be reshaped to ", n, " samples of shape ", sample_shape);
    Shape shape{n};
    shape.insert(shape.end(), sample_shape.begin(), sample_shape.end());
    return reshape(batch, shape);
}

Compose::Compose(std::initializer_list<Transform> list) : Compose(std::vector<Transform>(list)) {}

Compose::Compose(std::vector<Transform> list) : transforms(std::move(list)) {
    for (size_t i = 0; i < transforms.size(); ++i)
        DESCENT_CHECK(transforms[i] != nullptr, ValueError, "Compose(): transform ", i,
                      " is empty");
}

Tensor Compose::operator()(const Tensor& batch, Generator& gen) const {
    Tensor x = batch;
    for (const Transform& t : transforms) x = t(x, gen);
    return x;
}

}  // namespace descent::data
