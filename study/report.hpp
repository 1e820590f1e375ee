// Report: one self-contained HTML page per training run (no network, no script, no external file):
// the run's settings, its curves as inline SVG, tables of numbers (per-epoch metrics, per-layer
// diagnostics), the confusion matrix as a coloured table and a grid of images with their captions
// (the test images most confidently misclassified). Written atomically by save().
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "descent/study/figure.hpp"
#include "descent/train/metrics.hpp"

namespace descent::study {

// A grey-scale image, pixels row by row in [0, 1] (1 is ink, drawn black on white, as an MNIST
// digit prints), with a caption under it.
struct ReportImage {
    int64_t height = 0, width = 0;
    std::vector<float> pixels;  // [height * width]
    std::string caption;
};

class Report {
public:
    explicit Report(std::string title);

    // A row of the settings table ("optimizer", "adam").
    Report& setting(const std::string& name, const std::string& value);
    // A chart, drawn to SVG by gnuplot when the page is made; without gnuplot the page says so in
    // the chart's place.
    Report& figure(const std::string& caption, Figure figure);
    // A table of numbers, shown with 6 significant digits (what a CSV of the same run holds).
    // ValueError naming the caption and the row when a row's length differs from the columns'.
    Report& table(const std::string& caption, const std::vector<std::string>& columns,
                  const std::vector<std::vector<double>>& rows);
    // counts[truth][predicted] with each cell's background darker as its share of the row grows;
    // class_names empty or one per class (ValueError otherwise).
    Report& confusion(const train::ConfusionMatrix& matrix,
                      const std::vector<std::string>& class_names = {});
    // A grid of images. ValueError naming the caption and the image when its pixels are not
    // height * width values in [0, 1].
    Report& images(const std::string& caption, const std::vector<ReportImage>& images);

    // The whole page.
    std::string html() const;
    // html() written to `path` atomically; IOError naming the path when it cannot be.
    void save(const std::string& path) const;

private:
    std::string title_;
    std::vector<std::pair<std::string, std::string>> settings_;
    // Each part in the order added: its HTML, or a figure that html() draws.
    struct Part {
        std::string html, caption;
        std::optional<Figure> figure;
    };
    std::vector<Part> parts_;
};

}  // namespace descent::study
