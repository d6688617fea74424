# "amazon-to-epicor-orders" end to end against the Amazon and Epicor emulators in process, on the
# SQLite store (orders_e2e_test also on PostgreSQL, skipped without MLC_TEST_POSTGRES_URL) and a
# ManualClock; the Amazon connection's open and ping. The SIGKILL test: SQLite only (the
# PostgreSQL kill path is src/cli/workers_test.cpp).
mlc_test(mlc_flows_amazon_epicor_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/orders_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/faults_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/confirmations_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_amazon mlc_sandbox_epicor mlc_sandbox
       mlc_store_sqlite mlc_auth_testing)
# SIGKILL while orders land: the built `mlc` binary in a child process against both emulators on
# loopback ports (flows/testing/kill_switch.hpp kills it at a random request).
mlc_test(mlc_flows_amazon_epicor_kill_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/orders_kill_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_amazon mlc_sandbox_epicor mlc_sandbox
       mlc_store_sqlite mlc_auth_testing mlc_net_server
  TIMEOUT 900)
if(MLC_BUILD_TESTS)
  add_dependencies(mlc_flows_amazon_epicor_kill_test mlc)
  target_compile_definitions(mlc_flows_amazon_epicor_kill_test PRIVATE
                             MLC_BINARY="$<TARGET_FILE:mlc>")
endif()
