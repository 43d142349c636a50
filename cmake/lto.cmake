# Link-time optimisation of the programs that run simulations (itsim,
# itsim_bench): GCC then inlines across the model's files (the ITS's
# environment, the bus, the redistributor's entry points), which takes
# about a tenth of the instructions off every MSI and command (README
# "Speed"; tb/bench/ir_budget.txt is measured with it).
#
# The programs link LTO twins of the libraries (itsim_models_lto,
# itsim_platform_lto: the same sources, compiled to GCC's LTO bytecode).
# The libraries themselves are left as they are: the tests link them with
# no link-time cost, and the installed libitsim.a holds ordinary objects
# that any compiler version links.
#
# On by default for GCC, in an optimised build (Release, RelWithDebInfo)
# without sanitizers, with itsim as the top-level project; -DITSIM_LTO=OFF
# turns it off (the programs then link the libraries).
set(itsim_lto_default OFF)
if(ITSIM_TOP_LEVEL AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND NOT ITSIM_SANITIZE
   AND CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo)$")
  set(itsim_lto_default ON)
endif()
option(ITSIM_LTO "Link-time optimisation of itsim and itsim_bench (GCC)" ${itsim_lto_default})

set(ITSIM_LTO_ACTIVE OFF)
if(ITSIM_LTO)
  include(CheckIPOSupported)
  check_ipo_supported(RESULT itsim_ipo_ok OUTPUT itsim_ipo_why LANGUAGES CXX)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    message(STATUS "ITSIM_LTO: only with GCC; building without it")
  elseif(ITSIM_SANITIZE)
    message(STATUS "ITSIM_LTO: not with ITSIM_SANITIZE; building without it")
  elseif(NOT itsim_ipo_ok OR NOT CMAKE_CXX_COMPILER_AR OR NOT CMAKE_CXX_COMPILER_RANLIB)
    message(WARNING "ITSIM_LTO: the toolchain cannot do LTO (${itsim_ipo_why}); building without it")
  else()
    set(ITSIM_LTO_ACTIVE ON)
    # Archives of LTO objects need the plugin-aware ar and ranlib.
    set(CMAKE_AR ${CMAKE_CXX_COMPILER_AR})
    set(CMAKE_RANLIB ${CMAKE_CXX_COMPILER_RANLIB})
  endif()
endif()

# ${target}_lto: the static library `target` again, from the same sources
# with the same settings, as LTO bytecode; a library it links that has a
# twin is replaced by the twin. Call it in the directory that made `target`,
# after everything about `target` is set.
function(itsim_lto_twin target)
  if(NOT ITSIM_LTO_ACTIVE)
    return()
  endif()
  set(twin ${target}_lto)
  get_target_property(sources ${target} SOURCES)
  add_library(${twin} STATIC EXCLUDE_FROM_ALL ${sources})
  foreach(prop INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS COMPILE_FEATURES
               INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS
               INTERFACE_COMPILE_OPTIONS INTERFACE_COMPILE_FEATURES
               POSITION_INDEPENDENT_CODE CXX_STANDARD)
    get_target_property(value ${target} ${prop})
    if(NOT value STREQUAL "value-NOTFOUND")
      set_property(TARGET ${twin} PROPERTY ${prop} "${value}")
    endif()
  endforeach()
  foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(libs ${target} ${prop})
    if(libs STREQUAL "libs-NOTFOUND")
      continue()
    endif()
    set(mapped "")
    foreach(lib IN LISTS libs)
      if(TARGET ${lib}_lto)
        list(APPEND mapped ${lib}_lto)
      else()
        list(APPEND mapped ${lib})
      endif()
    endforeach()
    set_property(TARGET ${twin} PROPERTY ${prop} "${mapped}")
  endforeach()
  target_compile_options(${twin} PRIVATE -flto=auto)
endfunction()

# A program that runs simulations: linked with link-time optimisation
# against the twins when LTO is on, against `libs` as they are otherwise.
function(itsim_program_link target)
  set(libs ${ARGN})
  if(ITSIM_LTO_ACTIVE)
    list(TRANSFORM libs APPEND _lto)
    target_compile_options(${target} PRIVATE -flto=auto)
    target_link_options(${target} PRIVATE -flto=auto)
  endif()
  target_link_libraries(${target} PRIVATE ${libs})
endfunction()
