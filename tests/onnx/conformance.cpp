// onnx_conformance: runs every ONNX node conformance case (Debian's libonnx-testdata, one
// model.onnx with input_*.pb / output_*.pb per case) whose ops descent::onnx::load maps, and prints
//   onnx conformance: N/M node cases pass
// with the failures by op. A case fails by a wrong value or shape (a bug: the ctest fails), or by
// a descent error that names what the mapping does not take (an attribute, a dtype, an opset:
// listed, the ctest passes). Tolerance as ONNX's backend tests: |got - want| <= 1e-3·|want| + 1e-5.
//   onnx_conformance [DATA_DIR] [--verbose]
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <descent/descent.hpp>
#include <descent/onnx/load.hpp>
#include <descent/onnx/tensor_proto.hpp>

namespace fs = std::filesystem;
using namespace descent;

namespace {

::onnx::TensorProto read_tensor(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    ::onnx::TensorProto t;
    if (!t.ParseFromIstream(&f)) throw IOError("cannot parse " + p.string());
    return t;
}

// "" when `got` matches `want`, else why not.
std::string compare(const Tensor& got, const Tensor& want) {
    if (!got.defined()) return "no output";
    if (got.shape() != want.shape()) {
        std::ostringstream s;
        s << "shape " << got.shape() << " != " << want.shape();
        return s.str();
    }
    if (got.dtype() != want.dtype())
        return std::string("dtype ") + dtype_name(got.dtype()) + " != " + dtype_name(want.dtype());
    const Tensor g = detail::converted(got, kFloat64), w = detail::converted(want, kFloat64);
    const double* a = g.data<double>();
    const double* b = w.data<double>();
    for (int64_t i = 0; i < g.numel(); ++i) {
        if (std::isnan(a[i]) && std::isnan(b[i])) continue;
        if (!(std::abs(a[i] - b[i]) <= 1e-3 * std::abs(b[i]) + 1e-5)) {
            std::ostringstream s;
            s << "value " << i << ": " << a[i] << " != " << b[i];
            return s.str();
        }
    }
    return "";
}

}  // namespace

int main(int argc, char** argv) {
    const fs::path root = argc > 1 && argv[1][0] != '-' ? argv[1] : DESCENT_ONNX_NODE_CASES;
    const bool verbose = argc > 2 || (argc > 1 && std::string(argv[argc - 1]) == "--verbose");
    if (!fs::is_directory(root)) {
        std::cerr << "onnx_conformance: " << root
                  << " is missing (apt-get install libonnx-testdata)\n";
        return 1;
    }
    std::vector<fs::path> cases;
    for (const auto& e : fs::directory_iterator(root))
        if (fs::exists(e.path() / "model.onnx")) cases.push_back(e.path());
    std::sort(cases.begin(), cases.end());
    int mapped = 0, passed = 0, wrong = 0;
    std::map<std::string, std::vector<std::string>> refused, wrong_by_op;
    std::map<std::string, std::pair<int, int>> per_op;  // op -> (passed, mapped)
    for (const fs::path& dir : cases) {
        ::onnx::ModelProto proto;
        {
            std::ifstream f(dir / "model.onnx", std::ios::binary);
            if (!proto.ParseFromIstream(&f)) continue;
        }
        std::set<std::string> ops;
        bool all_mapped = proto.graph().node_size() > 0;
        for (const auto& n : proto.graph().node()) {
            ops.insert(n.op_type());
            all_mapped =
                all_mapped && n.domain().empty() && descent::onnx::op_supported(n.op_type());
        }
        if (!all_mapped) continue;
        ++mapped;
        const std::string op = proto.graph().node(0).op_type();
        per_op[op].second++;
        const std::string name = dir.filename().string();
        try {
            auto model = descent::onnx::load((dir / "model.onnx").string());
            const fs::path data = dir / "test_data_set_0";
            std::vector<Tensor> inputs, outputs;
            for (size_t i = 0; fs::exists(data / ("input_" + std::to_string(i) + ".pb")); ++i)
                inputs.push_back(descent::onnx::detail::from_proto(
                    read_tensor(data / ("input_" + std::to_string(i) + ".pb")), name));
            for (size_t i = 0; fs::exists(data / ("output_" + std::to_string(i) + ".pb")); ++i)
                outputs.push_back(descent::onnx::detail::from_proto(
                    read_tensor(data / ("output_" + std::to_string(i) + ".pb")), name));
            // Optional inputs left out of the file are the graph inputs past those given.
            if (inputs.size() != model->input_names().size())
                throw ValueError("the case gives " + std::to_string(inputs.size()) +
                                 " inputs for a graph of " +
                                 std::to_string(model->input_names().size()));
            const std::vector<Tensor> got = model->run(inputs);
            std::string why = got.size() < outputs.size() ? "too few outputs" : "";
            for (size_t i = 0; why.empty() && i < outputs.size(); ++i)
                why = compare(got[i], outputs[i]);
            if (why.empty()) {
                ++passed;
                per_op[op].first++;
            } else {
                ++wrong;
                wrong_by_op[op].push_back(name + ": " + why);
            }
        } catch (const Error& e) {
            refused[op].push_back(name + ": " + e.what());
        } catch (const std::exception& e) {
            ++wrong;
            wrong_by_op[op].push_back(name + ": not a descent error: " + e.what());
        }
    }
    std::cout << "onnx conformance: " << passed << "/" << mapped << " node cases pass ("
              << cases.size()
              << " cases in the suite; the others use an op descent does not map)\n";
    std::cout << "per op (passed/mapped):";
    for (const auto& [op, c] : per_op) std::cout << " " << op << " " << c.first << "/" << c.second;
    std::cout << "\n";
    for (const auto& [op, list] : refused) {
        std::cout << "refused by a descent error, " << op << ": " << list.size() << "\n";
        if (verbose)
            for (const auto& l : list) std::cout << "  " << l << "\n";
    }
    for (const auto& [op, list] : wrong_by_op) {
        std::cout << "WRONG, " << op << ": " << list.size() << "\n";
        for (const auto& l : list) std::cout << "  " << l << "\n";
    }
    std::cout << wrong << " wrong\n";
    return wrong == 0 ? 0 : 1;
}
