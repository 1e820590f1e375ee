// onnx/ops_tensor.cpp's ops on one-node graphs made here, for what the conformance suite does not
// reach at the opsets descent reads (Not and ConstantOfShape's cases are opset 1 and 9; Equal's and
// Range's int32): values, integer dtypes, Split's attribute form, the errors, and gradients.
#include <doctest/doctest.h>

#include <onnx/onnx_pb.h>
#include <descent/onnx/load.hpp>

#include "onnx/ort.hpp"
#include "support.hpp"

using namespace descent;
namespace donnx = descent::onnx;

namespace {

int32_t elem(ScalarType t) {
    switch (t) {
        case kFloat32: return ::onnx::TensorProto::FLOAT;
        case kFloat64: return ::onnx::TensorProto::DOUBLE;
        case kInt64: return ::onnx::TensorProto::INT64;
        case kBool: return ::onnx::TensorProto::BOOL;
        default: return ::onnx::TensorProto::UINT8;
    }
}

struct OneNode {
    std::string op;
    int64_t opset = 17;
    std::vector<std::pair<std::string, ScalarType>> inputs, outputs;
    std::function<void(::onnx::NodeProto&)> attributes = [](::onnx::NodeProto&) {};
};

// Writes the one-node model, loads it with onnx::load and runs it on `args`.
std::vector<Tensor> run_one(const OneNode& spec, const std::vector<Tensor>& args) {
    ::onnx::ModelProto m;
    m.set_ir_version(8);
    m.add_opset_import()->set_version(spec.opset);
    auto* g = m.mutable_graph();
    g->set_name("one");
    auto* node = g->add_node();
    node->set_name("the_node");
    node->set_op_type(spec.op);
    // ONNX's checker wants a shape on each: the inputs' rank with free dims; the outputs' is
    // left empty (onnx::load runs no shape inference).
    for (size_t i = 0; i < spec.inputs.size(); ++i) {
        auto* v = g->add_input();
        v->set_name(spec.inputs[i].first);
        auto* t = v->mutable_type()->mutable_tensor_type();
        t->set_elem_type(elem(spec.inputs[i].second));
        auto* shape = t->mutable_shape();
        for (int64_t d = 0; i < args.size() && d < args[i].dim(); ++d) shape->add_dim();
        node->add_input(spec.inputs[i].first);
    }
    for (const auto& [name, type] : spec.outputs) {
        auto* v = g->add_output();
        v->set_name(name);
        v->mutable_type()->mutable_tensor_type()->set_elem_type(elem(type));
        v->mutable_type()->mutable_tensor_type()->mutable_shape();
        node->add_output(name);
    }
    spec.attributes(*node);
    onnx_test::TempPath path("one_node.onnx");
    {
        std::string bytes;
        REQUIRE(m.SerializeToString(&bytes));
        std::ofstream f(path.path, std::ios::binary);
        f << bytes;
    }
    return donnx::load(path.path)->run(args);
}

Tensor i64(std::vector<int64_t> v) {
    const auto n = static_cast<int64_t>(v.size());
    return tensor(v, Shape{n}, kInt64);
}

void int_attr(::onnx::NodeProto& n, const char* name, int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(v);
}

}  // namespace

TEST_CASE("onnx ops: Not, Equal, Less and Greater on int64 and bool") {
    const Tensor b = i64({1, 0, 1}).to(kBool);
    Tensor y = run_one({"Not", 17, {{"x", kBool}}, {{"y", kBool}}}, {b})[0];
    CHECK(y.dtype() == kBool);
    CHECK(y.to(kInt64).to_vector<int64_t>() == std::vector<int64_t>{0, 1, 0});
    const Tensor a = i64({1, 5, 3}), c = i64({1, 2, 4});
    y = run_one({"Equal", 17, {{"a", kInt64}, {"b", kInt64}}, {{"y", kBool}}}, {a, c})[0];
    CHECK(y.to(kInt64).to_vector<int64_t>() == std::vector<int64_t>{1, 0, 0});
    y = run_one({"Less", 17, {{"a", kInt64}, {"b", kInt64}}, {{"y", kBool}}}, {a, c})[0];
    CHECK(y.to(kInt64).to_vector<int64_t>() == std::vector<int64_t>{0, 0, 1});
    y = run_one({"GreaterOrEqual", 17, {{"a", kInt64}, {"b", kInt64}}, {{"y", kBool}}}, {a, c})[0];
    CHECK(y.to(kInt64).to_vector<int64_t>() == std::vector<int64_t>{1, 1, 0});
    CHECK_ERROR(ValueError,
                [&] { run_one({"Not", 17, {{"x", kFloat32}}, {{"y", kBool}}}, {ones({2})}); },
                {"node 'the_node' (Not)", "must be bool, got float32"});
}

TEST_CASE("onnx ops: Div on int64 truncates toward 0, as C and onnxruntime do") {
    const Tensor a = i64({7, -7, 7, -7, 16}), b = i64({2, 2, -2, -2, 2});
    const Tensor y = run_one({"Div", 17, {{"a", kInt64}, {"b", kInt64}}, {{"y", kInt64}}}, {a, b})[0];
    CHECK(y.dtype() == kInt64);
    CHECK(y.to_vector<int64_t>() == std::vector<int64_t>{3, -3, -3, 3, 8});
}

TEST_CASE("onnx ops: Cast to int64 truncates toward 0, to bool is != 0, unknown types refused") {
    const Tensor x = tensor({-1.5f, 0.0f, 2.7f, -0.2f});
    auto cast = [&](int64_t to, ScalarType out) {
        return run_one({"Cast", 17, {{"x", kFloat32}}, {{"y", out}},
                        [to](::onnx::NodeProto& n) { int_attr(n, "to", to); }},
                       {x})[0];
    };
    CHECK(cast(7, kInt64).to_vector<int64_t>() == std::vector<int64_t>{-1, 0, 2, 0});
    CHECK(cast(9, kBool).to(kInt64).to_vector<int64_t>() == std::vector<int64_t>{1, 0, 1, 1});
    CHECK(cast(11, kFloat64).dtype() == kFloat64);
    CHECK_ERROR(ValueError, [&] { cast(10, kFloat32); },
                {"node 'the_node' (Cast)", "element type 10", "FLOAT, DOUBLE, INT64"});
}

TEST_CASE("onnx ops: ConstantOfShape with and without a value, Range on int64") {
    auto y = run_one({"ConstantOfShape", 17, {{"shape", kInt64}}, {{"y", kFloat32}}},
                     {i64({2, 3})})[0];
    CHECK_VALUES(y, {2, 3}, {0, 0, 0, 0, 0, 0});
    y = run_one({"ConstantOfShape", 17, {{"shape", kInt64}}, {{"y", kInt64}},
                 [](::onnx::NodeProto& n) {
                     auto* a = n.add_attribute();
                     a->set_name("value");
                     a->set_type(::onnx::AttributeProto::TENSOR);
                     a->mutable_t()->set_data_type(::onnx::TensorProto::INT64);
                     a->mutable_t()->add_dims(1);
                     a->mutable_t()->add_int64_data(7);
                 }},
                {i64({3})})[0];
    CHECK(y.to_vector<int64_t>() == std::vector<int64_t>{7, 7, 7});
    CHECK_ERROR(ValueError,
                [&] {
                    run_one({"ConstantOfShape", 17, {{"shape", kInt64}}, {{"y", kFloat32}}},
                            {i64({1 << 30, 1 << 30})});
                },
                {"(ConstantOfShape)", "too many elements"});
    const Tensor s = tensor(std::vector<int64_t>{10}, Shape{}, kInt64),
                 l = tensor(std::vector<int64_t>{4}, Shape{}, kInt64),
                 d = tensor(std::vector<int64_t>{-3}, Shape{}, kInt64);
    y = run_one({"Range", 17, {{"s", kInt64}, {"l", kInt64}, {"d", kInt64}}, {{"y", kInt64}}},
                {s, l, d})[0];
    CHECK(y.to_vector<int64_t>() == std::vector<int64_t>{10, 7});
}

TEST_CASE("onnx ops: Split's attribute form (opset 11), input form (13) and equal parts") {
    const Tensor x = arange(6.0).reshape({6});
    auto outs = run_one({"Split", 11, {{"x", kFloat32}}, {{"a", kFloat32}, {"b", kFloat32}},
                         [](::onnx::NodeProto& n) {
                             auto* a = n.add_attribute();
                             a->set_name("split");
                             a->set_type(::onnx::AttributeProto::INTS);
                             a->add_ints(2);
                             a->add_ints(4);
                         }},
                        {x});
    CHECK_VALUES(outs[0], {2}, {0, 1});
    CHECK_VALUES(outs[1], {4}, {2, 3, 4, 5});
    outs = run_one({"Split", 13, {{"x", kFloat32}, {"s", kInt64}},
                    {{"a", kFloat32}, {"b", kFloat32}, {"c", kFloat32}}},
                   {x, i64({1, 0, 5})});
    CHECK(outs[1].shape() == Shape{0});
    CHECK_VALUES(outs[2], {5}, {1, 2, 3, 4, 5});
    outs = run_one({"Split", 17, {{"x", kFloat32}}, {{"a", kFloat32}, {"b", kFloat32}, {"c", kFloat32}}},
                   {x});
    CHECK_VALUES(outs[1], {2}, {2, 3});
    CHECK_ERROR(ValueError,
                [&] {
                    run_one({"Split", 17, {{"x", kFloat32}}, {{"a", kFloat32}, {"b", kFloat32}}},
                            {arange(5.0)});
                },
                {"(Split)", "size 5 does not split into 2 equal parts"});
}

TEST_CASE("onnx ops: Gather and Slice are differentiable, bad indices name the node") {
    const Tensor x = arange(12.0).reshape({3, 4}).requires_grad_();
    const Tensor g = run_one({"Gather", 17, {{"x", kFloat32}, {"i", kInt64}}, {{"y", kFloat32}},
                              [](::onnx::NodeProto& n) { int_attr(n, "axis", 1); }},
                             {x, tensor(std::vector<int64_t>{-1, 0}, Shape{2}, kInt64)})[0];
    CHECK_VALUES(g, {3, 2}, {3, 0, 7, 4, 11, 8});
    g.sum().backward();
    CHECK_VALUES(x.grad(), {3, 4}, {1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1});
    CHECK_ERROR(IndexError,
                [&] {
                    run_one({"Gather", 17, {{"x", kFloat32}, {"i", kInt64}}, {{"y", kFloat32}}},
                            {x, i64({3})});
                },
                {"node 'the_node' (Gather)", "index 3 is out of range for dim 0 of size 3"});
    // x[2:0:-1, ::2]
    const Tensor s = run_one({"Slice", 17,
                              {{"x", kFloat32},
                               {"starts", kInt64},
                               {"ends", kInt64},
                               {"axes", kInt64},
                               {"steps", kInt64}},
                              {{"y", kFloat32}}},
                             {x, i64({2, 0}), i64({0, 100}), i64({0, 1}), i64({-1, 2})})[0];
    CHECK_VALUES(s, {2, 2}, {8, 10, 4, 6});
    CHECK_ERROR(ValueError,
                [&] {
                    run_one({"Slice", 17,
                             {{"x", kFloat32}, {"starts", kInt64}, {"ends", kInt64},
                              {"axes", kInt64}, {"steps", kInt64}},
                             {{"y", kFloat32}}},
                            {x, i64({0}), i64({1}), i64({0}), i64({0})});
                },
                {"(Slice)", "step 0 on axis 0"});
}
