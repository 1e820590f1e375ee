// What every example's command line shares (CLI11): validators that refuse a bad value in one short
// line naming the flag, the value and what is allowed (NaN and inf included); --help with every
// default; input and output paths checked before any work starts; one "program: message" line per
// error.
#pragma once

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include <descent/descent.hpp>

namespace examples {

// A real number in [low, high] (or (low, high] with low_open): finite, the whole text a number.
inline CLI::Validator number_in(double low, double high, bool low_open = false) {
    std::ostringstream range;
    range << (low_open ? "(" : "[") << low << ", " << high << "]";
    const std::string allowed = "a number in " + range.str();
    return CLI::Validator(
        [=](std::string& s) -> std::string {
            char* end = nullptr;
            errno = 0;
            const double v = std::strtod(s.c_str(), &end);
            const bool parsed = !s.empty() && end == s.c_str() + s.size() && errno == 0;
            if (!parsed || !std::isfinite(v) || v < low || v > high || (low_open && v == low))
                return "'" + s + "' is not " + allowed;
            return "";
        },
        allowed);
}

// An integer in [low, high]: digits only, so "-1" for an unsigned seed or "12abc" are refused.
inline CLI::Validator integer_in(long long low, long long high) {
    const std::string allowed =
        "an integer in [" + std::to_string(low) + ", " + std::to_string(high) + "]";
    return CLI::Validator(
        [=](std::string& s) -> std::string {
            char* end = nullptr;
            errno = 0;
            const long long v = std::strtoll(s.c_str(), &end, 10);
            const bool parsed = !s.empty() && end == s.c_str() + s.size() && errno == 0;
            if (!parsed || v < low || v > high) return "'" + s + "' is not " + allowed;
            return "";
        },
        allowed);
}

// The cores of this machine: --threads above it is refused (1000 threads made an epoch take
// minutes); 0 means all of them.
inline int cores() { return descent::num_cores(); }

inline void add_threads_flag(CLI::App& app, int& threads) {
    app.add_option("--threads", threads,
                   "Threads for matrix products, 1 to " + std::to_string(cores()) +
                       " (the cores of this machine); 0: all cores")
        ->check(integer_in(0, cores()));
}

inline void apply_threads(int threads) {
    descent::set_num_threads(threads == 0 ? cores() : threads);
}

// --threads for a program that reads argv itself (the benchmarks): 1 to cores(), checked by the
// same validator; otherwise prints "program: --threads: '<value>' is not ..." and gives nullopt.
inline std::optional<int> parse_threads(const char* program, const std::string& value) {
    const std::string bad = integer_in(1, cores())(value);
    if (!bad.empty()) {
        std::cerr << program << ": --threads: " << bad << "\n";
        return std::nullopt;
    }
    return std::stoi(value);
}

// Whether a file can be created or replaced at path, so that a run does not fail after its work.
// Returns "" or the reason.
inline std::string unwritable(const std::string& path) {
    if (path.empty()) return "empty path";
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "it is a directory";
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : path.substr(0, slash);
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return "folder " + dir + " does not exist";
    if (::access(dir.c_str(), W_OK) != 0) return "folder " + dir + " is not writable";
    return "";
}

// Whether a file can be read at path (a resumed checkpoint). Returns "" or the reason.
inline std::string unreadable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "no such file";
    if (S_ISDIR(st.st_mode)) return "it is a directory";
    if (::access(path.c_str(), R_OK) != 0) return "it is not readable";
    return "";
}

// A usage error found after parsing: reported like a parse error.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Checks an output path given with `flag`; throws UsageError.
inline void check_output(const std::string& flag, const std::string& path) {
    if (path.empty()) return;
    const std::string why = unwritable(path);
    if (!why.empty()) throw UsageError(flag + ": cannot write '" + path + "': " + why);
}

// Checks an output folder given with `flag`, and makes it when missing (its parent must exist);
// throws UsageError.
inline void check_output_folder(const std::string& flag, const std::string& path) {
    if (path.empty()) return;
    struct stat st {};
    std::string why;
    if (::stat(path.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) why = "it is not a folder";
        else if (::access(path.c_str(), W_OK) != 0) why = "it is not writable";
    } else if (::mkdir(path.c_str(), 0777) != 0) {
        why = unwritable(path);  // names the missing or read-only parent
        if (why.empty()) why = std::strerror(errno);
    }
    if (!why.empty()) throw UsageError(flag + ": cannot write into '" + path + "': " + why);
}

// Checks an input path given with `flag`; throws UsageError.
inline void check_input(const std::string& flag, const std::string& path) {
    if (path.empty()) return;
    const std::string why = unreadable(path);
    if (!why.empty()) throw UsageError(flag + ": cannot read '" + path + "': " + why);
}

// Every option shows its default in --help. Call before adding options.
inline void show_defaults(CLI::App& app) { app.option_defaults()->always_capture_default(); }

// Parses, then runs body(); turns every error into one line "name: message" and an exit code:
// 2 for a usage error, 1 for a failure while running.
template <class Body>
int run_cli(CLI::App& app, const char* name, int argc, char** argv, Body body) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << name << ": " << e.what() << " (see --help)\n";
        return 2;
    }
    try {
        return body();
    } catch (const UsageError& e) {
        std::cerr << name << ": " << e.what() << " (see --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace examples
