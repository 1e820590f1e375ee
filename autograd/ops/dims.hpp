// Lists of dims as the everyday ops take them (sum over {0, 2}, flip, roll, norm): normalised,
// checked for repeats, and turned into the shape a reduction keeps. Private to autograd/ops.
#pragma once

#include <vector>

#include "descent/core/error.hpp"
#include "descent/core/shape.hpp"

namespace descent::ops_detail {

// dims mapped to [0, ndim), in the order given; IndexError for a dim out of range and ValueError
// for a dim named twice, both naming `op`, the dims as written and the shape.
inline std::vector<int64_t> normalize_dims(const std::vector<int64_t>& dims, const Shape& shape,
                                           const char* op) {
    std::vector<int64_t> out;
    out.reserve(dims.size());
    for (int64_t d : dims) {
        const int64_t n = normalize_dim(d, shape, op);
        for (int64_t seen : out)
            DESCENT_CHECK(seen != n, ValueError, op, "(): dim ", d, " appears twice in dims ",
                          Shape(dims.begin(), dims.end()), " for shape ", shape);
        out.push_back(n);
    }
    return out;
}

// Which dims a reduction over `dims` removes (every dim when `dims` is empty), and the shape it
// leaves with those dims kept as size 1.
struct Reduced {
    std::vector<bool> is_reduced;  // one flag per dim of the input
    Shape kept;                    // the input's shape with the reduced dims set to 1
    Shape out;                     // kept, or without the reduced dims when !keepdim
    int64_t count = 1;             // the number of input elements reduced into each output one
};

inline Reduced reduced_over(const std::vector<int64_t>& dims, const Shape& shape, bool keepdim,
                            const char* op) {
    const std::vector<int64_t> norm = normalize_dims(dims, shape, op);
    Reduced r;
    r.is_reduced.assign(shape.size(), dims.empty());
    for (int64_t d : norm)
        if (d < shape.ndim()) r.is_reduced[static_cast<size_t>(d)] = true;  // a 0-d's dim 0: none
    r.kept = shape;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (!r.is_reduced[d]) {
            r.out.push_back(shape[d]);
            continue;
        }
        r.count *= shape[d];
        r.kept[d] = 1;
        if (keepdim) r.out.push_back(1);
    }
    return r;
}

}  // namespace descent::ops_detail
