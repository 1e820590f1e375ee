// Figure: a 2-D chart (line, point, step or box series, an optional second y axis, log scales,
// contour lines of a sampled function or grey-scale images underneath) drawn by gnuplot and saved
// as PNG or SVG, alone or as panels of one picture. The labs of examples/descent_lab, the examples'
// --plot, examples/fmnist_vae and study::Report draw with it.
#pragma once

#include <string>
#include <vector>

namespace descent::study {

// One curve or cloud of points: y against x, drawn `with` a gnuplot style.
struct Series {
    std::string title;       // in the key; "" for none
    std::vector<double> x, y;
    std::string with = "lines";  // lines, points, linespoints, steps, boxes, impulses
    bool right_axis = false;     // against the second y axis (y2)
    double width = 1.5;          // line width, or point size for points
    std::string color = "";      // "#rrggbb"; "": gnuplot's next colour (eight, then repeated)
};

// f sampled on a regular grid over [x0, x1] x [y0, y1]: z[j * nx + i] = f(x_i, y_j), drawn as
// grey contour lines at `levels` (or ten automatic ones when empty) under the series.
struct Contour {
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    int nx = 0, ny = 0;
    std::vector<double> z;
    std::vector<double> levels;
};

// A grey-scale picture of nx x ny pixels filling [x0, x1] x [y0, y1], drawn under the series:
// values row by row from the top, in [0, 1] (1 is ink, drawn black on white, as ReportImage). A
// figure of images only is a picture, not a chart: no axes, grid or key, x and y to one scale.
struct Image {
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    int nx = 0, ny = 0;
    std::vector<double> pixels;  // [ny * nx], row 0 at the top
};

struct FigureOptions {
    std::string title, xlabel, ylabel, y2label;
    bool logx = false, logy = false;
    int width = 800, height = 500;  // pixels (PNG) or points (SVG)
    bool integer_x = false;         // x counts something (epochs): ticks at whole numbers only
};

class Figure {
public:
    explicit Figure(FigureOptions options = {});

    // ValueError naming the series and the index when x and y differ in length, are empty, hold
    // a non-finite value, or hold a value <= 0 on a log axis, or when its colour is not #rrggbb;
    // the figure is unchanged then.
    Figure& add(Series series);
    // ValueError unless z has nx * ny finite values, nx, ny >= 2 and the ranges are non-empty.
    Figure& contour(Contour contour);
    // ValueError unless pixels has nx * ny values in [0, 1], nx, ny >= 1 and the ranges are
    // non-empty.
    Figure& image(Image image);

    // The gnuplot script that draws the figure to `output` in `terminal` ("pngcairo" or "svg").
    std::string script(const std::string& terminal, const std::string& output) const;
    // Draws to `path`, PNG or SVG from its extension, atomically (the old file stays on any
    // failure). IOError when gnuplot is missing or fails (quoting its first complaint).
    void save(const std::string& path) const;
    // The SVG text itself, for a page that embeds it (study::Report).
    std::string svg() const;

    const std::vector<Series>& series() const { return series_; }

private:
    friend class Panels;
    std::string commands() const;  // the script without terminal and output: one plot
    std::string draw(const std::string& terminal, const char* op) const;

    FigureOptions options_;
    std::vector<Series> series_;
    std::vector<Contour> contours_;
    std::vector<Image> images_;
};

// Several figures as one picture, a grid of panels `columns` wide (gnuplot's multiplot): small
// multiples, e.g. one optimizer's path per panel where a single plot would hide some paths under
// the others. Each panel keeps its own title, axes and key; `title` goes above them all.
class Panels {
public:
    // ValueError for columns < 1 or a size under 100x100.
    explicit Panels(std::string title, int columns, int width = 1200, int height = 800);
    Panels& add(Figure figure);  // ValueError for a figure with nothing to draw
    std::string script(const std::string& terminal, const std::string& output) const;
    // As Figure::save: PNG or SVG from the extension, atomically; ValueError without panels.
    void save(const std::string& path) const;

private:
    std::string title_;
    int columns_, width_, height_;
    std::vector<Figure> panels_;
};

// True if gnuplot is on PATH (Debian's gnuplot-nox; scripts/install-deps.sh installs it).
bool gnuplot_available();

}  // namespace descent::study
