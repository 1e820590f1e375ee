// version(): the library's own version, fixed when it was compiled.
#include "descent/core/version.hpp"

#define DESCENT_STR2(x) #x
#define DESCENT_STR(x) DESCENT_STR2(x)

namespace descent {

const char* version() {
    return DESCENT_STR(DESCENT_VERSION_MAJOR) "." DESCENT_STR(DESCENT_VERSION_MINOR) "." DESCENT_STR(
        DESCENT_VERSION_PATCH);
}

}  // namespace descent
