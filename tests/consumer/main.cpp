// A consumer of the installed descent: trains one step of a tiny model and checks the version the
// headers declare against the library it links.
#include <cstdio>
#include <cstring>

#include <descent/descent.hpp>

int main() {
    using namespace descent;
    char headers[32];
    std::snprintf(headers, sizeof headers, "%d.%d.%d", DESCENT_VERSION_MAJOR, DESCENT_VERSION_MINOR,
                  DESCENT_VERSION_PATCH);
    if (std::strcmp(headers, version()) != 0) {
        std::printf("headers %s, library %s\n", headers, version());
        return 1;
    }
    manual_seed(0);
    nn::Linear layer(3, 2);
    optim::SGD opt(layer.parameters(), optim::SGDOptions(0.1));
    const Tensor x = randn({4, 3});
    const std::vector<int64_t> y{0, 1, 1, 0};
    const float before = nn::functional::cross_entropy(layer(x), y).item();
    for (int i = 0; i < 20; ++i) {
        Tensor loss = nn::functional::cross_entropy(layer(x), y);
        opt.zero_grad();
        loss.backward();
        opt.step();
    }
    const float after = nn::functional::cross_entropy(layer(x), y).item();
    std::printf("descent %s: loss %.4f -> %.4f\n", version(), before, after);
    return after < before ? 0 : 1;
}
