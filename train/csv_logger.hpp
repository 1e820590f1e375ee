// A CSV log of per-epoch metrics (epoch, train loss, validation loss and accuracy, lr, seconds...).
// Every log() rewrites the whole file through a temp file and a rename, so the file on disk is
// always a complete table, even if training is killed mid-write.
#pragma once

#include <string>
#include <vector>

namespace descent::train {

class CsvLogger {
public:
    // Writes the header at once, so a path that cannot be written fails before training starts.
    CsvLogger(std::string path, std::vector<std::string> columns);

    // One row: as many values as columns.
    void log(const std::vector<double>& values);

    const std::string& path() const { return path_; }
    size_t rows() const { return rows_.size(); }

private:
    void write() const;

    std::string path_;
    std::vector<std::string> columns_;
    std::vector<std::string> rows_;  // formatted lines
};

}  // namespace descent::train
