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
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <new>
#include <optional>
#include <sstream>
#include <string>

#include <descent/core/atomic_file.hpp>
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
// A symlink is judged by the file it points to (a dangling link's missing folder is found now, not
// after training); a special file (/dev/stdout, a FIFO, a device) is written through, so only its
// own permission counts. Returns "" or the reason.
inline std::string unwritable(const std::string& path) {
    if (path.empty()) return "empty path";
    if (descent::detail::is_special_file(path))
        return ::access(path.c_str(), W_OK) == 0 ? "" : "it is not writable";
    const std::string target = descent::detail::write_target(path);
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return "it is a directory";
    const auto slash = target.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : target.substr(0, slash);
    const std::string via = target == path ? "" : " (the symlink points to " + target + ")";
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return "folder " + dir + " does not exist" + via;
    if (::access(dir.c_str(), W_OK) != 0) return "folder " + dir + " is not writable" + via;
    return "";
}

// Whether a file can be read at path (a resumed checkpoint). Returns "" or the reason.
inline std::string unreadable(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "no such file";
    if (S_ISDIR(st.st_mode)) return "it is a directory";
    if (!S_ISREG(st.st_mode)) return "it is not a regular file (a FIFO or device would block)";
    if (::access(path.c_str(), R_OK) != 0) return "it is not readable";
    return "";
}

// A usage error found after parsing: reported like a parse error.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A path that starts with '-' is almost always a flag taken as the value of the one before it
// (`--report --save`): refused, unless written as ./-name. Throws UsageError.
inline void check_not_a_flag(const std::string& flag, const std::string& path) {
    if (!path.empty() && path[0] == '-')
        throw UsageError(flag + ": '" + path + "' looks like a flag, not a path (write ./" + path +
                         " for a file so named)");
}

// Checks an output path given with `flag`; throws UsageError.
inline void check_output(const std::string& flag, const std::string& path) {
    if (path.empty()) return;
    check_not_a_flag(flag, path);
    const std::string why = unwritable(path);
    if (!why.empty()) throw UsageError(flag + ": cannot write '" + path + "': " + why);
}

// Checks an output folder given with `flag`, and makes it when missing (its parent must exist);
// throws UsageError.
inline void check_output_folder(const std::string& flag, const std::string& path) {
    if (path.empty()) return;
    check_not_a_flag(flag, path);
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
    check_not_a_flag(flag, path);
    const std::string why = unreadable(path);
    if (!why.empty()) throw UsageError(flag + ": cannot read '" + path + "': " + why);
}

// Every option shows its default in --help. Call before adding options.
inline void show_defaults(CLI::App& app) { app.option_defaults()->always_capture_default(); }

// An error line as the terminal should show it: each command-line value over 64 characters cut
// to its first 32 with its length, and control characters (newlines, escape codes) escaped.
inline std::string printable(std::string message, int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string value = argv[i];
        if (value.size() <= 64) continue;
        const std::string cut =
            value.substr(0, 32) + "... (" + std::to_string(value.size()) + " characters)";
        for (size_t at = message.find(value); at != std::string::npos;
             at = message.find(value, at + cut.size()))
            message.replace(at, value.size(), cut);
    }
    std::string out;
    for (const char ch : message) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else
            out += ch;
    }
    return out;
}

// CLI11's words for a flag given twice ("--lr: At Most 1 required but received 2"), said plainly.
inline std::string said_plainly(std::string message) {
    const std::string cli11 = ": At Most 1 required but received ";
    const size_t at = message.find(cli11);
    if (at != std::string::npos)
        message = message.substr(0, at) + " given " + message.substr(at + cli11.size()) +
                  " times; give it once";
    return message;
}

// Parses, then runs body(); turns every error into one line "name: message" and an exit code:
// 2 for a usage error, 1 for a failure while running. Memory running out is said in words. Under
// mpirun, `prefix` ("[rank 1] ") starts each line, and each line is written whole, so that the
// lines of several ranks do not interleave.
template <class Body>
int run_cli(CLI::App& app, const char* name, int argc, char** argv, const std::string& prefix,
            Body body) {
    auto say = [&](const std::string& message, const char* tail) {
        std::cerr << (prefix + name + ": " + printable(message, argc, argv) + tail + "\n")
                  << std::flush;
    };
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        say(said_plainly(e.what()), " (see --help)");
        return 2;
    }
    try {
        return body();
    } catch (const UsageError& e) {
        say(e.what(), " (see --help)");
        return 2;
    } catch (const std::bad_alloc&) {
        say("out of memory (a larger input than this machine can hold?)", "");
        return 1;
    } catch (const std::exception& e) {
        say(e.what(), "");
        return 1;
    }
}

template <class Body>
int run_cli(CLI::App& app, const char* name, int argc, char** argv, Body body) {
    return run_cli(app, name, argc, argv, std::string(), body);
}

}  // namespace examples
