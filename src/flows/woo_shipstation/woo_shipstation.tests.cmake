# "woocommerce-to-shipstation-orders" end to end: the WooCommerce and ShipStation emulators in
# process, on SQLite and on PostgreSQL (skipped without MLC_TEST_POSTGRES_URL), the recipe built
# from a config as `mlc run` builds it.
mlc_test(mlc_flows_woo_shipstation_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/orders_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_woocommerce mlc_sandbox_shipstation mlc_sandbox mlc_store_sqlite
       mlc_auth_testing)
