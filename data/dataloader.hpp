// DataLoader: iterates over a dataset in batches, in order or shuffled, one epoch per complete pass
// (torch::data's DataLoader, without worker threads: on two cores they would compete with BLAS).
// Shuffles and transforms are pure functions of (seed, epoch, batch index), so a run resumed with
// set_epoch(k), or set_epoch(k, batch) mid-epoch, sees exactly what an uninterrupted run would.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>

#include "descent/data/dataset.hpp"
#include "descent/data/sampler.hpp"
#include "descent/data/transforms.hpp"

namespace descent::data {

// Chainable options: DataLoaderOptions().batch_size(128).shuffle(true).seed(7).
class DataLoaderOptions {
public:
    DataLoaderOptions(int64_t batch_size = 64) : batch_size_(batch_size) {}

    DataLoaderOptions& batch_size(int64_t v) { return batch_size_ = v, *this; }
    DataLoaderOptions& shuffle(bool v) { return shuffle_ = v, *this; }
    DataLoaderOptions& drop_last(bool v) { return drop_last_ = v, *this; }
    DataLoaderOptions& seed(uint64_t v) { return seed_ = v, *this; }

    int64_t batch_size() const { return batch_size_; }
    bool shuffle() const { return shuffle_; }
    bool drop_last() const { return drop_last_; }  // skip a last batch smaller than batch_size
    uint64_t seed() const { return seed_; }

private:
    int64_t batch_size_;
    bool shuffle_ = false, drop_last_ = false;
    uint64_t seed_ = 0;
};

class DataLoader {
public:
    // An input iterator over one pass; it holds the current batch. Reaching the end advances the
    // loader's epoch; leaving a pass early does not, so the next pass repeats that epoch.
    class Iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Batch;
        using difference_type = std::ptrdiff_t;
        using pointer = Batch*;
        using reference = Batch&;

        Batch& operator*() { return batch_; }
        Batch* operator->() { return &batch_; }
        Iterator& operator++();
        void operator++(int) { ++*this; }
        bool operator==(const Iterator& other) const { return index_ == other.index_; }
        bool operator!=(const Iterator& other) const { return index_ != other.index_; }

    private:
        friend class DataLoader;
        Iterator(DataLoader* loader, int64_t index);
        DataLoader* loader_;
        int64_t index_;  // of the current batch; loader->size() at the end
        Batch batch_;
    };

    // ValueError for a null dataset or batch_size < 1. Holds the dataset; never copies it.
    explicit DataLoader(std::shared_ptr<Dataset> dataset,
                        DataLoaderOptions options = DataLoaderOptions());
    // Visits sampler->indices(epoch) instead (options.shuffle() is then not used). ValueError for
    // a null sampler.
    DataLoader(std::shared_ptr<Dataset> dataset, std::shared_ptr<Sampler> sampler,
               DataLoaderOptions options = DataLoaderOptions());

    // Starts a pass over the current epoch. A pass of zero batches completes at once.
    Iterator begin();
    Iterator end() { return Iterator(this, size()); }

    // Batches per epoch: ceil(N / batch_size), or floor with drop_last.
    int64_t size() const;
    int64_t epoch() const { return epoch_; }
    // The epoch the next pass runs, from batch `batch` (0 to size(); later passes start at 0):
    // resuming a run stopped after `batch` batches of epoch `epoch` (torchdata's
    // StatefulDataLoader keeps the same position). ValueError for a negative epoch, IndexError for
    // a batch outside [0, size()].
    void set_epoch(int64_t epoch, int64_t batch = 0);
    // The batch the next pass starts at.
    int64_t start_batch() const { return start_batch_; }
    // The sample indices epoch `epoch` visits, in order: 0..N-1, or when shuffling a permutation
    // that depends only on (seed, epoch); or the sampler's indices.
    std::vector<int64_t> order(int64_t epoch) const;

    // Applied to each batch's data as it is loaded (labels and targets untouched), e.g.
    // loader.set_transform(Compose{RandomCrop(28, 4), RandomHorizontalFlip(), Normalize({0.286f},
    // {0.353f})}), with a Generator seeded by transform_seed(epoch, batch index). An empty
    // Transform removes it.
    void set_transform(Transform transform) { transform_ = std::move(transform); }
    const Transform& transform() const { return transform_; }
    // SplitMix64 of (seed, epoch, index), unrelated to the seed of the shuffle.
    uint64_t transform_seed(int64_t epoch, int64_t index) const;
    // Batch `index` of epoch `epoch`, transformed: what a pass over that epoch yields there.
    // IndexError for an index outside [0, size()), ValueError for a negative epoch.
    Batch batch(int64_t epoch, int64_t index) const;

    const DataLoaderOptions& options() const { return options_; }
    const std::shared_ptr<Dataset>& dataset() const { return dataset_; }

private:
    Batch load(const std::vector<int64_t>& order, int64_t epoch, int64_t index) const;

    std::shared_ptr<Dataset> dataset_;
    DataLoaderOptions options_;
    std::shared_ptr<Sampler> sampler_;  // null: 0..N-1 or a shuffle
    int64_t epoch_ = 0, start_batch_ = 0;
    std::vector<int64_t> order_;  // of the pass in progress
    Transform transform_;
};

}  // namespace descent::data
