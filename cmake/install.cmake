# `cmake --install BUILD [--prefix P]`: the model library and its headers
# (P/include/itsim/...), a CMake package (find_package(itsim) ->
# itsim::models), a pkg-config file (pkg-config --cflags --libs itsim), and
# the itsim program when it is built.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS itsim_models EXPORT itsimTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(part ${ITSIM_MODEL_PARTS})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/${part}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/itsim/${part}
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/models/itsim.h ${ITSIM_BUILD_INCLUDE}/itsim/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/itsim)

set(ITSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/itsim)
install(EXPORT itsimTargets NAMESPACE itsim:: DESTINATION ${ITSIM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/itsimConfig.cmake.in
  ${PROJECT_BINARY_DIR}/itsimConfig.cmake INSTALL_DESTINATION ${ITSIM_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/itsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/itsimConfig.cmake ${PROJECT_BINARY_DIR}/itsimConfigVersion.cmake
        DESTINATION ${ITSIM_CMAKE_DIR})

# The .pc finds its prefix from where it lies (cmake --install --prefix P).
file(RELATIVE_PATH ITSIM_PC_UP /x/${CMAKE_INSTALL_LIBDIR}/pkgconfig /x)
configure_file(${PROJECT_SOURCE_DIR}/cmake/itsim.pc.in ${PROJECT_BINARY_DIR}/itsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/itsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

if(TARGET itsim)
  install(TARGETS itsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
