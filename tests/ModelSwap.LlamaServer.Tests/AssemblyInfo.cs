// Each test class runs ModelSwap with real llama-server processes; one class at a time keeps a
// small, shared machine from starving them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
