// The CSV logger: header at once, whole table per row through a rename, a resumed run's log
// continued, and its refusals; on a special file (/dev/stdout), the header once and then the rows.
#include "descent/train/csv_logger.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "io/scratch.hpp"
#include "support.hpp"

using namespace descent;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
std::string temp_path(const char* name) {
    return "/tmp/descent_test_" + std::to_string(getpid()) + "_" + name;
}
}  // namespace

TEST_CASE("CsvLogger writes the header at once and the whole table on every row") {
    const std::string path = temp_path("log.csv");
    train::CsvLogger log(path, {"epoch", "train_loss", "lr"});
    CHECK(slurp(path) == "epoch,train_loss,lr\n");
    log.log({1, 0.5, 1e-3});
    log.log({2, 0.25, 5e-4});
    CHECK(slurp(path) == "epoch,train_loss,lr\n1,0.5,0.001\n2,0.25,0.0005\n");
    CHECK(log.rows() == 2);
    std::remove(path.c_str());
}

TEST_CASE("CsvLogger refuses a wrong row and an unwritable path") {
    const std::string path = temp_path("bad.csv");
    train::CsvLogger log(path, {"a", "b"});
    CHECK_ERROR(ValueError, [&] { log.log({1.0}); }, {path, "1 values", "2 columns"});
    CHECK(slurp(path) == "a,b\n");  // the refused row left the file as it was
    CHECK_ERROR(IOError, [] { train::CsvLogger("/nonexistent-dir/x.csv", {"a"}); },
                {"CsvLogger", "/nonexistent-dir/x.csv"});
    CHECK_ERROR(ValueError, [] { train::CsvLogger("/tmp/x.csv", {"a,b"}); }, {"a,b", "comma"});
    std::remove(path.c_str());
}

TEST_CASE("CsvLogger::log_text writes rows of text fields at once, or none of them") {
    const std::string path = temp_path("text.csv");
    train::CsvLogger log(path, {"kind", "name", "value"});
    log.log_text({{"param", "0.weight", "0.5"}, {"relu", "1", ""}});
    CHECK(slurp(path) == "kind,name,value\nparam,0.weight,0.5\nrelu,1,\n");
    CHECK_ERROR(ValueError,
                [&] {
                    log.log_text({{"param", "a", "1"}, {"param", "b,c", "2"}});
                },
                {"CsvLogger::log_text(", "field 'b,c' contains a comma"});
    CHECK_ERROR(ValueError, [&] { log.log_text({{"param", "a"}}); }, {"2 fields for 3 columns"});
    CHECK(log.rows() == 2);  // the first, good row of the refused call was not added either
    CHECK(slurp(path) == "kind,name,value\nparam,0.weight,0.5\nrelu,1,\n");
    std::remove(path.c_str());
}

TEST_CASE("CsvLogger continues a resumed run's log: the rows up to the checkpoint, then new ones") {
    const std::string path = temp_path("resumed.csv");
    {
        train::CsvLogger first(path, {"epoch", "loss"});
        for (int e = 1; e <= 3; ++e) first.log({double(e), 1.0 / e});
    }
    // Resumed from the checkpoint of epoch 2: the row of epoch 3 was written after it and goes.
    train::CsvLogger resumed(path, {"epoch", "loss"}, 2);
    CHECK(resumed.rows() == 2);
    CHECK(slurp(path) == "epoch,loss\n1,1\n2,0.5\n");
    resumed.log({3, 0.25});
    CHECK(slurp(path) == "epoch,loss\n1,1\n2,0.5\n3,0.25\n");

    // Other columns: refused, the file as it was.
    CHECK_ERROR(ValueError,
                [&] {
                    train::CsvLogger other(path, {"epoch", "acc"}, 2);
                },
                {path, "the file's columns are 'epoch,loss', this log's 'epoch,acc'"});
    CHECK(slurp(path) == "epoch,loss\n1,1\n2,0.5\n3,0.25\n");
    // No file yet (the first run had no log): an empty one.
    std::remove(path.c_str());
    train::CsvLogger fresh(path, {"epoch", "loss"}, 5);
    CHECK(fresh.rows() == 0);
    CHECK(slurp(path) == "epoch,loss\n");
    std::remove(path.c_str());
}

TEST_CASE("CsvLogger::log_rows writes many rows at once, or none if one is wrong") {
    const std::string path = temp_path("rows.csv");
    train::CsvLogger log(path, {"step", "loss"});
    log.log_rows({{1, 0.5}, {2, 0.125}});
    CHECK(slurp(path) == "step,loss\n1,0.5\n2,0.125\n");
    CHECK_ERROR(ValueError, [&] { log.log_rows({{3, 0.1}, {4}}); }, {path, "1 values", "2 columns"});
    CHECK(log.rows() == 2);
    CHECK(slurp(path) == "step,loss\n1,0.5\n2,0.125\n");
    std::remove(path.c_str());
}

TEST_CASE("a CsvLogger on a descriptor link writes its header once, then each new row") {
    test::ScratchDir dir;
    const std::string p = dir.file("log.csv");
    {
        // A descriptor opened on the file, as a shell's `> log.csv` gives /dev/stdout.
        const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        REQUIRE(fd >= 0);
        train::CsvLogger log("/dev/fd/" + std::to_string(fd), {"epoch", "loss"});
        log.log({1, 0.5});
        log.log({2, 0.25});
        ::close(fd);
    }
    CHECK(test::read_bytes(p) == "epoch,loss\n1,0.5\n2,0.25\n");
}
