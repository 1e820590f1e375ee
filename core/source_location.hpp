// SourceLocation: the file and line of a call, captured by a defaulted argument
// (`SourceLocation loc = SourceLocation::current()`) with GCC/Clang's __builtin_FILE/LINE, C++17's
// stand-in for std::source_location. Anomaly mode reports where the op that went wrong was created.
#pragma once

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

}  // namespace descent
