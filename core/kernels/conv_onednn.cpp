// conv2d's float kernels on oneDNN's convolution primitives. Each (kind, geometry, image count)
// gets, once per thread, its primitive with the layouts oneDNN chose ("any": blocked for direct
// convolution) and the reorders from and to descent's NCHW / OIHW buffers. The blocked copies and
// the scratchpad live in one per-thread workspace that grows to the largest call and is kept, so a
// call only swaps data pointers and executes, allocating nothing.
#include "descent/core/kernels/conv_onednn.hpp"

#include <atomic>

#include "descent/core/error.hpp"
#include "descent/core/kernels/blas.hpp"
#include "descent/core/threads.hpp"

#ifdef DESCENT_WITH_ONEDNN
#include <omp.h>

#include <array>
#include <cstdlib>
#include <map>
#include <memory>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#endif

namespace descent::kernels {

namespace {
#ifdef DESCENT_WITH_ONEDNN
std::atomic<ConvBackend> g_conv_backend{ConvBackend::OneDNN};
#else
std::atomic<ConvBackend> g_conv_backend{ConvBackend::Im2col};
#endif
}  // namespace

ConvBackend conv_backend_kind() { return g_conv_backend.load(std::memory_order_relaxed); }

void set_conv_backend(ConvBackend backend) {
#ifndef DESCENT_WITH_ONEDNN
    DESCENT_CHECK(backend == ConvBackend::Im2col, ValueError,
                  "set_conv_backend(OneDNN): descent was built without oneDNN (libdnnl-dev)");
#endif
    g_conv_backend.store(backend);
}

namespace onednn {

#ifndef DESCENT_WITH_ONEDNN

bool handles(const Conv2dDims&) { return false; }
void conv2d(const float*, const float*, const float*, const Conv2dDims&, int64_t, float*) {
    DESCENT_ASSERT(false, "onednn::conv2d without oneDNN");
}
void conv2d_input(const float*, const float*, const Conv2dDims&, int64_t, float*) {
    DESCENT_ASSERT(false, "onednn::conv2d_input without oneDNN");
}
void conv2d_weight(const float*, const float*, const Conv2dDims&, int64_t, float*) {
    DESCENT_ASSERT(false, "onednn::conv2d_weight without oneDNN");
}

#else

namespace {

using dnnl::memory;
using Tag = memory::format_tag;

// The padding after the last row and column that makes oneDNN's output size formula give oh / ow.
int64_t pad_after_h(const ConvGeometry& g) {
    return (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1 - g.H - g.ph;
}
int64_t pad_after_w(const ConvGeometry& g) {
    return (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1 - g.W - g.pw;
}

enum class Kind { Forward, Input, Weight };

// What a cached primitive was built for: the kind, the image count, the bias, every dimension.
using Key = std::array<int64_t, 18>;
Key key_of(Kind kind, const Conv2dDims& d, int64_t n, bool bias) {
    const ConvGeometry& g = d.geo;
    return {static_cast<int64_t>(kind), n, bias, d.O, d.G, g.C, g.H, g.W, g.kh, g.kw,
            g.sh,  g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow};
}

dnnl::engine& engine() {
    static dnnl::engine e(dnnl::engine::kind::cpu, 0);
    return e;
}

// A buffer in oneDNN's chosen layout, with the reorder that fills it from (or empties it into)
// descent's plain buffer; no reorder and no buffer when the layouts agree.
struct Staged {
    memory plain;                      // descent's buffer, its pointer set per call
    std::optional<memory> blocked;     // oneDNN's layout, in the thread's workspace
    std::optional<dnnl::reorder> in;   // plain -> blocked
    std::optional<dnnl::reorder> out;  // blocked -> plain

    Staged(const memory::desc& plain_md, const memory::desc& chosen, bool read, bool write) {
        plain = memory(plain_md, engine(), DNNL_MEMORY_NONE);
        if (chosen == plain_md) return;
        blocked = memory(chosen, engine(), DNNL_MEMORY_NONE);
        if (read) in = dnnl::reorder(plain, *blocked);
        if (write) out = dnnl::reorder(*blocked, plain);
    }
    // The memory the primitive reads or writes.
    const memory& used() const { return blocked ? *blocked : plain; }
};

struct Prepared {
    dnnl::primitive prim;
    std::optional<Staged> a, b, c;  // by kind: (src, weights, dst), (diff_dst, weights, diff_src),
                                    // (src, diff_dst, diff_weights)
    memory bias;
    memory scratchpad;  // in the thread's workspace, after the blocked copies

    // Workspace bytes the call needs; points the blocked copies and the scratchpad into `base`.
    static size_t rounded(size_t bytes) { return (bytes + 63) / 64 * 64; }
    size_t workspace_bytes() const {
        size_t total = rounded(scratchpad.get_desc().get_size());
        for (const auto* st : {&a, &b, &c})
            if ((*st)->blocked) total += rounded((*st)->blocked->get_desc().get_size());
        return total;
    }
    void place(char* base) const {
        for (const auto* st : {&a, &b, &c})
            if ((*st)->blocked) {
                (*st)->blocked->set_data_handle(base);
                base += rounded((*st)->blocked->get_desc().get_size());
            }
        scratchpad.set_data_handle(base);
    }
};

void execute(const dnnl::primitive& p, const dnnl::stream& s, std::initializer_list<dnnl_exec_arg_t> args) {
    // The C call: the C++ execute() takes an unordered_map, a heap allocation per call.
    const dnnl_status_t status = dnnl_primitive_execute(p.get(), s.get(), static_cast<int>(args.size()),
                                                        args.begin());
    DESCENT_ASSERT(status == dnnl_success, "dnnl_primitive_execute failed with status ", int(status));
}

void reorder_in(const Staged& st, const void* data, const dnnl::stream& s) {
    st.plain.set_data_handle(const_cast<void*>(data));
    if (st.in) execute(*st.in, s, {{DNNL_ARG_FROM, st.plain.get()}, {DNNL_ARG_TO, st.blocked->get()}});
}
void bind_out(const Staged& st, void* data) { st.plain.set_data_handle(data); }
void reorder_out(const Staged& st, const dnnl::stream& s) {
    if (st.out) execute(*st.out, s, {{DNNL_ARG_FROM, st.blocked->get()}, {DNNL_ARG_TO, st.plain.get()}});
}

Prepared prepare(Kind kind, const Conv2dDims& d, int64_t n, bool with_bias) {
    const ConvGeometry& g = d.geo;
    const memory::dims src{n, g.C, g.H, g.W}, dst{n, d.O, g.oh, g.ow};
    const memory::dims wei = d.G == 1 ? memory::dims{d.O, g.C, g.kh, g.kw}
                                      : memory::dims{d.G, d.O / d.G, g.C / d.G, g.kh, g.kw};
    const Tag wtag = d.G == 1 ? Tag::oihw : Tag::goihw;
    const memory::dims strides{g.sh, g.sw}, dilates{g.dh - 1, g.dw - 1}, pad_l{g.ph, g.pw},
        pad_r{pad_after_h(g), pad_after_w(g)};
    const auto f32 = memory::data_type::f32;
    const memory::desc src_any(src, f32, Tag::any), dst_any(dst, f32, Tag::any),
        wei_any(wei, f32, Tag::any);
    const memory::desc src_md(src, f32, Tag::nchw), dst_md(dst, f32, Tag::nchw), wei_md(wei, f32, wtag);
    const memory::desc bias_md = with_bias ? memory::desc({d.O}, f32, Tag::x) : memory::desc();

    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);  // ours, kept: no allocation per call
    const auto algo = dnnl::algorithm::convolution_direct;
    const dnnl::convolution_forward::primitive_desc fwd(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, algo, src_any, wei_any,
                                        bias_md, dst_any, strides, dilates, pad_l, pad_r),
        attr, engine());
    Prepared p;
    if (kind == Kind::Forward) {
        p.prim = dnnl::convolution_forward(fwd);
        p.a.emplace(src_md, fwd.src_desc(), true, false);
        p.b.emplace(wei_md, fwd.weights_desc(), true, false);
        p.c.emplace(dst_md, fwd.dst_desc(), false, true);
        if (with_bias) p.bias = memory(bias_md, engine(), DNNL_MEMORY_NONE);
        p.scratchpad = memory(fwd.scratchpad_desc(), engine(), DNNL_MEMORY_NONE);
    } else if (kind == Kind::Input) {
        const dnnl::convolution_backward_data::primitive_desc bwd(
            dnnl::convolution_backward_data::desc(algo, src_any, wei_any, dst_any, strides, dilates,
                                                  pad_l, pad_r),
            attr, engine(), fwd);
        p.prim = dnnl::convolution_backward_data(bwd);
        p.a.emplace(dst_md, bwd.diff_dst_desc(), true, false);
        p.b.emplace(wei_md, bwd.weights_desc(), true, false);
        p.c.emplace(src_md, bwd.diff_src_desc(), false, true);
        p.scratchpad = memory(bwd.scratchpad_desc(), engine(), DNNL_MEMORY_NONE);
    } else {
        const dnnl::convolution_backward_weights::primitive_desc bwd(
            dnnl::convolution_backward_weights::desc(algo, src_any, wei_any, dst_any, strides,
                                                     dilates, pad_l, pad_r),
            attr, engine(), fwd);
        p.prim = dnnl::convolution_backward_weights(bwd);
        p.a.emplace(src_md, bwd.src_desc(), true, false);
        p.b.emplace(dst_md, bwd.diff_dst_desc(), true, false);
        p.c.emplace(wei_md, bwd.diff_weights_desc(), false, true);
        p.scratchpad = memory(bwd.scratchpad_desc(), engine(), DNNL_MEMORY_NONE);
    }
    return p;
}

// This thread's primitives and stream. One set per thread: a primitive with a user scratchpad may
// run on several threads at once only with a scratchpad each, and the pool threads each need one.
struct ThreadState {
    std::optional<dnnl::stream> stream;
    std::map<Key, Prepared> prepared;
    std::unique_ptr<char[], void (*)(void*)> workspace{nullptr, std::free};
    size_t workspace_size = 0;

    char* workspace_of(size_t bytes) {
        if (bytes > workspace_size) {
            workspace.reset(static_cast<char*>(std::aligned_alloc(64, bytes)));
            DESCENT_ASSERT(workspace, "conv2d (oneDNN): no memory for a ", bytes, "-byte workspace");
            workspace_size = bytes;
        }
        return workspace.get();
    }
};
thread_local ThreadState t_state;

// Runs fn(prepared, stream) with oneDNN on one OpenMP thread (the caller's pool splits the batch),
// restoring the caller's OpenMP setting after. (A throw from prepare() would leave it at 1: it
// throws only on a oneDNN failure, which descent treats as fatal.)
template <class F>
void run(Kind kind, const Conv2dDims& d, int64_t n, bool bias, F&& fn) {
    ThreadState& ts = t_state;
    if (!ts.stream) ts.stream.emplace(engine());
    // Before the primitive is made: oneDNN fixes its thread count when it builds it.
    const int outer = omp_get_max_threads();
    if (outer != 1) omp_set_num_threads(1);
    const Key key = key_of(kind, d, n, bias);
    auto it = ts.prepared.find(key);
    if (it == ts.prepared.end()) it = ts.prepared.emplace(key, prepare(kind, d, n, bias)).first;
    it->second.place(ts.workspace_of(it->second.workspace_bytes()));
    fn(it->second, *ts.stream);
    if (outer != 1) omp_set_num_threads(outer);
}

}  // namespace

bool handles(const Conv2dDims& d) {
    return conv_backend_kind() == ConvBackend::OneDNN && pad_after_h(d.geo) >= 0 &&
           pad_after_w(d.geo) >= 0;
}

void conv2d(const float* x, const float* w, const float* b, const Conv2dDims& d, int64_t n, float* y) {
    run(Kind::Forward, d, n, b != nullptr, [&](Prepared& p, const dnnl::stream& s) {
        reorder_in(*p.a, x, s);
        reorder_in(*p.b, w, s);
        bind_out(*p.c, y);
        if (b) {
            p.bias.set_data_handle(const_cast<float*>(b));
            execute(p.prim, s,
                    {{DNNL_ARG_SRC, p.a->used().get()},
                     {DNNL_ARG_WEIGHTS, p.b->used().get()},
                     {DNNL_ARG_BIAS, p.bias.get()},
                     {DNNL_ARG_DST, p.c->used().get()},
                     {DNNL_ARG_SCRATCHPAD, p.scratchpad.get()}});
        } else {
            execute(p.prim, s,
                    {{DNNL_ARG_SRC, p.a->used().get()},
                     {DNNL_ARG_WEIGHTS, p.b->used().get()},
                     {DNNL_ARG_DST, p.c->used().get()},
                     {DNNL_ARG_SCRATCHPAD, p.scratchpad.get()}});
        }
        reorder_out(*p.c, s);
    });
}

void conv2d_input(const float* g, const float* w, const Conv2dDims& d, int64_t n, float* dx) {
    run(Kind::Input, d, n, false, [&](Prepared& p, const dnnl::stream& s) {
        reorder_in(*p.a, g, s);
        reorder_in(*p.b, w, s);
        bind_out(*p.c, dx);
        execute(p.prim, s,
                {{DNNL_ARG_DIFF_DST, p.a->used().get()},
                 {DNNL_ARG_WEIGHTS, p.b->used().get()},
                 {DNNL_ARG_DIFF_SRC, p.c->used().get()},
                 {DNNL_ARG_SCRATCHPAD, p.scratchpad.get()}});
        reorder_out(*p.c, s);
    });
}

void conv2d_weight(const float* x, const float* g, const Conv2dDims& d, int64_t n, float* dw) {
    run(Kind::Weight, d, n, false, [&](Prepared& p, const dnnl::stream& s) {
        reorder_in(*p.a, x, s);
        reorder_in(*p.b, g, s);
        bind_out(*p.c, dw);
        execute(p.prim, s,
                {{DNNL_ARG_SRC, p.a->used().get()},
                 {DNNL_ARG_DIFF_DST, p.b->used().get()},
                 {DNNL_ARG_DIFF_WEIGHTS, p.c->used().get()},
                 {DNNL_ARG_SCRATCHPAD, p.scratchpad.get()}});
        reorder_out(*p.c, s);
    });
}

#endif

}  // namespace onednn
}  // namespace descent::kernels

namespace descent {
std::string conv_backend() {
    if (kernels::conv_backend_kind() == kernels::ConvBackend::OneDNN)
        return kernels::onednn_name("direct convolution");
    return "im2col + " + gemm_backend();
}
}  // namespace descent
