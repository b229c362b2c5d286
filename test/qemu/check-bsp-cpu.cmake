# Runs vmm_cpu_setup() (cmake/libvmm.cmake) on -DVMM_BSP_CPU=... [-DVMM_BSP_CPU_SOURCE=...]
# in script mode and prints what it chose; the build.bsp-cpu-* tests match it.
include(${VMM_CMAKE_DIR}/libvmm.cmake)
vmm_cpu_setup()
get_filename_component(src ${vmm_cpu_source} NAME)
message("flags=[${vmm_cpu_flags}] source=[${src}]")
