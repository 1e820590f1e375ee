// Lookup in the table of backward formulas (formulas.hpp; the table is study/op_formulas.cpp).
#include "descent/study/formulas.hpp"

namespace descent::study {

const OpFormula* find_formula(const std::string& name) {
    for (const OpFormula& f : op_formulas())
        if (f.node == name) return &f;
    return nullptr;
}

}  // namespace descent::study
