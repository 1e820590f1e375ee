// DataLoader: every sample exactly once per epoch (batch sizes 1, 7, N and more than N, with and
// without drop_last, shuffled or not); shuffles reproducible for the same (seed, epoch) and
// different across epochs and seeds; set_epoch resumes exactly, at an epoch or a batch; the epoch
// advances once per complete pass; the dataset is shared, never copied; bad options are refused.
#include <set>

#include "descent/data/dataloader.hpp"
#include "descent/data/tensor_dataset.hpp"
#include "support.hpp"

using namespace descent;
using namespace descent::data;

namespace {

constexpr int64_t N = 23;

// N samples: label i, data row [i, -i].
std::shared_ptr<TensorDataset> numbered() {
    std::vector<int64_t> labels;
    std::vector<float> rows;
    for (int64_t i = 0; i < N; ++i) {
        labels.push_back(i);
        rows.push_back(float(i));
        rows.push_back(-float(i));
    }
    return std::make_shared<TensorDataset>(tensor(rows, {N, 2}), labels);
}

// One pass: the labels of each batch, checking that each batch's data rows match its labels.
std::vector<std::vector<int64_t>> pass(DataLoader& loader) {
    std::vector<std::vector<int64_t>> batches;
    for (auto& [x, labels] : loader) {
        REQUIRE(labels.dtype() == kInt64);  // as torch's DataLoader
        const std::vector<int64_t> y = labels.to_vector<int64_t>();
        REQUIRE(x.shape() == Shape{int64_t(y.size()), 2});
        for (size_t k = 0; k < y.size(); ++k) {
            CHECK(x.data()[2 * k] == float(y[k]));
            CHECK(x.data()[2 * k + 1] == -float(y[k]));
        }
        batches.push_back(y);
    }
    return batches;
}

std::vector<int64_t> flat(const std::vector<std::vector<int64_t>>& batches) {
    std::vector<int64_t> out;
    for (const auto& b : batches) out.insert(out.end(), b.begin(), b.end());
    return out;
}

}  // namespace

TEST_CASE("DataLoader visits every sample exactly once per epoch") {
    const auto ds = numbered();
    for (int64_t bs : {int64_t{1}, int64_t{7}, N, N + 5})
        for (bool shuffle : {false, true})
            for (bool drop_last : {false, true}) {
                CAPTURE(bs);
                CAPTURE(shuffle);
                CAPTURE(drop_last);
                DataLoader loader(ds, DataLoaderOptions(bs).shuffle(shuffle).drop_last(drop_last));
                const int64_t full = N / bs,
                              expected_batches = drop_last ? full : (N + bs - 1) / bs;
                CHECK(loader.size() == expected_batches);
                for (int epoch = 0; epoch < 2; ++epoch) {
                    const auto batches = pass(loader);
                    REQUIRE(int64_t(batches.size()) == expected_batches);
                    // Full batches, except a smaller last one when it is kept.
                    for (size_t k = 0; k < batches.size(); ++k)
                        CHECK(int64_t(batches[k].size()) ==
                              (int64_t(k) < full ? bs : N - full * bs));
                    const std::vector<int64_t> seen = flat(batches);
                    CHECK(std::set<int64_t>(seen.begin(), seen.end()).size() == seen.size());
                    CHECK(int64_t(seen.size()) == (drop_last ? full * bs : N));
                    if (!shuffle) {
                        for (size_t k = 0; k < seen.size(); ++k) CHECK(seen[k] == int64_t(k));
                    }
                    CHECK(loader.epoch() == epoch + 1);
                }
            }
}

TEST_CASE("DataLoader shuffle: a function of (seed, epoch) only") {
    const auto ds = numbered();
    DataLoader a(ds, DataLoaderOptions(7).shuffle(true).seed(3));
    DataLoader b(ds, DataLoaderOptions(7).shuffle(true).seed(3));
    DataLoader c(ds, DataLoaderOptions(7).shuffle(true).seed(4));
    std::vector<std::vector<int64_t>> epochs;
    for (int e = 0; e < 3; ++e) {
        const auto ea = flat(pass(a));
        CHECK(ea == flat(pass(b)));  // same seed, same epoch: same order
        CHECK(ea != flat(pass(c)));  // another seed
        CHECK(ea == a.order(e));
        epochs.push_back(ea);
    }
    CHECK(epochs[0] != epochs[1]);
    CHECK(epochs[1] != epochs[2]);
    std::vector<int64_t> identity(N);
    for (int64_t i = 0; i < N; ++i) identity[i] = i;
    CHECK(epochs[0] != identity);
    // Without shuffle the order is 0..N-1 whatever the seed and epoch.
    CHECK(DataLoader(ds, DataLoaderOptions(7).seed(9)).order(5) == identity);
}

TEST_CASE("DataLoader set_epoch resumes exactly where an uninterrupted run would be") {
    const auto ds = numbered();
    const auto opts = DataLoaderOptions(5).shuffle(true).seed(11);
    DataLoader run(ds, opts);
    std::vector<std::vector<std::vector<int64_t>>> uninterrupted;
    for (int e = 0; e < 4; ++e) uninterrupted.push_back(pass(run));

    DataLoader resumed(ds, opts);
    resumed.set_epoch(2);
    CHECK(resumed.epoch() == 2);
    CHECK(pass(resumed) == uninterrupted[2]);
    CHECK(pass(resumed) == uninterrupted[3]);
    CHECK(resumed.epoch() == 4);
    CHECK_ERROR(ValueError, [&] { resumed.set_epoch(-1); }, {"set_epoch()", "-1"});
}

TEST_CASE("DataLoader set_epoch(epoch, batch) resumes mid-epoch, then starts later passes at 0") {
    const auto ds = numbered();
    const auto opts = DataLoaderOptions(5).shuffle(true).seed(11);
    DataLoader run(ds, opts);
    run.set_transform([](const Tensor& x, Generator& gen) { return x + gen.uniform(); });
    std::vector<std::vector<Batch>> uninterrupted;
    for (int e = 0; e < 3; ++e) {
        uninterrupted.emplace_back();
        for (const Batch& b : run) uninterrupted.back().push_back(b);
    }
    const int64_t n = run.size();
    for (int64_t at : {int64_t(0), int64_t(1), n - 1, n}) {
        DataLoader resumed(ds, opts);
        resumed.set_transform(run.transform());
        resumed.set_epoch(1, at);
        CHECK(resumed.start_batch() == at);
        std::vector<Batch> rest;
        for (const Batch& b : resumed) rest.push_back(b);
        CHECK(resumed.start_batch() == 0);
        REQUIRE(int64_t(rest.size()) == n - at);
        for (int64_t k = 0; k < n - at; ++k) {
            CHECK(equal(rest[k].labels, uninterrupted[1][at + k].labels));
            CHECK(equal(rest[k].data, uninterrupted[1][at + k].data));  // the same augmentation
        }
        CHECK(resumed.epoch() == 2);  // the partial pass completed epoch 1
        std::vector<Batch> next;
        for (const Batch& b : resumed) next.push_back(b);
        REQUIRE(next.size() == uninterrupted[2].size());
        CHECK(equal(next.front().labels, uninterrupted[2].front().labels));
    }
    DataLoader loader(ds, opts);
    CHECK_ERROR(IndexError, [&] { loader.set_epoch(0, n + 1); },
                {"set_epoch()", "batch " + std::to_string(n + 1), std::to_string(n) + " batches"});
    CHECK_ERROR(IndexError, [&] { loader.set_epoch(0, -1); }, {"set_epoch()", "batch -1"});
    CHECK(loader.epoch() == 0);
    CHECK(loader.start_batch() == 0);
}

TEST_CASE("DataLoader epoch advances on a complete pass only") {
    const auto ds = numbered();
    DataLoader loader(ds, DataLoaderOptions(4).shuffle(true));
    const std::vector<int64_t> first = loader.order(0);
    int seen = 0;
    for (auto& batch : loader) {
        CHECK(batch.size() == 4);
        if (++seen == 2) break;  // leave the pass early
    }
    CHECK(loader.epoch() == 0);
    // The next pass repeats epoch 0 from its start.
    CHECK(flat(pass(loader)) == first);
    CHECK(loader.epoch() == 1);
    // Iterators by hand: operator-> and post-increment.
    const std::vector<int64_t> second = loader.order(1);
    auto it = loader.begin();
    CHECK(it->labels.to_vector<int64_t>() ==
          std::vector<int64_t>(second.begin(), second.begin() + 4));
    for (int64_t k = 0; k < loader.size(); ++k) it++;
    CHECK(it == loader.end());
    CHECK(loader.epoch() == 2);
    ++it;  // past the end: nothing more is counted
    CHECK(loader.epoch() == 2);
    // A pass of no batches (drop_last with N < batch_size) still completes.
    DataLoader none(ds, DataLoaderOptions(N + 1).drop_last(true));
    CHECK(none.size() == 0);
    CHECK(pass(none).empty());
    CHECK(none.epoch() == 1);
}

TEST_CASE("DataLoader shares the dataset and refuses bad options") {
    const auto ds = numbered();
    const long before = ds.use_count();
    DataLoader loader(ds, DataLoaderOptions().batch_size(N));  // batch gradient descent
    CHECK(loader.dataset().get() == ds.get());
    CHECK(ds.use_count() == before + 1);
    CHECK(loader.options().batch_size() == N);
    CHECK(DataLoaderOptions().batch_size() == 64);
    CHECK_FALSE(DataLoaderOptions().shuffle());
    CHECK_FALSE(DataLoaderOptions().drop_last());
    CHECK(DataLoaderOptions().seed() == 0);
    const auto batches = pass(loader);
    REQUIRE(batches.size() == 1);
    CHECK(batches[0].size() == size_t(N));
    CHECK_ERROR(ValueError, [&] { DataLoader(ds, DataLoaderOptions(0)); },
                {"DataLoader()", "batch_size", "got 0"});
    CHECK_ERROR(ValueError, [&] { DataLoader(ds, DataLoaderOptions().batch_size(-3)); }, {"-3"});
    CHECK_ERROR(ValueError, [] { DataLoader(nullptr); }, {"DataLoader()", "null"});
}
