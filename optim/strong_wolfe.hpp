// The strong Wolfe line search LBFGS runs with line_search_fn("strong_wolfe"): bracketing, then
// zooming in by cubic interpolation, as torch.optim.LBFGS's _strong_wolfe (itself from minFunc).
// Its scalars are kept as torch keeps them, float32 or double, so the steps it picks are torch's.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace descent::optim::detail {

// A scalar as torch.optim.LBFGS holds one: a float32 0-d tensor (a dot product and what is
// computed from it) or a Python float (the loss, lr, 0). Arithmetic and comparisons follow
// torch's promotion: with a float32 operand, both are rounded to float and the result is float32;
// otherwise they are doubles.
class MixedScalar {
public:
    static MixedScalar f32(float v) { return {v, true}; }
    static MixedScalar f64(double v) { return {v, false}; }
    double value() const { return value_; }
    float as_float() const { return static_cast<float>(value_); }  // how torch applies a step t
    bool is_float() const { return is_float_; }

private:
    MixedScalar(double v, bool is_float) : value_(v), is_float_(is_float) {}
    double value_;
    bool is_float_;
};

MixedScalar operator+(MixedScalar a, MixedScalar b);
MixedScalar operator-(MixedScalar a, MixedScalar b);
MixedScalar operator*(MixedScalar a, MixedScalar b);
MixedScalar operator/(MixedScalar a, MixedScalar b);
bool operator<(MixedScalar a, MixedScalar b);
bool operator<=(MixedScalar a, MixedScalar b);
bool operator>(MixedScalar a, MixedScalar b);
bool operator>=(MixedScalar a, MixedScalar b);
MixedScalar abs(MixedScalar a);
// Python's min(a, b) and max(a, b): the first argument unless the second is strictly smaller
// (larger); which one is returned matters, since it keeps its type.
MixedScalar py_min(MixedScalar a, MixedScalar b);
MixedScalar py_max(MixedScalar a, MixedScalar b);

// f(x + t·d) at the parameters x the search starts from, its gradient written to `grad` (all
// parameters, flattened); the parameters are back at x afterwards. One closure call.
using DirectionalObjective = std::function<double(float t, std::vector<float>& grad)>;

struct LineSearchResult {
    double loss;              // f(x + t·d)
    std::vector<float> grad;  // its gradient
    MixedScalar t;            // the step length chosen
    int64_t evals;            // closure calls made
};

// Searches along d from x, where the loss is f, the gradient g and gᵀd = gtd < 0, starting at step
// t, for a t with f(x + t·d) <= f + c1·t·gtd and |g(x + t·d)ᵀd| <= -c2·gtd; at most max_ls
// evaluations after the first, and it stops when the bracket is shorter than tolerance_change
// (measured in parameter change).
LineSearchResult strong_wolfe(const DirectionalObjective& objective, const std::vector<float>& d,
                              MixedScalar t, double f, const std::vector<float>& g, float gtd,
                              double tolerance_change, double c1 = 1e-4, double c2 = 0.9,
                              int max_ls = 25);

}  // namespace descent::optim::detail
