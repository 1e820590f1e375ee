// FileSet: a set of files (pictures, tables) is put in place all at once by commit(), and a set
// that is not committed (an error part-way) leaves the folder exactly as it was, temporaries too.
#include "descent/study/file_set.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "image_files.hpp"
#include "support.hpp"

using namespace descent;
using study::Figure;
using study::FileSet;

namespace {
std::vector<std::string> listing(const std::string& dir) {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (const dirent* e = ::readdir(d))
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                names.push_back(e->d_name);
        ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}
Figure line() {
    Figure f;
    f.add({"loss", {0, 1, 2}, {1.0, 0.5, 0.25}});
    return f;
}
}  // namespace

TEST_CASE("FileSet puts every file in place at commit(), replacing the old ones") {
    REQUIRE(study::gnuplot_available());
    const std::string dir = "/tmp/descent_picture_set_" + std::to_string(getpid());
    REQUIRE(::mkdir(dir.c_str(), 0777) == 0);
    { std::ofstream(dir + "/a.png") << "old"; }
    std::vector<std::string> paths;
    {
        FileSet set;
        set.add(dir + "/a.png", line());
        set.add(dir + "/b.svg", line());
        const std::string table = set.stage(dir + "/c.csv");
        CHECK(table.find(dir + "/c.csv.tmp.") == 0);
        CHECK(table.substr(table.size() - 4) == ".csv");
        { std::ofstream(table) << "x\n1\n"; }
        CHECK(test::file_bytes(dir + "/a.png") == "old");  // nothing in place before commit()
        CHECK(::access((dir + "/b.svg").c_str(), F_OK) != 0);
        paths = set.commit();
    }
    CHECK(paths == std::vector<std::string>{dir + "/a.png", dir + "/b.svg", dir + "/c.csv"});
    CHECK(test::file_bytes(dir + "/c.csv") == "x\n1\n");
    CHECK(test::png_size(dir + "/a.png").width == 800);
    CHECK(test::valid_svg(dir + "/b.svg"));
    CHECK(listing(dir) == std::vector<std::string>{"a.png", "b.svg", "c.csv"});  // no temporary
    for (const std::string& p : paths) std::remove(p.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("FileSet not committed, or failing part-way, leaves the folder as it was") {
    REQUIRE(study::gnuplot_available());
    const std::string dir = "/tmp/descent_picture_set_fail_" + std::to_string(getpid());
    REQUIRE(::mkdir(dir.c_str(), 0777) == 0);
    { std::ofstream(dir + "/a.png") << "old"; }
    {
        FileSet set;
        set.add(dir + "/a.png", line());
        set.add(dir + "/b.png", line());
        // The third picture fails (Figure::save refuses the name): the set is never committed.
        CHECK_ERROR(ValueError, [&] { set.add(dir + "/c.jpg", line()); }, {"c.jpg", ".png or .svg"});
    }
    CHECK(listing(dir) == std::vector<std::string>{"a.png"});
    CHECK(test::file_bytes(dir + "/a.png") == "old");
    std::remove((dir + "/a.png").c_str());
    ::rmdir(dir.c_str());
}
