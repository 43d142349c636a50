# Link-time optimisation of the programs that run simulations (itsim,
# itsim_bench): GCC then inlines across the model's files (the ITS's
# environment, the bus, the redistributor's entry points), which takes
# about a tenth of the instructions off every MSI and command (README
# "Speed", tb/bench/ir_budget.txt is measured with it).
#
# The libraries' objects are "fat" (ordinary code beside the LTO bytecode),
# and the other executables here link with -fno-lto (itsim_no_lto): the
# tests link the ordinary code, at no extra link time; only the two
# programs pay for LTO.
# (GCC's linker plugin optimises LTO objects at any link without -fno-lto:
# a project linking this tree's libitsim.a should pass it or -DITSIM_LTO=OFF.)
#
# On by default for GCC, in an optimised build (Release, RelWithDebInfo)
# without sanitizers, with itsim as the top-level project; -DITSIM_LTO=OFF
# turns it off (e.g. to install a library for another compiler version).
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

# A library whose objects the programs optimise at link time.
function(itsim_lto_library target)
  if(ITSIM_LTO_ACTIVE)
    target_compile_options(${target} PRIVATE -flto=auto -ffat-lto-objects)
  endif()
endfunction()

# A program linked with link-time optimisation.
function(itsim_lto_program target)
  if(ITSIM_LTO_ACTIVE)
    target_compile_options(${target} PRIVATE -flto=auto)
    target_link_options(${target} PRIVATE -flto=auto)
  endif()
endfunction()

# An executable that links the libraries without optimising them again.
function(itsim_no_lto target)
  if(ITSIM_LTO_ACTIVE)
    target_link_options(${target} PRIVATE -fno-lto)
  endif()
endfunction()
