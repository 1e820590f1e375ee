// Report: every part becomes HTML as it is added, except the figures, which gnuplot draws when the
// page is made. Images are inline SVG (one rect per run of equal grey in a row), so the page
// needs no image encoder and loads nothing.
#include "descent/study/report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"

namespace descent::study {

namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// 6 significant digits, as a CSV of the run shows them (train::CsvLogger).
std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// A share as a percentage with `decimals` places, as the console prints accuracy ("84.10%").
std::string percent(double share, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, 100 * share);
    return buf;
}

// The <svg> element of gnuplot's output, without the XML prolog and doctype before it.
std::string inline_svg(const std::string& svg) {
    const size_t at = svg.find("<svg");
    return at == std::string::npos ? svg : svg.substr(at);
}

const char* style =
    "body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:#f2f2f2}td.name{text-align:left}"
    ".figure svg{max-width:100%;height:auto}"
    ".grid{display:flex;flex-wrap:wrap;gap:10px}"
    ".grid figure{margin:0;text-align:center;font-size:12px;width:120px}"
    ".grid svg{width:112px;height:112px;image-rendering:pixelated;border:1px solid #ccc}";

}  // namespace

Report::Report(std::string title) : title_(std::move(title)) {}

Report& Report::setting(const std::string& name, const std::string& value) {
    settings_.emplace_back(name, value);
    return *this;
}

Report& Report::figure(const std::string& caption, Figure figure) {
    parts_.push_back({"", caption, std::move(figure)});
    return *this;
}

Report& Report::table(const std::string& caption, const std::vector<std::string>& columns,
                      const std::vector<std::vector<double>>& rows) {
    for (size_t r = 0; r < rows.size(); ++r)
        if (rows[r].size() != columns.size())
            throw ValueError("Report::table('" + caption + "'): row " + std::to_string(r) + " has " +
                             std::to_string(rows[r].size()) + " values for " +
                             std::to_string(columns.size()) + " columns");
    std::ostringstream h;
    h << "<table class=\"numbers\" data-caption=\"" << escape(caption) << "\">\n<tr>";
    for (const std::string& c : columns) h << "<th>" << escape(c) << "</th>";
    h << "</tr>\n";
    for (const std::vector<double>& row : rows) {
        h << "<tr>";
        for (double v : row) h << "<td>" << number(v) << "</td>";
        h << "</tr>\n";
    }
    h << "</table>\n";
    parts_.push_back({h.str(), caption, std::nullopt});
    return *this;
}

Report& Report::confusion(const train::ConfusionMatrix& matrix,
                          const std::vector<std::string>& class_names) {
    const int64_t n = matrix.num_classes();
    if (!class_names.empty() && static_cast<int64_t>(class_names.size()) != n)
        throw ValueError("Report::confusion: " + std::to_string(class_names.size()) +
                         " class names for " + std::to_string(n) + " classes");
    auto name = [&](int64_t c) { return class_names.empty() ? std::to_string(c) : class_names[c]; };
    std::ostringstream h;
    h << "<table id=\"confusion\">\n<tr><th>truth \\ predicted</th>";
    for (int64_t p = 0; p < n; ++p) h << "<th>" << escape(name(p)) << "</th>";
    h << "<th>recall</th></tr>\n";
    for (int64_t t = 0; t < n; ++t) {
        int64_t row = 0;
        for (int64_t p = 0; p < n; ++p) row += matrix.at(t, p);
        h << "<tr><th>" << escape(name(t)) << "</th>";
        for (int64_t p = 0; p < n; ++p) {
            // Blue for the diagonal (right), red off it (wrong); stronger as the share grows.
            const double share = row > 0 ? static_cast<double>(matrix.at(t, p)) / row : 0.0;
            const double a = std::sqrt(share);  // small shares stay visible
            char colour[64];
            std::snprintf(colour, sizeof colour, "rgba(%s,%.3f)", t == p ? "40,90,200" : "210,40,40", a);
            h << "<td style=\"background:" << colour << (a > 0.6 ? ";color:#fff" : "") << "\">"
              << matrix.at(t, p) << "</td>";
        }
        h << "<td>" << percent(row > 0 ? matrix.recall(t) : 0.0, 1) << "</td></tr>\n";
    }
    h << "</table>\n<p>accuracy <span id=\"accuracy\">" << percent(matrix.accuracy(), 2)
      << "</span> over " << matrix.total() << " samples</p>\n";
    parts_.push_back({h.str(), "Confusion matrix", std::nullopt});
    return *this;
}

Report& Report::images(const std::string& caption, const std::vector<ReportImage>& images) {
    std::ostringstream h;
    h << "<div class=\"grid\">\n";
    for (size_t i = 0; i < images.size(); ++i) {
        const ReportImage& im = images[i];
        if (im.height <= 0 || im.width <= 0 ||
            static_cast<int64_t>(im.pixels.size()) != im.height * im.width)
            throw ValueError("Report::images('" + caption + "'): image " + std::to_string(i) +
                             " has " + std::to_string(im.pixels.size()) + " pixels for " +
                             std::to_string(im.height) + "x" + std::to_string(im.width));
        for (float v : im.pixels)
            if (!(v >= 0.0f && v <= 1.0f))
                throw ValueError("Report::images('" + caption + "'): image " + std::to_string(i) +
                                 " has a pixel " + number(v) + " outside [0, 1]");
        h << "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << im.width << " "
          << im.height << "\" shape-rendering=\"crispEdges\"><rect width=\"" << im.width
          << "\" height=\"" << im.height << "\" fill=\"#fff\"/>";
        // Dark on white (ink = 1 - grey), 32 levels; a run of equal level in a row is one rect.
        for (int64_t y = 0; y < im.height; ++y) {
            for (int64_t x = 0; x < im.width;) {
                const int level = static_cast<int>(std::lround(im.pixels[y * im.width + x] * 31));
                int64_t end = x + 1;
                while (end < im.width &&
                       std::lround(im.pixels[y * im.width + end] * 31) == level)
                    ++end;
                if (level > 0) {
                    const int grey = 255 - level * 255 / 31;
                    h << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << end - x
                      << "\" height=\"1\" fill=\"rgb(" << grey << "," << grey << "," << grey
                      << ")\"/>";
                }
                x = end;
            }
        }
        h << "</svg><figcaption>" << escape(im.caption) << "</figcaption></figure>\n";
    }
    h << "</div>\n";
    parts_.push_back({h.str(), caption, std::nullopt});
    return *this;
}

std::string Report::html() const {
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
      << escape(title_) << "</title>\n<style>" << style << "</style>\n</head>\n<body>\n<h1>"
      << escape(title_) << "</h1>\n";
    if (!settings_.empty()) {
        h << "<h2>Settings</h2>\n<table id=\"settings\">\n";
        for (const auto& [name, value] : settings_)
            h << "<tr><td class=\"name\">" << escape(name) << "</td><td class=\"name\">"
              << escape(value) << "</td></tr>\n";
        h << "</table>\n";
    }
    const bool gnuplot = gnuplot_available();
    for (const Part& part : parts_) {
        h << "<section>\n<h2>" << escape(part.caption) << "</h2>\n";
        if (!part.figure)
            h << part.html;
        else if (gnuplot)
            h << "<div class=\"figure\">" << inline_svg(part.figure->svg()) << "</div>\n";
        else
            h << "<p class=\"missing\">gnuplot is not installed: this chart was not drawn.</p>\n";
        h << "</section>\n";
    }
    h << "</body>\n</html>\n";
    return h.str();
}

void Report::save(const std::string& path) const {
    const std::string page = html();  // every figure drawn before the file is touched
    detail::AtomicFile file(path, "Report::save");
    file.write(page);
    file.commit();
}

}  // namespace descent::study
