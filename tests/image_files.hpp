// Checks that a file is a real picture: a PNG with its signature, an IHDR chunk first and an IEND
// chunk last; an SVG that is an XML document with an <svg> root and a closing tag.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>

namespace test {

inline std::string file_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// Width and height of a valid PNG at `path`, or {0, 0}.
struct PngSize {
    uint32_t width = 0, height = 0;
};
inline PngSize png_size(const std::string& path) {
    const std::string b = file_bytes(path);
    const std::string signature = "\x89PNG\r\n\x1a\n";
    if (b.size() < 45 || b.compare(0, 8, signature) != 0 || b.compare(12, 4, "IHDR") != 0 ||
        b.compare(b.size() - 8, 4, "IEND") != 0)
        return {};
    const auto be32 = [&](size_t at) {
        uint32_t v = 0;
        for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
        return v;
    };
    return {be32(16), be32(20)};
}

inline bool valid_svg_text(const std::string& s) {
    const size_t root = s.find("<svg");
    return s.compare(0, 5, "<?xml") == 0 && root != std::string::npos &&
           s.find("</svg>") != std::string::npos && s.find("</svg>") > root;
}
inline bool valid_svg(const std::string& path) { return valid_svg_text(file_bytes(path)); }

}  // namespace test
