// A consumer of the installed descent::distributed component: joins the (one-process) run and splits
// a dataset between two replicas with DistributedSampler, as a data-parallel program starts.
#include <cstdio>

#include <descent/descent.hpp>

int main() {
    using namespace descent;
    distributed::Environment env;  // rank 0 of 1 when not started by mpirun
    const distributed::DistributedSampler first(10, 2, 0, false), second(10, 2, 1, false);
    const std::vector<int64_t> a = first.indices(0), b = second.indices(0);
    std::printf("rank %d of %d (MPI backend: %s); replicas get %zu + %zu samples\n", env.rank(),
                env.world_size(), distributed::mpi_available() ? "yes" : "no", a.size(), b.size());
    return env.world_size() == 1 && a.size() == 5 && b.size() == 5 && a[0] != b[0] ? 0 : 1;
}
