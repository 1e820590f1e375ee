// State dicts as .npz files, NumPy's archive of arrays: a zip with one "<name>.npy" entry per
// tensor, in the tensor's own dtype. numpy.load reads what save_npz writes, and load_npz reads
// archives written by numpy.savez and numpy.savez_compressed. docs/state-dict-format.md has the
// format.
#pragma once

#include <string>

#include "descent/core/named_tensors.hpp"

namespace descent::io {

// Writes one NPY 1.0 entry (the tensor's dtype: '<f4', '<f8', '<i8', '|u1' or '|b1'; C order; the
// tensor's shape, () for 0-d) per tensor, in order,
// uncompressed as numpy.savez does. Atomic: the archive is written to a temporary file in the
// target's directory and renamed over `path`; on failure the old file is untouched. ValueError for
// an empty or duplicate name or an undefined tensor; IOError if the file cannot be written.
void save_npz(const std::string& path, const NamedTensors& tensors);

// Reads every entry, in archive order, as (name without ".npy", tensor of the entry's dtype).
// IOError naming the path, the key and the values for anything else than an archive of C-order
// NPY entries of those five descrs (a big-endian one is named as such); sizes are checked before
// any allocation, and a '|b1' byte other than 0 or 1 is refused.
NamedTensors load_npz(const std::string& path);

}  // namespace descent::io
