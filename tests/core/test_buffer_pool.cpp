// detail::take_buffer: a released buffer is handed out again (no new allocation), the best fit
// among the free ones is chosen, and a buffer too small for a request grows to it.
#include "support.hpp"

#include "descent/core/buffer_pool.hpp"

using descent::detail::take_buffer;

TEST_CASE("take_buffer: a released buffer comes back, the best fit first, grown when short") {
    // Sizes no other test takes, so buffers other tests returned to the pool do not interfere.
    const float* small_data = nullptr;
    const float* large_data = nullptr;
    {
        auto small = take_buffer(1000003);
        auto large = take_buffer(3000017);
        REQUIRE(small->size() >= 1000003);
        REQUIRE(large->size() >= 3000017);
        small_data = small->data();
        large_data = large->data();
    }  // both return to the pool
    {
        auto again = take_buffer(1000003);  // best fit: the small one, not the large one
        CHECK(again->data() == small_data);
        auto next = take_buffer(2000000);  // only the large one fits
        CHECK(next->data() == large_data);
    }
    auto grown = take_buffer(5000011);  // none fits: the largest is grown
    CHECK(grown->size() >= 5000011);
}
