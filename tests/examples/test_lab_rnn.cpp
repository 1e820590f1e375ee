// Lab `rnn` in quick mode: the error signal of a loss at the last step fades far faster back
// through a tanh RNN than through an LSTM or a GRU; clipping bounds the total gradient norm; the
// CSV tables and the picture are valid files; bad options are refused.
#include "lab_rnn.hpp"

#include <unistd.h>

#include <cmath>
#include <sstream>

#include "image_files.hpp"
#include "support.hpp"

TEST_CASE("lab rnn: dL/dh_t vanishes back through a tanh RNN, far less through an LSTM and a GRU") {
    const std::string dir = "/tmp/descent_lab_rnn_" + std::to_string(getpid());
    std::ostringstream log;
    lab::Output out(dir, "rnn", log);
    lab::RnnOptions o;
    o.quick = true;
    const lab::RnnResult r = lab::run_rnn(o, out);
    out.commit();

    for (const lab::RnnRun* run : {&r.rnn, &r.lstm, &r.gru}) {
        REQUIRE(run->grad_init.size() == 30);
        REQUIRE(run->grad_trained.size() == 30);
        REQUIRE(run->grad_clipped.size() == 30);
        REQUIRE(run->loss.size() == 60);
        for (double g : run->grad_init) CHECK(std::isfinite(g));
        // A loss at the last step only: the gradient is largest there.
        CHECK(run->grad_init.back() > run->grad_init.front());
    }
    using lab::RnnRun;
    // Over 29 steps the tanh RNN keeps a far smaller share of its gradient than the LSTM whose
    // forget gate starts near 1 (bias 3); at bias 0 the LSTM fades as badly; the GRU, its update
    // gate near 0.5, in between.
    CHECK(RnnRun::reach(r.rnn.grad_init) < 1e-3);
    CHECK(RnnRun::reach(r.rnn.grad_init) < 1e-3 * RnnRun::reach(r.lstm.grad_init));
    CHECK(r.lstm_bias0_reach < 1e-3 * RnnRun::reach(r.lstm.grad_init));
    CHECK(RnnRun::reach(r.gru.grad_init) > RnnRun::reach(r.rnn.grad_init));
    // The clipped runs saw the same unclipped norms at their first step, which clip_grad_norm_
    // reports before scaling; an unclipped peak above the threshold is what clipping acts on.
    CHECK(r.rnn.peak_norm > 0);
    CHECK(r.lstm.peak_norm_clipped > 0);
    CHECK(out.lessons().size() == 3);
    CHECK(out.lessons()[0].find("tanh RNN") != std::string::npos);

    CHECK(test::file_bytes(out.path("gradients", "csv")).rfind("t,rnn_init,", 0) == 0);
    CHECK(test::file_bytes(out.path("loss", "csv")).rfind("step,rnn,", 0) == 0);
    REQUIRE(descent::study::gnuplot_available());
    CHECK(out.files().size() == 4);
    CHECK(test::file_bytes(out.path("gradients", "png")).rfind("\x89PNG\r\n\x1a\n", 0) == 0);
    CHECK(test::png_size(out.path("gradients", "png")).width == 1200);
    CHECK(test::valid_svg(out.path("gradients", "svg")));
    for (const std::string& f : out.files()) std::remove(f.c_str());
    ::rmdir(dir.c_str());
}

TEST_CASE("lab rnn refuses a sequence of one token and a clip of 0") {
    lab::Output none("", "rnn");
    lab::RnnOptions o;
    o.length = 1;
    CHECK_ERROR(descent::ValueError, [&] { lab::run_rnn(o, none); }, {"run_rnn()", "length", "1"});
    o.length = 10;
    o.clip = 0;
    CHECK_ERROR(descent::ValueError, [&] { lab::run_rnn(o, none); }, {"run_rnn()", "clip", "0"});
}
