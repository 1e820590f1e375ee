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

TEST_CASE("the data-movement kernels move double, int64 and bool elements unchanged") {
    // permute (2, 3) -> (3, 2) through the tiled transpose, and (1, 2, 3) -> (3, 1, 2) through the
    // general walk
    std::vector<int64_t> x(6);
    for (int i = 0; i < 6; ++i) x[i] = (int64_t{1} << 60) + i;
    std::vector<int64_t> t(6), p(6);
    kernels::permute(x.data(), Shape{2, 3}, {1, 0}, t.data());
    kernels::permute(x.data(), Shape{1, 2, 3}, {2, 0, 1}, p.data());
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j) {
            CHECK(t[j * 2 + i] == x[i * 3 + j]);
            CHECK(p[j * 2 + i] == x[i * 3 + j]);
        }
    const bool b[6] = {true, false, false, false, true, true};
    bool bt[6];
    kernels::permute(b, Shape{2, 3}, {1, 0}, bt);
    for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 3; ++j) CHECK(bt[j * 2 + i] == b[i * 3 + j]);

    // slice_copy / slice_assign: columns 1:3 of (2, 3)
    const std::vector<double> d{0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    std::vector<double> s(4);
    kernels::slice_copy(d.data(), kernels::Axis{2, 3, 1}, 1, 2, s.data());
    CHECK(s == std::vector<double>{0.2, 0.3, 0.5, 0.6});
    std::vector<double> back(6, 0);
    kernels::slice_assign(s.data(), 2, kernels::Axis{2, 3, 1}, 1, back.data());
    CHECK(back == std::vector<double>{0, 0.2, 0.3, 0, 0.5, 0.6});
    bool bs[2];
    kernels::slice_copy(b, kernels::Axis{1, 6, 1}, 3, 2, bs);
    CHECK((!bs[0] && bs[1]));

    // strided copy / add / fill
    std::vector<int64_t> dst(6, 0);
    kernels::strided_copy(x.data(), {1, 3}, dst.data(), {2, 1}, Shape{3, 2});  // transpose
    CHECK(dst == t);
    std::vector<int64_t> acc(4, 0);
    const std::vector<int64_t> ones(6, 1);
    kernels::strided_add(ones.data(), {2, 1}, acc.data(), {1, 1}, Shape{3, 2});
    CHECK(acc == std::vector<int64_t>{1, 2, 2, 1});
    std::vector<double> dacc(2, 1.0);
    const std::vector<double> tiny{1e-17, 1e-17};
    kernels::strided_add(tiny.data(), {1}, dacc.data(), {0}, Shape{2});  // both into dacc[0]
    CHECK(dacc[0] == (1.0 + 1e-17) + 1e-17);
    bool bf[4] = {false, false, false, false};
    kernels::strided_fill(bf + 1, {2}, Shape{2}, true);
    CHECK((!bf[0] && bf[1] && !bf[2] && bf[3]));
    std::vector<double> df(3, 0);
    kernels::strided_fill(df.data(), {1}, Shape{3}, 0.1);
    CHECK(df == std::vector<double>{0.1, 0.1, 0.1});
    bool bc[3];
    kernels::strided_copy(b, {2}, bc, {1}, Shape{3});
    CHECK((bc[0] && !bc[1] && bc[2]));
}
