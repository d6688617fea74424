# "epicor-to-ups-shipments" end to end: the Epicor and UPS emulators in process, SQLite in memory;
# shipments_e2e_test also on PostgreSQL (skipped without MLC_TEST_POSTGRES_URL). On loopback for
# the SIGKILL test, which runs the built `mlc` binary in a child (SQLite only: the PostgreSQL kill
# path is src/cli/workers_test.cpp).
mlc_test(mlc_flows_epicor_ups_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/shipments_e2e_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/faults_e2e_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/kill_restart_e2e_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/track_alert_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_store_sqlite mlc_auth_testing mlc_net_server mlc_webhook
  # The SIGKILL test runs about 25 child `mlc sync` processes.
  TIMEOUT 900)
if(MLC_BUILD_TESTS)
  add_dependencies(mlc_flows_epicor_ups_test mlc)
  target_compile_definitions(mlc_flows_epicor_ups_test PRIVATE MLC_BINARY="$<TARGET_FILE:mlc>")
endif()
