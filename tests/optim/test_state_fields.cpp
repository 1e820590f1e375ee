// State fields: each kind saved in its shape and read back; a refused read changes nothing, and a
// check that fails after the values were set puts the old ones back.
#include "support.hpp"

#include "descent/optim/state_fields.hpp"

using namespace descent;
using namespace descent::optim::detail;

namespace {
enum class Colour { red, green, blue };

struct Thing {
    double rate = 0.25;
    int64_t since = -1;
    Colour colour = Colour::green;
    std::vector<int64_t> steps{3, 8};
    std::vector<double> lrs{0.1, 0.2};

    std::vector<StateField> fields() {
        return {number_field("rate", rate), count_field("since", since, -1),
                choice_field("colour", colour, 3), list_field("steps", steps),
                per_group_field("lrs", lrs)};
    }
};
}  // namespace

TEST_CASE("fields_state_dict and load_fields: each kind in its shape, read back exactly") {
    Thing a;
    a.rate = 0.1 * 0.3;  // not a float
    const NamedTensors dict = fields_state_dict(a.fields());
    REQUIRE(dict.size() == 5);
    CHECK(dict[0].second.shape() == Shape{3});
    CHECK(equal(dict[1].second, scalar_tensor(-1)));
    CHECK(equal(dict[2].second, scalar_tensor(1)));
    CHECK(equal(dict[3].second, tensor({3.0f, 8.0f})));
    CHECK(dict[4].second.shape() == Shape{2, 3});

    Thing b;
    b.rate = 9, b.since = 4, b.colour = Colour::blue, b.steps = {}, b.lrs = {1, 2};
    load_fields("Thing.load_state_dict()", b.fields(), 2, dict, [] {});
    CHECK(b.rate == a.rate);
    CHECK(b.since == -1);
    CHECK(b.colour == Colour::green);
    CHECK(b.steps == a.steps);
    CHECK(b.lrs == a.lrs);
}

TEST_CASE(
    "load_fields: a malformed dict is refused before anything is set, and a failed check "
    "is undone") {
    Thing source;
    source.since = 7;
    const NamedTensors good = fields_state_dict(source.fields());
    Thing t;
    const NamedTensors before = fields_state_dict(t.fields());
    CHECK_ERROR(StateError,
                [&] {
                    load_fields("Thing.load_state_dict()", t.fields(), 2,
                                test::with_entry(good, "colour", scalar_tensor(3)), [] {});
                },
                {"Thing.load_state_dict(): wrong values: colour is 3, not an integer in [0, 2]"});
    CHECK_ERROR(StateError,
                [&] { load_fields("Thing.load_state_dict()", t.fields(), 3, good, [] {}); },
                {"lrs has shape (2, 3), expected (3, 3)"});
    CHECK_OUTCOME(test::same_state(fields_state_dict(t.fields()), before));

    bool saw_new_values = false;
    CHECK_ERROR(ValueError,
                [&] {
                    load_fields("Thing.load_state_dict()", t.fields(), 2, good, [&] {
                        saw_new_values = t.since == 7;
                        throw ValueError("Thing.load_state_dict(): since 7 is too late");
                    });
                },
                {"since 7 is too late"});
    CHECK(saw_new_values);  // the check ran on the loaded values
    CHECK_OUTCOME(test::same_state(fields_state_dict(t.fields()), before));
}
