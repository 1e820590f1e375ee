// Atomic saves (core/atomic_file): stale temporary files of killed saves are swept, a symlink is
// written through, a 0444 file is replaced and keeps its mode, and no temporary file outlives a
// failed save.
#include <signal.h>
#include <sys/stat.h>
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
