/*
 * The secure domain's signing key. In a product it would come from a
 * device-unique secret; here it is fixed so that the integration test can
 * recompute every MAC on the host (test/qemu/check-secure-rich.py reads
 * this line). Only secure.c includes this file.
 */
#define SR_DEMO_KEY "libvmm secure-world demo key 001"
