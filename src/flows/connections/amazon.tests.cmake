# open_amazon() and ping_amazon() against the Amazon emulator in process.
mlc_test(mlc_flows_amazon_connection_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_connection_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_amazon mlc_sandbox mlc_store_sqlite mlc_auth_testing
       mlc_net_client)
