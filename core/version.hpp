// descent's version: the macros say which headers a program was compiled against, version() which
// library it runs with. CMake reads the project version from this file, so there is one source.
#pragma once

#define DESCENT_VERSION_MAJOR 0
#define DESCENT_VERSION_MINOR 2
#define DESCENT_VERSION_PATCH 0

namespace descent {

// "MAJOR.MINOR.PATCH" of the linked library.
const char* version();

}  // namespace descent
