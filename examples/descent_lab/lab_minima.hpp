// Lab "minima": a tilted double well f(x, y) = (x² − 1)² + 0.3x + y² with a global and a local
// minimum; a grid of starts run by GD, momentum, Adam and RMSprop shows which minimum each
// optimizer's basin of attraction leads to, and that momentum can roll over the barrier.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab::minima {

enum Kind { gd, momentum, adam, rmsprop, kinds };
const char* kind_name(int kind);

// Where a run ended: within `radius` of one of the minima, or neither (not converged).
enum Basin { neither = 0, global = 1, local = 2 };

struct Options {
    Common common;  // --quick: an 11 x 11 grid and 150 steps
    int grid = 41;  // starts per side over [-2, 2] x [-1.5, 1.5]
    int steps = 500;
    std::vector<double> lr = {0.02, 0.02, 0.05, 0.01};  // per Kind; momentum is 0.9 (SGD)
    double radius = 0.25;  // how close to a minimum an end point must be to count as reaching it
};

// The critical points on y = 0: the roots of f'(x) = 4x³ − 4x + 0.3, by bisection.
struct Well {
    double x_global = 0, x_barrier = 0, x_local = 0;
    double f_global = 0, f_barrier = 0, f_local = 0;
};

struct End {
    double x0 = 0, y0 = 0, x = 0, y = 0;
    Basin basin = neither;
};

struct Run {
    std::string name;
    double lr = 0;
    std::vector<End> ends;  // one per start, row-major over the grid (y outer)
    int global = 0, local = 0, neither = 0;
    int crossed_to_global = 0;  // starts right of the barrier that end in the global minimum
    int crossed_to_local = 0;   // starts left of the barrier that end in the local one
    int right_starts = 0, left_starts = 0;  // starts with x0 > barrier, x0 < barrier
    bool depends_on_x0_only = false;        // every column of the grid (one x0) ends in one basin
};

struct Result {
    Well well;
    int grid = 0, steps = 0;
    std::vector<Run> runs;  // indexed by Kind
};

Well well();
// Runs optimizer `kind` from every start for `steps` steps at once: the loss is the sum of f over
// the starts, and every optimizer here updates each coordinate from its own gradient alone, so
// each start moves exactly as it would alone. Returns the end points (x, y per start).
std::vector<double> descend(int kind, double lr, const std::vector<double>& starts, int steps,
                            std::vector<std::vector<double>>* paths = nullptr);

// ValueError for a grid, step count, learning rate or radius out of range.
Result run_minima(const Options& options, Output& out);

}  // namespace lab::minima
