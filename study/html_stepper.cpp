// write_html: backward recorded step by step, then one page holding the SVG that `dot` drew, the
// steps as JSON, and a small script of descent's own that replays them.
#include "descent/study/html_stepper.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "descent/autograd/backward_observer.hpp"
#include "descent/autograd/engine.hpp"
#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/study/backward_tracer.hpp"
#include "descent/study/formulas.hpp"

namespace descent::study {

using autograd::Node;

namespace {

// A JSON string; '<' escaped too, so that no text can close the <script> that holds it.
std::string json(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// What the page's script does: find the picture's nodes by their DOT ids (the <title> of each
// <g class="node">), and show one step at a time.
const char* const script = R"JS(
(function () {
  'use strict';
  const steps = JSON.parse(document.getElementById('descent-steps').textContent);
  const $ = (id) => document.getElementById(id);
  const nodes = {};
  document.querySelectorAll('#graph g.node').forEach((g) => {
    const t = g.querySelector('title');
    if (t) nodes[t.textContent] = g;
  });
  const edges = Array.from(document.querySelectorAll('#graph g.edge'));
  const list = $('steps');
  steps.forEach((s, k) => {
    const li = document.createElement('li');
    li.textContent = '#' + s.index + ' ' + s.op + (s.label !== s.op ? ' (' + s.label + ')' : '');
    li.addEventListener('click', () => show(k));
    list.appendChild(li);
  });
  let at = 0;
  function show(k) {
    at = Math.max(0, Math.min(steps.length - 1, k));
    const s = steps[at];
    $('counter').textContent = 'step ' + (at + 1) + ' of ' + steps.length;
    $('step-title').textContent = list.children[at].textContent;
    $('forward').textContent = s.forward ? 'forward: ' + s.forward : '';
    $('backward').textContent = 'backward: ' + s.backward;
    $('grad-in').textContent = s.grad_in;
    const outs = $('grad-outs');
    outs.replaceChildren();
    s.outs.forEach((o, i) => {
      const li = document.createElement('li');
      li.textContent = 'to input ' + i + ' (' + o.to + '): ' + o.grad;
      outs.appendChild(li);
    });
    if (s.outs.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'none: a leaf, its .grad receives the gradient';
      outs.appendChild(li);
    }
    Object.values(nodes).forEach((g) => g.classList.remove('running', 'done'));
    steps.forEach((t, i) => { if (i < at && nodes[t.id]) nodes[t.id].classList.add('done'); });
    if (nodes[s.id]) nodes[s.id].classList.add('running');
    edges.forEach((e) => {
      const t = e.querySelector('title');
      e.classList.toggle('sending', !!t && t.textContent.endsWith('->' + s.id));
    });
    Array.from(list.children).forEach((li, i) => li.classList.toggle('current', i === at));
    $('prev').disabled = at === 0;
    $('next').disabled = at === steps.length - 1;
  }
  $('next').addEventListener('click', () => show(at + 1));
  $('prev').addEventListener('click', () => show(at - 1));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight') show(at + 1);
    else if (e.key === 'ArrowLeft') show(at - 1);
  });
  show(0);
})();
)JS";

const char* const style = R"CSS(
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
#controls { margin: 0.5em 0 1em; } button { font-size: 1em; padding: 0.3em 0.9em; }
#counter { display: inline-block; min-width: 8em; text-align: center; }
#layout { display: flex; gap: 2em; align-items: flex-start; }
#graph { flex: 1 1 auto; min-width: 0; }
#graph svg { max-width: 100%; max-height: 85vh; height: auto; width: auto; }
#panel { flex: 0 0 32em; width: 32em; }  /* fixed: it stays beside the graph at every step */
#panel h3 { font-size: 0.95em; margin: 1em 0 0.3em; color: #555; }
.formula { font-family: monospace; background: #f4f4f4; padding: 0.5em; }
#grad-in, #grad-outs { font-family: monospace; }
.node.done polygon, .node.done ellipse { stroke: #2e7d32; stroke-width: 2px; }
.node.running polygon, .node.running ellipse { fill: #ffd54f; stroke: #d62728; stroke-width: 3px; }
.edge.sending path { stroke: #d62728; stroke-width: 2.5px; }
.edge.sending polygon { fill: #d62728; stroke: #d62728; }
#steps li { cursor: pointer; font-family: monospace; } #steps li.current { font-weight: bold; }
)CSS";

struct Recorded {
    size_t index;  // in backward's order, as the tracer numbers it
    const Node* node;
    std::string op, grad_in;
    std::vector<std::pair<const Node*, std::string>> outs;  // (the input's node, its gradient)
};

}  // namespace

void write_html(const Tensor& root, const std::string& path, const HtmlOptions& options) {
    const auto drawn = detail::drawn_nodes(root, options.graph, "write_html");  // checks root
    DESCENT_CHECK(root.numel() == 1, ValueError, "write_html(): the root has shape ", root.shape(),
                  "; backward from it needs a one-element tensor (a loss), as backward() does");
    std::unordered_map<const Node*, std::string> id, label;
    for (const detail::DrawnNode& d : drawn) {
        id[d.node] = d.id;
        label[d.node] = d.label;
    }
    descent::detail::AtomicFile file(path, "write_html");  // a bad path fails before backward

    std::vector<Recorded> steps;
    const int64_t max_values = options.graph.max_values;
    {
        autograd::BackwardObserverGuard guard([&](const autograd::BackwardStep& s) {
            Recorded r{s.index, &s.node, s.node.name(), describe_gradient(s.grad_output, max_values), {}};
            for (size_t i = 0; i < s.node.next_edges().size(); ++i) {
                const Tensor none;
                const Tensor& g = i < s.grad_inputs.size() ? s.grad_inputs[i] : none;
                r.outs.emplace_back(s.node.next_edges()[i].fn.get(),
                                    describe_gradient(g, max_values));
            }
            steps.push_back(std::move(r));
        });
        autograd::backward({root}, {}, options.retain_graph);
    }

    // The picture, after backward so that it shows the gradients.
    const std::string svg_path = path + ".tmp.svg";
    render(to_dot(root, options.graph), svg_path);
    std::string svg = read_file(svg_path);
    std::remove(svg_path.c_str());
    const auto svg_at = svg.find("<svg");
    DESCENT_CHECK(svg_at != std::string::npos, IOError, "write_html(): dot wrote no <svg> for ",
                  path);
    svg = svg.substr(svg_at);

    std::ostringstream data;
    data << "[";
    for (size_t k = 0; k < steps.size(); ++k) {
        const Recorded& r = steps[k];
        const OpFormula* f = find_formula(r.op);
        data << (k ? ",\n" : "\n") << "{\"index\": " << r.index << ", \"op\": " << json(r.op)
             << ", \"label\": " << json(label[r.node]) << ", \"id\": " << json(id[r.node])
             << ", \"forward\": " << json(f ? f->forward : "")
             << ", \"backward\": " << json(f ? f->backward : "(no formula recorded)")
             << ", \"grad_in\": " << json(r.grad_in) << ", \"outs\": [";
        for (size_t i = 0; i < r.outs.size(); ++i) {
            const auto& [to, grad] = r.outs[i];
            const std::string target =
                to ? label[to] : std::string("an input that needs no gradient");
            data << (i ? ", " : "") << "{\"to\": " << json(target) << ", \"grad\": " << json(grad)
                 << "}";
        }
        data << "]}";
    }
    data << "\n]";

    std::ostringstream page;
    page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
         << html_escape(options.title) << "</title>\n<style>" << style << "</style>\n</head>\n"
         << "<body>\n<h1>" << html_escape(options.title) << "</h1>\n<p>Backward ran "
         << steps.size()
         << " steps, from the output down to the leaves. Step through them in the engine's "
            "order with Next and Previous, or the left and right arrow keys: the running node "
            "is highlighted, with the gradient that arrives (dL/d its output) and the ones it "
            "sends to its inputs.</p>\n"
         << "<div id=\"controls\"><button id=\"prev\">&#9664; Previous</button> <span "
            "id=\"counter\"></span> <button id=\"next\">Next &#9654;</button></div>\n"
         << "<div id=\"layout\">\n<div id=\"graph\">\n" << svg << "</div>\n"
         << "<div id=\"panel\">\n<h2 id=\"step-title\"></h2>\n<p class=\"formula\"><span "
            "id=\"forward\"></span><br><span id=\"backward\"></span></p>\n"
         << "<h3>Gradient arriving (dL/d output)</h3>\n<p id=\"grad-in\"></p>\n"
         << "<h3>Gradients sent to the inputs</h3>\n<ul id=\"grad-outs\"></ul>\n"
         << "<h3>All steps</h3>\n<ol id=\"steps\" start=\"1\"></ol>\n</div>\n</div>\n"
         << "<script type=\"application/json\" id=\"descent-steps\">" << data.str()
         << "</script>\n<script>" << script << "</script>\n</body>\n</html>\n";
    file.write(page.str());
    file.commit();
}

}  // namespace descent::study
