// TextCorpus: reading the files, refusing empty and binary ones, tokens and the split.
#include "descent/data/text_corpus.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "descent/autograd/ops/index.hpp"
#include "descent/core/error.hpp"

namespace descent::data {

namespace {
// Whether byte c is a control character text does not hold.
bool is_binary_byte(unsigned char c) {
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) || c == 0x7f;
}

void check_text(const std::string& name, const std::string& s) {
    DESCENT_CHECK(!s.empty(), ValueError, "TextCorpus(): \"", name, "\" is empty");
    const size_t nul = s.find('\0');
    DESCENT_CHECK(nul == std::string::npos, ValueError, "TextCorpus(): \"", name,
                  "\" looks binary, not text: a NUL byte at offset ", nul);
    const auto bad =
        std::count_if(s.begin(), s.end(), [](char c) { return is_binary_byte((unsigned char)c); });
    DESCENT_CHECK(bad * 10 <= static_cast<std::ptrdiff_t>(s.size()), ValueError, "TextCorpus(): \"",
                  name, "\" looks binary, not text: ", bad, " of its ", s.size(),
                  " bytes are control characters");
}

std::string read_file(const std::string& path) {
    struct stat st {};
    DESCENT_CHECK(::stat(path.c_str(), &st) == 0, IOError, "TextCorpus(): cannot read \"", path,
                  "\": ", std::strerror(errno));
    DESCENT_CHECK(!S_ISDIR(st.st_mode), IOError, "TextCorpus(): \"", path,
                  "\" is a directory, not a text file");
    std::ifstream in(path, std::ios::binary);
    DESCENT_CHECK(in.good(), IOError, "TextCorpus(): cannot open \"", path,
                  "\": ", std::strerror(errno));
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    DESCENT_CHECK(!in.bad(), IOError, "TextCorpus(): reading \"", path, "\" failed");
    return s;
}
}  // namespace

TextCorpus::TextCorpus(const std::vector<std::string>& paths) {
    DESCENT_CHECK(!paths.empty(), ValueError, "TextCorpus(): no files given");
    for (const std::string& p : paths) {
        const std::string s = read_file(p);
        check_text(p, s);
        text_ += s;
        names_.push_back(p);
    }
    finish();
}

TextCorpus TextCorpus::of_text(const std::string& text, const std::string& name) {
    check_text(name, text);
    TextCorpus c;
    c.text_ = text;
    c.names_ = {name};
    c.finish();
    return c;
}

void TextCorpus::finish() {
    vocabulary_ = CharVocabulary::of_text(text_);
    tokens_ = vocabulary_.encode(text_);
}

std::vector<std::string> TextCorpus::fortunes_files(const std::string& dir) {
    std::vector<std::string> out;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (const dirent* e = ::readdir(d)) {
            const std::string name = e->d_name;
            auto ends_with = [&](const char* suffix) {
                const size_t n = std::strlen(suffix);
                return name.size() >= n && name.compare(name.size() - n, n, suffix) == 0;
            };
            if (name.empty() || name[0] == '.' || ends_with(".dat") || ends_with(".u8")) continue;
            struct stat st {};
            const std::string path = dir + "/" + name;
            if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.push_back(path);
        }
        ::closedir(d);
    }
    DESCENT_CHECK(!out.empty(), IOError, "TextCorpus::fortunes_files(): no fortune files in \"",
                  dir, "\" (install Debian's `fortunes` package, or name a text file)");
    std::sort(out.begin(), out.end());
    return out;
}

int64_t TextCorpus::split_point(double f, const char* op) const {
    DESCENT_CHECK(f >= 0 && f < 1, ValueError, "TextCorpus::", op,
                  "(): validation_fraction must be in [0, 1), got ", f);
    return size() - static_cast<int64_t>(static_cast<double>(size()) * f);
}

Tensor TextCorpus::train_tokens(double f) const {
    return narrow(tokens_, 0, 0, split_point(f, "train_tokens"));
}

Tensor TextCorpus::validation_tokens(double f) const {
    const int64_t at = split_point(f, "validation_tokens");
    return narrow(tokens_, 0, at, size() - at);
}

}  // namespace descent::data
