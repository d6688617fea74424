# End to end against the ShipStation and Epicor emulators in process, on the SQLite store.
mlc_test(mlc_flows_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/orders_options_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/orders_runner_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_shipstation mlc_sandbox_epicor mlc_sandbox mlc_store_sqlite
       mlc_auth_testing mlc_webhook)
