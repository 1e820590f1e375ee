// The optimizer base: groups, the step loop, zero_grad and the state dict. The state dict stores a
// double hyper-parameter as three floats whose double sum is exactly the value (optim/state_codec),
// so an lr a scheduler computed in double survives a float32 checkpoint and resumption is
// bit-exact.
#include "descent/optim/optimizer.hpp"

#include <algorithm>
#include <typeinfo>
#include <unordered_set>

#include "descent/autograd/grad_mode.hpp"
#include "descent/core/error.hpp"
#include "descent/core/factory.hpp"
#include "descent/optim/state_codec.hpp"

namespace descent::optim {

// ---- OptimizerParamGroup ------------------------------------------------------------------------

OptimizerParamGroup::OptimizerParamGroup(const OptimizerParamGroup& other)
    : params_(other.params_), options_(other.options_ ? other.options_->clone() : nullptr) {}

OptimizerParamGroup& OptimizerParamGroup::operator=(const OptimizerParamGroup& other) {
    params_ = other.params_;
    options_ = other.options_ ? other.options_->clone() : nullptr;
    return *this;
}

OptimizerOptions& OptimizerParamGroup::options() {
    DESCENT_CHECK(options_, StateError,
                  "OptimizerParamGroup::options(): the group has no options until it is added to "
                  "an optimizer");
    return *options_;
}

const OptimizerOptions& OptimizerParamGroup::options() const {
    return const_cast<OptimizerParamGroup&>(*this).options();
}

// ---- groups -------------------------------------------------------------------------------------

Optimizer::Optimizer(const char* name, std::vector<OptimizerParamGroup> groups,
                     std::unique_ptr<OptimizerOptions> defaults)
    : name_(name), defaults_(std::move(defaults)) {
    defaults_->check(name_);
    // As torch.optim: an optimizer over nothing is a mistake (often model.parameters() of a model
    // whose layers were never registered).
    size_t params = 0;
    for (const OptimizerParamGroup& group : groups) params += group.params().size();
    DESCENT_CHECK(params > 0, ValueError, name_, "(): got an empty parameter list (", groups.size(),
                  " group", groups.size() == 1 ? "" : "s", " with no parameters)");
    for (OptimizerParamGroup& group : groups) add_param_group(std::move(group));
}

void Optimizer::add_param_group(OptimizerParamGroup group) {
    const std::string who = std::string(name()) + ".add_param_group";
    if (!group.has_options()) group.set_options(defaults_->clone());
    DESCENT_CHECK(typeid(group.options()) == typeid(*defaults_), ValueError, who, "(): group ",
                  groups_.size(), " has the options of another optimizer");
    group.options().check(name());
    std::unordered_set<const TensorImpl*> seen;
    for (const OptimizerParamGroup& g : groups_)
        for (const Tensor& p : g.params()) seen.insert(p.impl());
    for (size_t i = 0; i < group.params().size(); ++i) {
        const Tensor& p = group.params()[i];
        DESCENT_CHECK(p.defined(), ValueError, who, "(): parameter ", i, " of group ",
                      groups_.size(), " is undefined");
        DESCENT_CHECK(p.is_leaf(), ValueError, who, "(): parameter ", i, " of group ",
                      groups_.size(), " (shape ", p.shape(),
                      ") is not a leaf; optimize the tensors the computation starts from");
        DESCENT_CHECK(seen.insert(p.impl()).second, ValueError, who, "(): parameter ", i,
                      " of group ", groups_.size(), " (shape ", p.shape(),
                      ") appears more than once among the optimizer's parameters");
    }
    state_.emplace_back(group.params().size());
    groups_.push_back(std::move(group));
}

std::vector<Tensor> Optimizer::parameters() const {
    std::vector<Tensor> all;
    for (const OptimizerParamGroup& g : groups_)
        all.insert(all.end(), g.params().begin(), g.params().end());
    return all;
}

int64_t Optimizer::size() const {
    int64_t n = 0;
    for (const OptimizerParamGroup& g : groups_) n += static_cast<int64_t>(g.params().size());
    return n;
}

const OptimizerParamState* Optimizer::state(int64_t index) const {
    DESCENT_CHECK(index >= 0 && index < size(), IndexError, name(), ".state(): index ", index,
                  " out of range for ", size(), " parameters");
    for (size_t g = 0; g < groups_.size(); ++g) {
        const int64_t n = static_cast<int64_t>(groups_[g].params().size());
        if (index < n)
            return index < static_cast<int64_t>(state_[g].size()) ? state_[g][index].get()
                                                                  : nullptr;
        index -= n;
    }
    return nullptr;
}

// ---- step and zero_grad -------------------------------------------------------------------------

Tensor Optimizer::step(const LossClosure& closure) {
    count_step();
    Tensor loss;
    if (closure) {
        autograd::AutoGradMode grad_on(true);
        loss = closure();
    }
    NoGradGuard no_grad;
    for (size_t g = 0; g < groups_.size(); ++g) {
        std::vector<Tensor>& params = groups_[g].params();
        const OptimizerOptions& options = groups_[g].options();
        state_[g].resize(params.size());  // the user may have appended to params()
        for (size_t i = 0; i < params.size(); ++i) {
            Tensor& p = params[i];
            const Tensor& grad = p.grad();
            if (!grad.defined()) continue;
            DESCENT_CHECK(grad.shape() == p.shape(), ShapeError, name(),
                          ".step(): parameter of shape ", p.shape(), " has a gradient of shape ",
                          grad.shape());
            std::unique_ptr<OptimizerParamState>& state = state_[g][i];
            if (!state) state = make_state(p, options);
            ++state->step;
            update(p, grad, *state, options);
            p.impl()->storage->bump_version();  // a graph that saved p must not use the old value
        }
    }
    return loss;
}

void Optimizer::zero_grad(bool set_to_none) {
    NoGradGuard no_grad;
    for (OptimizerParamGroup& group : groups_) {
        for (Tensor& p : group.params()) {
            Tensor& grad = p.mutable_grad();
            if (!grad.defined()) continue;
            if (set_to_none) {
                grad = Tensor();
            } else {
                if (grad.grad_fn())
                    grad = grad.detach();  // a create_graph gradient leaves its graph
                grad.zero_();
            }
        }
    }
}

// ---- state dict ---------------------------------------------------------------------------------

namespace {

std::string group_key(size_t g, const char* field) {
    return "param_groups." + std::to_string(g) + "." + field;
}
std::string state_key(int64_t i, const char* field) {
    return "state." + std::to_string(i) + "." + field;
}

// A choice's stored index: 0 for none, i + 1 for allowed[i].
int64_t choice_index(const OptionFields::Choice& c, const std::string& key) {
    if (!*c.value) return 0;
    for (size_t i = 0; i < c.allowed.size(); ++i)
        if (c.allowed[i] == **c.value) return static_cast<int64_t>(i) + 1;
    DESCENT_CHECK(false, ValueError, "state_dict(): ", key, " is \"", **c.value,
                  "\", which is none of the allowed values");
    return 0;
}

}  // namespace

NamedTensors Optimizer::state_dict() const {
    NamedTensors dict;
    int64_t index = 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
        std::unique_ptr<OptimizerOptions> options = groups_[g].options().clone();
        const OptionFields fields = options->fields();
        for (const OptionFields::Number& f : fields.numbers)
            dict.emplace_back(group_key(g, f.name),
                              detail::encode_double(*f.value, group_key(g, f.name)));
        for (const OptionFields::Flag& f : fields.flags)
            dict.emplace_back(group_key(g, f.name), scalar_tensor(*f.value ? 1.0f : 0.0f));
        for (const OptionFields::Count& f : fields.counts)
            dict.emplace_back(group_key(g, f.name),
                              detail::encode_count(*f.value, group_key(g, f.name)));
        for (const OptionFields::Choice& c : fields.choices)
            dict.emplace_back(
                group_key(g, c.name),
                scalar_tensor(static_cast<float>(choice_index(c, group_key(g, c.name)))));
        std::vector<float> ids(groups_[g].params().size());
        for (float& id : ids) id = static_cast<float>(index++);
        dict.emplace_back(group_key(g, "params"), tensor(ids, {static_cast<int64_t>(ids.size())}));
    }
    index = 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
        for (size_t i = 0; i < groups_[g].params().size(); ++i, ++index) {
            const OptimizerParamState* s = i < state_[g].size() ? state_[g][i].get() : nullptr;
            if (!s) continue;
            DESCENT_CHECK(s->step <= detail::max_exact_count, ValueError, name(),
                          ".state_dict(): step ", s->step, " of parameter ", index,
                          " exceeds 2^24, which float32 holds");
            dict.emplace_back(state_key(index, "step"), scalar_tensor(static_cast<float>(s->step)));
            for (const auto& [buffer, t] : s->buffers())
                if (t.defined()) dict.emplace_back(state_key(index, buffer.c_str()), t.clone());
        }
    }
    global_state_dict(dict);
    return dict;
}

void Optimizer::load_state_dict(const NamedTensors& dict) {
    detail::StateDictReader reader(std::string(name()) + ".load_state_dict()", dict);

    // Options first: the state a parameter needs depends on them (momentum, amsgrad, centered).
    std::vector<std::unique_ptr<OptimizerOptions>> options;
    int64_t index = 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
        options.push_back(groups_[g].options().clone());
        const OptionFields fields = options.back()->fields();
        for (const OptionFields::Number& f : fields.numbers)
            if (const Tensor* t = reader.take(group_key(g, f.name), {3}))
                *f.value = detail::decode_double(t->data());
        for (const OptionFields::Flag& f : fields.flags) {
            if (f.added_later && !reader.has_prefix(group_key(g, f.name))) {
                *f.value = false;
                continue;
            }
            if (const Tensor* t = reader.take(group_key(g, f.name), {}))
                *f.value = t->item() != 0.0f;
        }
        for (const OptionFields::Count& f : fields.counts)
            if (auto n = reader.count(group_key(g, f.name))) *f.value = *n;
        for (const OptionFields::Choice& c : fields.choices)
            if (auto i =
                    reader.count(group_key(g, c.name), 0, static_cast<int64_t>(c.allowed.size())))
                *c.value = *i == 0 ? std::nullopt : std::optional<std::string>(c.allowed[*i - 1]);
        const int64_t n = static_cast<int64_t>(groups_[g].params().size());
        if (const Tensor* ids = reader.take(group_key(g, "params"), {n}))
            for (int64_t k = 0; k < n; ++k)
                if (ids->data()[k] != static_cast<float>(index + k))
                    reader.problem(descent::detail::cat(
                        group_key(g, "params"), " lists parameter ", ids->data()[k],
                        " at position ", k, ", this optimizer has parameter ", index + k));
        index += n;
    }

    std::vector<std::vector<std::unique_ptr<OptimizerParamState>>> states(groups_.size());
    index = 0;
    for (size_t g = 0; g < groups_.size(); ++g) {
        for (const Tensor& p : groups_[g].params()) {
            std::unique_ptr<OptimizerParamState> s;
            if (reader.has_prefix("state." + std::to_string(index) + ".")) {
                s = make_state(p, *options[g]);
                if (auto step = reader.count(state_key(index, "step"))) s->step = *step;
                for (auto& [buffer, dst] : s->buffers()) {
                    if (!dst.defined()) continue;
                    // The buffer's own shape (the parameter's, or () for NAdam's mu_product);
                    // copy_ converts, so a float64 parameter's buffers load too.
                    if (const Tensor* src =
                            reader.take(state_key(index, buffer.c_str()), dst.shape()))
                        dst.copy_(*src);
                }
            }
            states[g].push_back(std::move(s));
            ++index;
        }
    }

    const std::function<void()> install_global_state = read_global_state(reader);

    reader.finish();
    for (const auto& o : options) o->check(name());

    for (size_t g = 0; g < groups_.size(); ++g) groups_[g].set_options(std::move(options[g]));
    state_ = std::move(states);
    if (install_global_state) install_global_state();
}

}  // namespace descent::optim
