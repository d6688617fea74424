# mlc_engine: flow-runner interface, recipe registry (+ the built-in "heartbeat" recipe), scheduler,
# flow leases and dead-letter replay. Depends on: mlc_config (config.cmake, included first),
# mlc_store (interface), mlc_common.
mlc_library(mlc_engine
  SOURCES
    dead_letter_replayer.cpp
    flow_lease.cpp
    heartbeat_runner.cpp
    last_run.cpp
    recipe_registry.cpp
    run_summary.cpp
    scheduler.cpp
  DEPS mlc_config mlc_store mlc_common spdlog::spdlog fmt::fmt Boost::json)

# Tests run on the real SQLite store (":memory:") when it is built, else on the in-memory fake.
set(_mlc_engine_test_deps mlc_engine mlc_store mlc_common)
set(_mlc_engine_test_defs)
if(TARGET mlc_store_sqlite AND EXISTS ${PROJECT_SOURCE_DIR}/src/store/sqlite/sqlite_state_store.hpp)
  list(APPEND _mlc_engine_test_deps mlc_store_sqlite)
  list(APPEND _mlc_engine_test_defs MLC_ENGINE_TEST_SQLITE=1)
endif()
mlc_test(mlc_engine_test
  SOURCES
    testing/fake_state_store.cpp
    scheduler_test.cpp
    dead_letter_replayer_test.cpp
    recipe_registry_test.cpp
  DEPS ${_mlc_engine_test_deps})
if(TARGET mlc_engine_test)
  target_compile_definitions(mlc_engine_test PRIVATE ${_mlc_engine_test_defs})
endif()
