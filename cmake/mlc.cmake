# Helpers: one per target kind. Every component names its dependencies explicitly, so an include
# that crosses the architecture (a connector reaching another connector) fails to link or compile.

# mlc_library(NAME SOURCES a.cpp b.cpp DEPS mlc_common Boost::json)
function(mlc_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# mlc_test(NAME SOURCES a_test.cpp DEPS mlc_store [TIMEOUT seconds]): one gtest binary per component; each TEST is a
# ctest case (discovered when ctest runs, so building stays fast).
function(mlc_test name)
  if(NOT MLC_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)  # Seconds per test case; binaries that run child processes may ask more.
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES TIMEOUT ${ARG_TIMEOUT}
                                  ENVIRONMENT "MLC_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
