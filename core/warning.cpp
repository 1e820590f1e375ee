// Warnings: the set of kinds already warned about and the installed handler, behind one mutex.
#include "descent/core/warning.hpp"

#include <iostream>
#include <mutex>
#include <set>

namespace descent {

namespace {
struct Warnings {
    std::mutex mutex;
    std::set<std::string> seen;
    WarningHandler handler;
};

Warnings& warnings() {
    static Warnings* w = new Warnings;  // never destroyed: a warning may come during exit
    return *w;
}
}  // namespace

WarningHandler set_warning_handler(WarningHandler handler) {
    Warnings& w = warnings();
    std::lock_guard<std::mutex> lock(w.mutex);
    std::swap(w.handler, handler);
    return handler;
}

void detail::warn_once(const char* kind, const std::string& message) {
    WarningHandler handler;
    {
        Warnings& w = warnings();
        std::lock_guard<std::mutex> lock(w.mutex);
        if (!w.seen.insert(kind).second) return;
        handler = w.handler;
    }
    if (handler)
        handler(message);
    else
        std::cerr << "descent: warning: " << message << std::endl;
}

void detail::reset_warnings() {
    Warnings& w = warnings();
    std::lock_guard<std::mutex> lock(w.mutex);
    w.seen.clear();
}

}  // namespace descent
