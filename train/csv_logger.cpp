// The CSV logger: values printed with %.9g (floats round-trip), the file replaced atomically
// through detail::AtomicFile; a resumed run's log read back line by line.
#include "descent/train/csv_logger.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <unistd.h>

#include "descent/core/error.hpp"
#include "descent/core/atomic_file.hpp"

namespace descent::train {

namespace {
std::string joined(const std::vector<std::string>& columns) {
    std::string text;
    for (size_t i = 0; i < columns.size(); ++i) text += (i ? "," : "") + columns[i];
    return text;
}
}  // namespace

CsvLogger::CsvLogger(std::string path, std::vector<std::string> columns)
    : path_(std::move(path)), columns_(std::move(columns)) {
    check_columns();
    write();
}

CsvLogger::CsvLogger(std::string path, std::vector<std::string> columns, size_t keep_rows)
    : path_(std::move(path)), columns_(std::move(columns)) {
    check_columns();
    if (descent::detail::is_special_file(path_)) {  // reading a FIFO or terminal would block
        write();
        return;
    }
    std::ifstream in(path_);
    std::string line;
    if (in && std::getline(in, line)) {
        DESCENT_CHECK(line == joined(columns_), ValueError, "CsvLogger(", path_,
                      "): the file's columns are '", line, "', this log's '", joined(columns_),
                      "'");
        while (rows_.size() < keep_rows && std::getline(in, line)) rows_.push_back(line);
    }
    write();
}

void CsvLogger::check_columns() const {
    DESCENT_CHECK(!columns_.empty(), ValueError, "CsvLogger(", path_, "): no columns");
    for (const std::string& c : columns_)
        DESCENT_CHECK(c.find_first_of(",\"\n") == std::string::npos, ValueError, "CsvLogger(",
                      path_, "): column name '", c, "' contains a comma, quote or newline");
}

void CsvLogger::log(const std::vector<double>& values) { log_rows({values}); }

void CsvLogger::log_rows(const std::vector<std::vector<double>>& rows) {
    for (const auto& values : rows)
        DESCENT_CHECK(values.size() == columns_.size(), ValueError, "CsvLogger::log(", path_,
                      "): ", values.size(), " values for ", columns_.size(), " columns");
    char buf[32];
    for (const auto& values : rows) {
        std::string line;
        for (size_t i = 0; i < values.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%.9g", values[i]);
            line += (i ? "," : "") + std::string(buf);
        }
        rows_.push_back(std::move(line));
    }
    write();
}

void CsvLogger::log_text(const std::vector<std::vector<std::string>>& rows) {
    for (const auto& fields : rows) {
        DESCENT_CHECK(fields.size() == columns_.size(), ValueError, "CsvLogger::log_text(", path_,
                      "): ", fields.size(), " fields for ", columns_.size(), " columns");
        for (const std::string& f : fields)
            DESCENT_CHECK(f.find_first_of(",\"\n") == std::string::npos, ValueError,
                          "CsvLogger::log_text(", path_, "): field '", f,
                          "' contains a comma, quote or newline");
    }
    for (const auto& fields : rows) rows_.push_back(joined(fields));
    write();
}

void CsvLogger::write() {
    if (stream_ || descent::detail::is_special_file(path_)) {
        if (!stream_) {
            stream_ = std::shared_ptr<int>(
                new int(descent::detail::open_write_through(path_, "CsvLogger")), [](int* fd) {
                    ::close(*fd);
                    delete fd;
                });
            streamed_ = 0;
            descent::detail::write_through(*stream_, joined(columns_) + "\n", path_, "CsvLogger");
        }
        std::string text;
        for (; streamed_ < rows_.size(); ++streamed_) text += rows_[streamed_] + "\n";
        descent::detail::write_through(*stream_, text, path_, "CsvLogger");
        return;
    }
    std::string text = joined(columns_) + "\n";
    for (const std::string& row : rows_) text += row + "\n";
    descent::detail::AtomicFile file(path_, "CsvLogger");
    file.write(text);
    file.commit();
}

}  // namespace descent::train
