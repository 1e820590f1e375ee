// The tape in a browser: write_html() runs backward from a tensor while recording every step, then
// writes one self-contained HTML page (no network, no external script) with the graph picture and
// Next / Previous buttons (and the arrow keys) that replay backward in the engine's order: the
// running node highlighted, the gradient arriving, the ones sent to each input, the op's math.
#pragma once

#include <cstdint>
#include <string>

#include "descent/core/tensor.hpp"
#include "descent/study/graph.hpp"

namespace descent::study {

struct HtmlOptions {
    // What the picture names and draws: parameters ("fc1.weight") and inputs ("x"), collapsed
    // modules, depth limit. Its max_values also bounds the values the steps print.
    GraphOptions graph;
    std::string title = "descent: backward, step by step";
    bool retain_graph = false;  // passed to backward()
};

// Runs root.backward() (root must hold one element, as for backward()) under a recording
// observer, then writes the page to `path` atomically (temporary file, fsync, rename). Gradients
// accumulate into the leaves as with any backward. Needs Graphviz's `dot` (IOError otherwise);
// the path is checked, and the temporary file created, before backward runs.
void write_html(const Tensor& root, const std::string& path, const HtmlOptions& options = {});

}  // namespace descent::study
