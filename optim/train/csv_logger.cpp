// The CSV logger: values printed with %.9g (floats round-trip), the file replaced atomically.
#include "descent/optim/train/csv_logger.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "descent/core/error.hpp"

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
    const std::string tmp = path_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        DESCENT_CHECK(out, IOError, "CsvLogger: cannot write ", tmp, ": ", std::strerror(errno));
        for (size_t i = 0; i < columns_.size(); ++i) out << (i ? "," : "") << columns_[i];
        out << "\n";
        for (const std::string& row : rows_) out << row << "\n";
        out.flush();
        DESCENT_CHECK(out, IOError, "CsvLogger: writing ", tmp, " failed: ", std::strerror(errno));
    }
    if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
        const int err = errno;
        std::remove(tmp.c_str());
        throw IOError(
            detail::cat("CsvLogger: cannot rename ", tmp, " to ", path_, ": ", std::strerror(err)));
    }
}

}  // namespace descent::train
