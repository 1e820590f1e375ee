// Figure: the series and images become gnuplot data blocks in one script, run in a private
// temporary folder; the drawn file is then read back and written to its target through AtomicFile.
#include "descent/study/figure.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/process.hpp"

namespace descent::study {

namespace {

// A gnuplot single-quoted string: a quote inside is written twice.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        if (c != '\n') out += c;
    }
    return out + "'";
}

bool known_style(const std::string& with) {
    for (const char* s : {"lines", "points", "linespoints", "steps", "boxes", "impulses"})
        if (with == s) return true;
    return false;
}

// The temporary folder a drawing happens in, removed with everything in it.
class TempDir {
public:
    explicit TempDir(const char* op) {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/descent-figure-XXXXXX";
        DESCENT_CHECK(mkdtemp(pattern.data()) != nullptr, IOError, op,
                      ": cannot create a temporary folder like ", pattern);
        path_ = pattern;
    }
    ~TempDir() {
        for (const char* f : {"/figure.gp", "/figure.out", "/gnuplot.log"})
            std::remove((path_ + f).c_str());
        rmdir(path_.c_str());
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::string read_all(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace

Figure::Figure(FigureOptions options) : options_(std::move(options)) {
    DESCENT_CHECK(options_.width >= 100 && options_.width <= 10000 && options_.height >= 100 &&
                      options_.height <= 10000,
                  ValueError, "Figure: size ", options_.width, "x", options_.height,
                  " is outside 100..10000 pixels");
}

Figure& Figure::add(Series s) {
    const std::string name = "Figure::add(): series '" + s.title + "'";
    DESCENT_CHECK(s.x.size() == s.y.size(), ValueError, name, " has ", s.x.size(), " x values but ",
                  s.y.size(), " y values");
    DESCENT_CHECK(!s.x.empty(), ValueError, name, " is empty");
    DESCENT_CHECK(known_style(s.with), ValueError, name, ": unknown style '", s.with,
                  "' (lines, points, linespoints, steps, boxes, impulses)");
    DESCENT_CHECK(std::isfinite(s.width) && s.width > 0, ValueError, name, ": width ", s.width,
                  " is not a positive number");
    const bool hex = s.color.size() == 7 && s.color[0] == '#' &&
                     std::all_of(s.color.begin() + 1, s.color.end(), [](char c) {
                         return std::isxdigit(static_cast<unsigned char>(c));
                     });
    DESCENT_CHECK(s.color.empty() || hex, ValueError, name, ": colour '", s.color,
                  "' is not #rrggbb");
    for (size_t i = 0; i < s.x.size(); ++i) {
        DESCENT_CHECK(std::isfinite(s.x[i]) && std::isfinite(s.y[i]), ValueError, name,
                      " has a non-finite value at index ", i, ": (", s.x[i], ", ", s.y[i], ")");
        DESCENT_CHECK(!options_.logx || s.x[i] > 0, ValueError, name, " has x = ", s.x[i],
                      " at index ", i, " on a log x axis");
        DESCENT_CHECK(!options_.logy || s.right_axis || s.y[i] > 0, ValueError, name, " has y = ",
                      s.y[i], " at index ", i, " on a log y axis");
    }
    series_.push_back(std::move(s));
    return *this;
}

Figure& Figure::contour(Contour c) {
    DESCENT_CHECK(c.nx >= 2 && c.ny >= 2, ValueError, "Figure::contour(): a ", c.nx, "x", c.ny,
                  " grid; at least 2x2 points are needed");
    DESCENT_CHECK(c.z.size() == static_cast<size_t>(c.nx) * static_cast<size_t>(c.ny), ValueError,
                  "Figure::contour(): ", c.z.size(), " values for a ", c.nx, "x", c.ny, " grid");
    DESCENT_CHECK(c.x0 < c.x1 && c.y0 < c.y1, ValueError, "Figure::contour(): empty range [", c.x0,
                  ", ", c.x1, "] x [", c.y0, ", ", c.y1, "]");
    for (size_t i = 0; i < c.z.size(); ++i)
        DESCENT_CHECK(std::isfinite(c.z[i]), ValueError, "Figure::contour(): value ", i, " is ",
                      c.z[i]);
    for (double level : c.levels)
        DESCENT_CHECK(std::isfinite(level), ValueError, "Figure::contour(): level ", level);
    contours_.push_back(std::move(c));
    return *this;
}

Figure& Figure::image(Image im) {
    DESCENT_CHECK(im.nx >= 1 && im.ny >= 1, ValueError, "Figure::image(): a ", im.nx, "x", im.ny,
                  " image; at least 1x1 pixels are needed");
    DESCENT_CHECK(im.pixels.size() == static_cast<size_t>(im.nx) * static_cast<size_t>(im.ny),
                  ValueError, "Figure::image(): ", im.pixels.size(), " values for a ", im.nx, "x",
                  im.ny, " image");
    DESCENT_CHECK(im.x0 < im.x1 && im.y0 < im.y1, ValueError, "Figure::image(): empty range [",
                  im.x0, ", ", im.x1, "] x [", im.y0, ", ", im.y1, "]");
    for (size_t i = 0; i < im.pixels.size(); ++i)
        DESCENT_CHECK(im.pixels[i] >= 0 && im.pixels[i] <= 1, ValueError, "Figure::image(): value ",
                      i, " is ", im.pixels[i], ", outside [0, 1]");
    images_.push_back(std::move(im));
    return *this;
}

namespace {

// The terminal and output lines every picture starts with.
std::string terminal_lines(const std::string& terminal, int width, int height,
                           const std::string& output) {
    std::ostringstream gp;
    if (terminal == "svg")
        gp << "set terminal svg size " << width << "," << height
           << " noenhanced font 'Sans,11' background rgb 'white'\n";
    else
        gp << "set terminal pngcairo size " << width << "," << height
           << " noenhanced font 'Sans,10' background rgb 'white'\n";
    gp << "set output " << quoted(output) << "\n";
    return gp.str();
}

// Runs gnuplot on the script `script_for(out)` and returns what it drew into the file `out`.
std::string run_gnuplot(const std::function<std::string(const std::string&)>& script_for,
                        const char* op) {
    DESCENT_CHECK(gnuplot_available(), IOError, op,
                  ": gnuplot is not on PATH (install the gnuplot-nox package, e.g. with "
                  "scripts/install-deps.sh)");
    TempDir dir(op);
    const std::string gp = dir.path() + "/figure.gp", out = dir.path() + "/figure.out",
                      log = dir.path() + "/gnuplot.log";
    {
        std::ofstream f(gp);
        f << script_for(out);
        DESCENT_CHECK(f.good(), IOError, op, ": cannot write ", gp);
    }
    const int status = detail::run_program({"gnuplot", gp}, log);
    DESCENT_CHECK(status == 0, IOError, op, ": gnuplot failed (exit status ", status, "): ",
                  detail::first_line_of(log));
    std::string drawn = read_all(out);
    DESCENT_CHECK(!drawn.empty(), IOError, op, ": gnuplot wrote nothing to ", out);
    return drawn;
}

bool ends_with(const std::string& path, const char* ext) {
    const std::string e(ext);
    return path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
}

// Writes what `draw(terminal)` returns to `path` (.png or .svg), atomically. `op`: "Figure::save".
void save_drawing(const std::string& path, const char* op,
                  const std::function<std::string(const std::string&)>& draw) {
    DESCENT_CHECK(ends_with(path, ".png") || ends_with(path, ".svg"), ValueError, op, "(): \"",
                  path, "\" should end in .png or .svg");
    detail::AtomicFile file(path, op);  // an unwritable target fails before drawing
    file.write(draw(ends_with(path, ".svg") ? "svg" : "pngcairo"));
    file.commit();
}

}  // namespace

std::string Figure::script(const std::string& terminal, const std::string& output) const {
    return terminal_lines(terminal, options_.width, options_.height, output) + commands() +
           "unset output\n";
}

std::string Figure::commands() const {
    std::ostringstream gp;
    gp.precision(9);
    if (!options_.title.empty()) gp << "set title " << quoted(options_.title) << "\n";
    if (!options_.xlabel.empty()) gp << "set xlabel " << quoted(options_.xlabel) << "\n";
    if (!options_.ylabel.empty()) gp << "set ylabel " << quoted(options_.ylabel) << "\n";
    bool right = false;
    for (const Series& s : series_) right = right || s.right_axis;
    if (right) {
        gp << "set ytics nomirror\nset y2tics\nset format y2 '%g'\n";
        if (!options_.y2label.empty()) gp << "set y2label " << quoted(options_.y2label) << "\n";
        // A constant right-axis series (a fixed lr) would get a range so narrow that its ticks
        // repeat one rounded value: widen it around the value.
        double lo = INFINITY, hi = -INFINITY;
        for (const Series& s : series_)
            if (s.right_axis)
                for (double v : s.y) lo = std::min(lo, v), hi = std::max(hi, v);
        if (hi - lo <= 1e-3 * std::max(std::fabs(lo), std::fabs(hi)))
            gp << "set y2range [" << (hi > 0 ? lo * 0.5 : lo - 1) << ":"
               << (hi > 0 ? hi * 1.5 : hi + 1) << "]\n";
    }
    if (options_.integer_x) {
        // Whole-number ticks, about ten of them; one point gets a unit either side.
        double lo = INFINITY, hi = -INFINITY;
        for (const Series& s : series_)
            for (double v : s.x) lo = std::min(lo, v), hi = std::max(hi, v);
        if (lo <= hi) {
            gp << "set xtics " << std::max(1.0, std::ceil((hi - lo) / 10))
               << "\nset format x '%g'\n";
            if (hi - lo < 1) gp << "set xrange [" << lo - 1 << ":" << hi + 1 << "]\n";
        }
    }
    // %g: a log axis's ticks read 1e-05, not 0.000010
    if (options_.logx) gp << "set logscale x\nset format x '%g'\n";
    if (options_.logy) gp << "set logscale y\nset format y '%g'\n";
    // Images: grey from white (0) to black (1); a figure of nothing else is a picture, not a chart.
    if (!images_.empty()) {
        gp << "set palette gray negative\nset cbrange [0:1]\nunset colorbox\n";
        for (size_t k = 0; k < images_.size(); ++k) {
            const Image& im = images_[k];
            const double dx = (im.x1 - im.x0) / im.nx, dy = (im.y1 - im.y0) / im.ny;
            gp << "$i" << k << " << EOD\n";  // pixel centres, the top row at y1
            for (int r = 0; r < im.ny; ++r) {
                const double y = im.y1 - (r + 0.5) * dy;
                for (int i = 0; i < im.nx; ++i)
                    gp << im.x0 + (i + 0.5) * dx << " " << y << " "
                       << im.pixels[static_cast<size_t>(r) * im.nx + i] << "\n";
                gp << "\n";
            }
            gp << "EOD\n";
        }
        if (series_.empty() && contours_.empty()) {
            double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
            for (const Image& im : images_)
                x0 = std::min(x0, im.x0), x1 = std::max(x1, im.x1), y0 = std::min(y0, im.y0),
                y1 = std::max(y1, im.y1);
            gp << "unset border\nunset tics\nunset key\nset size ratio -1\n"
               << "set lmargin 1\nset rmargin 1\nset bmargin 1\nset xrange [" << x0 << ":" << x1
               << "]\nset yrange [" << y0 << ":" << y1 << "]\nplot ";
            for (size_t k = 0; k < images_.size(); ++k)
                gp << (k ? ", " : "") << "$i" << k << " using 1:2:3 with image notitle";
            gp << "\n";
            return gp.str();
        }
    }
    // The legend outside the plot, below it: never over a curve, a path or a grid of points.
    bool titled = false;
    for (const Series& s : series_) titled = titled || !s.title.empty();
    gp << "set grid\n"
       << (titled ? "set key outside below center horizontal box height 1.5\n" : "unset key\n")
       << "set style fill solid 0.5\n";
    for (size_t k = 0; k < series_.size(); ++k) {
        gp << "$d" << k << " << EOD\n";
        for (size_t i = 0; i < series_[k].x.size(); ++i)
            gp << series_[k].x[i] << " " << series_[k].y[i] << "\n";
        gp << "EOD\n";
    }
    // Contour lines are computed by splot into a table, then drawn flat under the series.
    for (size_t k = 0; k < contours_.size(); ++k) {
        const Contour& c = contours_[k];
        gp << "$g" << k << " << EOD\n";
        for (int j = 0; j < c.ny; ++j) {
            const double y = c.y0 + (c.y1 - c.y0) * j / (c.ny - 1);
            for (int i = 0; i < c.nx; ++i)
                gp << c.x0 + (c.x1 - c.x0) * i / (c.nx - 1) << " " << y << " "
                   << c.z[static_cast<size_t>(j) * c.nx + i] << "\n";
            gp << "\n";
        }
        gp << "EOD\nset contour base\nunset surface\n";
        if (c.levels.empty()) {
            gp << "set cntrparam levels auto 10\n";
        } else {
            gp << "set cntrparam levels discrete ";
            for (size_t l = 0; l < c.levels.size(); ++l) gp << (l ? "," : "") << c.levels[l];
            gp << "\n";
        }
        gp << "set table $c" << k << "\nsplot $g" << k << " using 1:2:3 with lines\nunset table\n"
           << "unset contour\nset xrange [" << c.x0 << ":" << c.x1 << "]\nset yrange [" << c.y0
           << ":" << c.y1 << "]\n";
    }
    gp << "plot ";
    bool first = true;
    for (size_t k = 0; k < images_.size(); ++k, first = false)
        gp << (first ? "" : ", ") << "$i" << k << " using 1:2:3 with image notitle";
    for (size_t k = 0; k < contours_.size(); ++k, first = false)
        gp << (first ? "" : ", ") << "$c" << k
           << " using 1:2 with lines lc rgb '#c0c0c0' lw 1 notitle";
    for (size_t k = 0; k < series_.size(); ++k, first = false) {
        const Series& s = series_[k];
        gp << (first ? "" : ", ") << "$d" << k << " using 1:2";
        if (s.right_axis) gp << " axes x1y2";
        gp << " with " << s.with;
        if (s.with == "points" || s.with == "linespoints") gp << " pt 7 ps " << s.width * 0.4;
        if (s.with != "points") gp << " lw " << s.width;
        if (!s.color.empty()) gp << " lc rgb '" << s.color << "'";
        gp << (s.title.empty() ? " notitle" : " title " + quoted(s.title));
    }
    gp << "\n";
    return gp.str();
}

std::string Figure::draw(const std::string& terminal, const char* op) const {
    DESCENT_CHECK(!series_.empty() || !contours_.empty() || !images_.empty(), ValueError, op,
                  ": the figure has nothing to draw");
    return run_gnuplot([&](const std::string& out) { return script(terminal, out); }, op);
}

void Figure::save(const std::string& path) const {
    save_drawing(path, "Figure::save",
                 [&](const std::string& terminal) { return draw(terminal, "Figure::save()"); });
}

std::string Figure::svg() const { return draw("svg", "Figure::svg()"); }

Panels::Panels(std::string title, int columns, int width, int height)
    : title_(std::move(title)), columns_(columns), width_(width), height_(height) {
    DESCENT_CHECK(columns >= 1 && width >= 100 && height >= 100, ValueError, "Panels(): columns ",
                  columns, " (at least 1), size ", width, "x", height, " (at least 100x100)");
}

Panels& Panels::add(Figure figure) {
    DESCENT_CHECK(!figure.series_.empty() || !figure.contours_.empty() || !figure.images_.empty(),
                  ValueError, "Panels::add(): panel ", panels_.size(), " has nothing to draw");
    panels_.push_back(std::move(figure));
    return *this;
}

std::string Panels::script(const std::string& terminal, const std::string& output) const {
    const size_t rows = (panels_.size() + columns_ - 1) / columns_;
    std::string gp = terminal_lines(terminal, width_, height_, output);
    gp += "set multiplot layout " + std::to_string(rows) + "," + std::to_string(columns_);
    if (!title_.empty()) gp += " title " + quoted(title_);
    gp += "\n";
    // Each panel starts from gnuplot's defaults (reset keeps the terminal and the output).
    for (const Figure& panel : panels_) gp += panel.commands() + "reset\n";
    return gp + "unset multiplot\nunset output\n";
}

void Panels::save(const std::string& path) const {
    save_drawing(path, "Panels::save", [&](const std::string& terminal) {
        DESCENT_CHECK(!panels_.empty(), ValueError, "Panels::save(): no panels to draw");
        return run_gnuplot([&](const std::string& out) { return script(terminal, out); },
                           "Panels::save()");
    });
}

bool gnuplot_available() { return detail::on_path("gnuplot"); }

}  // namespace descent::study
