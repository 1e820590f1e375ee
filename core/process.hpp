// Running an external program (Graphviz's dot, gnuplot) and waiting for it: the one place that
// spawns a process, so every caller reports "not installed" and "failed" the same way.
#pragma once

#include <string>
#include <vector>

namespace descent::detail {

// True if `program` is an executable file in one of PATH's folders.
bool on_path(const std::string& program);

// Runs args[0] (looked up on PATH) with args[1...] and waits for it. Its stdout and stderr go to
// `output_path` when given (so the caller can quote the program's complaint), else they are
// inherited. Returns the exit status; -1 if it could not start or was killed by a signal.
int run_program(const std::vector<std::string>& args, const std::string& output_path = "");

// The first line of the file at `path` ("" if it is missing or empty), for an error message.
std::string first_line_of(const std::string& path);

}  // namespace descent::detail
