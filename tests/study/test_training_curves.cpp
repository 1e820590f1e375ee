// TrainingCurves: what each picture draws from the logged rows (series, values, the cut at a
// non-finite value), the gradient table, its refusals, and the files save() writes.
#include "descent/study/training_curves.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <sys/stat.h>

#include "image_files.hpp"
#include "support.hpp"

using namespace descent;
using study::TrainingCurves;

namespace {
const study::Series* find(const study::Figure& f, const std::string& title) {
    for (const auto& s : f.series())
        if (s.title == title) return &s;
    return nullptr;
}
}  // namespace

TEST_CASE("TrainingCurves draws the loss columns and the lr on the right axis") {
    TrainingCurves c({"epoch", "train_loss", "val_loss", "val_accuracy", "lr"});
    c.log({1, 0.9, 1.0, 0.5, 0.1});
    c.log({2, 0.6, 0.7, 0.75, 0.05});
    const study::Figure f = c.loss_figure();
    REQUIRE(f.series().size() == 3);
    const auto* train = find(f, "train_loss");
    REQUIRE(train != nullptr);
    CHECK(train->x == std::vector<double>{1, 2});
    CHECK(train->y == std::vector<double>{0.9, 0.6});
    CHECK_FALSE(train->right_axis);
    const auto* lr = find(f, "learning rate (right axis)");
    REQUIRE(lr != nullptr);
    CHECK(lr->right_axis);
    CHECK(lr->y == std::vector<double>{0.1, 0.05});
    CHECK(find(f, "val_accuracy") == nullptr);

    const study::Figure a = c.accuracy_figure();
    REQUIRE(a.series().size() == 2);  // val_accuracy in percent, and the lr
    CHECK(find(a, "val_accuracy")->y == std::vector<double>{50, 75});
    CHECK(c.column("val_loss") == std::vector<double>{1.0, 0.7});
}

TEST_CASE("TrainingCurves ends a curve at its first non-finite value") {
    TrainingCurves c({"epoch", "train_loss"});
    c.log({1, 2.0});
    c.log({2, 5.0});
    c.log({3, NAN});
    c.log({4, 1.0});  // after the NaN: not drawn either, the run had diverged
    CHECK(c.loss_figure().series().at(0).y == std::vector<double>{2.0, 5.0});
}

TEST_CASE("TrainingCurves keeps gradient norms per parameter, leaving zeros off the log axis") {
    TrainingCurves c({"epoch", "train_loss"});
    train::GradientReport r1, r2;
    r1.parameters = {{"0.weight", 0.5, 1, 0.01}, {"0.bias", 0.0, 1, 0.01}};
    r2.parameters = {{"0.weight", 0.25, 1, 0.01}, {"0.bias", 0.125, 1, 0.01}};
    CHECK_FALSE(c.has_gradients());
    c.log_gradients(0.5, r1);
    c.log_gradients(1.0, r2);
    CHECK(c.gradient_columns() == std::vector<std::string>{"epoch", "0.weight", "0.bias"});
    CHECK(c.gradient_rows() == std::vector<std::vector<double>>{{0.5, 0.5, 0.0}, {1.0, 0.25, 0.125}});
    const study::Figure f = c.gradient_norm_figure();
    CHECK(find(f, "0.weight")->y == std::vector<double>{0.5, 0.25});
    CHECK(find(f, "0.bias")->x == std::vector<double>{1.0});  // the 0 at epoch 0.5 left out
}

TEST_CASE("TrainingCurves refuses bad columns, rows and requests, naming them") {
    CHECK_ERROR(ValueError, [] { TrainingCurves({"loss"}); }, {"TrainingCurves", "no \"epoch\" column in (loss)"});
    CHECK_ERROR(ValueError, [] { TrainingCurves({"epoch", "a", "a"}); }, {"named twice", "(epoch, a, a)"});
    TrainingCurves c({"epoch", "train_loss"});
    CHECK_ERROR(ValueError, [&] { c.log({1}); }, {"TrainingCurves::log", "1 values for 2 columns"});
    CHECK(c.rows().empty());
    CHECK_ERROR(ValueError, [&] { c.loss_figure(); }, {"no epoch logged yet"});
    CHECK_ERROR(ValueError, [&] { c.column("lr"); }, {"TrainingCurves::column", "no column \"lr\""});
    CHECK_ERROR(ValueError, [&] { c.gradient_norm_figure(); }, {"no gradients logged"});
}

TEST_CASE("TrainingCurves::save writes each picture as a valid PNG and SVG") {
    REQUIRE(study::gnuplot_available());  // scripts/install-deps.sh installs it
    const std::string dir = "/tmp/descent_test_curves_" + std::to_string(getpid());
    REQUIRE(mkdir(dir.c_str(), 0755) == 0);
    TrainingCurves c({"epoch", "train_loss", "test_accuracy", "lr"});
    c.log({1, 0.8, 0.7, 1e-3});
    c.log({2, 0.5, 0.8, 5e-4});
    train::GradientReport r;
    r.parameters = {{"1.weight", 0.3, 2, 0.001}};
    c.log_gradients(1, r);
    c.log_gradients(2, r);
    const auto paths = c.save(dir);
    REQUIRE(paths.size() == 6);
    for (const auto& p : paths) {
        if (p.size() > 4 && p.substr(p.size() - 4) == ".png") {
            CHECK(test::png_size(p).width == 800);
        } else {
            CHECK(test::valid_svg(p));
        }
        std::remove(p.c_str());
    }
    CHECK(rmdir(dir.c_str()) == 0);
    CHECK_ERROR(IOError, [&] { c.save("/proc/no/such/dir"); }, {"/proc/no/such/dir"});
}

TEST_CASE("one epoch at a fixed lr: whole-number epoch ticks and a lr axis wide enough to tick") {
    TrainingCurves c({"epoch", "train_loss", "lr"});
    c.log({1, 0.5, 0.001});
    const std::string gp = c.loss_figure().script("svg", "x.svg");
    // Before: gnuplot's autoscale ticked x at 0.99 ... 1.01 and the lr axis at 0.00101, 0.00101.
    CHECK(gp.find("set xtics 1\n") != std::string::npos);
    CHECK(gp.find("set xrange [0:2]\n") != std::string::npos);
    CHECK(gp.find("set y2range [0.0005:0.0015]\n") != std::string::npos);
    // 30 epochs of a falling lr: ticks every 3 epochs, the lr axis left to gnuplot.
    TrainingCurves many({"epoch", "train_loss", "lr"});
    for (int e = 1; e <= 30; ++e) many.log({double(e), 1.0 / e, 0.1 / e});
    const std::string gp30 = many.loss_figure().script("svg", "x.svg");
    CHECK(gp30.find("set xtics 3\n") != std::string::npos);
    CHECK(gp30.find("set xrange") == std::string::npos);
    CHECK(gp30.find("set y2range") == std::string::npos);
}
