# libvmm's CMake interface for firmware builds (installed with the library).
#
#   vmm_add_bsp(<bsp-dir>)
#       Reads <bsp-dir>/bsp.cmake and builds the BSP as static library
#       vmm_bsp_<name>, <name> being the folder's name. Usually called for you
#       by vmm_add_image(). <bsp-dir> may be anywhere (in or out of this tree)
#       and spelled any way (relative to the current source dir, with `..`,
#       a trailing slash, a symlink): every spelling of one folder is one BSP.
#       bsp.cmake lists its own files with ${CMAKE_CURRENT_LIST_DIR} and the
#       shared drivers shipped with libvmm with ${VMM_BSP_DRIVERS_DIR} (set
#       here from this file's own location, in the tree and installed).
#       Sets target property VMM_BSP_HAS_PMU from bsp.cmake (default ON):
#       OFF if the board (or its QEMU model) has no usable PMU cycle counter.
#       The BSP's core, VMM_BSP_CPU in bsp.cmake (a GCC -mcpu name such as
#       cortex-a9; default: none, generic ARMv7-A), selects the CPU hooks
#       file bsp/cpu/<cpu>.c (bsp/cpu/generic.c if there is none for it;
#       VMM_BSP_CPU_SOURCE overrides) and the compile flags of the BSP, the
#       image and, in the libvmm source tree, of a copy of the library built
#       for that core (target property VMM_BSP_CPU_FLAGS, for guests too).
#       An installed libvmm.a is built for generic ARMv7-A and runs on all.
#
#   vmm_add_image(<target>
#                 BSP <bsp-dir>             folder with bsp.cmake (e.g. bsp/qemu-virt)
#                 CONFIG <config.c>...      sources defining `vmm_config`
#                 PAYLOADS <sym> <elf> ...  guest ELF files (paths or $<TARGET_FILE:..>)
#                 [DEPENDS <targets>...])   targets that produce the payloads
#       Links libvmm, the BSP and the payloads into <target>.elf, a firmware
#       image that boots at the board's RAM base + 1 MiB. Each payload is
#       reachable from the config as VMM_PAYLOAD(<sym>) / VMM_PAYLOAD_END(<sym>).
#       Sets target properties VMM_QEMU_ARGS (how to boot it in QEMU) and
#       VMM_BSP_DIR, and writes VMM_QEMU_ARGS one per line to <image>.elf.qemu
#       beside the image, where scripts/qemu-boot.sh reads them.
#
#   vmm_bsp_target(<out-var> <bsp-dir>)
#       Sets <out-var> to the BSP's library target (vmm_bsp_<name>) after
#       vmm_add_bsp(<bsp-dir>); use it to read the target properties.
#
# Needs the library target named by VMM_LIBRARY_TARGET: `libvmm` in this
# source tree, `libvmm::libvmm` after find_package(libvmm) (set by the package).

set(VMM_CMAKE_DIR ${CMAKE_CURRENT_LIST_DIR})
# The BSPs and shared drivers shipped with libvmm, found from this file's own
# location: ../bsp in the source tree; once installed, libvmmConfig.cmake sets
# LIBVMM_BSP_DIR (share/libvmm/bsp) before including this file. Kept in a
# global property so that vmm_add_bsp() finds it from any directory scope.
if(NOT LIBVMM_BSP_DIR)
  get_filename_component(LIBVMM_BSP_DIR ${CMAKE_CURRENT_LIST_DIR}/../bsp ABSOLUTE)
endif()
set_property(GLOBAL PROPERTY VMM_SHARED_DRIVERS_DIR ${LIBVMM_BSP_DIR}/drivers)

# The one spelling of a BSP folder: absolute (a relative path is taken from
# the current source dir), `..` and symlinks resolved, no trailing slash.
function(_vmm_bsp_canonical out bsp_dir)
  file(REAL_PATH "${bsp_dir}" dir)
  if(NOT EXISTS "${dir}/bsp.cmake")
    message(FATAL_ERROR "libvmm: BSP folder '${bsp_dir}' (${dir}) has no bsp.cmake")
  endif()
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

function(vmm_bsp_target out bsp_dir)
  _vmm_bsp_canonical(bsp_dir "${bsp_dir}")
  get_filename_component(bsp_name "${bsp_dir}" NAME)
  set(${out} vmm_bsp_${bsp_name} PARENT_SCOPE)
endfunction()

if(NOT VMM_LIBRARY_TARGET)
  set(VMM_LIBRARY_TARGET libvmm)
endif()
set(VMM_HV_WARNINGS -Wall -Wextra -Werror)
# -mgeneral-regs-only: the hypervisor never touches the VFP/NEON registers
# from C (they belong to the domains and are switched lazily, vfp.S); the
# compiler may not use them for copies or vectorised loops either.
set(VMM_HV_FLAGS -std=c11 -ffreestanding -fno-common -O2 -g -mfloat-abi=soft -mgeneral-regs-only)
if(NOT VMM_BSP_CPU_DIR)
  if(LIBVMM_BSP_DIR)
    set(VMM_BSP_CPU_DIR ${LIBVMM_BSP_DIR}/cpu)
  else()
    get_filename_component(VMM_BSP_CPU_DIR ${VMM_CMAKE_DIR}/../bsp/cpu ABSOLUTE)
  endif()
endif()

# vmm_cpu_setup(): from VMM_BSP_CPU (set by bsp.cmake), sets in the caller
# vmm_cpu_flags (-mcpu=...) and vmm_cpu_source (the CPU hooks file).
# -mcpu, not -march: the toolchain's default is -mcpu=generic-armv7-a and a
# later -mcpu replaces it, where -march would conflict with it.
macro(vmm_cpu_setup)
  set(vmm_cpu_flags "")
  set(vmm_cpu_source ${VMM_BSP_CPU_DIR}/generic.c)
  if(VMM_BSP_CPU)
    if(NOT VMM_BSP_CPU MATCHES "^[a-z0-9][a-z0-9.+-]*$")
      message(FATAL_ERROR "bsp.cmake: VMM_BSP_CPU '${VMM_BSP_CPU}' is not a -mcpu name (e.g. cortex-a9)")
    endif()
    set(vmm_cpu_flags -mcpu=${VMM_BSP_CPU})
    if(EXISTS ${VMM_BSP_CPU_DIR}/${VMM_BSP_CPU}.c)
      set(vmm_cpu_source ${VMM_BSP_CPU_DIR}/${VMM_BSP_CPU}.c)
    endif()
  endif()
  if(VMM_BSP_CPU_SOURCE)
    set(vmm_cpu_source ${VMM_BSP_CPU_SOURCE})
  endif()
endmacro()

# vmm_library_for_cpu(<out-var> <flags>...): the library target to link for
# a core. In the source tree, a copy of libvmm compiled with <flags> (one per
# core, shared by its images); from an installed package, the library itself.
function(vmm_library_for_cpu out)
  set(lib ${VMM_LIBRARY_TARGET})
  get_target_property(imported ${lib} IMPORTED)
  if(ARGN AND NOT imported)
    string(MAKE_C_IDENTIFIER "${ARGN}" id)
    set(copy ${lib}${id})
    if(NOT TARGET ${copy})
      get_target_property(dir ${lib} SOURCE_DIR)
      get_target_property(srcs ${lib} SOURCES)
      list(TRANSFORM srcs PREPEND ${dir}/)
      add_library(${copy} STATIC EXCLUDE_FROM_ALL ${srcs})
      foreach(prop INCLUDE_DIRECTORIES INTERFACE_INCLUDE_DIRECTORIES COMPILE_OPTIONS
                   COMPILE_DEFINITIONS)
        get_target_property(v ${lib} ${prop})
        if(v)
          set_property(TARGET ${copy} PROPERTY ${prop} "${v}")
        endif()
      endforeach()
      target_compile_options(${copy} PRIVATE ${ARGN})
      # Cortex-A9 erratum 754322 (a DSB before each CONTEXTIDR write,
      # arch/armv7/mmu.c): the DSBs stay in the library itself and in the
      # copies for a Cortex-A9 or an unnamed core; a copy for another named
      # core leaves them out (two instructions per domain switch).
      if("${ARGN}" MATCHES "-mcpu=" AND NOT "${ARGN}" MATCHES "-mcpu=cortex-a9([^0-9]|$)")
        target_compile_definitions(${copy} PRIVATE VMM_CPU_ERRATUM_754322=0)
      endif()
      # Switch-path files tuned for generic ARMv7-A (libvmm/CMakeLists.txt):
      # a source's options come after the target's, so after the -mcpu.
      get_target_property(tuned ${lib} VMM_GENERIC_TUNE_SOURCES)
      if(tuned)
        list(TRANSFORM tuned PREPEND ${dir}/)
        set_source_files_properties(${tuned} TARGET_DIRECTORY ${copy}
          PROPERTIES COMPILE_OPTIONS -mtune=generic-armv7-a)
      endif()
      # Cold files compiled for size (-Os, Thumb-2), as in the library itself
      # (libvmm/CMakeLists.txt).
      get_target_property(sized ${lib} VMM_SIZE_SOURCES)
      get_target_property(size_flags ${lib} VMM_SIZE_FLAGS)
      if(sized)
        list(TRANSFORM sized PREPEND ${dir}/)
        set_source_files_properties(${sized} TARGET_DIRECTORY ${copy}
          PROPERTIES COMPILE_OPTIONS "${size_flags}")
      endif()
    endif()
    set(lib ${copy})
  endif()
  set(${out} ${lib} PARENT_SCOPE)
endfunction()

function(vmm_add_bsp bsp_dir)
  _vmm_bsp_canonical(bsp_dir "${bsp_dir}")
  get_filename_component(bsp_name ${bsp_dir} NAME)
  if(TARGET vmm_bsp_${bsp_name})
    # Same folder (any spelling): already built. Another folder of the same
    # name would silently get the first one's library: refuse.
    get_target_property(known vmm_bsp_${bsp_name} VMM_BSP_DIR)
    if(NOT known STREQUAL bsp_dir)
      message(FATAL_ERROR "libvmm: two BSP folders are named '${bsp_name}' "
        "(${known} and ${bsp_dir}); one image build can use only one of them")
    endif()
    return()
  endif()
  get_property(VMM_BSP_DRIVERS_DIR GLOBAL PROPERTY VMM_SHARED_DRIVERS_DIR)
  set(CMAKE_CURRENT_LIST_DIR ${bsp_dir})
  include(${bsp_dir}/bsp.cmake)
  if(NOT DEFINED VMM_BSP_HAS_PMU)
    set(VMM_BSP_HAS_PMU ON)
  endif()
  vmm_cpu_setup()
  vmm_library_for_cpu(vmm_lib ${vmm_cpu_flags})
  add_library(vmm_bsp_${bsp_name} STATIC ${VMM_BSP_SOURCES} ${vmm_cpu_source})
  target_include_directories(vmm_bsp_${bsp_name} PRIVATE ${bsp_dir} ${VMM_BSP_DRIVERS_DIR})
  target_compile_options(vmm_bsp_${bsp_name} PRIVATE ${VMM_HV_FLAGS} ${VMM_HV_WARNINGS}
    ${vmm_cpu_flags})
  if(VMM_BSP_HAS_PMU)
    set(has_pmu 1)
  else()
    set(has_pmu 0)
  endif()
  target_compile_definitions(vmm_bsp_${bsp_name} PRIVATE
    VMM_BSP_RAM_BASE=${VMM_BSP_RAM_BASE}u VMM_BSP_RAM_SIZE=${VMM_BSP_RAM_SIZE}u
    VMM_BSP_HAS_PMU=${has_pmu})
  target_link_libraries(vmm_bsp_${bsp_name} PUBLIC ${vmm_lib})
  set_target_properties(vmm_bsp_${bsp_name} PROPERTIES
    VMM_BSP_CPU_FLAGS "${vmm_cpu_flags}"
    VMM_BSP_LIBRARY ${vmm_lib}
    VMM_BSP_RAM_BASE ${VMM_BSP_RAM_BASE}
    VMM_BSP_RAM_SIZE ${VMM_BSP_RAM_SIZE}
    VMM_QEMU_ARGS "${VMM_BSP_QEMU_ARGS}"
    VMM_BSP_HAS_PMU ${VMM_BSP_HAS_PMU}
    VMM_BSP_DIR ${bsp_dir})
endfunction()

function(vmm_add_image target)
  cmake_parse_arguments(IMG "" "BSP" "CONFIG;PAYLOADS;DEPENDS" ${ARGN})
  if(NOT IMG_BSP OR NOT IMG_CONFIG)
    message(FATAL_ERROR "vmm_add_image(${target}): BSP and CONFIG are required")
  endif()
  list(LENGTH IMG_PAYLOADS n)
  math(EXPR odd "${n} % 2")
  if(odd)
    message(FATAL_ERROR "vmm_add_image(${target}): PAYLOADS takes <symbol> <file> pairs")
  endif()
  vmm_add_bsp(${IMG_BSP})
  _vmm_bsp_canonical(bsp_dir ${IMG_BSP})
  get_filename_component(bsp_name ${bsp_dir} NAME)
  get_target_property(ram_base vmm_bsp_${bsp_name} VMM_BSP_RAM_BASE)
  get_target_property(ram_size vmm_bsp_${bsp_name} VMM_BSP_RAM_SIZE)
  get_target_property(qemu_args vmm_bsp_${bsp_name} VMM_QEMU_ARGS)
  get_target_property(cpu_flags vmm_bsp_${bsp_name} VMM_BSP_CPU_FLAGS)
  get_target_property(vmm_lib vmm_bsp_${bsp_name} VMM_BSP_LIBRARY)

  # payloads.S: one .incbin per guest
  set(asm "/* generated by vmm_add_image(${target}) */\n\t.section .hv_payload, \"a\"\n")
  set(deps "")
  while(IMG_PAYLOADS)
    list(POP_FRONT IMG_PAYLOADS sym file)
    string(APPEND asm "\t.balign 8\n\t.global vmm_payload_${sym}\nvmm_payload_${sym}:\n"
                      "\t.incbin \"${file}\"\n\t.global vmm_payload_${sym}_end\nvmm_payload_${sym}_end:\n")
    list(APPEND deps ${file})
  endwhile()
  # The .S is copied from a generated template by a rule that depends on the
  # payload files, so a rebuilt guest re-assembles and relinks the image.
  set(payload_s ${CMAKE_CURRENT_BINARY_DIR}/${target}_payloads.S)
  file(GENERATE OUTPUT ${payload_s}.in CONTENT "${asm}")
  add_custom_command(OUTPUT ${payload_s}
    COMMAND ${CMAKE_COMMAND} -E copy ${payload_s}.in ${payload_s}
    DEPENDS ${payload_s}.in ${deps} ${IMG_DEPENDS} VERBATIM)

  math(EXPR ram_mib "${ram_size} >> 20")
  if(ram_mib GREATER 256)
    set(ram_mib 256)
  endif()
  set(VMM_BSP_NAME ${bsp_name})
  set(VMM_BSP_RAM_BASE ${ram_base})
  set(VMM_HV_RAM_MIB ${ram_mib})
  set(ld ${CMAKE_CURRENT_BINARY_DIR}/${target}.ld)
  configure_file(${CMAKE_CURRENT_FUNCTION_LIST_DIR}/hypervisor.ld.in ${ld} @ONLY)

  add_executable(${target} ${payload_s} ${IMG_CONFIG})
  set_target_properties(${target} PROPERTIES SUFFIX ".elf" LINK_DEPENDS ${ld}
    VMM_QEMU_ARGS "${qemu_args}" VMM_BSP_DIR ${bsp_dir})
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:C>:${VMM_HV_FLAGS} ${VMM_HV_WARNINGS}>
    ${cpu_flags})
  target_link_options(${target} PRIVATE ${cpu_flags})
  target_link_libraries(${target} PRIVATE
    -Wl,--whole-archive ${vmm_lib} -Wl,--no-whole-archive vmm_bsp_${bsp_name} -lc -lgcc)
  target_link_options(${target} PRIVATE -nostartfiles -nostdlib -T ${ld} -Wl,--gc-sections
    -Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${target}.map -Wl,--no-warn-rwx-segments)
  if(IMG_DEPENDS)
    add_dependencies(${target} ${IMG_DEPENDS})
  endif()
  # How to boot it, beside the image: one QEMU argument per line, as CMake
  # read them from bsp.cmake (so they may span lines and use variables).
  if(qemu_args)
    string(REPLACE ";" "\n" qemu_lines "${qemu_args}")
    file(GENERATE OUTPUT $<TARGET_FILE:${target}>.qemu CONTENT "${qemu_lines}\n")
  endif()
endfunction()
