// Writing a file atomically: the data goes to a temporary file in the target's directory, which is
// renamed over the target only once it is complete. A reader never sees half a file, and a failed
// write leaves the old file as it was. Used by the IDX and .npz writers.
#pragma once

#include <string>

namespace descent::io::detail {

class AtomicFile {
public:
    // Creates a fresh temporary file next to `target` (mode 0666 minus the umask, as a plain
    // open would give). `op` names the caller in error messages.
    AtomicFile(const std::string& target, const char* op);
    // Removes the temporary file unless commit() succeeded.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::string& temp_path() const { return temp_; }
    // The open descriptor of the temporary file; -1 after close().
    int fd() const { return fd_; }
    // Closes the descriptor, for a writer that reopens the file by path (libzip).
    void close();
    // Flushes the temporary file to disk, closes it, and renames it over the target.
    void commit();

private:
    std::string target_, temp_;
    const char* op_;
    int fd_ = -1;
    bool committed_ = false;
};

}  // namespace descent::io::detail
