// What every lab of descent_lab shares: the common flags, the output folder with its CSV tables
// and gnuplot pictures, the printed lesson, and endless mini-batches of a dataset. Each lab is a
// run_<lab>() that returns what it measured (tests/examples/ assert the lessons on it) and an
// add_<lab>() that registers its sub-command.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <descent/descent.hpp>

namespace lab {

// Flags every sub-command takes.
struct Common {
    std::string out = "lab";  // folder for the CSV files and pictures (created if missing)
    uint64_t seed = 1;
    bool quick = false;       // a reduced size that runs in seconds (what ctest runs)
};

// Where a lab writes: <out>/<lab>_<name>.csv, .png and .svg. The folder is made and checked
// when the Output is built, before the lab's work starts.
class Output {
public:
    // Writes nothing at all when `dir` is empty (tests that only look at the numbers).
    Output(std::string dir, std::string lab, std::ostream& log = std::cout);

    // A table of numbers, put in place by commit() with the pictures.
    void csv(const std::string& name, const std::vector<std::string>& columns,
             const std::vector<std::vector<double>>& rows);
    // The figure as PNG and SVG when gnuplot is on PATH; otherwise one line saying it is not.
    // Drawn beside its place and moved there, with the lab's other pictures, by commit().
    void figure(const std::string& name, const descent::study::Figure& figure);
    // The same for several figures drawn as panels of one picture.
    void figure(const std::string& name, const descent::study::Panels& panels);
    // Puts the lab's tables and pictures in place, all at once: a lab that fails part-way (a full
    // disk) leaves none of its new files, and the old ones as they were.
    void commit();
    // One line of the lesson, printed as "lesson: ...".
    void lesson(const std::string& line);

    std::string path(const std::string& name, const std::string& ext) const;
    const std::vector<std::string>& files() const { return files_; }  // every file written
    const std::vector<std::string>& lessons() const { return lessons_; }
    std::ostream& log() { return log_; }  // where the lessons go, for a lab's other lines

private:
    template <class Drawing>
    void draw(const std::string& name, const Drawing& drawing);
    std::string dir_, lab_;
    std::ostream& log_;
    std::vector<std::string> files_, lessons_;
    descent::study::FileSet staged_;
    bool warned_ = false;
};

// Endless mini-batches of the first `images` images of a set, in a shuffled order from `seed`
// reshuffled whenever fewer than `batch` are left: the same sequence for every run of one seed.
class Batches {
public:
    Batches(const descent::data::Dataset& set, int64_t images, int64_t batch, uint64_t seed)
        : set_(set), images_(images), batch_(batch), order_(seed) {}
    descent::data::Batch next();

private:
    const descent::data::Dataset& set_;
    int64_t images_, batch_;
    descent::Generator order_;
    std::vector<int64_t> perm_;
    size_t at_ = 0;
};

// printf-style formatting of a number for lesson lines ("%.3g").
std::string num(double value, const char* format = "%.3g");

// --out, --seed and --quick on a lab's sub-command.
void add_common_flags(CLI::App& sub, Common& common);

// The sub-commands, each in its own file (lab_<name>.cpp), which registers itself with a static
// Registration. add() declares the sub-command and its flags and returns what runs it after
// parsing, so that a bad flag is refused before any lab starts. `order` sorts them in --help.
using Runner = std::function<void()>;
using Registrar = Runner (*)(CLI::App& app, Common& common);
struct LabEntry {
    int order;
    const char* name;
    Registrar add;
};
std::vector<LabEntry>& labs();
struct Registration {
    Registration(int order, const char* name, Registrar add) { labs().push_back({order, name, add}); }
};

}  // namespace lab
