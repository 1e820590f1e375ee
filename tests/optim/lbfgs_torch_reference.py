#!/usr/bin/python3
"""Writes tests/optim/data/lbfgs_rosenbrock.csv, the reference tests/optim/test_lbfgs.cpp checks
descent's LBFGS against: torch.optim.LBFGS on the 2-D Rosenbrock function from (-1.5, 2.0) in
float32, for several option sets, the parameters, the returned loss and the state's counters
after every outer step. CI does not run this (it has no torch); the committed file is the
reference.

    /usr/bin/python3 tests/optim/lbfgs_torch_reference.py > tests/optim/data/lbfgs_rosenbrock.csv
"""
import sys

import torch

# name, LBFGS keyword arguments, outer steps. The names are those the C++ test knows.
CASES = [
    ("default", {}, 5),
    ("strong_wolfe", {"line_search_fn": "strong_wolfe"}, 5),
    ("history_3", {"history_size": 3}, 5),
    ("history_3_strong_wolfe", {"history_size": 3, "line_search_fn": "strong_wolfe"}, 5),
    ("lr_0.5_max_iter_5", {"lr": 0.5, "max_iter": 5}, 8),
]


def rosenbrock(xy):
    # The same operations in the same order as rosenbrock() in tests/optim/problem.hpp.
    x, y = xy[0], xy[1]
    a = 1 - x
    b = y - x * x
    return a * a + 100 * b * b


def main():
    torch.set_num_threads(1)
    out = sys.stdout
    out.write("# torch.optim.LBFGS on Rosenbrock from (-1.5, 2.0), float32, torch %s\n"
              % torch.__version__)
    out.write("# written by: /usr/bin/python3 tests/optim/lbfgs_torch_reference.py"
              " > tests/optim/data/lbfgs_rosenbrock.csv\n")
    out.write("# case,step,x,y,loss,func_evals,n_iter  (loss: what step() returned)\n")
    for name, kwargs, steps in CASES:
        xy = torch.tensor([-1.5, 2.0], dtype=torch.float32, requires_grad=True)
        opt = torch.optim.LBFGS([xy], **kwargs)

        def closure():
            opt.zero_grad()
            loss = rosenbrock(xy)
            loss.backward()
            return loss

        for step in range(1, steps + 1):
            loss = opt.step(closure)
            state = opt.state[xy]
            out.write("%s,%d,%.9g,%.9g,%.9g,%d,%d\n" % (name, step, xy[0].item(), xy[1].item(),
                                                        loss.item(), state["func_evals"],
                                                        state["n_iter"]))


if __name__ == "__main__":
    main()
