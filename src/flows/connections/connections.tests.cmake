# Connection builders and `mlc ping` against the ShipStation and Epicor emulators in process.
mlc_test(mlc_flows_connections_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/shipstation_connection_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/epicor_connection_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/ping_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_shipstation mlc_sandbox_epicor mlc_sandbox mlc_store_sqlite
       mlc_auth_testing mlc_net_client mlc_net_server)
