// AtomicFile: temp file beside the target, write, fsync, rename; removed again on failure.
#include "descent/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "descent/core/error.hpp"

namespace descent::io::detail {

namespace {
std::atomic<unsigned> counter{0};
}

AtomicFile::AtomicFile(const std::string& target, const char* op) : target_(target), op_(op) {
    DESCENT_CHECK(!target.empty(), ValueError, op, "(): empty path");
    // O_EXCL on a name unique to this process and call: never clobbers another writer's file.
    for (int attempt = 0; fd_ < 0; ++attempt) {
        temp_ = descent::detail::cat(target, ".tmp.", ::getpid(), ".", counter++);
        fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        DESCENT_CHECK(fd_ >= 0 || (errno == EEXIST && attempt < 100), IOError, op,
                      "(): cannot write ", target, ": cannot create ", temp_, ": ",
                      std::strerror(errno));
    }
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) std::remove(temp_.c_str());
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
}

}  // namespace descent::io::detail
