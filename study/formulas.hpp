// The math of every node's backward, as its source states it: the comment line above each
// apply(), collected by tools/gen_op_formulas.cpp into the committed table study/op_formulas.cpp
// (a ctest checks it against the code). The HTML stepper shows the line of the running node;
// docs/backprop.md's op table is generated from the same lines.
#pragma once

#include <string>
#include <vector>

namespace descent::study {

struct OpFormula {
    std::string node;      // "MulBackward"
    std::string forward;   // "out = a * b"; empty when the line states only the backward
    std::string backward;  // "dL/da = g * b,  dL/db = g * a"   (g = dL/d output)
    std::string source;    // "autograd/ops/arithmetic.cpp"
};

// Every node of the library, in source order.
const std::vector<OpFormula>& op_formulas();

// The formula of node `name` (Node::name()), or null when no node has that name.
const OpFormula* find_formula(const std::string& name);

}  // namespace descent::study
