#ifndef BATON_ALLOC_COUNT_H
#define BATON_ALLOC_COUNT_H

#include <stdint.h>

/// Heap allocations counted so far in this process (see alloccount.c).
uint64_t baton_alloc_count(void);

#endif
