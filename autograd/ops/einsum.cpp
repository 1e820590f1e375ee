// einsum by composition: each operand's repeated letters become a diagonal (index_select), letters
// used nowhere else are summed, then operands are folded left to right, each pair as one bmm of
// (batch, left, contracted) by (batch, contracted, right); the result is permuted to the output.
#include "descent/autograd/ops/einsum.hpp"

#include <algorithm>
#include <map>

#include "descent/autograd/ops/dims.hpp"
#include "descent/autograd/ops/forward.hpp"
#include "descent/autograd/ops/index.hpp"
#include "descent/autograd/ops/matmul.hpp"
#include "descent/autograd/ops/reduce_dims.hpp"
#include "descent/autograd/ops/shape.hpp"

namespace descent {

namespace {

// A tensor with one letter per dim (no repeats once diagonals are taken).
struct Labeled {
    Tensor t;
    std::string labels;
};

struct Equation {
    std::vector<std::string> inputs;
    std::string output;
};

Equation parse(const std::string& equation, size_t n_operands) {
    std::string eq;
    for (char c : equation)
        if (c != ' ') eq += c;
    DESCENT_CHECK(eq.find('.') == std::string::npos, ValueError, "einsum(): equation \"", equation,
                  "\" uses an ellipsis, which is not supported; name every dim with a letter");
    Equation e;
    const size_t arrow = eq.find("->");
    const std::string lhs = eq.substr(0, arrow);
    for (size_t start = 0;;) {
        const size_t comma = lhs.find(',', start);
        e.inputs.push_back(lhs.substr(start, comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    auto letters_only = [&](const std::string& s) {
        for (char c : s)
            DESCENT_CHECK(std::isalpha(static_cast<unsigned char>(c)), ValueError,
                          "einsum(): equation \"", equation, "\" has '", c,
                          "' where a letter was expected");
    };
    for (const std::string& in : e.inputs) letters_only(in);
    DESCENT_CHECK(e.inputs.size() == n_operands, ValueError, "einsum(): equation \"", equation,
                  "\" has ", e.inputs.size(), " operand(s) but ", n_operands, " were given");
    std::map<char, int> count;
    for (const std::string& in : e.inputs)
        for (char c : in) ++count[c];
    if (arrow == std::string::npos) {
        for (const auto& [c, n] : count)
            if (n == 1) e.output += c;  // std::map: alphabetical
        return e;
    }
    e.output = eq.substr(arrow + 2);
    letters_only(e.output);
    for (size_t i = 0; i < e.output.size(); ++i) {
        const char c = e.output[i];
        DESCENT_CHECK(count.count(c), ValueError, "einsum(): output letter '", c,
                      "' of equation \"", equation, "\" appears in no operand");
        DESCENT_CHECK(e.output.find(c) == i, ValueError, "einsum(): output letter '", c,
                      "' appears twice in equation \"", equation, "\"");
    }
    return e;
}

// The dims of t named by `letters`, in that order (each letter once in t's labels).
std::vector<int64_t> dims_of(const Labeled& x, const std::string& letters) {
    std::vector<int64_t> dims;
    for (char c : letters) dims.push_back(static_cast<int64_t>(x.labels.find(c)));
    return dims;
}

int64_t size_product(const Labeled& x, const std::string& letters) {
    int64_t n = 1;
    for (char c : letters) n *= x.t.size(static_cast<int64_t>(x.labels.find(c)));
    return n;
}

// x with its dims reordered to `letters` (no copy when already in that order).
Labeled arranged(const Labeled& x, const std::string& letters) {
    if (x.labels == letters) return x;
    return {permute(x.t, dims_of(x, letters)), letters};
}

// out[u...] = t[...] with every repeated letter reading the same index: the diagonal.
Labeled diagonal(const Tensor& t, const std::string& labels) {
    std::string unique;
    for (char c : labels)
        if (unique.find(c) == std::string::npos) unique += c;
    if (unique.size() == labels.size()) return {t, labels};
    Shape shape;
    for (char c : unique) shape.push_back(t.size(static_cast<int64_t>(labels.find(c))));
    const std::vector<int64_t> in_strides = contiguous_strides(t.shape());
    std::vector<int64_t> index(static_cast<size_t>(numel(shape)));
    std::vector<int64_t> at(unique.size(), 0);  // the output position, row-major
    for (int64_t& flat : index) {
        flat = 0;
        for (size_t d = 0; d < labels.size(); ++d)
            flat += at[unique.find(labels[d])] * in_strides[d];
        for (size_t d = unique.size(); d-- > 0;) {
            if (++at[d] < shape[d]) break;
            at[d] = 0;
        }
    }
    return {reshape(index_select(flatten(t), 0, index), shape), unique};
}

// x with the letters not in `keep` summed away.
Labeled sum_except(const Labeled& x, const std::string& keep) {
    std::string kept;
    std::vector<int64_t> dims;
    for (size_t d = 0; d < x.labels.size(); ++d) {
        if (keep.find(x.labels[d]) != std::string::npos)
            kept += x.labels[d];
        else
            dims.push_back(static_cast<int64_t>(d));
    }
    if (dims.empty()) return x;
    return {sum(x.t, dims), kept};
}

// The product of a and b, keeping the letters in `needed` (others shared by both are contracted).
Labeled contract(const Labeled& a, const Labeled& b, const std::string& needed) {
    std::string batch, left, right, inner;
    for (char c : a.labels) {
        const bool in_b = b.labels.find(c) != std::string::npos;
        if (in_b)
            (needed.find(c) != std::string::npos ? batch : inner) += c;
        else
            left += c;
    }
    for (char c : b.labels)
        if (a.labels.find(c) == std::string::npos) right += c;
    const int64_t nb = size_product(a, batch), nl = size_product(a, left),
                  nc = size_product(a, inner), nr = size_product(b, right);
    // Operands already laid out as (batch, contracted, left) or (batch, right, contracted) go to
    // sgemm as transposes instead of being permuted.
    const bool ta = a.labels == batch + inner + left, tb = b.labels == batch + right + inner;
    const Tensor am = reshape(arranged(a, ta ? a.labels : batch + left + inner).t,
                              ta ? Shape{nb, nc, nl} : Shape{nb, nl, nc});
    const Tensor bm = reshape(arranged(b, tb ? b.labels : batch + inner + right).t,
                              tb ? Shape{nb, nr, nc} : Shape{nb, nc, nr});
    Shape shape;
    for (char c : batch) shape.push_back(a.t.size(static_cast<int64_t>(a.labels.find(c))));
    for (char c : left) shape.push_back(a.t.size(static_cast<int64_t>(a.labels.find(c))));
    for (char c : right) shape.push_back(b.t.size(static_cast<int64_t>(b.labels.find(c))));
    return {reshape(bmm(am, bm, ta, tb), shape), batch + left + right};
}

}  // namespace

Tensor einsum(const std::string& equation, const std::vector<Tensor>& operands, CallSite) {
    for (const Tensor& t : operands) ops_detail::check_defined(t, "einsum", "operand");
    const Equation e = parse(equation, operands.size());
    DESCENT_CHECK(!operands.empty(), ValueError, "einsum(): expects at least one operand");
    std::map<char, int64_t> size;
    for (size_t k = 0; k < operands.size(); ++k) {
        const std::string& in = e.inputs[k];
        DESCENT_CHECK(static_cast<int64_t>(in.size()) == operands[k].dim(), ShapeError,
                      "einsum(): operand ", k, " has shape ", operands[k].shape(), " but \"", in,
                      "\" in equation \"", equation, "\" names ", in.size(), " dims");
        for (size_t d = 0; d < in.size(); ++d) {
            const int64_t s = operands[k].size(static_cast<int64_t>(d));
            const auto [it, fresh] = size.emplace(in[d], s);
            DESCENT_CHECK(fresh || it->second == s, ShapeError, "einsum(): letter '", in[d],
                          "' of equation \"", equation, "\" has size ", it->second,
                          " in one place and ", s, " in operand ", k, " (shape ",
                          operands[k].shape(), ")");
        }
    }
    // The letters still needed after operand k: the output's and those of operands after k.
    std::vector<std::string> needed_after(operands.size());
    std::string needed = e.output;
    for (size_t k = operands.size(); k-- > 0;) {
        needed_after[k] = needed;
        needed += e.inputs[k];
    }
    Labeled acc = diagonal(operands[0], e.inputs[0]);
    for (size_t k = 1; k < operands.size(); ++k) {
        Labeled next = diagonal(operands[k], e.inputs[k]);
        // A letter of one side only that nothing later needs is summed before the product.
        acc = sum_except(acc, needed_after[k] + next.labels);
        next = sum_except(next, needed_after[k] + acc.labels);
        acc = contract(acc, next, needed_after[k]);
    }
    acc = sum_except(acc, e.output);
    return arranged(acc, e.output).t.is_same(operands[0]) ? clone(operands[0])
                                                          : arranged(acc, e.output).t;
}

}  // namespace descent
