# End to end against the Epicor and WooCommerce emulators in process, on SQLite and on PostgreSQL
# (skipped without MLC_TEST_POSTGRES_URL; the 2,000-part volume test on SQLite).
mlc_test(mlc_flows_woo_catalog_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/catalog_options_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/catalog_flow_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_epicor mlc_sandbox_woocommerce mlc_sandbox mlc_store_sqlite
       mlc_auth_testing)
