// A cache hint for random reads that are known ahead of time. `__builtin_prefetch` is a compiler builtin, which
// Swift cannot call; this inline wrapper is how it reaches Swift.
static inline void curate_prefetch(const void *address) { __builtin_prefetch(address); }

// The same hint for memory about to be written.
static inline void curate_prefetch_write(const void *address) { __builtin_prefetch(address, 1); }
