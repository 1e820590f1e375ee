// Writes the fuzz targets' seed corpora: valid files of each format, made by descent's own
// writers, one folder per target. Run by the build (DESCENT_FUZZ=ON): make_seeds <out_dir>.
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "descent/core/factory.hpp"
#include "descent/io/idx.hpp"
#include "descent/io/npz.hpp"
#include "descent/nn/serialize.hpp"
#include "descent/train/checkpoint.hpp"
#include "seed_model.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seeds <out_dir>\n");
        return 2;
    }
    const std::string out = argv[1];
    for (const char* sub : {"", "/idx", "/npz", "/checkpoint"}) ::mkdir((out + sub).c_str(), 0755);
    using descent::io::IdxArray;
    const IdxArray labels{{6}, {0, 1, 2, 3, 4, 5}};
    IdxArray images{{2, 3, 4}, std::vector<uint8_t>(24)};
    for (size_t i = 0; i < images.data.size(); ++i) images.data[i] = uint8_t(i * 11);
    descent::io::write_idx(out + "/idx/labels.idx", labels, false);
    descent::io::write_idx(out + "/idx/labels.idx.gz", labels, true);
    descent::io::write_idx(out + "/idx/images.idx", images, false);
    descent::io::write_idx(out + "/idx/images.idx.gz", images, true);
    descent::io::write_idx(out + "/idx/4d.idx", IdxArray{{1, 2, 1, 2}, {9, 8, 7, 6}}, false);

    fuzz::SeedModel m;
    descent::nn::save(m.model, out + "/npz/linear.npz");
    descent::io::save_npz(out + "/npz/shapes.npz", {{"scalar", descent::scalar_tensor(2.5f)},
                                                    {"empty", descent::zeros({0, 3})},
                                                    {"m", descent::ones({2, 2, 2})}});
    descent::io::save_npz(out + "/npz/none.npz", {});
    // One entry of each dtype ('<f8', '<i8', '|u1', '|b1'), so mutations start from every descr.
    descent::io::save_npz(
        out + "/npz/dtypes.npz",
        {{"f64", descent::tensor(std::vector<double>{0.1, -2.5}, {2}, descent::kFloat64)},
         {"i64", descent::tensor(std::vector<int64_t>{int64_t(1) << 60, -3})},
         {"u8", descent::full({3}, 255, descent::kUInt8)},
         {"b", descent::tensor(std::vector<bool>{true, false, true})},
         {"num_batches_tracked", descent::scalar_tensor(7, descent::kInt64)}});
    descent::train::save_checkpoint(out + "/checkpoint/linear_adam.npz", m.model, *m.opt);
    return 0;
}
