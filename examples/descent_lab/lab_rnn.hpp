// Lab `rnn`: backprop through time made visible. A tanh RNN, an LSTM and a GRU of the same hidden
// size must recall the first token of a long random sequence; the norm of dL/dh_t against t at
// initialisation and after training, without and with gradient clipping.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab.hpp"

namespace lab {

struct RnnOptions {
    int64_t length = 50;  // T: tokens per sequence; the loss reads only h at the last step
    int64_t hidden = 32;
    int64_t vocab = 8;  // tokens, fed one-hot; chance is 1/vocab
    int64_t batch = 32;
    int steps = 600;  // Adam steps per model and per clipping setting
    double lr = 1e-2;
    double clip = 0.1;         // max total gradient norm of the clipped runs
    double forget_bias = 3.0;  // the LSTM's forget gate bias at init (PyTorch's: 0)
    uint64_t seed = 1;
    bool quick = false;  // T 30, 60 steps
};

struct RnnRun {
    std::string name;                        // "tanh RNN", "LSTM", "GRU"
    std::vector<double> grad_init;           // ||dL/dh_t||, t = 0..T-1, on the probe batch at init
    std::vector<double> grad_trained;        // the same after training without clipping
    std::vector<double> grad_clipped;        // ... and after training with clipping
    std::vector<double> loss, loss_clipped;  // training loss per step
    double peak_norm = 0, peak_norm_clipped = 0;  // largest total gradient norm met in training
    double accuracy = 0, accuracy_clipped = 0;    // recall of the first token on the probe batch
    // ||dL/dh_0|| / ||dL/dh_{T-1}||: how much of the error signal reaches the first step.
    static double reach(const std::vector<double>& g) { return g.front() / g.back(); }
};

struct RnnResult {
    RnnRun rnn, lstm, gru;
    double lstm_bias0_reach = 0;  // RnnRun::reach at init of the LSTM with forget bias 0
};

RnnResult run_rnn(const RnnOptions& options, Output& out);

}  // namespace lab
