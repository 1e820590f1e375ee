// SourceLocation: the file and line of a call, captured by a defaulted argument with GCC/Clang's
// __builtin_FILE/LINE (C++17's stand-in for std::source_location). CallSite: the one way an op
// learns where the user called it, so that anomaly mode can say where a node was created.
#pragma once

#include <atomic>

namespace descent {

struct SourceLocation {
    const char* file = nullptr;  // null: unknown
    int line = 0;

    static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                            int line = __builtin_LINE()) {
        return {file, line};
    }
    constexpr bool known() const { return file != nullptr; }
};

namespace detail {
// Autograd's anomaly mode (autograd/anomaly_mode.hpp sets it): only then are call sites kept.
inline std::atomic<bool> anomaly_enabled{false};
// The outermost CallSite alive on this thread, or unknown.
inline thread_local SourceLocation running_call;
}  // namespace detail

// The last parameter, `CallSite = {}`, of every op, method form and (through Operand,
// autograd/ops/arithmetic.hpp) operator that records a node. Its default argument is evaluated
// where the user wrote the call, so it holds that file:line; while anomaly mode is on it makes it
// the running call until the parameter dies at the end of the user's statement, and every node
// recorded meanwhile takes it as created_at (autograd/record.hpp). The outermost one wins, so an op
// built from other ops reports the user's line, not a line inside descent. With the mode off it
// costs one relaxed load.
class CallSite {
public:
    CallSite(SourceLocation loc = SourceLocation::current()) {
        if (detail::anomaly_enabled.load(std::memory_order_relaxed) &&
            !detail::running_call.known()) {
            detail::running_call = loc;
            entered_ = true;
        }
    }
    ~CallSite() {
        if (entered_) detail::running_call = SourceLocation{};
    }
    CallSite(const CallSite&) = delete;
    CallSite& operator=(const CallSite&) = delete;

    // Where the op running now was called from: the outermost live CallSite's location.
    static SourceLocation running() { return detail::running_call; }

private:
    bool entered_ = false;
};

}  // namespace descent
