// one_hot: each label becomes a row of zeros with a 1 at the label.
#include "descent/nn/functional/one_hot.hpp"

#include <algorithm>

#include "descent/core/factory.hpp"

namespace descent::nn::functional {

Tensor one_hot(const Tensor& index, int64_t num_classes, CallSite) {
    DESCENT_CHECK(index.defined(), ValueError, "one_hot(): index is an undefined tensor");
    DESCENT_CHECK(index.dtype() == kInt64, TypeError,
                  "one_hot(): expected an int64 index tensor, got ", dtype_name(index.dtype()));
    DESCENT_CHECK(num_classes >= -1, ValueError, "one_hot(): num_classes must be >= -1, got ",
                  num_classes);
    const std::vector<int64_t> labels = index.to_vector<int64_t>();
    DESCENT_CHECK(num_classes != -1 || !labels.empty(), ValueError,
                  "one_hot(): cannot infer num_classes from an empty index");
    const int64_t classes =
        num_classes == -1 ? *std::max_element(labels.begin(), labels.end()) + 1 : num_classes;
    for (size_t i = 0; i < labels.size(); ++i)
        DESCENT_CHECK(labels[i] >= 0 && labels[i] < classes, IndexError, "one_hot(): label ",
                      labels[i], " at index ", i, " is out of range for ", classes, " classes");
    Shape shape = index.shape();
    shape.push_back(classes);
    Tensor out = zeros(shape, kInt64);
    int64_t* p = out.data<int64_t>();
    for (size_t i = 0; i < labels.size(); ++i) p[static_cast<int64_t>(i) * classes + labels[i]] = 1;
    return out;
}

}  // namespace descent::nn::functional
