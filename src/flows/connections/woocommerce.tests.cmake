# open_woocommerce() and ping_woocommerce() against the WooCommerce emulator in process.
mlc_test(mlc_flows_woocommerce_connection_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/woocommerce_connection_test.cpp
  DEPS mlc_flows mlc_sandbox_woocommerce mlc_sandbox mlc_store_sqlite mlc_auth_testing
       mlc_net_client)
