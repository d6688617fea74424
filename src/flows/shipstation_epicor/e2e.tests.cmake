# End-to-end tests of "shipstation-to-epicor-orders" (issue 5, "Tests that must exist") and the
# harness the benchmarks share (bench/): both emulators in process (or on loopback for the
# SIGKILL test, which runs the built `mlc` binary in a child), ManualClock; the backfill, changes and
# faults suites on SQLite and on PostgreSQL (flows/testing/test_store.hpp), the SIGKILL test on
# SQLite (the PostgreSQL kill path is src/cli/workers_test.cpp).
set(_e2e ${CMAKE_CURRENT_LIST_DIR}/e2e)
mlc_library(mlc_flows_e2e_support
  SOURCES
    ${_e2e}/recording_transport.cpp
    ${_e2e}/sandbox_views.cpp
    ${_e2e}/e2e_world.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_shipstation mlc_sandbox_epicor mlc_sandbox
       mlc_store_sqlite mlc_auth_testing mlc_net_server Boost::json spdlog::spdlog fmt::fmt)

mlc_test(mlc_flows_e2e_test
  SOURCES
    ${_e2e}/backfill_e2e_test.cpp
    ${_e2e}/faults_dst_e2e_test.cpp
    ${_e2e}/kill_restart_e2e_test.cpp
  DEPS mlc_flows_e2e_support mlc_net_server
  # The SIGKILL test runs 20+ child `mlc sync` processes: 33 s normally, past 300 s under ASan.
  TIMEOUT 900)
if(MLC_BUILD_TESTS)
  # The SIGKILL test runs the built `mlc` (defined later, by src/cli) in a child process.
  add_dependencies(mlc_flows_e2e_test mlc)
  target_compile_definitions(mlc_flows_e2e_test PRIVATE MLC_BINARY="$<TARGET_FILE:mlc>")
endif()
