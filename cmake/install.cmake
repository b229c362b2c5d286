# `cmake --install` of a target build: libvmm as a CMake package and a port kit.
#   lib/libvmm.a, include/vmm/*.h
#   lib/cmake/libvmm/        libvmmConfig.cmake, targets, libvmm.cmake (vmm_add_image),
#                            hypervisor.ld.in, arm-none-eabi.cmake (toolchain)
#   share/libvmm/bsp/        the BSPs and shared drivers, usable as they are
#   share/libvmm/minios/     the Mini-OS guest kernel library (minios_add_guest())
#   share/libvmm/examples/two-domain/   the two-domain example (config + guest)
#   share/libvmm/portkit/    the port tests' CMake project, guests and configs
#   share/libvmm/scripts/    qemu-boot.sh and the test runner the port kit uses
#   bin/libvmm-port-test     builds and boots the port tests for a BSP folder
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VMM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/libvmm)
set(VMM_INSTALL_SHAREDIR ${CMAKE_INSTALL_DATADIR}/libvmm)
set(VMM_INSTALL_BSPDIR ${VMM_INSTALL_SHAREDIR}/bsp)
set(VMM_INSTALL_MINIOSDIR ${VMM_INSTALL_SHAREDIR}/minios)
set(VMM_INSTALL_EXAMPLESDIR ${VMM_INSTALL_SHAREDIR}/examples)
set(VMM_INSTALL_PORTKITDIR ${VMM_INSTALL_SHAREDIR}/portkit)
set(VMM_INSTALL_SCRIPTSDIR ${VMM_INSTALL_SHAREDIR}/scripts)

install(TARGETS libvmm libvmm_headers EXPORT libvmmTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/vmm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT libvmmTargets NAMESPACE libvmm:: DESTINATION ${VMM_INSTALL_CMAKEDIR})
install(FILES cmake/libvmm.cmake cmake/hypervisor.ld.in cmake/arm-none-eabi.cmake
  DESTINATION ${VMM_INSTALL_CMAKEDIR})
install(DIRECTORY bsp/ DESTINATION ${VMM_INSTALL_BSPDIR})

# Port kit: Mini-OS, the two-domain example and the port tests' sources, as
# they are in this tree (test/portkit/CMakeLists.txt lists what each checks).
install(DIRECTORY examples/minios/ DESTINATION ${VMM_INSTALL_MINIOSDIR}
  PATTERN test EXCLUDE)
install(DIRECTORY examples/two-domain DESTINATION ${VMM_INSTALL_EXAMPLESDIR})
install(FILES test/portkit/CMakeLists.txt
  test/qemu/hostile_config.c test/qemu/echo_config.c test/qemu/bvt_latency_config.c
  test/qemu/sleep_storm_config.c
  DESTINATION ${VMM_INSTALL_PORTKITDIR})
install(FILES test/qemu/guests/probe_start.S test/qemu/guests/probe.ld
  test/qemu/guests/probe_lib.h test/qemu/guests/hostile.c test/qemu/guests/echo.c
  test/qemu/guests/bvt_hog.c test/qemu/guests/bvt_latency.c test/qemu/guests/sleep_storm.c
  DESTINATION ${VMM_INSTALL_PORTKITDIR}/guests)
install(PROGRAMS scripts/qemu-boot.sh scripts/qemu-args.sh
  test/qemu/run-image.sh test/qemu/check-bvt.sh test/qemu/check-storm.sh DESTINATION ${VMM_INSTALL_SCRIPTSDIR})
install(FILES scripts/bsp-qemu-args.cmake DESTINATION ${VMM_INSTALL_SCRIPTSDIR})
# The one command: paths relative to bin/, so the package can be moved.
file(RELATIVE_PATH VMM_PORTKIT_REL_CMAKEDIR
  /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${VMM_INSTALL_CMAKEDIR})
file(RELATIVE_PATH VMM_PORTKIT_REL_PORTKITDIR
  /prefix/${CMAKE_INSTALL_BINDIR} /prefix/${VMM_INSTALL_PORTKITDIR})
configure_file(scripts/libvmm-port-test.in ${CMAKE_CURRENT_BINARY_DIR}/libvmm-port-test @ONLY)
install(PROGRAMS ${CMAKE_CURRENT_BINARY_DIR}/libvmm-port-test DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_package_config_file(cmake/libvmmConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/libvmmConfig.cmake
  INSTALL_DESTINATION ${VMM_INSTALL_CMAKEDIR}
  PATH_VARS VMM_INSTALL_BSPDIR VMM_INSTALL_MINIOSDIR VMM_INSTALL_EXAMPLESDIR
            VMM_INSTALL_PORTKITDIR VMM_INSTALL_SCRIPTSDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/libvmmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libvmmConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/libvmmConfigVersion.cmake DESTINATION ${VMM_INSTALL_CMAKEDIR})
