// The indexing kernels for every element type against naive loops: index_select / gather (float,
// double, int64, bool) and the adds (double, int64), repeated indices included.
#include "support.hpp"

#include <cstdint>

#include "descent/core/kernels/index.hpp"

using namespace descent;

TEST_CASE("index_select and gather move int64, double and bool elements") {
    // in (2, 3, 2) along dim 1
    std::vector<int64_t> in(12);
    for (int i = 0; i < 12; ++i) in[i] = (int64_t{1} << 40) + i;
    const kernels::Axis a{2, 3, 2};
    const std::vector<int64_t> idx{2, 0, 2};
    std::vector<int64_t> out(12);
    kernels::index_select(in.data(), a, idx.data(), 3, out.data());
    for (int o = 0; o < 2; ++o)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 2; ++k)
                CHECK(out[(o * 3 + j) * 2 + k] == in[(o * 3 + idx[j]) * 2 + k]);
    std::vector<double> din(in.begin(), in.end()), dout(12);
    for (double& v : din) v += 0.125;
    kernels::index_select(din.data(), a, idx.data(), 3, dout.data());
    CHECK(dout[0] == din[4]);
    CHECK(dout[11] == din[11]);
    bool bin[6] = {true, false, false, true, true, false}, bout[2];  // (1, 3, 2)
    const std::vector<int64_t> g{2, 1};                              // index (1, 2)
    kernels::gather(bin, kernels::Axis{1, 3, 2}, g.data(), bout);
    CHECK((bout[0] && bout[1]));
    std::vector<int64_t> gout(4);
    const std::vector<int64_t> gi{1, 0, 2, 2};  // index (2, 2)
    kernels::gather(in.data(), a, gi.data(), gout.data());
    CHECK(gout == std::vector<int64_t>{in[2], in[1], in[10], in[11]});
}

TEST_CASE("index_add and scatter_add accumulate repeated indices, in double and int64") {
    const std::vector<int64_t> idx{1, 1, 0};         // index 1 twice
    const std::vector<double> src{0.1, 0.2, 1e-17};  // (1, 3, 1)
    std::vector<double> out{1.0, 1.0};               // (1, 2, 1)
    kernels::index_add(src.data(), kernels::Axis{1, 2, 1}, idx.data(), 3, out.data());
    CHECK(out == std::vector<double>{1.0 + 1e-17, 1.0 + 0.1 + 0.2});
    const std::vector<int64_t> isrc{5, -7};  // (1, 1, 2)
    std::vector<int64_t> iout(6, 1);         // (1, 3, 2)
    const std::vector<int64_t> si{2, 2};     // index (1, 2)
    kernels::scatter_add(isrc.data(), kernels::Axis{1, 3, 2}, si.data(), iout.data());
    CHECK(iout == std::vector<int64_t>{1, 1, 1, 1, 6, -6});
    std::vector<int64_t> iout2(2, 0);
    kernels::index_add(isrc.data(), kernels::Axis{1, 1, 2}, idx.data() + 2, 1, iout2.data());
    CHECK(iout2 == std::vector<int64_t>{5, -7});
}
