// Atomic writes: temporary file, fsync, rename, directory fsync; stale temporaries of dead
// processes are swept before a new one is made (see atomic_file.hpp and docs/reliability.md).
#include "descent/core/atomic_file.hpp"

#include <dirent.h>
#include <fcntl.h>
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

// A symlink is written through: the file it points to (even one not there yet) is replaced and
// the link stays a link. Followed link by link, at most 40 as the kernel does.
std::string resolve(const std::string& target) {
    namespace fs = std::filesystem;
    fs::path p = target;
    std::error_code ec;
    for (int hops = 0; hops < 40 && fs::is_symlink(p, ec); ++hops) {
        const fs::path next = fs::read_symlink(p, ec);
        if (ec) break;
        p = next.is_absolute() ? next : p.parent_path() / next;
    }
    return p.string();
}
}  // namespace

AtomicFile::AtomicFile(const std::string& target, const char* op)
    : target_(target.empty() ? target : resolve(target)), op_(op) {
    DESCENT_CHECK(!target.empty(), ValueError, op, "(): empty path");
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
    if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::write(const std::string& data) {
    for (size_t done = 0; done < data.size();) {
        const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
        DESCENT_CHECK(n > 0 || errno == EINTR, IOError, op_, "(): writing ", temp_,
                      " failed: ", std::strerror(errno));
        if (n > 0) done += static_cast<size_t>(n);
    }
}

void AtomicFile::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

void AtomicFile::commit() {
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
