// The CSV logger: values printed with %.9g (floats round-trip), the file replaced atomically
// through io::detail::AtomicFile.
#include "descent/train/csv_logger.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <unistd.h>

#include "descent/core/error.hpp"
#include "descent/io/atomic_file.hpp"

namespace descent::train {

CsvLogger::CsvLogger(std::string path, std::vector<std::string> columns)
    : path_(std::move(path)), columns_(std::move(columns)) {
    DESCENT_CHECK(!columns_.empty(), ValueError, "CsvLogger(", path_, "): no columns");
    for (const std::string& c : columns_)
        DESCENT_CHECK(c.find_first_of(",\"\n") == std::string::npos, ValueError, "CsvLogger(",
                      path_, "): column name '", c, "' contains a comma, quote or newline");
    write();
}

void CsvLogger::log(const std::vector<double>& values) {
    DESCENT_CHECK(values.size() == columns_.size(), ValueError, "CsvLogger::log(", path_,
                  "): ", values.size(), " values for ", columns_.size(), " columns");
    std::string line;
    char buf[32];
    for (size_t i = 0; i < values.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%.9g", values[i]);
        line += (i ? "," : "") + std::string(buf);
    }
    rows_.push_back(std::move(line));
    write();
}

void CsvLogger::write() const {
    std::string text;
    for (size_t i = 0; i < columns_.size(); ++i) text += (i ? "," : "") + columns_[i];
    text += "\n";
    for (const std::string& row : rows_) text += row + "\n";
    io::detail::AtomicFile file(path_, "CsvLogger");
    for (size_t done = 0; done < text.size();) {
        const ssize_t n = ::write(file.fd(), text.data() + done, text.size() - done);
        DESCENT_CHECK(n > 0 || errno == EINTR, IOError, "CsvLogger: writing ", file.temp_path(),
                      " failed: ", std::strerror(errno));
        if (n > 0) done += static_cast<size_t>(n);
    }
    file.commit();
}

}  // namespace descent::train
