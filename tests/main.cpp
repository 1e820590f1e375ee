// doctest's main, in a translation unit of its own so it compiles once.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
