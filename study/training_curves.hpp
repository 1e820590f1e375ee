// TrainingCurves: a run's per-epoch metrics (the columns of its --log CSV) and its sampled gradient
// norms per parameter, kept in memory and drawn as the pictures --plot saves and study::Report
// shows: loss and accuracy against the epoch with the learning rate on a second axis, and each
// layer's gradient norm over time.
#pragma once

#include <string>
#include <vector>

#include "descent/study/figure.hpp"
#include "descent/train/gradient_diagnostics.hpp"

namespace descent::study {

class TrainingCurves {
public:
    // ValueError unless the columns are distinct and include "epoch". Columns ending in "_loss"
    // are losses, in "_accuracy" fractions in [0, 1]; "lr" is the learning rate.
    explicit TrainingCurves(std::vector<std::string> columns);

    // One epoch's values, in the columns' order. ValueError naming the count when the length
    // differs; the curves are unchanged then.
    void log(const std::vector<double>& row);
    // A GradientDiagnostics report taken at `epoch` (fractional: 1.5 is half-way through epoch 2).
    void log_gradients(double epoch, const train::GradientReport& report);

    const std::vector<std::string>& columns() const { return columns_; }
    const std::vector<std::vector<double>>& rows() const { return rows_; }
    // One column's values; ValueError naming it (and the columns) when there is no such column.
    std::vector<double> column(const std::string& name) const;
    bool has_gradients() const { return !grad_epochs_.empty(); }
    // The gradient norms as a table: columns "epoch" then one per parameter, a row per sample.
    std::vector<std::string> gradient_columns() const;
    std::vector<std::vector<double>> gradient_rows() const;

    // Every *_loss column against the epoch, lr on y2. A non-finite value ends its curve there
    // (a diverged run's last epochs are not drawn). ValueError when nothing is logged yet.
    Figure loss_figure(const std::string& title = "Loss") const;
    // Every *_accuracy column in percent against the epoch, lr on y2; ValueError as above.
    Figure accuracy_figure(const std::string& title = "Accuracy") const;
    // Each parameter's gradient norm over time on a log axis (zero and non-finite samples left
    // out: they have no place on it); ValueError when no gradients were logged.
    Figure gradient_norm_figure(const std::string& title = "Gradient norm per parameter") const;

    // The figures as <dir>/loss, accuracy and (with gradients) gradient_norms .png and .svg, as one
    // set (FileSet: all replaced or, on an error, none); returns the paths. IOError (gnuplot
    // missing, folder not writable, disk full).
    std::vector<std::string> save(const std::string& dir) const;

private:
    Figure per_epoch(const std::string& suffix, double scale, const FigureOptions& options) const;

    std::vector<std::string> columns_;
    std::vector<std::vector<double>> rows_;
    std::vector<std::string> grad_names_;       // parameters, in the first report's order
    std::vector<double> grad_epochs_;           // when each sample was taken
    std::vector<std::vector<double>> grad_norms_;  // [sample][parameter]
};

}  // namespace descent::study
