// Reading a child process's "RESULT key value" lines, as bench_core and bench_mlp run PyTorch (and
// their own workloads) in children; any other line the child prints is shown, not hidden.
#pragma once

#include <cstdio>
#include <map>
#include <sstream>
#include <string>

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

}  // namespace bench
