// Report: the page's settings, tables, confusion matrix and images as HTML, the figures as inline
// SVG drawn by gnuplot, its refusals of bad parts, and atomic saving. The page in a real browser:
// tests/study/report_in_browser.py.
#include "descent/study/report.hpp"

#include <unistd.h>

#include <cstdio>

#include "image_files.hpp"
#include "support.hpp"

using namespace descent;
using study::Report;

namespace {
size_t count(const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}
}  // namespace

TEST_CASE("Report's settings and tables show every value with 6 significant digits, escaped") {
    Report r("run <1>");
    r.setting("optimizer", "adam & co").table("Per epoch", {"epoch", "loss"}, {{1, 0.123456789}, {2, 2e-7}});
    const std::string h = r.html();
    CHECK(h.find("<title>run &lt;1&gt;</title>") != std::string::npos);
    CHECK(h.find("<td class=\"name\">optimizer</td><td class=\"name\">adam &amp; co</td>") !=
          std::string::npos);
    CHECK(h.find("<tr><th>epoch</th><th>loss</th></tr>") != std::string::npos);
    CHECK(h.find("<tr><td>1</td><td>0.123457</td></tr>") != std::string::npos);
    CHECK(h.find("<tr><td>2</td><td>2e-07</td></tr>") != std::string::npos);
    CHECK(h.find("<script") == std::string::npos);  // nothing to run, nothing to fetch
    CHECK(h.find("http") == std::string::npos);
}

TEST_CASE("Report's confusion matrix: counts, recall, accuracy, colours by share of the row") {
    train::ConfusionMatrix m(2);
    m.update(std::vector<int64_t>{0, 0, 0, 1}, std::vector<int64_t>{0, 0, 1, 1});  // truth 1 once as 0
    const std::string h = Report("r").confusion(m, {"cat", "dog"}).html();
    CHECK(h.find("<th>cat</th><th>dog</th><th>recall</th>") != std::string::npos);
    // Row cat: 2 right (share 1: full blue, white text), 0 wrong (share 0: transparent).
    CHECK(h.find("<tr><th>cat</th><td style=\"background:rgba(40,90,200,1.000);color:#fff\">2</td>"
                 "<td style=\"background:rgba(210,40,40,0.000)\">0</td><td>100.0%</td></tr>") !=
          std::string::npos);
    // Row dog: one of two as cat (share 0.5: sqrt = 0.707 red), recall 50%. Recall and accuracy
    // in percent, as the console's confusion matrix and "test accuracy" line print them.
    CHECK(h.find("<td style=\"background:rgba(210,40,40,0.707);color:#fff\">1</td>") != std::string::npos);
    CHECK(h.find("<td>50.0%</td></tr>") != std::string::npos);
    CHECK(h.find("accuracy <span id=\"accuracy\">75.00%</span> over 4 samples") !=
          std::string::npos);
    CHECK_ERROR(ValueError, [&] { Report("r").confusion(m, {"cat"}); }, {"Report::confusion", "1 class names for 2"});
}

TEST_CASE("Report's images: one rect per run of equal grey, dark on white, with the caption") {
    // Row 0: black, black, white. Row 1: white, half grey, white.
    study::ReportImage im{2, 3, {1, 1, 0, 0, 0.5f, 0}, "7 as 1 (p=0.9)"};
    const std::string h = Report("r").images("Misclassified", {im}).html();
    CHECK(h.find("viewBox=\"0 0 3 2\"") != std::string::npos);
    CHECK(h.find("<rect x=\"0\" y=\"0\" width=\"2\" height=\"1\" fill=\"rgb(0,0,0)\"/>") != std::string::npos);
    // 0.5 * 31 rounds to level 16: grey 255 - 16 * 255 / 31 = 124.
    CHECK(h.find("<rect x=\"1\" y=\"1\" width=\"1\" height=\"1\" fill=\"rgb(124,124,124)\"/>") != std::string::npos);
    CHECK(count(h, "<rect") == 3);  // the white background and the two runs of ink
    CHECK(h.find("<figcaption>7 as 1 (p=0.9)</figcaption>") != std::string::npos);
    CHECK_ERROR(ValueError, [] { Report("r").images("grid", {{2, 2, {0, 0, 0}, ""}}); },
                {"Report::images('grid')", "image 0", "3 pixels for 2x2"});
    CHECK_ERROR(ValueError, [] { Report("r").images("grid", {{1, 1, {1.5f}, ""}}); },
                {"image 0", "1.5", "outside [0, 1]"});
}

TEST_CASE("Report refuses a table row whose length differs from the columns'") {
    CHECK_ERROR(ValueError, [] { Report("r").table("Per epoch", {"a", "b"}, {{1, 2}, {3}}); },
                {"Report::table('Per epoch')", "row 1 has 1 values for 2 columns"});
}

TEST_CASE("Report draws its figures as inline SVG and saves the page atomically") {
    REQUIRE(study::gnuplot_available());  // scripts/install-deps.sh installs it
    study::Figure f({"Loss", "epoch", "loss", ""});
    f.add({"train", {1, 2, 3}, {0.9, 0.5, 0.4}});
    Report r("run");
    r.figure("Loss", f).figure("Loss again", f);
    const std::string h = r.html();
    CHECK(count(h, "<svg") == 2);
    CHECK(h.find("<?xml") == std::string::npos);  // the prolog of gnuplot's file is dropped
    CHECK(count(h, "<h2>Loss") == 2);

    const std::string path = "/tmp/descent_test_report_" + std::to_string(getpid()) + ".html";
    r.save(path);
    CHECK(test::file_bytes(path) == h);
    CHECK_ERROR(IOError, [&] { r.save("/proc/no/such/dir/r.html"); }, {"Report::save", "/proc/no/such"});
    CHECK(test::file_bytes(path) == h);
    std::remove(path.c_str());
}
