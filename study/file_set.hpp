// Files saved as one set (--plot's pictures, a lab's tables and pictures): each is written under a
// temporary name beside its target, and commit() renames them all into place, so that a disk that
// fills up part-way leaves the folder as it was: never half a set, nor new files mixed with old.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "descent/study/figure.hpp"

namespace descent::study {

class FileSet {
public:
    FileSet() = default;
    ~FileSet();  // removes what was written but not committed
    FileSet(const FileSet&) = delete;
    FileSet& operator=(const FileSet&) = delete;

    // The temporary path to write `path`'s new content to (same folder and extension), now part
    // of the set.
    std::string stage(const std::string& path);
    // Draws `figure` for `path` (.png or .svg). Errors as Figure::save, except that an IOError
    // names `path`, not its temporary file.
    void add(const std::string& path, const Figure& figure);
    void add(const std::string& path, const Panels& panels);  // the same, for panels
    // Renames every staged file over its path (a rename needs no space) and flushes the folders;
    // returns the paths. IOError naming the file if a rename fails.
    std::vector<std::string> commit();

private:
    template <class Drawing>
    void draw(const std::string& path, const Drawing& drawing);
    std::vector<std::pair<std::string, std::string>> staged_;  // (temporary file, target)
};

}  // namespace descent::study
