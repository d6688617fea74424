# open_ups() and ping_ups() against the UPS emulator in process.
mlc_test(mlc_flows_ups_connection_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/ups_connection_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_ups mlc_sandbox mlc_store_sqlite mlc_auth_testing
       mlc_net_client)
