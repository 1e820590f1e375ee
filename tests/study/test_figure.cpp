// Figure: the gnuplot script it writes, real PNG and SVG files drawn by gnuplot, contour lines,
// atomic saving, and its refusals of bad series.
#include "descent/study/figure.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "image_files.hpp"
#include "support.hpp"

using namespace descent;
using study::Figure;
using study::Series;

namespace {
std::string temp_path(const std::string& name) {
    return "/tmp/descent_test_" + std::to_string(getpid()) + "_" + name;
}
Figure two_curves() {
    Figure f({"Loss", "epoch", "loss", "lr", false, true});
    f.add({"train 'loss'", {1, 2, 3}, {1.0, 0.5, 0.25}});
    f.add({"lr", {1, 2, 3}, {0.1, 0.05, 0.01}, "steps", true});
    return f;
}
}  // namespace

TEST_CASE("Figure's script holds every point, the axes and the titles, quoted") {
    const std::string gp = two_curves().script("svg", "/tmp/x.svg");
    CHECK(gp.find("set terminal svg size 800,500") != std::string::npos);
    CHECK(gp.find("set output '/tmp/x.svg'") != std::string::npos);
    CHECK(gp.find("set logscale y") != std::string::npos);
    CHECK(gp.find("set y2label 'lr'") != std::string::npos);
    CHECK(gp.find("$d0 << EOD\n1 1\n2 0.5\n3 0.25\nEOD") != std::string::npos);
    CHECK(gp.find("$d1 << EOD\n1 0.1\n2 0.05\n3 0.01\nEOD") != std::string::npos);
    CHECK(gp.find("title 'train ''loss'''") != std::string::npos);
    CHECK(gp.find("axes x1y2 with steps") != std::string::npos);
    CHECK(gp.find(" lc rgb") == std::string::npos);  // gnuplot's own colours unless asked
    Figure coloured;
    coloured.add({"class 9", {1}, {2}, "points", false, 1, "#17becf"});
    CHECK(coloured.script("svg", "x.svg").find("with points pt 7 ps 0.4 lc rgb '#17becf' title 'class 9'") !=
          std::string::npos);
}

TEST_CASE("Figure::save draws a real PNG and SVG with gnuplot") {
    REQUIRE(study::gnuplot_available());  // scripts/install-deps.sh installs gnuplot-nox
    const std::string png = temp_path("f.png"), svg = temp_path("f.svg");
    Figure f = two_curves();
    f.save(png);
    f.save(svg);
    const test::PngSize size = test::png_size(png);
    CHECK(size.width == 800);
    CHECK(size.height == 500);
    const std::string text = test::file_bytes(svg);
    CHECK(test::valid_svg_text(text));
    CHECK(text.find("train 'loss'") != std::string::npos);  // the key is drawn
    CHECK(f.svg() == text);
    std::remove(png.c_str());
    std::remove(svg.c_str());
}

TEST_CASE("Figure draws contour lines of a sampled function under the series") {
    REQUIRE(study::gnuplot_available());
    study::Contour c{-1, 1, -1, 1, 21, 21, {}, {0.1, 0.5, 1.0}};
    for (int j = 0; j < c.ny; ++j)
        for (int i = 0; i < c.nx; ++i) {
            const double x = -1 + 0.1 * i, y = -1 + 0.1 * j;
            c.z.push_back(x * x + 4 * y * y);
        }
    Figure plain, with_contour;
    plain.add({"path", {0.9, 0.5, 0.0}, {0.4, 0.1, 0.0}, "linespoints"});
    with_contour.add({"path", {0.9, 0.5, 0.0}, {0.4, 0.1, 0.0}, "linespoints"}).contour(c);
    const std::string gp = with_contour.script("svg", "x.svg");
    CHECK(gp.find("set cntrparam levels discrete 0.1,0.5,1") != std::string::npos);
    // The grey contour path holds three closed ellipses: three "M" moves, which the plain
    // figure has no grey path for.
    const auto grey_moves = [](const std::string& svg) {
        const size_t at = svg.find("<path stroke='rgb(192, 192, 192)'");
        if (at == std::string::npos) return size_t{0};
        const std::string d = svg.substr(at, svg.find("'/>", at) - at);
        return static_cast<size_t>(std::count(d.begin(), d.end(), 'M'));
    };
    CHECK(grey_moves(with_contour.svg()) == 3);
    CHECK(grey_moves(plain.svg()) == 0);
}

TEST_CASE("Figure draws grey-scale images: alone a picture without axes, else under the series") {
    REQUIRE(study::gnuplot_available());
    // 3x2 pixels over [0, 3] x [0, 2]: row 0 (the top, y = 1.5) is 0, 1, 0.5.
    const study::Image im{0, 3, 0, 2, 3, 2, {0, 1, 0.5, 1, 0, 0.25}};
    Figure picture({"a picture", "", "", "", false, false, 300, 200});
    picture.image(im);
    const std::string gp = picture.script("svg", "x.svg");
    CHECK(gp.find("$i0 << EOD\n0.5 1.5 0\n1.5 1.5 1\n2.5 1.5 0.5\n\n0.5 0.5 1\n") !=
          std::string::npos);
    CHECK(gp.find("set palette gray negative") != std::string::npos);
    CHECK(gp.find("unset border\nunset tics\nunset key\nset size ratio -1") != std::string::npos);
    CHECK(gp.find("plot $i0 using 1:2:3 with image notitle\n") != std::string::npos);
    const std::string png = temp_path("image.png");
    picture.save(png);
    CHECK(test::png_size(png).width == 300);
    std::remove(png.c_str());
    const std::string svg = picture.svg();
    CHECK(test::valid_svg_text(svg));
    CHECK(svg.find("data:image/png;base64,") != std::string::npos);  // the pixels, embedded
    // With a series: a chart with its axes, the image underneath.
    Figure chart;
    chart.image(im).add({"path", {0, 3}, {0, 2}});
    const std::string chart_gp = chart.script("svg", "x.svg");
    CHECK(chart_gp.find("unset border") == std::string::npos);
    CHECK(chart_gp.find("plot $i0 using 1:2:3 with image notitle, $d0 using 1:2") !=
          std::string::npos);
    CHECK(test::valid_svg_text(chart.svg()));
}

TEST_CASE("Figure refuses a bad image and leaves the figure unchanged") {
    Figure f;
    CHECK_ERROR(ValueError, [&] { f.image({0, 1, 0, 1, 0, 2, {}}); }, {"Figure::image()", "0x2", "1x1"});
    CHECK_ERROR(ValueError, [&] { f.image({0, 1, 0, 1, 2, 2, {0, 0, 0}}); }, {"3 values", "2x2 image"});
    CHECK_ERROR(ValueError, [&] { f.image({1, 1, 0, 1, 1, 1, {0}}); }, {"empty range [1, 1]"});
    CHECK_ERROR(ValueError, [&] { f.image({0, 1, 0, 1, 2, 1, {0, 1.5}}); }, {"value 1 is 1.5", "[0, 1]"});
    CHECK_ERROR(ValueError, [&] { f.image({0, 1, 0, 1, 2, 1, {NAN, 0}}); }, {"value 0 is nan"});
    CHECK_ERROR(ValueError, [&] { f.save("x.png"); }, {"nothing to draw"});
}

TEST_CASE("Figure refuses bad series and a bad path, and a failed save keeps the old file") {
    Figure f({"", "", "", "", false, true});
    CHECK_ERROR(ValueError, [&] { f.add({"a", {1, 2}, {1}}); }, {"'a'", "2 x values", "1 y values"});
    CHECK_ERROR(ValueError, [&] { f.add({"b", {}, {}}); }, {"'b'", "empty"});
    CHECK_ERROR(ValueError, [&] { f.add({"c", {1, 2}, {1, NAN}}); }, {"'c'", "non-finite", "index 1"});
    CHECK_ERROR(ValueError, [&] { f.add({"d", {1, 2}, {1, 0}}); }, {"'d'", "y = 0", "log y axis"});
    CHECK_ERROR(ValueError, [&] { f.add({"e", {1}, {1}, "bars"}); }, {"'e'", "unknown style 'bars'"});
    CHECK_ERROR(ValueError, [&] { f.add({"g", {1}, {1}, "points", false, 1, "red"}); }, {"'g'", "colour 'red' is not #rrggbb"});
    CHECK_ERROR(ValueError, [&] { f.add({"h", {1}, {1}, "points", false, 1, "#12345g"}); }, {"'h'", "colour '#12345g'"});
    CHECK(f.series().empty());
    CHECK_ERROR(ValueError, [&] { f.save("x.png"); }, {"nothing to draw"});
    f.add({"ok", {1, 2}, {1, 2}});
    CHECK_ERROR(ValueError, [&] { f.save("x.jpg"); }, {"x.jpg", ".png or .svg"});
    CHECK_ERROR(IOError, [&] { f.save("/nonexistent/x.png"); }, {"/nonexistent/x.png"});
    CHECK_ERROR(ValueError, [&] { f.contour({0, 1, 0, 1, 2, 2, {1, 2, 3}, {}}); }, {"3 values", "2x2"});
    CHECK_ERROR(ValueError, [&] { Figure({"", "", "", "", false, false, 5, 5}); }, {"5x5"});
    // A gnuplot that fails (a stand-in first on PATH): its complaint is quoted, the old file stays.
    const std::string keep = temp_path("keep.png"), bin = temp_path("bin");
    { std::ofstream(keep) << "old"; }
    REQUIRE(mkdir(bin.c_str(), 0700) == 0);
    {
        std::ofstream(bin + "/gnuplot") << "#!/bin/sh\necho 'line 3: boom' >&2\nexit 1\n";
    }
    REQUIRE(chmod((bin + "/gnuplot").c_str(), 0700) == 0);
    const std::string old_path = std::getenv("PATH");
    setenv("PATH", (bin + ":" + old_path).c_str(), 1);
    CHECK_ERROR(IOError, [&] { f.save(keep); }, {"gnuplot failed (exit status 1)", "line 3: boom"});
    setenv("PATH", old_path.c_str(), 1);
    CHECK(test::file_bytes(keep) == "old");
    std::remove((bin + "/gnuplot").c_str());
    rmdir(bin.c_str());
    std::remove(keep.c_str());
}

TEST_CASE("a save into a missing folder names Figure::save() once, before drawing") {
    Figure f;
    f.add({"a", {1, 2}, {1, 2}});
    try {
        f.save("/nonexistent_dir/f.png");
        FAIL("no IOError");
    } catch (const IOError& e) {
        const std::string what = e.what();
        CHECK(what.rfind("Figure::save(): cannot write /nonexistent_dir/f.png", 0) == 0);
        CHECK(what.find("()()") == std::string::npos);
    }
}

TEST_CASE("Panels draws several figures as one picture, a grid of panels") {
    REQUIRE(study::gnuplot_available());
    study::Panels panels("Two views", 2, 1000, 400);
    Figure a({"left", "x", "y", {}}), b({"right", "x", "y", {}});
    a.add({"", {0, 1}, {0, 1}});
    b.add({"", {0, 1}, {1, 0}});
    study::Contour c;
    c.x0 = 0, c.x1 = 1, c.y0 = 0, c.y1 = 1, c.nx = 2, c.ny = 2, c.z = {0, 1, 1, 2};
    b.contour(c);
    panels.add(a).add(b);
    const std::string gp = panels.script("pngcairo", "out.png");
    CHECK(gp.find("set multiplot layout 1,2 title 'Two views'") != std::string::npos);
    CHECK(gp.find("set title 'left'") < gp.find("reset"));  // each panel from the defaults
    CHECK(gp.find("set title 'right'") > gp.find("reset"));
    CHECK(gp.find("unset multiplot") != std::string::npos);
    CHECK(gp.find("unset key") != std::string::npos);  // untitled series: no empty key box
    const std::string png = temp_path("panels.png"), svg = temp_path("panels.svg");
    panels.save(png);
    panels.save(svg);
    CHECK(test::png_size(png).width == 1000);
    CHECK(test::png_size(png).height == 400);
    CHECK(test::valid_svg(svg));
    std::remove(png.c_str());
    std::remove(svg.c_str());
}

TEST_CASE("Panels refuses a bad grid, an empty panel, no panels and a bad extension") {
    CHECK_ERROR(ValueError, [] { study::Panels("t", 0); }, {"Panels()", "columns 0"});
    CHECK_ERROR(ValueError, [] { study::Panels("t", 2, 50, 400); }, {"Panels()", "50x400"});
    study::Panels panels("t", 2);
    CHECK_ERROR(ValueError, [&] { panels.add(Figure()); }, {"Panels::add()", "nothing to draw"});
    CHECK_ERROR(ValueError, [&] { panels.save(temp_path("none.png")); }, {"no panels"});
    Figure a;
    a.add({"", {0, 1}, {0, 1}});
    panels.add(a);
    CHECK_ERROR(ValueError, [&] { panels.save(temp_path("p.jpg")); },
                {"Panels::save()", "should end in .png or .svg"});
}
