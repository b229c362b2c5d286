# `cmake --install` of a target build: libvmm as a CMake package.
#   lib/libvmm.a, include/vmm/*.h
#   lib/cmake/libvmm/  libvmmConfig.cmake, targets, libvmm.cmake (vmm_add_image),
#                      hypervisor.ld.in, arm-none-eabi.cmake (toolchain)
#   share/libvmm/bsp/  the BSPs and shared drivers, usable as they are
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(VMM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/libvmm)
set(VMM_INSTALL_BSPDIR ${CMAKE_INSTALL_DATADIR}/libvmm/bsp)

install(TARGETS libvmm libvmm_headers EXPORT libvmmTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/vmm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT libvmmTargets NAMESPACE libvmm:: DESTINATION ${VMM_INSTALL_CMAKEDIR})
install(FILES cmake/libvmm.cmake cmake/hypervisor.ld.in cmake/arm-none-eabi.cmake
  DESTINATION ${VMM_INSTALL_CMAKEDIR})
install(DIRECTORY bsp/ DESTINATION ${VMM_INSTALL_BSPDIR})

configure_package_config_file(cmake/libvmmConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/libvmmConfig.cmake
  INSTALL_DESTINATION ${VMM_INSTALL_CMAKEDIR}
  PATH_VARS VMM_INSTALL_BSPDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/libvmmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/libvmmConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/libvmmConfigVersion.cmake DESTINATION ${VMM_INSTALL_CMAKEDIR})
