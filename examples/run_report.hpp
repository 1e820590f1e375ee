// --plot and --report for the training driver: the run's curves saved as pictures, and its
// study::Report page (settings, curves, the per-epoch table the --log CSV holds, gradient norms,
// the confusion matrix and the test images the model got wrong most confidently).
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <descent/descent.hpp>

namespace examples {

// A wrong prediction: which image, what it was taken for, and with what probability.
struct Mistake {
    int64_t index = 0, truth = 0, predicted = 0;
    double probability = 0;
};

// Appends the wrong predictions among `logits` [B, C] of images first, first + 1, ...
inline void add_mistakes(const descent::Tensor& logits, const std::vector<int64_t>& labels,
                         int64_t first, std::vector<Mistake>& wrong) {
    const std::vector<float> p = logits.softmax(1).to_vector();
    const size_t classes = size_t(logits.size(1));
    for (size_t b = 0; b < labels.size(); ++b) {
        const float* row = p.data() + b * classes;
        const int64_t best = std::max_element(row, row + classes) - row;
        if (best != labels[b]) wrong.push_back({first + int64_t(b), labels[b], best, row[best]});
    }
}

// The k most confident of `wrong`, highest probability first (ties: lower index first).
inline std::vector<Mistake> most_confident(std::vector<Mistake> wrong, size_t k) {
    const size_t keep = std::min(k, wrong.size());
    std::partial_sort(wrong.begin(), wrong.begin() + long(keep), wrong.end(),
                      [](const Mistake& a, const Mistake& b) {
                          return a.probability > b.probability ||
                                 (a.probability == b.probability && a.index < b.index);
                      });
    wrong.resize(keep);
    return wrong;
}

// What the page shows beyond the curves: the settings (name, value) and the test set's results.
struct RunSummary {
    std::string title;
    std::vector<std::pair<std::string, std::string>> settings;
    const descent::study::TrainingCurves* curves = nullptr;
    const descent::train::ConfusionMatrix* confusion = nullptr;
    std::vector<std::string> class_names;
    std::vector<Mistake> mistakes;
    std::shared_ptr<descent::data::Dataset> test;  // where the mistakes' pixels come from
};

inline descent::study::Report make_report(const RunSummary& run) {
    using namespace descent;
    study::Report report(run.title);
    for (const auto& [name, value] : run.settings) report.setting(name, value);
    const study::TrainingCurves& curves = *run.curves;
    if (!curves.rows().empty()) {
        report.figure("Loss", curves.loss_figure());
        report.figure("Accuracy", curves.accuracy_figure());
        report.table("Per epoch (the --log CSV's rows)", curves.columns(), curves.rows());
    }
    if (curves.has_gradients()) {
        report.figure("Gradient norm per parameter", curves.gradient_norm_figure());
        report.table("Gradient norm per parameter (the --diagnostics samples)",
                     curves.gradient_columns(), curves.gradient_rows());
    }
    report.confusion(*run.confusion, run.class_names);
    std::vector<study::ReportImage> images;
    for (const Mistake& m : run.mistakes) {
        const data::Batch b = run.test->get_batch({m.index});
        char caption[160];
        std::snprintf(caption, sizeof caption, "#%lld: %s, taken for %s (p=%.3f)",
                      static_cast<long long>(m.index), run.class_names.at(size_t(m.truth)).c_str(),
                      run.class_names.at(size_t(m.predicted)).c_str(), m.probability);
        images.push_back({b.data.size(2), b.data.size(3), b.data.to_vector(), caption});
    }
    report.images("Test images most confidently misclassified", images);
    return report;
}

}  // namespace examples
