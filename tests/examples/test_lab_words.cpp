// Lab `words` in quick mode (3000 words): the MLP on 3 characters and the GRU beat bigram counts
// on the same held-out words, each model makes up a-z words, the picture is written; a missing
// word list, a list too short and a bad validation share are refused.
#include "lab_words.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

TEST_CASE("lab words: the MLP and the GRU beat bigram counts on the same validation words") {
    const std::string dir = "/tmp/descent_lab_words_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "words", log);
    lab::WordsOptions o;
    o.quick = true;
    const lab::WordsResult r = lab::run_words(o, out);
    out.commit();

    CHECK(r.train_words == 2700);
    CHECK(r.validation_words == 300);
    // Better than uniform (ln 27), and each step of context better than the last.
    CHECK(r.bigram.validation_loss < std::log(27.0) - 0.5);
    CHECK(r.mlp.validation_loss < r.bigram.validation_loss - 0.05);
    CHECK(r.gru.validation_loss < r.bigram.validation_loss - 0.05);
    for (const lab::WordsModel* m : {&r.bigram, &r.mlp, &r.gru}) {
        REQUIRE(m->samples.size() == 10);
        for (const std::string& w : m->samples)
            CHECK(std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; }));
    }
    CHECK(r.mlp.curve.size() == r.gru.curve.size());
    CHECK(r.mlp.curve.back() < r.mlp.curve.front());
    CHECK(out.lessons().size() == 2);

    CHECK(test::file_bytes(out.path("loss", "csv")).rfind("step,mlp,gru,bigram", 0) == 0);
    CHECK(test::file_bytes(out.path("bigram_counts", "csv")).rfind("previous,.,a,b,", 0) == 0);
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 4);
    CHECK(test::file_bytes(out.path("loss", "png")).rfind("\x89PNG\r\n\x1a\n", 0) == 0);
    CHECK(test::valid_svg(out.path("loss", "svg")));
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab words: the same seed makes the same words and losses") {
    lab::Output none("", "words");
    lab::WordsOptions o;
    o.limit = 400;
    o.steps = 20;
    const lab::WordsResult a = lab::run_words(o, none), b = lab::run_words(o, none);
    CHECK(a.mlp.validation_loss == b.mlp.validation_loss);
    CHECK(a.gru.samples == b.gru.samples);
    o.seed = 2;
    CHECK(lab::run_words(o, none).bigram.samples != a.bigram.samples);
}

TEST_CASE("lab words refuses a missing list, a list too short and a bad validation share") {
    lab::Output none("", "words");
    lab::WordsOptions o;
    o.words = "/nonexistent/words";
    CHECK_ERROR(descent::IOError, [&] { lab::run_words(o, none); },
                {"run_words()", "/nonexistent/words", "wamerican"});
    const std::string path = "/tmp/descent_lab_words_short_" + std::to_string(getpid());
    std::ofstream(path) << "apple\nBanana\npear's\nkiwi\n";
    o.words = path;
    CHECK_ERROR(descent::ValueError, [&] { lab::run_words(o, none); },
                {"run_words()", "holds 2", "20"});
    std::remove(path.c_str());
    o.words = lab::WordsOptions().words;
    o.validation = 1.5;
    CHECK_ERROR(descent::ValueError, [&] { lab::run_words(o, none); }, {"validation", "1.5"});
}
