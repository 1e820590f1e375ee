// Writing a file atomically: the data goes to a temporary file in the target's directory, which is
// renamed over the target only once it is complete. A reader never sees half a file, and a failed
// write leaves the old file as it was. In core so that every layer writes through it: the IDX and
// .npz writers, the CSV log, the HTML page of study::write_html. Guarantees, in full, in
// docs/reliability.md: fsync before the rename and of the directory after it, the temporary file
// removed on every error, stale ones of dead processes swept, symlinks written through.
#pragma once

#include <string>

namespace descent::detail {

class AtomicFile {
public:
    // Creates a fresh temporary file next to `target` (next to the file it points to, if it is
    // a symlink), with the mode of the file it will replace (0666 minus the umask for a new file),
    // after removing "<target>.tmp.<pid>.*" files of processes that no longer exist. `op` names
    // the caller in error messages.
    AtomicFile(const std::string& target, const char* op);
    // Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& temp_path() const { return temp_; }
    // The open descriptor of the temporary file; -1 after close().
    int fd() const { return fd_; }
    // Writes all of `data` to the temporary file; IOError naming it when the disk refuses.
    void write(const std::string& data);
    // Closes the descriptor, for a writer that reopens the file by path (libzip).
    void close();
    // Flushes the temporary file to disk, closes it, renames it over the target, and flushes the
    // directory. IOError (the temporary file then removed) if any step fails.
    void commit();

private:
    std::string target_, dir_, temp_;
    const char* op_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace descent::detail
