// Checkpoints: a run with dropout, a scheduler and a shuffling, augmenting DataLoader, stopped at
// an epoch boundary or mid-epoch, saved, and resumed in freshly built objects matches an
// uninterrupted run step for step, bit for bit; a checkpoint of another version or another model,
// or with one corrupted field, is refused by name and leaves every object as it was.
#include "descent/train/checkpoint.hpp"

#include <unistd.h>

#include "support.hpp"
#include "train/training.hpp"

using namespace descent;

namespace {

std::string temp_path(const char* name) {
    return "/tmp/descent_test_" + std::to_string(getpid()) + "_" + name;
}

// A 2-16-3 MLP with dropout, SGD with momentum, a cosine schedule, and a loader that shuffles and
// adds noise drawn per batch: every piece of state a resumption must restore.
struct DropoutRun {
    std::shared_ptr<nn::Sequential> model;
    std::unique_ptr<optim::SGD> opt;
    std::unique_ptr<optim::CosineAnnealingLR> sched;
    std::unique_ptr<data::DataLoader> loader;
    int64_t epoch = 0, batch = 0;  // where the run stands
    std::vector<float> losses;     // every step's loss, in order

    DropoutRun(std::shared_ptr<data::Dataset> data, uint64_t init_seed, int64_t hidden = 16) {
        manual_seed(init_seed);
        model = std::make_shared<nn::Sequential>(nn::Linear(2, hidden), nn::ReLU(),
                                                 nn::Dropout(0.3f), nn::Linear(hidden, 3));
        opt =
            std::make_unique<optim::SGD>(model->parameters(), optim::SGDOptions(0.2).momentum(0.9));
        sched = std::make_unique<optim::CosineAnnealingLR>(*opt, 6, 0.01);
        loader = std::make_unique<data::DataLoader>(
            data, data::DataLoaderOptions().batch_size(16).shuffle(true).seed(3));
        loader->set_transform(
            [](const Tensor& x, Generator& gen) { return x + normal(x.shape(), 0, 0.1f, gen); });
    }

    train::Checkpoint checkpoint() {
        train::Checkpoint ckpt(*model, *opt);
        ckpt.add("scheduler", *sched);
        return ckpt;
    }

    // Loads a checkpoint of such a run into this one: every part, and where that run stood.
    train::Checkpoint load(const std::string& path) {
        train::Checkpoint ckpt = checkpoint();
        ckpt.load(path);
        epoch = ckpt.epoch;
        batch = ckpt.batch;
        return ckpt;
    }

    // Trains until `to_epoch` epochs and `to_batch` batches of the next are done.
    void train_to(int64_t to_epoch, int64_t to_batch = 0) {
        loader->set_epoch(epoch, batch);
        while (epoch < to_epoch || (epoch == to_epoch && batch < to_batch)) {
            for (auto& [x, y] : *loader) {
                const Tensor loss = nn::functional::cross_entropy((*model)(x), y);
                opt->zero_grad();
                loss.backward();
                opt->step();
                losses.push_back(loss.item());
                if (epoch == to_epoch && ++batch == to_batch) return;  // stopped mid-epoch
            }
            sched->step();
            ++epoch, batch = 0;
        }
    }
};

// Everything a refused load must leave alone.
struct Snapshot {
    NamedTensors model, opt, sched;
    Tensor generator;
    int64_t epoch, batch;

    explicit Snapshot(DropoutRun& run, const train::Checkpoint& ckpt)
        : opt(run.opt->state_dict()),
          sched(run.sched->state_dict()),
          generator(default_generator().get_state()),
          epoch(ckpt.epoch),
          batch(ckpt.batch) {
        for (const auto& [name, t] : run.model->state_dict()) model.emplace_back(name, t.clone());
    }
};

// Two runs that took the same steps: every loss and every parameter equal, bit for bit.
test::Outcome same_run(const std::vector<float>& losses_a, const nn::Module& a,
                       const std::vector<float>& losses_b, const nn::Module& b) {
    if (losses_a != losses_b)
        return {false, std::to_string(losses_a.size()) + " losses vs " +
                           std::to_string(losses_b.size()) + ", not all equal"};
    return test::same_state(a.named_parameters(), b.named_parameters());
}

test::Outcome unchanged(const Snapshot& before, DropoutRun& run, const train::Checkpoint& ckpt) {
    const Snapshot now(run, ckpt);
    for (const auto& [what, a, b] : {std::make_tuple("model", &before.model, &now.model),
                                     std::make_tuple("optimizer", &before.opt, &now.opt),
                                     std::make_tuple("scheduler", &before.sched, &now.sched)}) {
        const test::Outcome same = test::same_state(*a, *b);
        if (!same.ok) return {false, std::string(what) + " changed: " + same.message};
    }
    if (!equal(before.generator, now.generator)) return {false, "the default generator changed"};
    if (before.epoch != now.epoch || before.batch != now.batch)
        return {false, "the position changed"};
    return {true, ""};
}

}  // namespace

TEST_CASE(
    "A run resumed from a checkpoint matches an uninterrupted one bit for bit: at an epoch "
    "boundary and mid-epoch, with dropout, a scheduler and an augmenting loader") {
    const auto data = test::blobs(30, 11);  // 90 samples: 6 batches per epoch
    DropoutRun straight(data, 7);
    straight.train_to(5);

    const std::string path = temp_path("resume.npz");
    for (const auto& [stop_epoch, stop_batch] : {std::pair<int64_t, int64_t>{2, 0}, {3, 2}}) {
        CAPTURE(stop_epoch);
        CAPTURE(stop_batch);
        DropoutRun first(data, 7);
        first.train_to(stop_epoch, stop_batch);
        train::Checkpoint saving = first.checkpoint();
        saving.epoch = first.epoch;
        saving.batch = first.batch;
        saving.save(path);

        // A new process: other initial weights, the default generator somewhere else.
        DropoutRun resumed(data, 99);
        manual_seed(12345);
        const train::Checkpoint loaded = resumed.load(path);
        CHECK(loaded.epoch == stop_epoch);
        CHECK(loaded.batch == stop_batch);
        resumed.losses = first.losses;
        resumed.train_to(5);
        CHECK_OUTCOME(same_run(resumed.losses, *resumed.model, straight.losses, *straight.model));
        CHECK(resumed.opt->param_groups()[0].options().get_lr() ==
              straight.opt->param_groups()[0].options().get_lr());
        CHECK_OUTCOME(test::same_state(resumed.sched->state_dict(), straight.sched->state_dict()));

        // The control: the same resumption with dropout drawing from another generator state
        // does not match, so the comparison above could fail.
        DropoutRun control(data, 99);
        control.load(path);
        manual_seed(1);
        control.losses = first.losses;
        control.train_to(5);
        CHECK(control.losses != straight.losses);
    }
    std::remove(path.c_str());
}

TEST_CASE("A checkpoint file: the version, the position, then each part under its prefix") {
    const auto data = test::blobs(10, 1);
    DropoutRun run(data, 3);
    run.train_to(1, 1);
    Generator extra(42);
    train::EarlyStopping stopper(3);
    stopper.step(0.5);
    train::Checkpoint ckpt = run.checkpoint();
    ckpt.add("early_stopping", stopper).generator("extra", extra);
    ckpt.epoch = 1, ckpt.batch = 1;
    const std::string path = temp_path("layout.npz");
    ckpt.save(path);
    const NamedTensors file = io::load_npz(path);
    REQUIRE(file.size() > 4);
    CHECK(file[0].first == "version");
    CHECK(file[0].second.item() == float(train::checkpoint_version));
    CHECK(file[1].first == "epoch");
    CHECK(file[2].first == "batch");
    CHECK(file[2].second.item() == 1.0f);
    CHECK(file[3].first == "model.0.weight");
    std::vector<std::string> prefixes;
    for (const auto& [key, t] : file) {
        const std::string p = key.substr(0, key.find('.'));
        if (prefixes.empty() || prefixes.back() != p) prefixes.push_back(p);
    }
    CHECK(prefixes == std::vector<std::string>{"version", "epoch", "batch", "model", "optim",
                                               "scheduler", "early_stopping", "generator"});
    CHECK(equal(file.back().second, extra.get_state()));
    CHECK(file.back().first == "generator.extra");

    // Loaded elsewhere: the extra generator and the stopper come back too.
    const uint64_t next = extra.next_u64();
    Generator other(7);
    train::EarlyStopping other_stopper(9);
    DropoutRun fresh(data, 4);
    train::Checkpoint back = fresh.checkpoint();
    back.add("early_stopping", other_stopper).generator("extra", other);
    back.load(path);
    CHECK(other.next_u64() == next);
    CHECK(other_stopper.best() == 0.5);
    CHECK(other_stopper.epoch() == 1);

    // A copy outlives its original and still reaches the same objects (under ASan, a part left
    // pointing at the original would be a use after free).
    std::unique_ptr<train::Checkpoint> copy;
    {
        train::Checkpoint original = fresh.checkpoint();
        original.add("early_stopping", other_stopper).generator("extra", other);
        copy = std::make_unique<train::Checkpoint>(original);
    }
    copy->load(path);
    CHECK(copy->batch == 1);
    CHECK(other.next_u64() == next);  // set back to the saved state again
    copy->save(path);
    CHECK(equal(io::load_npz(path).back().second, other.get_state()));

    CHECK_ERROR(ValueError, [&] { back.add("model", stopper); }, {"'model' is already in use"});
    CHECK_ERROR(ValueError, [&] { back.add("generator", stopper); }, {"already in use"});
    CHECK_ERROR(ValueError, [&] { back.add("a.b", stopper); }, {"without a '.'"});
    CHECK_ERROR(ValueError, [&] { back.add("version", stopper); }, {"the checkpoint's own entry"});
    CHECK_ERROR(ValueError, [&] { back.generator("extra", other); }, {"'extra' is already in use"});
    std::remove(path.c_str());
}

TEST_CASE(
    "A checkpoint of another version, another model, or with a corrupted field is refused "
    "by name, and model, optimizer, scheduler, generators and position stay as they were") {
    const auto data = test::blobs(10, 1);
    DropoutRun source(data, 1);
    source.train_to(2, 1);
    train::Checkpoint saving = source.checkpoint();
    saving.epoch = 2, saving.batch = 1;
    const std::string path = temp_path("refused.npz"), bad = temp_path("bad.npz");
    saving.save(path);
    const NamedTensors good = io::load_npz(path);

    DropoutRun wider(data, 2, 17);  // built first: building reseeds the default generator
    DropoutRun target(data, 2);
    target.train_to(1);  // its own optimizer state, schedule and generator position
    train::Checkpoint ckpt = target.checkpoint();
    ckpt.epoch = 42, ckpt.batch = 7;
    const Snapshot before(target, ckpt);
    // Writes `good` with `key` replaced (or removed), then loads it into the target.
    auto load_with = [&](const std::string& key, const Tensor& value) {
        io::save_npz(bad, test::with_entry(good, key, value));
        ckpt.load(bad);
    };
    using test::with_entry;

    CHECK_ERROR(StateError, [&] { load_with("version", scalar_tensor(2)); },
                {"Checkpoint::load(" + bad + ")", "checkpoint format version 2",
                 "this descent reads version 1"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    CHECK_ERROR(StateError, [&] { load_with("version", Tensor()); },
                {"no 'version' entry", "version 1"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    CHECK_ERROR(StateError, [&] { load_with("version", zeros({2})); },
                {"'version' entry has shape (2)"});
    CHECK_ERROR(StateError, [&] { load_with("epoch", scalar_tensor(1.5f)); },
                {"epoch is 1.5, not an integer"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    CHECK_ERROR(StateError, [&] { load_with("extra", zeros({1})); }, {"unexpected keys: extra"});
    CHECK_ERROR(StateError, [&] { load_with("ema.weight", zeros({1})); },
                {"unexpected key 'ema.weight'", "no 'ema' part"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));

    // Each part refused in turn: the model (loaded first), the scheduler and the generator
    // (after the model, which gets its old values back), the optimizer (last).
    CHECK_ERROR(ShapeError,
                [&] {
                    load_with("model.0.weight", zeros({17, 2}));
                },
                {"0.weight", "(17, 2)", "(16, 2)"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    CHECK_ERROR(ValueError,
                [&] {
                    load_with("scheduler.eta_min", tensor({0.02f, 0, 0}));
                },
                {"CosineAnnealingLR.load_state_dict()", "_last_lr[0]", "the schedule gives"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    CHECK_ERROR(StateError, [&] { load_with("scheduler.last_epoch", scalar_tensor(-3)); },
                {"last_epoch is -3"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    Tensor corrupt_state = default_generator().get_state();
    corrupt_state.data()[5] = 70000;
    CHECK_ERROR(ValueError, [&] { load_with("generator.default", corrupt_state); },
                {"Generator::set_state()", "state[1][1] = 70000"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    CHECK_ERROR(StateError, [&] { load_with("optim.state.0.momentum_buffer", zeros({3})); },
                {"SGD.load_state_dict()", "state.0.momentum_buffer has shape (3)"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));

    // Another model altogether, and parts that do not match.
    train::Checkpoint wider_ckpt = wider.checkpoint();
    const Snapshot wider_before(wider, wider_ckpt);
    CHECK_ERROR(ShapeError, [&] { wider_ckpt.load(path); }, {"0.weight", "(16, 2)", "(17, 2)"});
    CHECK_OUTCOME(unchanged(wider_before, wider, wider_ckpt));
    CHECK_ERROR(StateError, [&] { train::load_checkpoint(path, *target.model, *target.opt); },
                {"unexpected key 'scheduler.", "no 'scheduler' part"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    train::save_checkpoint(bad, *source.model, *source.opt);  // no scheduler in it
    CHECK_ERROR(StateError, [&] { ckpt.load(bad); }, {"no 'scheduler.' entries"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));
    nn::save(*source.model, bad);  // a model's state dict is no checkpoint
    CHECK_ERROR(StateError, [&] { ckpt.load(bad); }, {"no 'version' entry"});
    CHECK_OUTCOME(unchanged(before, target, ckpt));

    ckpt.load(path);
    CHECK(ckpt.epoch == 2);
    CHECK(ckpt.batch == 1);
    CHECK_OUTCOME(test::same_state(target.sched->state_dict(), source.sched->state_dict()));
    std::remove(path.c_str());
    std::remove(bad.c_str());
}

TEST_CASE(
    "save_checkpoint / load_checkpoint (model, optimizer, default generator) resume step "
    "for step") {
    const auto data = test::blobs(40, 11);
    test::Run straight(data, 7);
    straight.epochs(4);

    const std::string path = temp_path("checkpoint.npz");
    test::Run first(data, 7);
    first.epochs(2);
    train::save_checkpoint(path, *first.model, *first.opt);

    test::Run resumed(data, 99);  // different initial weights, overwritten by the checkpoint
    train::load_checkpoint(path, *resumed.model, *resumed.opt);
    resumed.loader->set_epoch(2);
    resumed.losses = first.losses;
    resumed.epochs(2);

    CHECK_OUTCOME(same_run(resumed.losses, *resumed.model, straight.losses, *straight.model));
    std::remove(path.c_str());
}

TEST_CASE("A checkpoint keeps each tensor's dtype, and one written before dtypes still loads") {
    // Linear -> BatchNorm1d: float32 parameters and running statistics, an int64 count, Adam state.
    auto build = [](uint64_t seed) {
        manual_seed(seed);
        return std::make_shared<nn::Sequential>(nn::Linear(2, 3), nn::BatchNorm1d(3));
    };
    auto model = build(1);
    optim::Adam opt(model->parameters(), optim::AdamOptions(0.01));
    for (int step = 0; step < 3; ++step) {
        opt.zero_grad();
        (*model)(test::input({4, 2}, 50 + uint64_t(step))).sum().backward();
        opt.step();
    }
    auto& bn = static_cast<nn::BatchNorm&>(*(*model)[1]);
    REQUIRE(bn.num_batches_tracked.item<int64_t>() == 3);
    const std::string path = temp_path("dtypes.npz");
    train::save_checkpoint(path, *model, opt);
    const NamedTensors file = io::load_npz(path);
    for (const auto& [key, t] : file) {
        CAPTURE(key);
        CHECK(t.dtype() == (key == "model.1.num_batches_tracked" ? kInt64 : kFloat32));
    }

    // Loaded into fresh objects: every tensor in its dtype, every value bit for bit.
    auto fresh = build(2);
    optim::Adam fresh_opt(fresh->parameters(), optim::AdamOptions(0.01));
    train::load_checkpoint(path, *fresh, fresh_opt);
    CHECK_OUTCOME(test::same_state(fresh->state_dict(), model->state_dict()));
    CHECK_OUTCOME(test::same_state(fresh_opt.state_dict(), opt.state_dict()));
    const auto& fresh_bn = static_cast<nn::BatchNorm&>(*(*fresh)[1]);
    CHECK(fresh_bn.num_batches_tracked.dtype() == kInt64);
    CHECK(fresh_bn.num_batches_tracked.item<int64_t>() == 3);

    // The file an older descent wrote: the same layout, version 1, the count a float32 ().
    NamedTensors old = file;
    for (auto& [key, t] : old)
        if (key == "model.1.num_batches_tracked") t = scalar_tensor(3.0f);
    io::save_npz(path, old);
    auto resumed = build(3);
    optim::Adam resumed_opt(resumed->parameters(), optim::AdamOptions(0.01));
    train::load_checkpoint(path, *resumed, resumed_opt);
    const auto& resumed_bn = static_cast<nn::BatchNorm&>(*(*resumed)[1]);
    CHECK(resumed_bn.num_batches_tracked.dtype() == kInt64);
    CHECK(resumed_bn.num_batches_tracked.item<int64_t>() == 3);
    CHECK_OUTCOME(test::same_state(resumed->state_dict(), model->state_dict()));
    CHECK_OUTCOME(test::same_state(resumed_opt.state_dict(), opt.state_dict()));

    // A count that is no integer is refused by key, and leaves model and optimizer as they were.
    for (auto& [key, t] : old)
        if (key == "model.1.num_batches_tracked") t = scalar_tensor(3.5f);
    io::save_npz(path, old);
    auto other = build(4);
    optim::Adam other_opt(other->parameters(), optim::AdamOptions(0.01));
    const NamedTensors other_before = other->state_dict();
    std::vector<Tensor> kept;
    for (const auto& [key, t] : other_before) kept.push_back(t.clone());
    CHECK_ERROR(ValueError, [&] { train::load_checkpoint(path, *other, other_opt); },
                {"num_batches_tracked", "3.5", "float32", "int64"});
    const NamedTensors other_after = other->state_dict();
    for (size_t i = 0; i < kept.size(); ++i) CHECK(equal(other_after[i].second, kept[i]));
    std::remove(path.c_str());
}
