# mlc_config: the YAML config (config.hpp) and its validation. Depends on: mlc_common.
mlc_library(mlc_config
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/config.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/recipe_options.cpp
  DEPS mlc_common yaml-cpp)

mlc_test(mlc_config_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/config_test.cpp
  DEPS mlc_config)
if(MLC_BUILD_TESTS)
  # Lets the test find examples/mlc.yaml when run directly rather than through ctest.
  target_compile_definitions(mlc_config_test PRIVATE MLC_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
