// einsum: the contractions of attention and bilinear layers, transposes, diagonals and sums,
// each against a naive loop over every assignment of the letters; gradients of both orders;
// refused equations.
#include <map>
#include <string>

#include "support.hpp"

using namespace descent;
using V = std::vector<Tensor>;

namespace {

// Σ over every assignment of the letters of Π operands, written to the output's letters: the
// definition of einsum, as slowly as possible. `out` names the output letters explicitly.
std::vector<float> naive_einsum(const std::vector<std::string>& ins, const std::string& out,
                                const V& ops) {
    std::map<char, int64_t> size;
    for (size_t k = 0; k < ins.size(); ++k)
        for (size_t d = 0; d < ins[k].size(); ++d) size[ins[k][d]] = ops[k].size(d);
    std::string letters;
    for (const auto& [c, n] : size) letters += c;
    int64_t out_n = 1;
    for (char c : out) out_n *= size[c];
    std::vector<double> acc(static_cast<size_t>(out_n), 0.0);
    std::map<char, int64_t> at;
    for (char c : letters) at[c] = 0;
    for (;;) {
        double p = 1;
        for (size_t k = 0; k < ins.size(); ++k) {
            int64_t flat = 0;
            for (size_t d = 0; d < ins[k].size(); ++d) flat = flat * ops[k].size(d) + at[ins[k][d]];
            p *= ops[k].data()[flat];
        }
        int64_t o = 0;
        for (char c : out) o = o * size[c] + at[c];
        acc[static_cast<size_t>(o)] += p;
        size_t i = letters.size();
        while (i-- > 0) {
            if (++at[letters[i]] < size[letters[i]]) break;
            at[letters[i]] = 0;
        }
        if (i == static_cast<size_t>(-1)) break;
    }
    return std::vector<float>(acc.begin(), acc.end());
}

}  // namespace

TEST_CASE("einsum matches a naive loop over the letters") {
    const Tensor a = test::input({2, 3, 4}, 71), b = test::input({2, 4, 5}, 72);
    CHECK_VALUES(einsum("bij,bjk->bik", {a, b}), {2, 3, 5},
                 naive_einsum({"bij", "bjk"}, "bik", {a, b}), 1e-4);
    CHECK(allclose(einsum("bij,bjk->bik", {a, b}), matmul(a, b), 1e-5, 1e-6));
    const Tensor q = test::input({2, 2, 3, 4}, 73), k = test::input({2, 2, 5, 4}, 74);
    CHECK_VALUES(einsum("bhqd,bhkd->bhqk", {q, k}), {2, 2, 3, 5},
                 naive_einsum({"bhqd", "bhkd"}, "bhqk", {q, k}), 1e-4);
    const Tensor p = test::input({2, 2, 3, 5}, 75), v = test::input({2, 2, 5, 4}, 76);
    CHECK_VALUES(einsum("bhqk,bhkd->bhqd", {p, v}), {2, 2, 3, 4},
                 naive_einsum({"bhqk", "bhkd"}, "bhqd", {p, v}), 1e-4);
    const Tensor x1 = test::input({3, 4}, 77), w = test::input({2, 4, 5}, 78),
                 x2 = test::input({3, 5}, 79);
    CHECK_VALUES(einsum("bi,oij,bj->bo", {x1, w, x2}), {3, 2},
                 naive_einsum({"bi", "oij", "bj"}, "bo", {x1, w, x2}), 1e-4);
    const Tensor m = test::input({3, 4}, 80), s = test::input({3, 3}, 81);
    CHECK_VALUES(einsum("ij->ji", {m}), {4, 3}, naive_einsum({"ij"}, "ji", {m}));
    CHECK_VALUES(einsum("ii->i", {s}), {3}, naive_einsum({"ii"}, "i", {s}));
    CHECK_VALUES(einsum("ii", {s}), {}, naive_einsum({"ii"}, "", {s}), 1e-5);  // the trace
    CHECK_VALUES(einsum("ij->", {m}), {}, naive_einsum({"ij"}, "", {m}), 1e-5);
    CHECK_VALUES(einsum("ij->j", {m}), {4}, naive_einsum({"ij"}, "j", {m}), 1e-5);
    CHECK_VALUES(einsum("i,j->ij", {x1.select(0, 0), x2.select(0, 1)}), {4, 5},
                 naive_einsum({"i", "j"}, "ij", {x1.select(0, 0), x2.select(0, 1)}));
    // Implicit output: the letters used once, in alphabetical order ("ji" -> "ij": transposed).
    CHECK_VALUES(einsum("ji", {m}), {4, 3}, naive_einsum({"ji"}, "ij", {m}));
    CHECK_VALUES(einsum("ij,jk", {m, w.select(0, 0)}), {3, 5},
                 naive_einsum({"ij", "jk"}, "ik", {m, w.select(0, 0)}), 1e-4);
    // Spaces are ignored; i and j, each in one operand only, are summed within it.
    CHECK_VALUES(einsum(" bi , bj -> b ", {x1, x2}), {3}, naive_einsum({"bi", "bj"}, "b", {x1, x2}),
                 1e-4);
    // The output never aliases an operand.
    Tensor same = einsum("ij->ij", {m});
    CHECK_FALSE(same.is_same(m));
}

TEST_CASE("einsum: gradients, first and second order") {
    const Tensor a = test::input({2, 3, 4}, 82), b = test::input({2, 4, 2}, 83);
    const Tensor q = test::input({1, 2, 3, 2}, 84), k = test::input({1, 2, 2, 2}, 85);
    const Tensor x1 = test::input({2, 3}, 86), w = test::input({2, 3, 2}, 87),
                 x2 = test::input({2, 2}, 88), s = test::input({3, 3}, 89);
    struct Case {
        const char* name;
        autograd::TensorFunction f;
        V inputs;
    };
    auto eq = [](const char* e) { return [e](const V& v) { return einsum(e, v); }; };
    for (const Case& c : std::vector<Case>{
             {"bij,bjk->bik", eq("bij,bjk->bik"), {a, b}},
             {"bhqd,bhkd->bhqk", eq("bhqd,bhkd->bhqk"), {q, k}},
             {"bhqk,bhkd->bhqd", eq("bhqk,bhkd->bhqd"), {q, k}},
             {"bi,oij,bj->bo", eq("bi,oij,bj->bo"), {x1, w, x2}},
             {"ij->ji", eq("ij->ji"), {x1}},
             {"ii->i", eq("ii->i"), {s}},
             {"ij->", eq("ij->"), {x1}},
         }) {
        INFO(c.name);
        CHECK_GRADIENTS(c.f, c.inputs);
    }
}

TEST_CASE("einsum: refused equations name the call, the equation and the values") {
    const Tensor m = zeros({2, 3}), n = zeros({3, 4});
    CHECK_ERROR(ValueError,
                [&] {
                    einsum("...ij,jk->ik", {m, n});
                },
                {"einsum()", "\"...ij,jk->ik\"", "ellipsis", "not supported"});
    CHECK_ERROR(ValueError, [&] { einsum("ij,jk->ik", {m}); },
                {"einsum()", "\"ij,jk->ik\"", "2 operand(s)", "1 were given"});
    CHECK_ERROR(ValueError, [&] { einsum("i1,jk->ik", {m, n}); }, {"einsum()", "'1'", "letter"});
    CHECK_ERROR(ValueError,
                [&] {
                    einsum("ij,jk->iz", {m, n});
                },
                {"einsum()", "'z'", "no operand"});
    CHECK_ERROR(ValueError, [&] { einsum("ij,jk->ii", {m, n}); }, {"einsum()", "'i'", "twice"});
    CHECK_ERROR(ShapeError,
                [&] {
                    einsum("ijk,jk->i", {m, n});
                },
                {"einsum()", "operand 0", "(2, 3)", "\"ijk\"", "3 dims"});
    CHECK_ERROR(ShapeError,
                [&] {
                    einsum("ij,ik->jk", {m, n});
                },
                {"einsum()", "letter 'i'", "size 2", "3 in operand 1", "(3, 4)"});
    CHECK_ERROR(ValueError, [&] { einsum("", {}); }, {"einsum()"});
    CHECK_ERROR(ValueError, [&] { einsum("ij", {Tensor()}); }, {"einsum()", "undefined"});
}
