// The free list behind take_buffer(): best fit among the returned buffers, else the largest one
// grown, else a new one. The pool is never destroyed, so buffers released during static
// destruction (a graph held by a global tensor) still have somewhere to go.
#include "descent/core/buffer_pool.hpp"

#include <mutex>

namespace descent::detail {

namespace {

struct Pool {
    std::mutex mutex;
    std::vector<std::unique_ptr<std::vector<float>>> free;
};

Pool& pool() {
    static Pool* p = new Pool;
    return *p;
}

std::unique_ptr<std::vector<float>> pick(Pool& p, size_t n) {
    std::lock_guard<std::mutex> lock(p.mutex);
    if (p.free.empty()) return nullptr;
    size_t best = p.free.size(), largest = 0;
    for (size_t i = 0; i < p.free.size(); ++i) {
        const size_t size = p.free[i]->size();
        if (size >= n && (best == p.free.size() || size < p.free[best]->size())) best = i;
        if (size > p.free[largest]->size()) largest = i;
    }
    const size_t at = best < p.free.size() ? best : largest;
    std::unique_ptr<std::vector<float>> out = std::move(p.free[at]);
    p.free.erase(p.free.begin() + static_cast<std::ptrdiff_t>(at));
    return out;
}

}  // namespace

std::shared_ptr<std::vector<float>> take_buffer(int64_t n) {
    const size_t size = static_cast<size_t>(n);
    std::unique_ptr<std::vector<float>> buffer = pick(pool(), size);
    if (!buffer) buffer = std::make_unique<std::vector<float>>();
    if (buffer->size() < size) buffer->resize(size);
    return {buffer.release(), [](std::vector<float>* b) {
                Pool& p = pool();
                std::lock_guard<std::mutex> lock(p.mutex);
                p.free.emplace_back(b);
            }};
}

}  // namespace descent::detail
