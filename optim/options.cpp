// OptimizerOptions::check: every hyper-parameter against its requirement, from one description
// (fields()), so that an options struct lists each option once.
#include "descent/optim/options.hpp"

#include <cmath>

#include "descent/core/error.hpp"

namespace descent::optim {

namespace {
void check_option(bool ok, const std::string& optimizer, const char* option, double value,
                  const std::string& requirement) {
    DESCENT_CHECK(ok, ValueError, optimizer, "(): invalid ", option, " ", value, " (", requirement,
                  ")");
}
}  // namespace

void OptimizerOptions::check(const std::string& optimizer) const {
    // fields() points into an object and may fill in a derived default (LBFGS's max_eval): a copy
    // is read, so checking changes nothing.
    const std::unique_ptr<OptimizerOptions> copy = clone();
    const OptionFields f = copy->fields();
    for (const OptionFields::Number& n : f.numbers) {
        const double x = *n.value;
        switch (n.require) {
            case Require::finite:
                check_option(std::isfinite(x), optimizer, n.name, x, "must be finite");
                break;
            case Require::nonneg:
                check_option(x >= 0 && std::isfinite(x), optimizer, n.name, x,
                             "must be finite and >= 0");
                break;
            case Require::unit:
                check_option(x >= 0 && x < 1, optimizer, n.name, x, "must be in [0, 1)");
                break;
            case Require::closed_unit:
                check_option(x >= 0 && x <= 1, optimizer, n.name, x, "must be in [0, 1]");
                break;
        }
    }
    for (const OptionFields::Count& c : f.counts)
        check_option(*c.value >= c.min, optimizer, c.name, static_cast<double>(*c.value),
                     ::descent::detail::cat("must be >= ", c.min));
    for (const OptionFields::Choice& c : f.choices) {
        if (!*c.value) continue;
        std::string allowed = "must be none";
        bool ok = false;
        for (const std::string& a : c.allowed) {
            allowed += " or \"" + a + "\"";
            ok = ok || a == **c.value;
        }
        DESCENT_CHECK(ok, ValueError, optimizer, "(): invalid ", c.name, " \"", **c.value, "\" (",
                      allowed, ")");
    }
}

}  // namespace descent::optim
