// The strided copy, add and fill kernels against naive index arithmetic: transposes, steps,
// broadcast (stride 0) sources, overlapping destinations, empty shapes.
#include "support.hpp"

#include "descent/core/kernels/copy.hpp"

using namespace descent;

TEST_CASE("strided_copy walks any two layouts of one shape") {
    std::vector<float> src(24);
    for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<float>(i);
    // src (2, 3, 4) read transposed as (4, 3, 2): dst[k][j][i] = src[i][j][k]
    std::vector<float> dst(24, -1);
    kernels::strided_copy(src.data(), {1, 4, 12}, dst.data(), {6, 2, 1}, {4, 3, 2});
    bool ok = true;
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k)
                ok = ok && dst[k * 6 + j * 2 + i] == src[i * 12 + j * 4 + k];
    CHECK(ok);
    // A broadcast source (stride 0) into every other element of a row of 8.
    std::vector<float> row(8, 0);
    const float seven = 7;
    kernels::strided_copy(&seven, {0}, row.data(), {2}, {4});
    CHECK(row == std::vector<float>{7, 0, 7, 0, 7, 0, 7, 0});
    // Contiguous to contiguous, and nothing to copy.
    std::vector<float> same(24, 0);
    kernels::strided_copy(src.data(), {12, 4, 1}, same.data(), {12, 4, 1}, {2, 3, 4});
    CHECK(same == src);
    kernels::strided_copy(src.data(), {1, 1}, same.data(), {1, 1}, {0, 5});
}

TEST_CASE("strided_add sums into positions reached twice, and strided_fill fills a view") {
    // windows (3, 2) over 4 floats, step 1: positions 1 and 2 are reached twice
    std::vector<float> dst(4, 0);
    const std::vector<float> ones(6, 1);
    kernels::strided_add(ones.data(), {2, 1}, dst.data(), {1, 1}, {3, 2});
    CHECK(dst == std::vector<float>{1, 2, 2, 1});
    std::vector<float> m(6, 0);
    kernels::strided_fill(m.data() + 1, {3}, {2}, 5);  // column 1 of (2, 3)
    CHECK(m == std::vector<float>{0, 5, 0, 0, 5, 0});
}
