// Maintenance tool: reads every autograd node's math line from the sources (the comment right
// above its apply()) and writes, or checks, the committed table study/op_formulas.cpp (for
// study::op_formulas() and the HTML stepper) and the op table of docs/backprop.md. No build runs
// it: the ctests op_formulas_match_code and docs_op_table_matches_code check that neither drifted.
//   gen_op_formulas update-cpp|check-cpp OUT.cpp SRC...  |  update-doc|check-doc DOC.md SRC...
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

struct Formula {
    std::string node, forward, backward, file;
};

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw std::runtime_error("cannot read " + path);
    std::vector<std::string> lines;
    for (std::string l; std::getline(f, l);) lines.push_back(l);
    return lines;
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The comment block directly above line `at`, its lines joined by spaces; "" when there is none.
std::string comment_above(const std::vector<std::string>& lines, size_t at) {
    std::vector<std::string> block;
    for (size_t i = at; i-- > 0;) {
        const std::string t = trim(lines[i]);
        if (t.rfind("//", 0) != 0) break;
        block.insert(block.begin(), trim(t.substr(2)));
    }
    std::string s;
    for (const std::string& l : block) s += (s.empty() ? "" : " ") + l;
    return s;
}

// The nodes of the sources: the names a struct's name() returns, each with the math line above
// its apply() (the out-of-class definition's, in whichever file it is, else the declaration's).
std::vector<Formula> scan(const std::vector<std::string>& paths) {
    static const std::regex struct_re(R"(^(?:struct|class) (\w+)\b.*:.*\{\s*$)");
    static const std::regex name_re("\"(\\w+)\"");
    static const std::regex definition_re(R"(^std::vector<Tensor> (\w+)::apply\()");
    struct Struct {
        std::string name, file, declared_math;
        std::vector<std::string> nodes;
    };
    std::vector<Struct> structs;
    std::map<std::string, std::pair<std::string, std::string>> defined;  // struct -> (math, file)
    for (const std::string& path : paths) {
        const std::vector<std::string> lines = read_lines(path);
        Struct current;
        for (size_t i = 0; i < lines.size(); ++i) {
            std::smatch m;
            const std::string& l = lines[i];
            if (std::regex_search(l, m, struct_re)) {
                current = Struct{m[1], path, "", {}};
            } else if (std::regex_search(l, m, definition_re)) {
                defined[m[1]] = {comment_above(lines, i), path};
            } else if (current.name.empty()) {
                continue;
            } else if (l.rfind("};", 0) == 0) {
                if (!current.nodes.empty()) structs.push_back(current);
                current = Struct{};
            } else if (l.find("name() const override") != std::string::npos) {
                for (auto it = std::sregex_iterator(l.begin(), l.end(), name_re);
                     it != std::sregex_iterator(); ++it)
                    current.nodes.push_back((*it)[1]);
            } else if (l.find("std::vector<Tensor> apply(") != std::string::npos) {
                current.declared_math = comment_above(lines, i);
            }
        }
    }
    std::vector<Formula> found;
    for (const Struct& s : structs) {
        std::string math = s.declared_math, file = s.file;
        auto d = defined.find(s.name);
        if (d != defined.end() && !d->second.first.empty()) std::tie(math, file) = d->second;
        if (math.empty())
            throw std::runtime_error(s.file + ": " + s.name +
                                     " has no math line: write the formula as a comment right "
                                     "above its apply()");
        // "forward:  backward" (two spaces after the colon), else all of it is the backward.
        const auto split = math.find(":  ");
        const std::string fwd = split == std::string::npos ? "" : trim(math.substr(0, split));
        const std::string bwd = split == std::string::npos ? math : trim(math.substr(split + 3));
        for (const std::string& n : s.nodes) found.push_back({n, fwd, bwd, file});
    }
    return found;
}

std::string cpp_string(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string markdown_cell(const std::string& s) {
    if (s.empty()) return "";
    std::string out = "`";
    for (char c : s) {
        if (c == '|') out += '\\';
        out += c;
    }
    return out + "`";
}

std::string markdown_table(const std::vector<Formula>& all) {
    std::ostringstream o;
    o << "| node | forward | backward (g = dL/d output) | source |\n|---|---|---|---|\n";
    for (const Formula& f : all)
        o << "| " << f.node << " | " << markdown_cell(f.forward) << " | "
          << markdown_cell(f.backward) << " | " << f.file << " |\n";
    return o.str();
}

// study/op_formulas.cpp's text: op_formulas() returning the table, one row per node.
std::string cpp_table(const std::vector<Formula>& all) {
    std::ostringstream o;
    o << "// The math line above every node's apply(), as a table: study::op_formulas()\n"
         "// (formulas.hpp). Generated by tools/gen_op_formulas.cpp; do not edit. After\n"
         "// changing a math line, run `cmake --build build --target update_op_table`; the\n"
         "// ctest op_formulas_match_code fails until then.\n"
         "// clang-format off\n"
         "#include \"descent/study/formulas.hpp\"\n\n"
         "namespace descent::study {\n\nconst std::vector<OpFormula>& op_formulas() {\n"
         "    static const std::vector<OpFormula> table{\n";
    for (const Formula& f : all)
        o << "        {" << cpp_string(f.node) << ", " << cpp_string(f.forward) << ", "
          << cpp_string(f.backward) << ", " << cpp_string(f.file) << "},\n";
    o << "    };\n    return table;\n}\n\n}  // namespace descent::study\n";
    return o.str();
}

const std::string begin_mark = "<!-- op-table: generated by tools/gen_op_formulas.cpp -->";
const std::string end_mark = "<!-- op-table end -->";

// The document with its table replaced; `current` receives the table it held.
std::string with_table(const std::string& doc_path, const std::string& table,
                       std::string& current) {
    std::ifstream f(doc_path);
    if (!f) throw std::runtime_error("cannot read " + doc_path);
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string doc = ss.str();
    const auto b = doc.find(begin_mark), e = doc.find(end_mark);
    if (b == std::string::npos || e == std::string::npos || e < b)
        throw std::runtime_error(doc_path + " has no '" + begin_mark + "' ... '" + end_mark +
                                 "' block");
    const size_t from = b + begin_mark.size() + 1;
    current = doc.substr(from, e - from);
    return doc.substr(0, from) + table + doc.substr(e);
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 4) {
        std::cerr << "usage: gen_op_formulas update-cpp|check-cpp|update-doc|check-doc OUT "
                     "SRC...\n";
        return 2;
    }
    const std::string mode = argv[1], out = argv[2];
    std::vector<Formula> all;
    std::map<std::string, std::string> seen;
    for (Formula& f : scan(std::vector<std::string>(argv + 3, argv + argc))) {
        if (!seen.emplace(f.node, f.file).second)
            throw std::runtime_error(f.node + " is named in both " + seen[f.node] + " and " +
                                     f.file);
        all.push_back(std::move(f));
    }
    if (mode == "update-cpp" || mode == "check-cpp") {
        const std::string table = cpp_table(all);
        if (mode == "check-cpp") {
            std::ifstream f(out);
            std::stringstream current;
            current << f.rdbuf();
            if (f && current.str() == table) {
                std::cout << out << ": the table lists all " << all.size() << " nodes as the "
                          << "code has them\n";
                return 0;
            }
            std::cerr << out << ": the table differs from the code's math lines; regenerate it "
                      << "with `cmake --build build --target update_op_table`\n";
            return 1;
        }
        const std::string temp = out + ".tmp";
        std::ofstream(temp) << table;
        if (std::rename(temp.c_str(), out.c_str()) != 0)
            throw std::runtime_error("cannot write " + out);
        std::cout << out << ": table written (" << all.size() << " nodes)\n";
        return 0;
    }
    std::string current;
    const std::string updated = with_table(out, markdown_table(all), current);
    if (mode == "check-doc") {
        if (current == markdown_table(all)) {
            std::cout << out << ": the op table lists all " << all.size() << " nodes as the code "
                      << "has them\n";
            return 0;
        }
        std::cerr << out << ": the op table differs from the code's math lines; regenerate it "
                  << "with `cmake --build build --target update_op_table`\n";
        return 1;
    }
    if (mode == "update-doc") {
        std::ofstream(out) << updated;
        std::cout << out << ": op table written (" << all.size() << " nodes)\n";
        return 0;
    }
    std::cerr << "gen_op_formulas: unknown mode '" << mode << "'\n";
    return 2;
} catch (const std::exception& e) {
    std::cerr << "gen_op_formulas: " << e.what() << "\n";
    return 1;
}
