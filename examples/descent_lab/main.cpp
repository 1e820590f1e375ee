// descent_lab: one sub-command per idea of gradient descent (docs/labs.md). Each runs descent's
// real optimizers, writes CSV tables and gnuplot pictures into --out, and prints its lesson:
//   descent_lab lr --out lab
#include <algorithm>
#include <map>

#include "../cli.hpp"
#include "lab.hpp"

int main(int argc, char** argv) {
    CLI::App app("descent_lab: run, measure and draw the ideas of gradient descent (docs/labs.md)");
    examples::show_defaults(app);
    app.require_subcommand(1);
    lab::Common common;
    std::vector<lab::LabEntry> entries = lab::labs();
    std::sort(entries.begin(), entries.end(),
              [](const lab::LabEntry& a, const lab::LabEntry& b) { return a.order < b.order; });
    std::map<std::string, lab::Runner> runners;
    for (const lab::LabEntry& entry : entries) runners[entry.name] = entry.add(app, common);
    return examples::run_cli(app, "descent_lab", argc, argv, [&] {
        runners.at(app.get_subcommands().at(0)->get_name())();
        return 0;
    });
}
