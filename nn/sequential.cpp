// Sequential's indexing and forward; an error inside a layer names the layer.
#include "descent/nn/sequential.hpp"

namespace descent::nn {

namespace {
// Rethrows the descent Error in flight as the same type with `where` before its message
// ("Sequential[2] (Linear): linear(): input (4, 7) vs weight (5, 10) ..."); others unchanged.
[[noreturn]] void rethrow_naming(const std::string& where) {
    try {
        throw;
    } catch (const ShapeError& e) {
        throw ShapeError(where + e.what());
    } catch (const IndexError& e) {
        throw IndexError(where + e.what());
    } catch (const ValueError& e) {
        throw ValueError(where + e.what());
    } catch (const StateError& e) {
        throw StateError(where + e.what());
    } catch (const MemoryError& e) {
        throw MemoryError(where + e.what());
    }
}
}  // namespace

std::shared_ptr<Module> Sequential::operator[](size_t i) const {
    DESCENT_CHECK(i < size(), IndexError, "Sequential[]: index ", i,
                  " is out of range for a Sequential of ", size(), " modules");
    return named_children()[i].second;
}

Tensor Sequential::forward(const Tensor& x) {
    Tensor y = x;
    for (const auto& [name, module] : named_children()) {
        try {
            y = (*module)(y);
        } catch (const Error&) {
            rethrow_naming("Sequential[" + name + "] (" + module->type_name() + "): ");
        }
    }
    return y;
}

}  // namespace descent::nn
