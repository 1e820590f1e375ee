// --diagnostics for the training driver: train::GradientDiagnostics around every Nth optimizer step
// and the last of each epoch, one CSV row per parameter and per ReLU (long format, rewritten
// atomically by train::CsvLogger), and each kind of warning of each tensor printed once per run.
#pragma once

#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <descent/descent.hpp>

namespace examples {

class DiagnosticsLog {
public:
    // Columns: docs/diagnostics.md. A field that does not apply to the row's kind is empty.
    // Each sample's gradient norms also go to `curves` when given (--plot, --report).
    DiagnosticsLog(const std::string& path, descent::nn::Module& model, int64_t every,
                   descent::study::TrainingCurves* curves = nullptr)
        : diag_(model),
          csv_(path, {"epoch", "batch", "kind", "name", "grad_norm", "weight_norm", "update_ratio",
                      "dead_fraction", "warning"}),
          every_(every),
          curves_(curves) {}

    // Whether batch (1-based) of an epoch of `batches` is sampled: every Nth, and the last.
    bool wants(int64_t batch, int64_t batches) const {
        return batch % every_ == 0 || batch == batches;
    }
    void before_step() { diag_.before_step(); }
    // After optimizer.step() of a sampled batch (of `batches` in the epoch): writes its rows;
    // returns the warnings not printed before (one per tensor and kind in a run; the CSV's
    // warning column has every one).
    std::vector<std::string> after_step(int epoch, int64_t batch, int64_t batches) {
        diag_.after_step();
        const descent::train::GradientReport r = diag_.report();
        if (curves_) curves_->log_gradients(epoch - 1 + double(batch) / double(batches), r);
        std::vector<std::vector<std::string>> rows;
        const std::string e = std::to_string(epoch), b = std::to_string(batch);
        for (const auto& p : r.parameters)
            rows.push_back({e, b, "param", p.name, number(p.grad_norm), number(p.weight_norm),
                            number(p.update_ratio), "", kinds(r, p.name)});
        for (const auto& u : r.relus)
            rows.push_back(
                {e, b, "relu", u.name, "", "", "", number(u.dead_fraction), kinds(r, u.name)});
        csv_.log_text(rows);
        std::vector<std::string> fresh;
        for (const auto& w : r.warnings)
            if (printed_.insert(w.name + " " + w.kind).second)
                fresh.push_back("epoch " + e + ", batch " + b + ": " + w.message);
        return fresh;
    }

private:
    static std::string number(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", v);  // NaN prints "nan": an undefined ratio
        return buf;
    }
    // The kinds of warning for `name`, ';'-separated ("exploding;update_ratio_high").
    static std::string kinds(const descent::train::GradientReport& r, const std::string& name) {
        std::string out;
        for (const auto& w : r.warnings)
            if (w.name == name) out += (out.empty() ? "" : ";") + w.kind;
        return out;
    }

    descent::train::GradientDiagnostics diag_;
    descent::train::CsvLogger csv_;
    int64_t every_;
    descent::study::TrainingCurves* curves_;
    std::set<std::string> printed_;
};

}  // namespace examples
