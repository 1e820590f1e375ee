// descent's exceptions. Every mistake a user can make throws one of these, with a message that
// names the call and the values involved; checks run before any allocation, in every build type.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace descent {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};
// Shapes that do not fit together: matmul (2, 3) by (4, 5), shapes that do not broadcast.
class ShapeError : public Error {
public:
    using Error::Error;
};
// A dim or an index out of range.
class IndexError : public Error {
public:
    using Error::Error;
};
// A tensor of the wrong dtype: data<int64_t>() of a float32 tensor, requires_grad_() on int64.
class TypeError : public Error {
public:
    using Error::Error;
};
// An argument with a bad value: a negative size, an unknown option.
class ValueError : public Error {
public:
    using Error::Error;
};
// An object used in a state that forbids it: backward through a freed graph, a saved tensor
// modified.
class StateError : public Error {
public:
    using Error::Error;
};
// A file that cannot be read or written, or whose contents lie.
class IOError : public Error {
public:
    using Error::Error;
};
// Memory the operation needs cannot be had: a shape whose buffer the allocator refuses.
class MemoryError : public Error {
public:
    using Error::Error;
};
// A broken internal invariant: a bug in descent, not in the caller.
class InternalError : public Error {
public:
    using Error::Error;
};

namespace detail {
// Streams all arguments into one string; only ever called on the error path.
template <class... Args>
std::string cat(const Args&... args) {
    std::ostringstream s;
    (s << ... << args);
    return s.str();
}
}  // namespace detail

}  // namespace descent

// Throws ErrorType with the streamed message when cond is false.
#define DESCENT_CHECK(cond, ErrorType, ...)                                \
    do {                                                                   \
        if (!(cond)) throw ErrorType(::descent::detail::cat(__VA_ARGS__)); \
    } while (0)

// An internal invariant; failing it is a descent bug, reported with file:line.
#define DESCENT_ASSERT(cond, ...)                                                        \
    do {                                                                                 \
        if (!(cond))                                                                     \
            throw ::descent::InternalError(::descent::detail::cat(                       \
                __FILE__, ":", __LINE__, ": internal error: ", #cond, " " __VA_ARGS__)); \
    } while (0)
