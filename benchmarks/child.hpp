// Running a benchmark's sides in child processes: reading a child's "RESULT key value" lines (any
// other line it prints is shown, not hidden), the PyTorch interpreter, this program's own path, and
// the figures every workload benchmark reports (median, peak RSS). bench_mlp and bench_seq use it.
#pragma once

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

inline std::map<std::string, std::string> run_child(const std::string& cmd, const char* tag) {
    std::map<std::string, std::string> out;
    FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
    if (!pipe) return out;
    char line[1024];
    while (std::fgets(line, sizeof line, pipe)) {
        std::istringstream in(line);
        std::string kind, key, value;
        if (in >> kind >> key && kind == "RESULT") {
            std::getline(in >> std::ws, value);
            out[key] = value;
        } else {
            std::printf("  [%s] %s", tag, line);  // warnings, errors: show them
        }
    }
    const int status = pclose(pipe);
    if (status != 0) std::printf("  [%s] '%s' exited with status %d\n", tag, cmd.c_str(), status);
    return out;
}

// The number at `key` of a child's results, NaN when the child did not print it.
inline double number(const std::map<std::string, std::string>& m, const std::string& key) {
    auto it = m.find(key);
    return it == m.end() ? NAN : std::atof(it->second.c_str());
}

inline double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

inline long peak_rss_mib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;  // Linux reports KiB
}

// /usr/bin/python3 (Debian's python3-torch), or $DESCENT_BENCH_PYTHON when set.
inline std::string python() {
    const char* env = std::getenv("DESCENT_BENCH_PYTHON");
    return env && *env ? env : "/usr/bin/python3";
}

inline bool torch_available() {
    return std::system((python() + " -c 'import torch' >/dev/null 2>&1").c_str()) == 0;
}

// This program's path, to start itself as a child.
inline std::string self_path(const char* fallback) {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : fallback;
}

}  // namespace bench
