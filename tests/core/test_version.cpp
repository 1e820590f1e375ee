// descent::version() agrees with the version macros of the headers.
#include "descent/core/version.hpp"

#include <string>

#include "support.hpp"

TEST_CASE("version() is MAJOR.MINOR.PATCH of the headers") {
    const std::string expected = std::to_string(DESCENT_VERSION_MAJOR) + "." +
                                 std::to_string(DESCENT_VERSION_MINOR) + "." +
                                 std::to_string(DESCENT_VERSION_PATCH);
    CHECK(descent::version() == expected);
}
