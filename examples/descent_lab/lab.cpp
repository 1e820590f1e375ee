// The shared parts of the labs: output folder, CSV tables, pictures, lesson lines, and the endless
// mini-batches of a dataset the Fashion-MNIST labs train on.
#include "lab.hpp"

#include "../cli.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lab {

Output::Output(std::string dir, std::string lab, std::ostream& log)
    : dir_(std::move(dir)), lab_(std::move(lab)), log_(log) {
    if (dir_.empty()) return;
    // mkdir -p, one component at a time.
    for (size_t at = dir_.find('/', 1);; at = dir_.find('/', at + 1)) {
        const std::string part = dir_.substr(0, at);
        if (::mkdir(part.c_str(), 0777) != 0 && errno != EEXIST)
            throw descent::IOError("--out: cannot create '" + part + "': " + std::strerror(errno));
        if (at == std::string::npos) break;
    }
    struct stat st {};
    if (::stat(dir_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || ::access(dir_.c_str(), W_OK) != 0)
        throw descent::IOError("--out: '" + dir_ + "' is not a writable folder");
}

std::string Output::path(const std::string& name, const std::string& ext) const {
    return dir_ + "/" + lab_ + "_" + name + "." + ext;
}

void Output::csv(const std::string& name, const std::vector<std::string>& columns,
                 const std::vector<std::vector<double>>& rows) {
    if (dir_.empty()) return;
    descent::train::CsvLogger table(staged_.stage(path(name, "csv")), columns);
    table.log_rows(rows);
    files_.push_back(path(name, "csv"));
}

void Output::figure(const std::string& name, const descent::study::Figure& figure) {
    draw(name, figure);
}
void Output::figure(const std::string& name, const descent::study::Panels& panels) {
    draw(name, panels);
}

template <class Drawing>
void Output::draw(const std::string& name, const Drawing& drawing) {
    if (dir_.empty()) return;
    if (!descent::study::gnuplot_available()) {
        if (!warned_) log_ << "descent_lab: gnuplot is not on PATH; writing the CSV files only\n";
        warned_ = true;
        return;
    }
    for (const char* ext : {"png", "svg"}) {
        staged_.add(path(name, ext), drawing);
        files_.push_back(path(name, ext));
    }
}

void Output::commit() { staged_.commit(); }

void Output::lesson(const std::string& line) {
    lessons_.push_back(line);
    log_ << "lesson: " << line << "\n";
}

void add_common_flags(CLI::App& sub, Common& common) {
    sub.add_option("--out", common.out, "Folder for the CSV files and pictures (created if missing)");
    sub.add_option("--seed", common.seed, "Seed of every random draw")
        ->check(examples::integer_in(0, 1LL << 62));
    sub.add_flag("--quick", common.quick, "A reduced size that runs in seconds (what ctest runs)");
}

std::vector<LabEntry>& labs() {
    static std::vector<LabEntry> all;  // filled by the labs' static Registrations
    return all;
}

descent::data::Batch Batches::next() {
    if (at_ + static_cast<size_t>(batch_) > perm_.size()) perm_ = order_.permutation(images_), at_ = 0;
    const std::vector<int64_t> idx(perm_.begin() + static_cast<std::ptrdiff_t>(at_),
                                   perm_.begin() + static_cast<std::ptrdiff_t>(at_ + batch_));
    at_ += static_cast<size_t>(batch_);
    return set_.get_batch(idx);
}

std::string num(double value, const char* format) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, value);
    return buf;
}

}  // namespace lab
