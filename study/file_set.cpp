// FileSet: write every file of a set under a temporary name, then rename them all into place.
#include "descent/study/file_set.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "descent/core/error.hpp"

namespace descent::study {

namespace {

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

FileSet::~FileSet() {
    for (const auto& [temp, target] : staged_) std::remove(temp.c_str());
}

std::string FileSet::stage(const std::string& path) {
    // "<path>.tmp.<pid>.set.<ext>": the extension keeps the format (Figure::save reads it), and the
    // "<path>.tmp.<pid>." prefix is what AtomicFile sweeps once this process is gone (a SIGKILL).
    const auto dot = path.rfind('.');
    const auto slash = path.rfind('/');
    const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    std::string temp = path + ".tmp." + std::to_string(::getpid()) + ".set" +
                       (has_ext ? path.substr(dot) : "");
    staged_.emplace_back(temp, path);
    return temp;
}

void FileSet::add(const std::string& path, const Figure& figure) { draw(path, figure); }
void FileSet::add(const std::string& path, const Panels& panels) { draw(path, panels); }

template <class Drawing>
void FileSet::draw(const std::string& path, const Drawing& drawing) {
    const std::string temp = stage(path);
    try {
        drawing.save(temp);
    } catch (const IOError& e) {  // say which file, not which temporary one; keep the reason
        const std::string what = e.what();
        const auto colon = what.rfind(": ");
        throw IOError("cannot write " + path + ": " +
                      (colon == std::string::npos ? what : what.substr(colon + 2)) +
                      " (no file of its set was replaced)");
    }
}

std::vector<std::string> FileSet::commit() {
    std::vector<std::string> paths;
    std::set<std::string> folders;
    for (const auto& [temp, target] : staged_) {
        DESCENT_CHECK(std::rename(temp.c_str(), target.c_str()) == 0, IOError,
                      "FileSet::commit(): cannot rename ", temp, " to ", target, ": ",
                      std::strerror(errno));
        paths.push_back(target);
        folders.insert(folder_of(target));
    }
    staged_.clear();
    for (const std::string& folder : folders) {  // the renames, durable
        const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
    }
    return paths;
}

}  // namespace descent::study
