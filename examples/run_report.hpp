// --plot and --report for the training driver: the run's curves saved as pictures, and its
// train::Report page (settings, curves, the per-epoch table the --log CSV holds, gradient norms,
// the confusion matrix and the test images the model got wrong most confidently).
#pragma once

#include <algorithm>
#include <cmath>
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

// The k test images the model misclassifies with the highest softmax probability, highest first.
inline std::vector<Mistake> confident_mistakes(descent::nn::Module& model,
                                               const std::shared_ptr<descent::data::Dataset>& set,
                                               size_t k) {
    using namespace descent;
    NoGradGuard no_grad;
    model.eval();
    std::vector<Mistake> wrong;
    const int64_t n = set->size(), chunk = 1000;
    for (int64_t start = 0; start < n; start += chunk) {
        std::vector<int64_t> indices;
        for (int64_t i = start; i < std::min(n, start + chunk); ++i) indices.push_back(i);
        const data::Batch batch = set->get_batch(indices);
        const Tensor logits = model(batch.data);  // [B, C]
        const std::vector<float> z = logits.to_vector();
        const int64_t classes = logits.size(1);
        for (size_t b = 0; b < indices.size(); ++b) {
            const float* row = z.data() + b * size_t(classes);
            const int64_t best = std::max_element(row, row + classes) - row;
            if (best == batch.labels[b]) continue;
            double sum = 0;  // softmax of the winner: 1 / sum exp(z_j - z_best)
            for (int64_t j = 0; j < classes; ++j) sum += std::exp(double(row[j]) - row[best]);
            wrong.push_back({indices[b], batch.labels[b], best, 1 / sum});
        }
    }
    model.train();
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
    const descent::train::TrainingCurves* curves = nullptr;
    const descent::train::ConfusionMatrix* confusion = nullptr;
    std::vector<std::string> class_names;
    std::vector<Mistake> mistakes;
    std::shared_ptr<descent::data::Dataset> test;  // where the mistakes' pixels come from
};

inline descent::train::Report make_report(const RunSummary& run) {
    using namespace descent;
    train::Report report(run.title);
    for (const auto& [name, value] : run.settings) report.setting(name, value);
    const train::TrainingCurves& curves = *run.curves;
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
    std::vector<train::ReportImage> images;
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
