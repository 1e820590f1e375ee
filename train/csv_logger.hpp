// A CSV log of per-epoch metrics (epoch, train loss, validation loss and accuracy, lr, seconds...).
// Every log() rewrites the whole file through a temp file and a rename, so the file on disk is
// always a complete table, even if training is killed mid-write. A special file (/dev/stdout, a
// FIFO, a terminal) is held open and gets the header once, then each new row as it comes.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace descent::train {

class CsvLogger {
public:
    // Writes the header at once, so a path that cannot be written fails before training starts.
    CsvLogger(std::string path, std::vector<std::string> columns);
    // Continues the log of a run resumed after `keep_rows` rows (epochs): if `path` exists, its
    // header must be `columns` (ValueError naming both otherwise, the file untouched) and its first
    // keep_rows rows stay, while later ones, written after the checkpoint, go; a missing file
    // starts an empty log. A special file is not read back: the log starts afresh there.
    CsvLogger(std::string path, std::vector<std::string> columns, size_t keep_rows);

    // One row: as many values as columns.
    void log(const std::vector<double>& values);
    // Many rows of numbers with one rewrite (a lab's whole trajectory); each as many values as
    // columns, or ValueError and nothing is added.
    void log_rows(const std::vector<std::vector<double>>& rows);
    // Rows of text fields (names, or numbers formatted by the caller), written with one rewrite.
    // Each has as many fields as columns, none holding a comma, quote or newline (ValueError
    // naming the field; nothing is added then).
    void log_text(const std::vector<std::vector<std::string>>& rows);

    const std::string& path() const { return path_; }
    size_t rows() const { return rows_.size(); }

private:
    void check_columns() const;
    void write();

    std::string path_;
    std::vector<std::string> columns_;
    std::vector<std::string> rows_;  // formatted lines
    std::shared_ptr<int> stream_;    // the special file's descriptor, written through; or null
    size_t streamed_ = 0;            // rows already written to stream_
};

}  // namespace descent::train
