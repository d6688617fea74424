# mlc_engine: flow-runner interface, recipe registry (+ the built-in "heartbeat" recipe), scheduler,
# flow leases, dead-letter replay and Periodic (the daemon's background passes). Depends on: mlc_config (config.cmake, included first),
# mlc_store (interface), mlc_common.
mlc_library(mlc_engine
  SOURCES
    dead_letter_cause.cpp
    dead_letter_replayer.cpp
    flow_lease.cpp
    heartbeat_runner.cpp
    last_run.cpp
    periodic.cpp
    recipe_registry.cpp
    run_history.cpp
    run_summary.cpp
    scheduler.cpp
    stored_mappings.cpp
  DEPS mlc_config mlc_store mlc_common spdlog::spdlog fmt::fmt Boost::json)

# Tests run on the real SQLite store (":memory:"); testing/fake_state_store.cpp also holds the
# in-memory fake.
mlc_test(mlc_engine_test
  SOURCES
    testing/fake_state_store.cpp
    scheduler_test.cpp
    dead_letter_replayer_test.cpp
    recipe_registry_test.cpp
    run_history_test.cpp
    stored_mappings_test.cpp
  DEPS mlc_engine mlc_store_sqlite mlc_store mlc_common)
