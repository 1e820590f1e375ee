// Subset and random_split: index mapping, sizes, disjoint pieces that cover the dataset, the same
// split for the same seed, and errors naming the lengths and sizes.
#include <algorithm>
#include <set>

#include "descent/data/subset.hpp"
#include "descent/data/tensor_dataset.hpp"
#include "support.hpp"

using namespace descent;
using namespace descent::data;

namespace {

// N samples whose label is their index.
std::shared_ptr<Dataset> numbered(int64_t n) {
    std::vector<int64_t> labels(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) labels[i] = i;
    return std::make_shared<TensorDataset>(test::iota({n, 1}), labels);
}

}  // namespace

TEST_CASE("Subset maps its indices to the dataset's") {
    const auto ds = numbered(10);
    Subset s(ds, {7, 2, 9});
    CHECK(s.size() == 3);
    const Batch b = s.get_batch({2, 0});
    CHECK(b.labels.to_vector<int64_t>() == std::vector<int64_t>{9, 7});
    CHECK_VALUES(b.data, {2, 1}, {9, 7});
    CHECK(s.dataset() == ds);
    CHECK_ERROR(IndexError, [&] { s.get_batch({3}); }, {"Subset::get_batch()", "index 3", "of 3"});
    CHECK_ERROR(IndexError, [&] { Subset(ds, {0, 10}); }, {"Subset()", "index 10", "of 10"});
    CHECK_ERROR(ValueError, [] { Subset(nullptr, {}); }, {"Subset()", "null"});
}

TEST_CASE("random_split: sizes, disjoint pieces covering the dataset, reproducible by seed") {
    const auto ds = numbered(20);
    const auto parts = random_split(ds, {12, 5, 0, 3}, 42);
    REQUIRE(parts.size() == 4);
    CHECK(parts[0]->size() == 12);
    CHECK(parts[1]->size() == 5);
    CHECK(parts[2]->size() == 0);
    CHECK(parts[3]->size() == 3);
    std::set<int64_t> seen;
    for (const auto& p : parts)
        for (int64_t i : p->indices()) CHECK(seen.insert(i).second);  // disjoint
    CHECK(seen.size() == 20);                                         // covering
    CHECK(*seen.begin() == 0);
    CHECK(*seen.rbegin() == 19);
    // Shuffled, not the first 12 in order.
    std::vector<int64_t> first = parts[0]->indices();
    CHECK_FALSE(std::is_sorted(first.begin(), first.end()));

    const auto again = random_split(ds, {12, 5, 0, 3}, 42);
    for (size_t k = 0; k < parts.size(); ++k) CHECK(again[k]->indices() == parts[k]->indices());
    const auto other = random_split(ds, {12, 5, 0, 3}, 43);
    CHECK(other[0]->indices() != parts[0]->indices());
    // A piece reads through to the dataset.
    CHECK(parts[1]->get(0).labels.item<int64_t>() == parts[1]->indices()[0]);
}

TEST_CASE("random_split errors name the lengths and the dataset size") {
    const auto ds = numbered(10);
    CHECK_ERROR(ValueError,
                [&] {
                    random_split(ds, {6, 5}, 0);
                },
                {"random_split()", "(6, 5)", "sum to 11", "10 samples"});
    CHECK_ERROR(ValueError, [&] { random_split(ds, {12, -2}, 0); }, {"(12, -2)", "negative"});
    CHECK_ERROR(ValueError, [] { random_split(nullptr, {}, 0); }, {"null"});
}
