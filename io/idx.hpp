// IDX files, the format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, a type
// code, the number of dims, then each dim as a u32) followed by the values. Plain or gzip. Only
// unsigned bytes (type 0x08) are supported, which is what every MNIST-style dataset uses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "descent/core/tensor.hpp"

namespace descent::io {

struct IdxArray {
    std::vector<int64_t> dims;  // 1 to 4 dims, outermost first
    std::vector<uint8_t> data;  // row-major, product(dims) bytes
};

// Reads a plain or gzip IDX file (gzip detected by its magic bytes 1f 8b). Throws IOError naming
// the path and the numbers for a missing file, a bad header, a header whose sizes disagree with
// the data (truncated or trailing bytes) or a corrupt gzip stream. Never allocates more than the
// data actually present: a lying header fails fast.
IdxArray read_idx(const std::string& path);

// Writes `array` (gzip-compressed if `gzip`) atomically: a temporary file in the same directory,
// renamed over `path` when complete. ValueError for dims the format cannot hold.
void write_idx(const std::string& path, const IdxArray& array, bool gzip);

// An IDX file of images as floats in [0, 1] (value / 255), shape [N, rows, cols].
Tensor read_idx_images(const std::string& path);
// An IDX file of labels (one dim) as integers.
std::vector<int64_t> read_idx_labels(const std::string& path);

namespace detail {
// out[i] = in[i] / 255, exactly as torchvision's ToTensor computes it (a division, not a multiply
// by 1/255, which rounds differently for some bytes). Vectorised; shared with the MNIST dataset.
void bytes_to_unit_floats(const uint8_t* in, int64_t n, float* out);
}  // namespace detail

}  // namespace descent::io
