# Cross toolchain for ARMv7-A firmware images (Debian gcc-arm-none-eabi).
# Soft-float by default: the hypervisor never uses the FPU (its C code is
# built with -mfloat-abi=soft -mgeneral-regs-only, cmake/libvmm.cmake). Guests add
# -mfloat-abi=hard -mfpu=vfpv3-d16 themselves (examples/minios, the test
# guests): libvmm switches the VFP/NEON registers per domain, lazily.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# -mcpu=generic-armv7-a (ARMv7-A, generic tuning) is the default for every
# compile: guests, libvmm.a, images. A BSP that names its core in bsp.cmake
# (VMM_BSP_CPU) gets -mcpu=<core> on its own objects and its images' (see
# cmake/libvmm.cmake); the later -mcpu replaces this one. It must be -mcpu:
# a -march here would conflict with any -mcpu (GCC warns, -Werror fails).
# No -mfloat-abi here: soft is arm-none-eabi's default, and a guest's
# -mfloat-abi=hard must be the only one on its link line (GCC picks newlib's
# multilib from the first it sees).
set(VMM_ARCH_FLAGS "-mcpu=generic-armv7-a -marm")
set(CMAKE_C_FLAGS_INIT "${VMM_ARCH_FLAGS} -ffunction-sections -fdata-sections")
set(CMAKE_ASM_FLAGS_INIT "${VMM_ARCH_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "${VMM_ARCH_FLAGS}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
