# "woocommerce-to-epicor-orders" end to end: the WooCommerce and Epicor emulators in process, the
# SQLite store in a temporary directory (orders_runner_test also on PostgreSQL, skipped without
# MLC_TEST_POSTGRES_URL; the crash test, a killed child process on the state file, SQLite only),
# signed deliveries through net::WebhookIntake.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
mlc_test(mlc_flows_woo_orders_test
  SOURCES
    ${_dir}/orders_options_test.cpp
    ${_dir}/orders_runner_test.cpp
    ${_dir}/orders_crash_test.cpp
    ${_dir}/orders_measure_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_woocommerce mlc_sandbox_epicor mlc_sandbox mlc_store_sqlite
       mlc_webhook mlc_net_server mlc_auth_testing)
# The crash test SIGKILLs this helper process while it drains the inbox, then starts it again.
if(MLC_BUILD_TESTS)
  add_executable(mlc_woo_orders_worker ${_dir}/orders_crash_worker.cpp)
  target_include_directories(mlc_woo_orders_worker PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(mlc_woo_orders_worker PRIVATE mlc_flows mlc_store_sqlite mlc_auth_testing
                        mlc_net_client spdlog::spdlog)
  add_dependencies(mlc_flows_woo_orders_test mlc_woo_orders_worker)
  target_compile_definitions(mlc_flows_woo_orders_test PRIVATE
                             MLC_WOO_ORDERS_WORKER="$<TARGET_FILE:mlc_woo_orders_worker>")
endif()
