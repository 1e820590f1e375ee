// The loader's batch order (a pure function of seed and epoch) and its iterator.
#include "descent/data/dataloader.hpp"

#include <algorithm>
#include <numeric>

#include "descent/core/error.hpp"
#include "descent/core/random.hpp"

namespace descent::data {

namespace {
// SplitMix64's finaliser: nearby (seed, epoch) pairs give unrelated generator seeds.
uint64_t mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}
}  // namespace

DataLoader::DataLoader(std::shared_ptr<Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
    DESCENT_CHECK(dataset_, ValueError, "DataLoader(): dataset is null");
    DESCENT_CHECK(options_.batch_size() >= 1, ValueError,
                  "DataLoader(): batch_size must be >= 1, got ", options_.batch_size());
}

DataLoader::DataLoader(std::shared_ptr<Dataset> dataset, std::shared_ptr<Sampler> sampler,
                       DataLoaderOptions options)
    : DataLoader(std::move(dataset), options) {
    DESCENT_CHECK(sampler, ValueError, "DataLoader(): sampler is null");
    sampler_ = std::move(sampler);
}

int64_t DataLoader::size() const {
    const int64_t n = sampler_ ? sampler_->size() : dataset_->size(), b = options_.batch_size();
    return options_.drop_last() ? n / b : (n + b - 1) / b;
}

void DataLoader::set_epoch(int64_t epoch, int64_t batch) {
    DESCENT_CHECK(epoch >= 0, ValueError, "DataLoader::set_epoch(): epoch must be >= 0, got ",
                  epoch);
    DESCENT_CHECK(batch >= 0 && batch <= size(), IndexError, "DataLoader::set_epoch(): batch ",
                  batch, " is out of range for an epoch of ", size(), " batches (0 to ", size(),
                  ")");
    epoch_ = epoch;
    start_batch_ = batch;
}

std::vector<int64_t> DataLoader::order(int64_t epoch) const {
    if (sampler_) return sampler_->indices(epoch);
    const int64_t n = dataset_->size();
    if (!options_.shuffle()) {
        std::vector<int64_t> identity(static_cast<size_t>(n));
        std::iota(identity.begin(), identity.end(), int64_t{0});
        return identity;
    }
    Generator gen(mix(mix(options_.seed()) ^ static_cast<uint64_t>(epoch)));
    return randperm(n, gen);
}

DataLoader::Iterator DataLoader::begin() {
    order_ = order(epoch_);
    const int64_t first = start_batch_;
    start_batch_ = 0;
    if (first == size()) ++epoch_;  // nothing left of this epoch: the pass completes at once
    return Iterator(this, first);
}

uint64_t DataLoader::transform_seed(int64_t epoch, int64_t index) const {
    // a different start than order()'s mix(seed), so the two generators never coincide
    return mix(mix(mix(~options_.seed()) ^ static_cast<uint64_t>(epoch)) ^
               static_cast<uint64_t>(index));
}

Batch DataLoader::load(const std::vector<int64_t>& order, int64_t epoch, int64_t index) const {
    const int64_t b = options_.batch_size();
    const auto first = order.begin() + index * b;
    const auto last = first + std::min<int64_t>(b, static_cast<int64_t>(order.size()) - index * b);
    Batch batch = dataset_->get_batch(std::vector<int64_t>(first, last));
    if (transform_) {
        Generator gen(transform_seed(epoch, index));
        batch.data = transform_(batch.data, gen);
    }
    return batch;
}

Batch DataLoader::batch(int64_t epoch, int64_t index) const {
    DESCENT_CHECK(epoch >= 0, ValueError, "DataLoader::batch(): epoch must be >= 0, got ", epoch);
    DESCENT_CHECK(index >= 0 && index < size(), IndexError, "DataLoader::batch(): batch ", index,
                  " is out of range for ", size(), " batches");
    return load(order(epoch), epoch, index);
}

DataLoader::Iterator::Iterator(DataLoader* loader, int64_t index) : loader_(loader), index_(index) {
    if (index_ < loader_->size()) batch_ = loader_->load(loader_->order_, loader_->epoch_, index_);
}

DataLoader::Iterator& DataLoader::Iterator::operator++() {
    if (index_ >= loader_->size()) return *this;  // already at the end: the pass is counted
    if (++index_ < loader_->size()) {
        batch_ = loader_->load(loader_->order_, loader_->epoch_, index_);
    } else {
        batch_ = Batch();
        ++loader_->epoch_;  // a complete pass
    }
    return *this;
}

}  // namespace descent::data
