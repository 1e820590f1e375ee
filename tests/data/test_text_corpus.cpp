// data::TextCorpus: files -> tokens over their bytes, the split, the fortunes files; refused
// missing, empty and binary files.
#include "support.hpp"

#include "io/scratch.hpp"

using namespace descent;

namespace {
void write(const std::string& path, const std::string& s) {
    std::ofstream(path, std::ios::binary) << s;
}
}  // namespace

TEST_CASE("TextCorpus: files concatenated into tokens over their sorted bytes") {
    test::ScratchDir dir;
    write(dir.file("a.txt"), "abba\n");
    write(dir.file("b.txt"), "cab\n");
    data::TextCorpus c({dir.file("a.txt"), dir.file("b.txt")});
    CHECK(c.text() == "abba\ncab\n");
    CHECK(c.size() == 9);
    CHECK(c.vocabulary().size() == 4);  // \n a b c
    CHECK(c.tokens().to_vector<int64_t>() == std::vector<int64_t>{1, 2, 2, 1, 0, 3, 1, 2, 0});
    CHECK(c.sources().size() == 2);
    // the split: the last third for validation, contiguous
    CHECK(c.train_tokens(1.0 / 3).to_vector<int64_t>() == std::vector<int64_t>{1, 2, 2, 1, 0, 3});
    CHECK(c.validation_tokens(1.0 / 3).to_vector<int64_t>() == std::vector<int64_t>{1, 2, 0});
    CHECK(c.validation_tokens(0.0).numel() == 0);
    CHECK_ERROR(ValueError, [&] { c.train_tokens(1.0); },
                {"train_tokens()", "validation_fraction", "1"});
}

TEST_CASE("TextCorpus: refused missing, empty and binary files") {
    test::ScratchDir dir;
    CHECK_ERROR(IOError, [&] { data::TextCorpus({dir.file("nope.txt")}); },
                {"TextCorpus()", "nope.txt", "No such file"});
    CHECK_ERROR(IOError, [&] { data::TextCorpus({dir.path()}); }, {"TextCorpus()", "directory"});
    write(dir.file("empty.txt"), "");
    CHECK_ERROR(ValueError, [&] { data::TextCorpus({dir.file("empty.txt")}); },
                {"TextCorpus()", "empty.txt", "empty"});
    write(dir.file("nul.bin"), std::string("text\0more", 9));
    CHECK_ERROR(ValueError, [&] { data::TextCorpus({dir.file("nul.bin")}); },
                {"TextCorpus()", "nul.bin", "binary", "NUL byte at offset 4"});
    write(dir.file("ctl.bin"),
          "ab\x01\x02\x03\x04\x05\x06\x07\x08"
          "cd");
    CHECK_ERROR(ValueError, [&] { data::TextCorpus({dir.file("ctl.bin")}); },
                {"TextCorpus()", "ctl.bin", "binary", "8 of its 12 bytes"});
    CHECK_ERROR(ValueError, [] { data::TextCorpus(std::vector<std::string>{}); },
                {"TextCorpus()", "no files"});
    CHECK_ERROR(ValueError, [] { data::TextCorpus::of_text(""); }, {"TextCorpus()", "empty"});
    // tabs, escapes and UTF-8 are text
    CHECK(data::TextCorpus::of_text("caf\xc3\xa9\t\x1b[1mbold\x1b[0m\r\n").size() == 20);
}

TEST_CASE("TextCorpus: the fortunes files, without the .dat indexes") {
    test::ScratchDir dir;
    write(dir.file("zen"), "Be here.\n%\nNow.\n");
    write(dir.file("zen.dat"), std::string("\0\0\0\2", 4));
    write(dir.file("art"), "Art.\n");
    std::filesystem::create_symlink("zen", dir.file("zen.u8"));
    const auto files = data::TextCorpus::fortunes_files(dir.path());
    CHECK(files == std::vector<std::string>{dir.file("art"), dir.file("zen")});
    CHECK(data::TextCorpus(files).size() == 21);
    test::ScratchDir none;
    CHECK_ERROR(IOError, [&] { data::TextCorpus::fortunes_files(none.path()); },
                {"fortunes_files()", "fortunes"});
}
