// Writing a file atomically: the data goes to a temporary file in the target's directory, which is
// renamed over the target only once it is complete. A reader never sees half a file, and a failed
// write leaves the old file as it was. In core so that every layer writes through it: the IDX and
// .npz writers, the CSV log, the HTML page of study::write_html. Guarantees, in full, in
// docs/reliability.md: fsync before the rename and of the directory after it, the temporary file
// removed on every error, stale ones of dead processes swept, symlinks written through. A special
// file (a device, a FIFO, /dev/stdout) is never replaced: it is written through instead.
#pragma once

#include <string>

namespace descent::detail {

// The file a save to `path` writes: `path` with its symlinks followed (a dangling link names the
// file a save would create), at most 40 hops as the kernel does.
std::string write_target(const std::string& path);

// Whether `path` must be written through rather than replaced by a rename: a character or block
// device, a FIFO or a socket, or a link to an open descriptor (/dev/stdout, /dev/fd/N,
// /proc/self/fd/N), which a rename would detach from whoever holds it.
bool is_special_file(const std::string& path);

// Opens a special file for writing: a descriptor of this process named by /dev/stdout,
// /dev/fd/N or /proc/self/fd/N is duplicated (so writes continue at its offset); anything else is
// opened without waiting for a FIFO's reader. IOError naming `op` and the path if that fails
// (a FIFO no process reads: "no process is reading it").
int open_write_through(const std::string& path, const char* op);
// Writes all of `data` to a descriptor from open_write_through; a reader that went away is an
// IOError naming `op` and `path` (EPIPE), never a SIGPIPE that ends the program.
void write_through(int fd, const std::string& data, const std::string& path, const char* op);

class AtomicFile {
public:
    // Creates a fresh temporary file next to `target` (next to the file it points to, if it is
    // a symlink), with the mode of the file it will replace (0666 minus the umask for a new file),
    // after removing "<target>.tmp.<pid>.*" files of processes that no longer exist. `op` names
    // the caller in error messages. For a special file (is_special_file) the target is opened
    // here, so that a bad one fails before any work, and the temporary file lives in the system's
    // temporary folder; commit() copies it into the target.
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
    // directory; for a special file, copies the temporary file's bytes into it instead. IOError
    // (the temporary file then removed) if any step fails.
    void commit();

private:
    void copy_through();

    std::string target_, dir_, temp_;
    const char* op_;
    int fd_ = -1;
    int through_fd_ = -1;  // the special file being written through, or -1
    bool committed_ = false;
};

}  // namespace descent::detail
