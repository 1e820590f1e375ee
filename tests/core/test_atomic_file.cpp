// Atomic saves (core/atomic_file): stale temporary files of killed saves are swept, a symlink is
// written through, a 0444 file is replaced and keeps its mode, no temporary file outlives a
// failed save, and a special file (device, FIFO, /dev/stdout) is written through, never replaced.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "descent/core/atomic_file.hpp"
#include "descent/io/npz.hpp"
#include "io/scratch.hpp"
#include "support.hpp"

using namespace descent;

namespace {
// The pid of a process that has exited (and been reaped): kill(pid, 0) gives ESRCH.
pid_t dead_pid() {
    const pid_t pid = ::fork();
    if (pid == 0) ::_exit(0);
    ::waitpid(pid, nullptr, 0);
    return pid;
}

bool has_temp(const test::ScratchDir& dir) {
    for (const std::string& name : dir.entries())
        if (name.find(".tmp.") != std::string::npos) return true;
    return false;
}
}  // namespace

TEST_CASE("a save sweeps the temporary files of dead processes for the same path only") {
    test::ScratchDir dir;
    const std::string p = dir.file("ckpt.npz");
    const std::string dead = std::to_string(dead_pid());
    const std::string live = std::to_string(::getppid());
    // Ours (".tmp.PID.N") and libzip's (".tmp.PID.N.XXXXXX"), of a dead and of a live process.
    for (const std::string& name :
         {"ckpt.npz.tmp." + dead + ".0", "ckpt.npz.tmp." + dead + ".7.AbC123",
          "ckpt.npz.tmp." + live + ".0", "other.npz.tmp." + dead + ".0"})
        test::write_bytes(dir.file(name), "half a file");
    io::save_npz(p, {{"w", tensor({1, 2})}});
    std::vector<std::string> names = dir.entries();
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"ckpt.npz", "ckpt.npz.tmp." + live + ".0",
                                            "other.npz.tmp." + dead + ".0"});
}

TEST_CASE("a save killed with SIGKILL leaves nothing behind after the next save") {
    test::ScratchDir dir;
    const std::string p = dir.file("big.npz");
    const Tensor big = zeros({1 << 22});  // 16 MiB per save: the kill lands mid-write
    const pid_t child = ::fork();
    if (child == 0) {
        for (;;) io::save_npz(p, {{"w", big}});
    }
    ::usleep(300 * 1000);
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    io::save_npz(p, {{"w", tensor({3})}});
    CHECK_FALSE(has_temp(dir));
    CHECK_VALUES(io::load_npz(p)[0].second, {1}, {3});
}

TEST_CASE("a symlinked path is written through: the link stays, its target is replaced") {
    test::ScratchDir dir;
    std::filesystem::create_directory(dir.file("real"));
    const std::string target = dir.file("real/model.npz"), link = dir.file("latest.npz");
    io::save_npz(target, {{"w", tensor({1})}});
    std::filesystem::create_symlink("real/model.npz", link);
    io::save_npz(link, {{"w", tensor({2, 3})}});
    CHECK(std::filesystem::is_symlink(link));
    CHECK_VALUES(io::load_npz(target)[0].second, {2}, {2, 3});
    CHECK_FALSE(has_temp(dir));
    for (const auto& e : std::filesystem::directory_iterator(dir.file("real")))
        CHECK(e.path().filename() == "model.npz");
    // A dangling link: the file it names is created.
    std::filesystem::create_symlink("real/new.npz", dir.file("next.npz"));
    io::save_npz(dir.file("next.npz"), {{"w", tensor({4})}});
    CHECK(std::filesystem::is_symlink(dir.file("next.npz")));
    CHECK_VALUES(io::load_npz(dir.file("real/new.npz"))[0].second, {1}, {4});
}

TEST_CASE("a 0444 file is replaced, as PyTorch overwrites, and the new file keeps mode 0444") {
    test::ScratchDir dir;
    const std::string p = dir.file("frozen.npz");
    io::save_npz(p, {{"w", tensor({1})}});
    REQUIRE(::chmod(p.c_str(), 0444) == 0);
    io::save_npz(p, {{"w", tensor({5, 6})}});
    CHECK_VALUES(io::load_npz(p)[0].second, {2}, {5, 6});
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0444);
    REQUIRE(::chmod(p.c_str(), 0600) == 0);
    io::save_npz(p, {{"w", tensor({7})}});
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
}

TEST_CASE("an AtomicFile never committed removes its temporary file") {
    test::ScratchDir dir;
    {
        descent::detail::AtomicFile f(dir.file("x"), "test");
        CHECK(std::filesystem::exists(f.temp_path()));
    }
    CHECK(dir.entries().empty());
}

// ---- special files: written through, never replaced (issue: "Nothing a user points it at is
// lost")

namespace {
// A descriptor opened on `path` for appending, as a shell's `>> path` gives a program.
struct OpenFile {
    int fd;
    explicit OpenFile(const std::string& path)
        : fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {}
    ~OpenFile() { ::close(fd); }
    std::string via_dev_fd() const { return "/dev/fd/" + std::to_string(fd); }
};

ino_t inode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_ino;
}
}  // namespace

TEST_CASE("a descriptor link (/dev/fd/N, as /dev/stdout is) is written through at its offset") {
    test::ScratchDir dir;
    const std::string p = dir.file("run.txt");
    test::write_bytes(p, "before\n");
    const ino_t inode = inode_of(p);
    OpenFile out(p);
    CHECK(descent::detail::is_special_file(out.via_dev_fd()));
    CHECK(descent::detail::is_special_file("/proc/self/fd/" + std::to_string(out.fd)));
    for (const char* text : {"one\n", "two\n"}) {
        descent::detail::AtomicFile f(out.via_dev_fd(), "test");
        f.write(text);
        f.commit();
    }
    CHECK(test::read_bytes(p) == "before\none\ntwo\n");
    CHECK(inode_of(p) == inode);  // the same file: the descriptor's holder still sees it
    CHECK(dir.entries() == std::vector<std::string>{"run.txt"});
}

TEST_CASE("a FIFO is written through to its reader and stays a FIFO") {
    test::ScratchDir dir;
    const std::string fifo = dir.file("f"), got = dir.file("got");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const pid_t reader = ::fork();
    if (reader == 0) {  // a `cat f > got`
        const int in = ::open(fifo.c_str(), O_RDONLY);
        std::string all;
        char buf[4096];
        for (ssize_t n; (n = ::read(in, buf, sizeof buf)) > 0;) all.append(buf, size_t(n));
        test::write_bytes(got, all);
        ::_exit(0);
    }
    // The reader may not have opened it yet: a FIFO without one is refused, so retry briefly.
    bool written = false;
    for (int i = 0; i < 500 && !written; ++i) {
        try {
            descent::detail::AtomicFile f(fifo, "test");
            f.write("through the pipe\n");
            f.commit();
            written = true;
        } catch (const IOError&) {
            ::usleep(10 * 1000);
        }
    }
    ::waitpid(reader, nullptr, 0);
    CHECK(written);
    CHECK(test::read_bytes(got) == "through the pipe\n");
    struct stat st {};
    REQUIRE(::lstat(fifo.c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
}

TEST_CASE("a FIFO no process reads is refused at once, naming it, instead of hanging") {
    test::ScratchDir dir;
    const std::string fifo = dir.file("f");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THROWS_WITH_AS(descent::detail::AtomicFile(fifo, "save_npz"),
                         doctest::Contains("no process is reading"), IOError);
    CHECK_THROWS_WITH_AS(io::save_npz(fifo, {{"w", tensor({1})}}), doctest::Contains(fifo.c_str()),
                         IOError);
}

TEST_CASE("a character device is written through and stays a device") {
    // As root, a device node of our own (a copy of /dev/null) shows the node is never replaced;
    // otherwise /dev/null itself, which a non-root rename could not replace anyway.
    test::ScratchDir dir;
    std::string dev = dir.file("null");
    if (::geteuid() != 0 || ::mknod(dev.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) != 0)
        dev = "/dev/null";
    io::save_npz(dev, {{"w", tensor({1, 2, 3})}});
    struct stat st {};
    REQUIRE(::lstat(dev.c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    CHECK(st.st_rdev == ::makedev(1, 3));
    CHECK_FALSE(has_temp(dir));
}

TEST_CASE("a pipe whose reader went away is an IOError, not a SIGPIPE that ends the program") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    ::close(fds[0]);
    const std::string path = "/dev/fd/" + std::to_string(fds[1]);
    CHECK_THROWS_WITH_AS(
        [&] {
            descent::detail::AtomicFile f(path, "test");
            f.write("nobody reads this\n");
            f.commit();
        }(),
        doctest::Contains("Broken pipe"), IOError);
    ::close(fds[1]);
}

TEST_CASE("write_target follows links to the file a save would create") {
    test::ScratchDir dir;
    std::filesystem::create_symlink("/nonexistent_dir/x.npz", dir.file("link"));
    CHECK(descent::detail::write_target(dir.file("link")) == "/nonexistent_dir/x.npz");
    CHECK_FALSE(descent::detail::is_special_file(dir.file("link")));
    CHECK(descent::detail::write_target(dir.file("plain")) == dir.file("plain"));
}
