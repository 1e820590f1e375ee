// Atomic writes: temporary file, fsync, rename, directory fsync; stale temporaries of dead
// processes are swept before a new one is made; special files are written through, never
// replaced (see atomic_file.hpp and docs/reliability.md).
#include "descent/core/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "descent/core/error.hpp"

namespace descent::detail {

namespace {
std::atomic<unsigned> counter{0};

// "dir/name" -> {"dir", "name"}; a bare name lives in ".".
std::pair<std::string, std::string> split(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return {".", path};
    return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

// Removes "<name>.tmp.<pid>.<n>..." in `dir` (ours, and libzip's "<ours>.XXXXXX") whose process
// no longer exists: what a save killed between creating and renaming its file left behind.
void sweep_stale(const std::string& dir, const std::string& name) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;  // the open of the temporary file reports the problem
    const std::string prefix = name + ".tmp.";
    while (const dirent* e = ::readdir(d)) {
        const std::string entry = e->d_name;
        if (entry.compare(0, prefix.size(), prefix) != 0) continue;
        char* end = nullptr;
        const long pid = std::strtol(entry.c_str() + prefix.size(), &end, 10);
        if (pid <= 0 || *end != '.' || pid == ::getpid()) continue;
        if (::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH)
            ::unlink((dir + "/" + entry).c_str());
    }
    ::closedir(d);
}

// The descriptor of this process that a path names (/dev/stdout, /dev/fd/N, /proc/self/fd/N,
// /proc/<our pid>/fd/N), -2 for another process's descriptor, -1 for no descriptor link.
int named_descriptor(const std::filesystem::path& path) {
    const std::string p = std::filesystem::absolute(path).lexically_normal().string();
    if (p == "/dev/stdin") return 0;
    if (p == "/dev/stdout") return 1;
    if (p == "/dev/stderr") return 2;
    const std::string own = "/proc/" + std::to_string(::getpid()) + "/fd/";
    for (const std::string& prefix : std::initializer_list<std::string>{
             "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", own})
        if (p.compare(0, prefix.size(), prefix) == 0) {
            char* end = nullptr;
            const long fd = std::strtol(p.c_str() + prefix.size(), &end, 10);
            return *end == '\0' && fd >= 0 && fd < (1 << 20) ? static_cast<int>(fd) : -2;
        }
    if (p.compare(0, 6, "/proc/") == 0 && p.find("/fd/") != std::string::npos) return -2;
    return -1;
}

// Follows `target`'s symlinks; sets *descriptor to the first descriptor link met on the way.
std::string follow_links(const std::string& target, int* descriptor) {
    namespace fs = std::filesystem;
    fs::path p = target;
    std::error_code ec;
    *descriptor = named_descriptor(p);
    for (int hops = 0; hops < 40 && *descriptor == -1 && fs::is_symlink(p, ec); ++hops) {
        const fs::path next = fs::read_symlink(p, ec);
        if (ec) break;
        p = next.is_absolute() ? next : p.parent_path() / next;
        *descriptor = named_descriptor(p);
    }
    return p.string();
}

// Writes all of data[0, n) to fd. SIGPIPE (a reader that went away) is held back for this
// thread and consumed, so a closed pipe is an error (EPIPE) rather than the end of the process.
bool write_all(int fd, const char* data, size_t n) {
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    sigset_t pending;
    sigpending(&pending);
    const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
    bool ok = true;
    for (size_t done = 0; done < n;) {
        const ssize_t w = ::write(fd, data + done, n - done);
        if (w > 0)
            done += static_cast<size_t>(w);
        else if (w < 0 && errno == EINTR)
            continue;
        else {
            ok = false;
            break;
        }
    }
    const int err = errno;
    if (!ok && err == EPIPE && !was_pending) {
        const timespec zero{};
        ::sigtimedwait(&pipe_set, nullptr, &zero);
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = err;
    return ok;
}
}  // namespace

std::string write_target(const std::string& path) {
    int descriptor = -1;
    return follow_links(path, &descriptor);
}

bool is_special_file(const std::string& path) {
    int descriptor = -1;
    const std::string target = follow_links(path, &descriptor);
    if (descriptor != -1) return true;
    struct stat st {};
    return ::stat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

int open_write_through(const std::string& path, const char* op) {
    int descriptor = -1;
    follow_links(path, &descriptor);
    int fd = -1;
    if (descriptor >= 0) {
        fd = ::fcntl(descriptor, F_DUPFD_CLOEXEC, 3);
        DESCENT_CHECK(fd >= 0, IOError, op, "(): cannot write ", path, ": descriptor ", descriptor,
                      " is not open");
        DESCENT_CHECK((::fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDONLY, IOError, op,
                      "(): cannot write ", path, ": descriptor ", descriptor,
                      " is open for reading only");
        return fd;
    }
    // O_NONBLOCK: a FIFO without a reader fails at once (ENXIO) instead of hanging in open().
    fd =
        ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK | (descriptor == -2 ? O_APPEND : 0));
    if (fd < 0 && errno == ENXIO)
        throw IOError(
            descent::detail::cat(op, "(): cannot write ", path,
                                 ": it is a FIFO (or socket) that no process is reading"));
    DESCENT_CHECK(fd >= 0, IOError, op, "(): cannot write ", path, ": ", std::strerror(errno));
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

void write_through(int fd, const std::string& data, const std::string& path, const char* op) {
    DESCENT_CHECK(write_all(fd, data.data(), data.size()), IOError, op, "(): writing ", path,
                  " failed: ", std::strerror(errno));
}

AtomicFile::AtomicFile(const std::string& target, const char* op)
    : target_(target.empty() ? target : write_target(target)), op_(op) {
    DESCENT_CHECK(!target.empty(), ValueError, op, "(): empty path");
    if (is_special_file(target)) {
        // Never replaced: the bytes gather in a temporary file (libzip writes by path), then
        // commit() copies them into the special file, opened now so a bad one fails first.
        target_ = target;
        through_fd_ = open_write_through(target, op);
        const std::string tmp = std::filesystem::temp_directory_path().string();
        for (int attempt = 0; fd_ < 0; ++attempt) {
            temp_ = descent::detail::cat(tmp, "/descent.", ::getpid(), ".", counter++, ".tmp");
            fd_ = ::open(temp_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd_ < 0 && !(errno == EEXIST && attempt < 100)) {
                const int err = errno;
                ::close(through_fd_);
                throw IOError(descent::detail::cat(op, "(): cannot write ", target,
                                                   ": cannot create ", temp_, ": ",
                                                   std::strerror(err)));
            }
        }
        return;
    }
    const auto [dir, name] = split(target_);
    dir_ = dir;
    sweep_stale(dir_, name);
    // The replacement keeps the permission bits of the file it replaces (a 0444 or 0600 file
    // stays so); a new file gets 0666 minus the umask, as a plain open would give.
    struct stat old {};
    const bool exists = ::stat(target_.c_str(), &old) == 0 && S_ISREG(old.st_mode);
    // O_EXCL on a name unique to this process and call: never clobbers another writer's file.
    for (int attempt = 0; fd_ < 0; ++attempt) {
        temp_ = descent::detail::cat(target_, ".tmp.", ::getpid(), ".", counter++);
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        DESCENT_CHECK(fd_ >= 0 || (errno == EEXIST && attempt < 100), IOError, op,
                      "(): cannot write ", target, ": cannot create ", temp_, ": ",
                      std::strerror(errno));
    }
    if (exists && ::fchmod(fd_, old.st_mode & 07777) != 0) {
        const int err = errno;
        ::close(fd_);
        std::remove(temp_.c_str());
        throw IOError(descent::detail::cat(op, "(): cannot write ", target, ": cannot set mode ",
                                           temp_, ": ", std::strerror(err)));
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (through_fd_ >= 0) ::close(through_fd_);
    if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::write(const std::string& data) {
    DESCENT_CHECK(write_all(fd_, data.data(), data.size()), IOError, op_, "(): writing ", temp_,
                  " failed: ", std::strerror(errno));
}

void AtomicFile::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void AtomicFile::copy_through() {
    close();
    std::FILE* in = std::fopen(temp_.c_str(), "rb");
    DESCENT_CHECK(in, IOError, op_, "(): cannot read back ", temp_, ": ", std::strerror(errno));
    char buf[1 << 16];
    bool ok = true;
    int err = 0;
    while (ok) {
        const size_t n = std::fread(buf, 1, sizeof buf, in);
        if (n == 0) break;
        ok = write_all(through_fd_, buf, n);
        err = errno;
    }
    std::fclose(in);
    ::close(through_fd_);
    through_fd_ = -1;
    DESCENT_CHECK(ok, IOError, op_, "(): writing ", target_, " failed: ", std::strerror(err));
}

void AtomicFile::commit() {
    if (through_fd_ >= 0) {
        copy_through();
        committed_ = false;  // the destructor removes the temporary file
        return;
    }
    // fsync before rename: otherwise a crash can leave the new name pointing at empty data. A
    // writer that replaced the file by path (libzip does) left our descriptor stale, so reopen.
    close();
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    const bool synced = fd >= 0 && ::fsync(fd) == 0;
    const int err = errno;
    if (fd >= 0) ::close(fd);
    DESCENT_CHECK(synced, IOError, op_, "(): cannot write ", temp_, ": ", std::strerror(err));
    DESCENT_CHECK(std::rename(temp_.c_str(), target_.c_str()) == 0, IOError, op_,
                  "(): cannot rename ", temp_, " to ", target_, ": ", std::strerror(errno));
    committed_ = true;
    // fsync the directory too: the rename itself is only durable once the directory entry is.
    const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const bool dir_synced = dfd >= 0 && ::fsync(dfd) == 0;
    const int derr = errno;
    if (dfd >= 0) ::close(dfd);
    DESCENT_CHECK(dir_synced, IOError, op_, "(): wrote ", target_, " but cannot sync directory ",
                  dir_, ": ", std::strerror(derr));
}

}  // namespace descent::detail
