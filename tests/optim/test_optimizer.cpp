// The optimizer base: parameter groups, zero_grad, skipping parameters without a gradient, the
// closure, state-dict layout, exact resumption from a state dict, load errors, group errors.
#include "optim/problem.hpp"

#include <algorithm>

#include "descent/optim/adadelta.hpp"
#include "descent/optim/adagrad.hpp"
#include "descent/optim/adam.hpp"
#include "descent/optim/adamax.hpp"
#include "descent/optim/adamw.hpp"
#include "descent/optim/nadam.hpp"
#include "descent/optim/radam.hpp"
#include "descent/optim/rmsprop.hpp"
#include "descent/optim/sgd.hpp"

using namespace descent;
using namespace optim_test;
using namespace descent::optim;

namespace {

bool has_key(const NamedTensors& dict, const std::string& key) {
    return std::any_of(dict.begin(), dict.end(), [&](const auto& kv) { return kv.first == key; });
}

const Tensor& at(const NamedTensors& dict, const std::string& key) {
    for (const auto& [k, t] : dict)
        if (k == key) return t;
    FAIL("no key " << key);
    throw;
}

std::vector<Tensor> copies(const std::vector<Tensor>& params) {
    std::vector<Tensor> out;
    for (const Tensor& p : params) out.push_back(p.detach().clone().requires_grad_());
    return out;
}

}  // namespace

TEST_CASE("Param groups have their own lr, and a group without options takes the defaults") {
    Tensor a = ones({2}).requires_grad_(), b = ones({2}).requires_grad_(),
           c = ones({2}).requires_grad_();
    std::vector<OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<Tensor>{a});
    groups.emplace_back(std::vector<Tensor>{b}, std::make_unique<SGDOptions>(0.01));
    SGD opt(groups, SGDOptions(0.1));
    opt.add_param_group(OptimizerParamGroup({c}, std::make_unique<SGDOptions>(1.0)));
    REQUIRE(opt.param_groups().size() == 3);
    CHECK(opt.param_groups()[0].options().get_lr() == 0.1);
    CHECK(opt.param_groups()[1].options().get_lr() == 0.01);
    CHECK(opt.param_groups()[2].options().get_lr() == 1.0);
    CHECK(opt.size() == 3);
    for (Tensor* p : {&a, &b, &c}) p->mutable_grad() = full({2}, 2.0f);
    opt.step();
    CHECK_VALUES(a, {2}, {1 - 0.2f, 1 - 0.2f});
    CHECK_VALUES(b, {2}, {1 - 0.02f, 1 - 0.02f});
    CHECK_VALUES(c, {2}, {-1, -1});
    // A scheduler's view: set_lr on one group changes only that group's steps.
    opt.param_groups()[0].options().set_lr(0.5);
    opt.step();
    CHECK_VALUES(a, {2}, {0.8f - 1.0f, 0.8f - 1.0f});
    CHECK_VALUES(b, {2}, {0.98f - 0.02f, 0.98f - 0.02f});
}

TEST_CASE("zero_grad drops gradients, or zeroes them with set_to_none = false") {
    Tensor w = tensor({1, 2, 3}).requires_grad_();
    SGD opt({w}, 0.1);
    sum(w * w).backward();
    CHECK(w.grad().defined());
    opt.zero_grad();
    CHECK_FALSE(w.grad().defined());
    sum(w * w).backward();
    opt.zero_grad(false);
    CHECK_VALUES(w.grad(), {3}, {0, 0, 0});
    // The zeroed gradient accumulates the next backward.
    sum(w * w).backward();
    CHECK_VALUES(w.grad(), {3}, {2, 4, 6});
}

TEST_CASE("step skips parameters without a gradient and bumps the version of those it updates") {
    Tensor used = ones({2}).requires_grad_(), unused = ones({3}).requires_grad_();
    Adam opt({used, unused}, AdamOptions(0.1));
    const uint64_t v_used = used.version(), v_unused = unused.version();
    used.mutable_grad() = ones({2});
    opt.step();
    CHECK_VALUES(unused, {3}, {1, 1, 1});
    CHECK(opt.state(1) == nullptr);
    CHECK(opt.state(0) != nullptr);
    CHECK(used.version() > v_used);
    CHECK(unused.version() == v_unused);
    CHECK_VALUES(used, {2}, {0.9f, 0.9f});  // Adam's first step moves by lr·sign(g)
}

TEST_CASE("step allocates state once: buffers keep their storage from the second step on") {
    std::vector<Tensor> params = make_params();
    Adam opt(params, AdamOptions(0.1).amsgrad(true));
    run(opt, params, 1);
    const float* m = opt.state(0)->exp_avg.data();
    const float* v = opt.state(0)->exp_avg_sq.data();
    const float* vmax = opt.state(0)->max_exp_avg_sq.data();
    run(opt, params, 5);
    CHECK(opt.state(0)->exp_avg.data() == m);
    CHECK(opt.state(0)->exp_avg_sq.data() == v);
    CHECK(opt.state(0)->max_exp_avg_sq.data() == vmax);
}

TEST_CASE("step(closure) evaluates the loss with grad mode on and returns it") {
    Tensor w = tensor({3}).requires_grad_();
    SGD opt({w}, 0.25);
    NoGradGuard no_grad;  // the closure must still record its graph
    const Tensor loss = opt.step([&] {
        opt.zero_grad();
        Tensor l = sum(w * w);
        l.backward();
        return l;
    });
    CHECK(loss.item() == doctest::Approx(9));
    CHECK_VALUES(w, {1}, {3 - 0.25f * 6});
    CHECK_FALSE(opt.step().defined());
}

TEST_CASE("step refuses a gradient whose shape differs from its parameter's") {
    Tensor w = ones({2, 3}).requires_grad_();
    SGD opt({w}, 0.1);
    w.mutable_grad() = ones({3, 2});
    CHECK_ERROR(ShapeError, [&] { opt.step(); }, {"SGD.step()", "(2, 3)", "(3, 2)"});
}

TEST_CASE(
    "add_param_group refuses repeated, non-leaf and undefined parameters and foreign options") {
    Tensor w = ones({2}).requires_grad_();
    SGD opt({w}, 0.1);
    CHECK_ERROR(ValueError, [&] { opt.add_param_group(OptimizerParamGroup({w})); },
                {"SGD.add_param_group()", "more than once"});
    CHECK_ERROR(ValueError, [&] { opt.add_param_group(OptimizerParamGroup({w * 2.0f})); },
                {"not a leaf"});
    CHECK_ERROR(ValueError, [&] { opt.add_param_group(OptimizerParamGroup({Tensor()})); },
                {"undefined"});
    Tensor v = ones({2}).requires_grad_();
    CHECK_ERROR(
        ValueError,
        [&] { opt.add_param_group(OptimizerParamGroup({v}, std::make_unique<AdamOptions>(0.1))); },
        {"options of another optimizer"});
    CHECK_ERROR(
        ValueError,
        [&] { opt.add_param_group(OptimizerParamGroup({v}, std::make_unique<SGDOptions>(-1))); },
        {"SGD()", "lr", "-1"});
    CHECK(opt.param_groups().size() == 1);
}

TEST_CASE("state_dict lists every group's hyper-parameters and every state tensor") {
    std::vector<Tensor> params = make_params();
    Tensor extra = ones({2, 2}).requires_grad_();
    Adam opt(params, AdamOptions(0.1).amsgrad(true));
    opt.add_param_group(OptimizerParamGroup({extra}, std::make_unique<AdamOptions>(1e-3)));
    run(opt, params, 2);  // extra gets no gradient, so no state
    const NamedTensors dict = opt.state_dict();
    for (const char* key :
         {"param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps",
          "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.params",
          "param_groups.1.lr", "param_groups.1.params", "state.0.step", "state.0.exp_avg",
          "state.0.exp_avg_sq", "state.0.max_exp_avg_sq", "state.1.exp_avg"})
        CHECK_MESSAGE(has_key(dict, key), key);
    CHECK_FALSE(has_key(dict, "state.2.step"));
    CHECK_FALSE(has_key(dict, "state.0.momentum_buffer"));
    CHECK_VALUES(at(dict, "state.0.step"), {}, {2});
    CHECK_VALUES(at(dict, "param_groups.0.amsgrad"), {}, {1});
    CHECK_VALUES(at(dict, "param_groups.0.params"), {2}, {0, 1});
    CHECK_VALUES(at(dict, "param_groups.1.params"), {1}, {2});
    CHECK(at(dict, "state.0.exp_avg").shape() == Shape{2});
    CHECK(equal(at(dict, "state.1.exp_avg_sq"), opt.state(1)->exp_avg_sq));
    // A double hyper-parameter is three floats: its float value first, and a sum that is exact.
    const Tensor& lr = at(dict, "param_groups.1.lr");
    REQUIRE(lr.shape() == Shape{3});
    CHECK(lr.data()[0] == 1e-3f);
    CHECK(double(lr.data()[0]) + double(lr.data()[1]) + double(lr.data()[2]) == 1e-3);
    // The dict holds copies: stepping on does not change it.
    const Tensor saved = at(dict, "state.0.exp_avg").clone();
    run(opt, params, 1);
    CHECK(equal(at(dict, "state.0.exp_avg"), saved));
}

TEST_CASE("Saving mid-training and loading into a fresh optimizer resumes bit for bit") {
    using Make = std::function<std::unique_ptr<Optimizer>(std::vector<Tensor>)>;
    const std::vector<std::pair<const char*, Make>> makers = {
        {"SGD",
         [](auto p) {
             return std::make_unique<SGD>(
                 p, SGDOptions(0.05).momentum(0.9).nesterov(true).weight_decay(1e-3));
         }},
        {"SGD dampened",
         [](auto p) {
             return std::make_unique<SGD>(p, SGDOptions(0.05).momentum(0.5).dampening(0.2));
         }},
        {"Adam",
         [](auto p) {
             return std::make_unique<Adam>(p, AdamOptions(0.03).amsgrad(true).weight_decay(0.01));
         }},
        {"AdamW", [](auto p) { return std::make_unique<AdamW>(p, AdamWOptions(0.03)); }},
        {"RMSprop",
         [](auto p) {
             return std::make_unique<RMSprop>(p, RMSpropOptions(0.01).momentum(0.5).centered(true));
         }},
        {"Adagrad",
         [](auto p) { return std::make_unique<Adagrad>(p, AdagradOptions(0.1).lr_decay(0.01)); }},
        {"NAdam",
         [](auto p) { return std::make_unique<NAdam>(p, NAdamOptions(0.05).weight_decay(0.01)); }},
        {"RAdam", [](auto p) { return std::make_unique<RAdam>(p, RAdamOptions(0.05)); }},
        {"Adamax",
         [](auto p) { return std::make_unique<Adamax>(p, AdamaxOptions(0.05).maximize(true)); }},
        {"Adadelta",
         [](auto p) { return std::make_unique<Adadelta>(p, AdadeltaOptions(0.5).rho(0.8)); }},
    };
    const int total = 10, k = 4;
    for (const auto& [name, make] : makers) {
        CAPTURE(name);
        std::vector<Tensor> straight = make_params();
        auto opt = make(straight);
        run(*opt, straight, k);
        // A scheduler-like lr no float holds exactly: it must survive the float32 state dict.
        opt->param_groups()[0].options().set_lr(opt->param_groups()[0].options().get_lr() * 0.7);
        const std::vector<Tensor> saved_params = copies(straight);
        const NamedTensors saved = opt->state_dict();
        run(*opt, straight, total - k);

        std::vector<Tensor> resumed = copies(saved_params);
        auto fresh = make(resumed);
        fresh->load_state_dict(saved);
        CHECK(fresh->param_groups()[0].options().get_lr() ==
              opt->param_groups()[0].options().get_lr());
        run(*fresh, resumed, total - k);
        for (size_t i = 0; i < straight.size(); ++i) CHECK(equal(straight[i], resumed[i]));
        // And the optimizer states agree too, so the runs would go on agreeing.
        const NamedTensors a = opt->state_dict(), b = fresh->state_dict();
        REQUIRE(a.size() == b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].first == b[i].first);
            CHECK_MESSAGE(equal(a[i].second, b[i].second), a[i].first);
        }
    }
}

TEST_CASE(
    "load_state_dict reports missing and unexpected keys and wrong shapes, and changes nothing") {
    std::vector<Tensor> params = make_params();
    Adam opt(params, AdamOptions(0.1));
    run(opt, params, 2);
    const NamedTensors good = opt.state_dict();

    std::vector<Tensor> other_params = make_params();
    Adam other(other_params, AdamOptions(0.5));
    auto unchanged = [&] {
        CHECK(other.param_groups()[0].options().get_lr() == 0.5);
        CHECK(other.state(0) == nullptr);
    };

    NamedTensors missing;
    for (const auto& kv : good)
        if (kv.first != "state.1.exp_avg_sq") missing.push_back(kv);
    CHECK_ERROR(StateError, [&] { other.load_state_dict(missing); },
                {"Adam.load_state_dict()", "missing keys: state.1.exp_avg_sq"});
    unchanged();

    NamedTensors extra = good;
    extra.emplace_back("state.7.exp_avg", zeros({2}));
    extra.emplace_back("param_groups.0.momentum", zeros({3}));
    CHECK_ERROR(StateError, [&] { other.load_state_dict(extra); },
                {"unexpected keys: param_groups.0.momentum, state.7.exp_avg"});
    unchanged();

    NamedTensors reshaped = good;
    for (auto& kv : reshaped)
        if (kv.first == "state.0.exp_avg") kv.second = zeros({3});
    CHECK_ERROR(StateError, [&] { other.load_state_dict(reshaped); },
                {"state.0.exp_avg has shape (3), expected (2)"});
    unchanged();

    // An SGD state dict is not an Adam one.
    std::vector<Tensor> sgd_params = make_params();
    SGD sgd(sgd_params, SGDOptions(0.1).momentum(0.9));
    run(sgd, sgd_params, 1);
    CHECK_ERROR(StateError, [&] { other.load_state_dict(sgd.state_dict()); },
                {"missing keys:", "param_groups.0.beta1", "state.0.exp_avg",
                 "unexpected keys:", "param_groups.0.momentum", "state.0.momentum_buffer"});
    unchanged();

    // Parameters grouped differently.
    Tensor a = ones({2}).requires_grad_(), b = ones({1}).requires_grad_();
    std::vector<OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<Tensor>{a});
    groups.emplace_back(std::vector<Tensor>{b});
    Adam split(groups, AdamOptions(0.1));
    CHECK_ERROR(StateError, [&] { split.load_state_dict(good); },
                {"param_groups.0.params has shape (2), expected (1)",
                 "missing keys:", "param_groups.1.lr"});

    // Values that are out of range are refused like constructor arguments.
    NamedTensors bad_beta = good;
    for (auto& kv : bad_beta)
        if (kv.first == "param_groups.0.beta1") kv.second = tensor({1.5f, 0, 0});
    CHECK_ERROR(ValueError, [&] { other.load_state_dict(bad_beta); }, {"beta1", "1.5"});
    unchanged();

    other.load_state_dict(good);
    CHECK(other.param_groups()[0].options().get_lr() == 0.1);
    CHECK(other.state(1)->step == 2);
}

TEST_CASE("An optimizer over no parameters is refused, as torch.optim refuses it") {
    CHECK_ERROR(ValueError, [] { SGD opt(std::vector<Tensor>{}, SGDOptions(0.1)); },
                {"SGD()", "empty parameter list"});
    CHECK_ERROR(ValueError, [] { Adam opt(std::vector<Tensor>{}); }, {"Adam()", "empty"});
    std::vector<OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<Tensor>{});
    groups.emplace_back(std::vector<Tensor>{});
    CHECK_ERROR(ValueError, [&] { RMSprop opt(groups); }, {"RMSprop()", "2 groups"});
}

TEST_CASE("a state dict saved before maximize existed loads, as maximize = false") {
    std::vector<Tensor> params = make_params();
    SGD opt(params, SGDOptions(0.1).momentum(0.9));
    run(opt, params, 2);
    NamedTensors old_format;
    for (const auto& kv : opt.state_dict())
        if (kv.first != "param_groups.0.maximize") old_format.push_back(kv);

    std::vector<Tensor> other_params = make_params();
    SGD other(other_params, SGDOptions(0.5).maximize(true));
    other.load_state_dict(old_format);
    const auto& options = static_cast<const SGDOptions&>(other.param_groups()[0].options());
    CHECK_FALSE(options.maximize());
    CHECK(options.get_lr() == 0.1);
    // The flag is still read when present.
    NamedTensors with_flag = opt.state_dict();
    for (auto& kv : with_flag)
        if (kv.first == "param_groups.0.maximize") kv.second = scalar_tensor(1.0f);
    other.load_state_dict(with_flag);
    CHECK(static_cast<const SGDOptions&>(other.param_groups()[0].options()).maximize());
}
