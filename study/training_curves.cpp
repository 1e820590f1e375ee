// TrainingCurves: rows checked as they arrive, then each picture built as study::Figure series
// (linespoints, so that a one-epoch run still shows its point).
#include "descent/study/training_curves.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "descent/core/error.hpp"
#include "descent/study/file_set.hpp"

namespace descent::study {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

TrainingCurves::TrainingCurves(std::vector<std::string> columns) : columns_(std::move(columns)) {
    const std::set<std::string> distinct(columns_.begin(), columns_.end());
    DESCENT_CHECK(distinct.size() == columns_.size(), ValueError,
                  "TrainingCurves: a column is named twice in (", joined(columns_), ")");
    DESCENT_CHECK(distinct.count("epoch") == 1, ValueError,
                  "TrainingCurves: no \"epoch\" column in (", joined(columns_), ")");
}

void TrainingCurves::log(const std::vector<double>& row) {
    DESCENT_CHECK(row.size() == columns_.size(), ValueError, "TrainingCurves::log: ", row.size(),
                  " values for ", columns_.size(), " columns (", joined(columns_), ")");
    rows_.push_back(row);
}

void TrainingCurves::log_gradients(double epoch, const train::GradientReport& report) {
    DESCENT_CHECK(std::isfinite(epoch), ValueError, "TrainingCurves::log_gradients: epoch ", epoch);
    if (grad_names_.empty())
        for (const auto& p : report.parameters) grad_names_.push_back(p.name);
    std::vector<double> norms(grad_names_.size(), NAN);  // a parameter missing from a report: NaN
    for (const auto& p : report.parameters) {
        const auto at = std::find(grad_names_.begin(), grad_names_.end(), p.name);
        if (at != grad_names_.end()) norms[size_t(at - grad_names_.begin())] = p.grad_norm;
    }
    grad_epochs_.push_back(epoch);
    grad_norms_.push_back(std::move(norms));
}

std::vector<double> TrainingCurves::column(const std::string& name) const {
    const auto at = std::find(columns_.begin(), columns_.end(), name);
    DESCENT_CHECK(at != columns_.end(), ValueError, "TrainingCurves::column: no column \"", name,
                  "\" in (", joined(columns_), ")");
    const size_t j = size_t(at - columns_.begin());
    std::vector<double> out;
    for (const auto& row : rows_) out.push_back(row[j]);
    return out;
}

std::vector<std::string> TrainingCurves::gradient_columns() const {
    std::vector<std::string> out{"epoch"};
    for (const auto& n : grad_names_) out.push_back(n);
    return out;
}

std::vector<std::vector<double>> TrainingCurves::gradient_rows() const {
    std::vector<std::vector<double>> out;
    for (size_t i = 0; i < grad_epochs_.size(); ++i) {
        out.push_back({grad_epochs_[i]});
        out.back().insert(out.back().end(), grad_norms_[i].begin(), grad_norms_[i].end());
    }
    return out;
}

// Every column ending in `suffix`, times `scale`, against the epoch; "lr" on y2.
Figure TrainingCurves::per_epoch(const std::string& suffix, double scale,
                                 const FigureOptions& options) const {
    DESCENT_CHECK(!rows_.empty(), ValueError, "TrainingCurves: no epoch logged yet to draw ",
                  options.title);
    Figure figure(options);
    const std::vector<double> epochs = column("epoch");
    for (const auto& name : columns_) {
        const bool is_lr = name == "lr";
        if (!is_lr && !ends_with(name, suffix)) continue;
        Series s;
        s.title = is_lr ? "learning rate (right axis)" : name;
        s.with = "linespoints";
        s.right_axis = is_lr;
        s.width = is_lr ? 1 : 1.5;
        const std::vector<double> values = column(name);
        for (size_t i = 0; i < values.size() && std::isfinite(values[i]); ++i) {
            s.x.push_back(epochs[i]);
            s.y.push_back(is_lr ? values[i] : values[i] * scale);
        }
        if (!s.x.empty()) figure.add(std::move(s));
    }
    return figure;
}

Figure TrainingCurves::loss_figure(const std::string& title) const {
    FigureOptions o;
    o.title = title, o.xlabel = "epoch", o.ylabel = "loss", o.y2label = "learning rate";
    o.integer_x = true;
    return per_epoch("_loss", 1, o);
}

Figure TrainingCurves::accuracy_figure(const std::string& title) const {
    FigureOptions o;
    o.title = title, o.xlabel = "epoch", o.ylabel = "accuracy (%)", o.y2label = "learning rate";
    o.integer_x = true;
    return per_epoch("_accuracy", 100, o);
}

Figure TrainingCurves::gradient_norm_figure(const std::string& title) const {
    DESCENT_CHECK(has_gradients(), ValueError,
                  "TrainingCurves::gradient_norm_figure: no gradients logged (log_gradients)");
    FigureOptions o;
    o.title = title, o.xlabel = "epoch", o.ylabel = "gradient norm", o.logy = true;
    Figure figure(o);
    for (size_t j = 0; j < grad_names_.size(); ++j) {
        Series s;
        s.title = grad_names_[j];
        s.with = grad_epochs_.size() > 1 ? "lines" : "points";
        for (size_t i = 0; i < grad_epochs_.size(); ++i) {
            const double v = grad_norms_[i][j];
            if (std::isfinite(v) && v > 0) s.x.push_back(grad_epochs_[i]), s.y.push_back(v);
        }
        if (!s.x.empty()) figure.add(std::move(s));
    }
    return figure;
}

std::vector<std::string> TrainingCurves::save(const std::string& dir) const {
    std::vector<std::pair<std::string, Figure>> figures{{"loss", loss_figure()},
                                                        {"accuracy", accuracy_figure()}};
    if (has_gradients()) figures.emplace_back("gradient_norms", gradient_norm_figure());
    FileSet set;  // all of them or none: a full disk leaves the folder as it was
    for (const auto& [name, figure] : figures)
        for (const char* ext : {".png", ".svg"}) set.add(dir + "/" + name + ext, figure);
    return set.commit();
}

}  // namespace descent::study
