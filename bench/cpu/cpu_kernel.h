/*
 * A CPU-bound kernel (CoreMark-like mix: matrix arithmetic, CRC, list
 * manipulation, a state machine), compiled once and linked unchanged into a
 * bare-metal image and a libvmm guest (bench/cpu/CMakeLists.txt), so that
 * the two runs execute the same instructions and any difference in elapsed
 * time is what the hypervisor took.
 */
#ifndef BENCH_CPU_KERNEL_H
#define BENCH_CPU_KERNEL_H

#include <stdint.h>

/* Runs `iterations` rounds; returns a checksum (the same in both builds). */
uint32_t cpu_kernel_run(uint32_t iterations);

#endif /* BENCH_CPU_KERNEL_H */
