// lab::Output, what every lab writes through: the folder made on demand, CSV tables, PNG and SVG
// pictures, lesson lines, and the refusal of a folder that cannot be made.
#include "lab.hpp"

#include <unistd.h>

#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

TEST_CASE("lab::Output makes its folder and writes CSV, PNG, SVG and the lesson") {
    const std::string dir = "/tmp/descent_lab_test_" + std::to_string(getpid()) + "/a/b";
    std::ostringstream log;
    lab::Output out(dir, "demo", log);
    out.csv("curve", {"step", "loss"}, {{0, 1.0}, {1, 0.5}});
    descent::study::Figure f;
    f.add({"loss", {0, 1}, {1.0, 0.5}});
    out.figure("curve", f);
    out.lesson("the loss halves in " + lab::num(1) + " step");
    REQUIRE(descent::study::gnuplot_available());  // scripts/install-deps.sh installs it
    CHECK(::access((dir + "/demo_curve.csv").c_str(), F_OK) != 0);  // in place only at commit()
    CHECK(::access((dir + "/demo_curve.png").c_str(), F_OK) != 0);
    out.commit();
    CHECK(test::file_bytes(dir + "/demo_curve.csv") == "step,loss\n0,1\n1,0.5\n");
    CHECK(test::png_size(dir + "/demo_curve.png").width == 800);
    CHECK(test::valid_svg(dir + "/demo_curve.svg"));
    CHECK(out.files().size() == 3);
    CHECK(log.str() == "lesson: the loss halves in 1 step\n");
    CHECK(out.lessons() == std::vector<std::string>{"the loss halves in 1 step"});
    for (const std::string& f : out.files()) std::remove(f.c_str());
}

TEST_CASE("lab::Output refuses a folder it cannot make, and writes nothing without one") {
    CHECK_ERROR(descent::IOError, [] { lab::Output("/proc/no/such", "demo"); },
                {"--out", "/proc/no"});
    lab::Output none("", "demo");
    none.csv("x", {"a"}, {{1}});
    CHECK(none.files().empty());
}

TEST_CASE("lab::Output puts no table or picture in place when the lab fails before commit()") {
    REQUIRE(descent::study::gnuplot_available());
    const std::string dir = "/tmp/descent_lab_test_fail_" + std::to_string(getpid());
    descent::study::Figure f;
    f.add({"loss", {0, 1}, {1.0, 0.5}});
    {
        std::ostringstream log;
        lab::Output out(dir, "demo", log);
        out.csv("table", {"step", "loss"}, {{0, 1.0}});
        out.figure("first", f);
        out.figure("second", f);
    }  // a lab that threw here would leave the folder as it was
    for (const char* name : {"table.csv", "first.png", "first.svg", "second.png", "second.svg"})
        CHECK(::access((dir + "/demo_" + name).c_str(), F_OK) != 0);
    CHECK(::rmdir(dir.c_str()) == 0);  // empty: no temporary file left behind either
}
