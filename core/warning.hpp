// Warnings, as PyTorch gives them: a message once per kind per process, for code that is legal but
// almost certainly not what was meant. They go to stderr as "descent: warning: ..." unless a
// handler is installed (a test captures them; a program may route them to its own log).
#pragma once

#include <functional>
#include <string>

namespace descent {

using WarningHandler = std::function<void(const std::string& message)>;

// Installs `handler` for every later warning (null: back to stderr); returns the previous one.
WarningHandler set_warning_handler(WarningHandler handler);

namespace detail {
// Emits `message` the first time `kind` is warned about in this process; later ones are dropped.
void warn_once(const char* kind, const std::string& message);
// Forgets which kinds were warned about (tests).
void reset_warnings();
}  // namespace detail

}  // namespace descent
