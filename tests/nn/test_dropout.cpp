// nn::Dropout: follows the module's training flag, checks p at construction, prints.
#include "support.hpp"

#include <sstream>

#include "descent/nn/dropout.hpp"

using namespace descent;

TEST_CASE("Dropout: zeroes entries in training, identity in eval") {
    nn::Dropout drop(0.25f);
    const Tensor x = ones({50, 40});
    manual_seed(2);
    const Tensor y = drop(x);
    int64_t zeros = 0;
    for (int64_t i = 0; i < y.numel(); ++i) {
        if (y.data()[i] == 0.0f) {
            ++zeros;
        } else {
            CHECK(y.data()[i] == doctest::Approx(1 / 0.75f));
        }
    }
    // 2,000 draws with p = 1/4: standard deviation 19.4, so 4 sigma is 78.
    CHECK(std::abs(zeros - 500) < 78);
    drop.eval();
    CHECK(drop(x).is_same(x));
    drop.train();
    CHECK_FALSE(drop(x).is_same(x));
}

TEST_CASE("Dropout: constructor refuses p outside [0, 1], prints p") {
    CHECK_ERROR(ValueError, [] { nn::Dropout(1.01f); }, {"Dropout()", "[0, 1]", "1.01"});
    CHECK_ERROR(ValueError, [] { nn::Dropout(-0.5f); }, {"Dropout()", "-0.5"});
    std::ostringstream os;
    os << nn::Dropout(0.2f);
    CHECK(os.str() == "Dropout(p=0.2)");
    CHECK(nn::Dropout().p == 0.5f);
}
