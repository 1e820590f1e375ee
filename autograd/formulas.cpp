// Lookup in the generated table of backward formulas (formulas.hpp).
#include "descent/autograd/formulas.hpp"

namespace descent::autograd {

const std::vector<OpFormula>& op_formulas() { return detail::generated_formulas(); }

const OpFormula* find_formula(const std::string& name) {
    for (const OpFormula& f : op_formulas())
        if (f.node == name) return &f;
    return nullptr;
}

}  // namespace descent::autograd
