// libBatonAllocCount.so: counts heap allocations of the process it is preloaded into
// (LD_PRELOAD), for `baton-bench allocations`. Every malloc, calloc, realloc, posix_memalign,
// aligned_alloc, memalign and valloc adds one to a 64-bit counter that lives in the file named
// by BATON_ALLOC_COUNT_FILE (mapped shared), so another process reads it at any moment without
// stopping this one. The allocations themselves are glibc's (__libc_*): nothing else changes.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloccount.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

// Until the file is mapped (allocations made while the process loads) the count stays here.
static _Atomic uint64_t early_count;
static _Atomic uint64_t *counter = &early_count;

__attribute__((constructor)) static void baton_alloc_count_open(void) {
    const char *path = getenv("BATON_ALLOC_COUNT_FILE");
    if (path == NULL) return;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    if (ftruncate(fd, sizeof(uint64_t)) == 0) {
        void *shared = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (shared != MAP_FAILED) {
            atomic_store((_Atomic uint64_t *)shared, atomic_load(&early_count));
            counter = (_Atomic uint64_t *)shared;
        }
    }
    close(fd);
}

static inline void count_one(void) { atomic_fetch_add_explicit(counter, 1, memory_order_relaxed); }

uint64_t baton_alloc_count(void) { return atomic_load(counter); }

void *malloc(size_t size) {
    count_one();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_one();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_one();
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    count_one();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_one();
    return __libc_memalign(alignment, size);
}

void *valloc(size_t size) {
    count_one();
    return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    count_one();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) return ENOMEM;
    *result = pointer;
    return 0;
}
