// summary(): observe every module call of one forward pass, then format the table.
#include "descent/nn/summary.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/factory.hpp"

namespace descent::nn {

namespace {

struct Row {
    std::string name;
    const Module* module;
};

void walk(const Module& m, const std::string& prefix, std::vector<Row>& rows) {
    for (const auto& [name, child] : m.named_children()) {
        rows.push_back({prefix + name, child.get()});
        walk(*child, prefix + name + ".", rows);
    }
}

struct ShapeRecorder final : detail::ForwardObserver {
    std::map<const Module*, Shape> shapes;
    void called(const Module& m, const Tensor& output) override {
        if (output.defined()) shapes[&m] = output.shape();
    }
};

// Installs an observer for its lifetime and restores the previous one, even on an exception.
struct ObserverScope {
    detail::ForwardObserver* previous;
    explicit ObserverScope(detail::ForwardObserver* o) : previous(detail::forward_observer()) {
        detail::forward_observer() = o;
    }
    ~ObserverScope() { detail::forward_observer() = previous; }
};

// Restores each module's training flag (they may differ) on scope exit.
struct TrainingScope {
    std::vector<std::pair<Module*, bool>> flags;
    explicit TrainingScope(Module& root) { save(root); }
    void save(Module& m) {
        flags.emplace_back(&m, m.is_training());
        for (const auto& [name, child] : m.named_children()) save(*child);
    }
    // train() recurses: restoring in pre-order sets each parent, then overrides its children.
    ~TrainingScope() {
        for (auto& [m, on] : flags) m->train(on);
    }
};

int64_t count(const std::vector<Tensor>& params, bool trainable_only) {
    int64_t n = 0;
    for (const Tensor& p : params)
        if (!trainable_only || p.requires_grad()) n += p.numel();
    return n;
}

// 203530 -> "203,530"
std::string grouped(int64_t n) {
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string shape_text(const Shape& s) {
    std::ostringstream os;
    os << s;
    return os.str();
}

}  // namespace

std::string summary(Module& m, const Shape& input_shape) {
    ShapeRecorder recorder;
    Shape output_shape;
    {
        const Tensor x = zeros(input_shape);
        TrainingScope training(m);
        m.eval();
        ObserverScope observe(&recorder);
        NoGradGuard no_grad;
        output_shape = m(x).shape();
    }
    std::vector<Row> rows;
    walk(m, "", rows);

    std::vector<std::vector<std::string>> cells = {{"Layer (type)", "Output shape", "Param #"}};
    for (const Row& r : rows) {
        auto it = recorder.shapes.find(r.module);
        cells.push_back({r.name + " (" + r.module->type_name() + ")",
                         it == recorder.shapes.end() ? "-" : shape_text(it->second),
                         grouped(count(r.module->parameters(), false))});
    }
    size_t w0 = 0, w1 = 0;
    for (const auto& c : cells) {
        w0 = std::max(w0, c[0].size());
        w1 = std::max(w1, c[1].size());
    }
    std::ostringstream os;
    const std::string rule(w0 + w1 + 16, '=');
    auto line = [&](const std::vector<std::string>& c) {
        os << c[0] << std::string(w0 + 3 - c[0].size(), ' ') << c[1]
           << std::string(w1 + 3 - c[1].size(), ' ') << c[2] << "\n";
    };
    os << m.type_name() << ", input " << input_shape << " -> output " << output_shape << "\n";
    os << rule << "\n";
    line(cells[0]);
    os << rule << "\n";
    for (size_t i = 1; i < cells.size(); ++i) line(cells[i]);
    os << rule << "\n";
    const std::vector<Tensor> params = m.parameters();
    const int64_t total = count(params, false), trainable = count(params, true);
    os << "Total params: " << grouped(total) << "\n";
    os << "Trainable params: " << grouped(trainable) << "\n";
    os << "Non-trainable params: " << grouped(total - trainable) << "\n";
    return os.str();
}

}  // namespace descent::nn
