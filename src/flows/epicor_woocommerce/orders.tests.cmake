# "woocommerce-to-epicor-orders" end to end: the WooCommerce and Epicor emulators in process, the
# SQLite store in a temporary directory, signed deliveries through net::WebhookIntake.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
set(_woo_orders_tests ${_dir}/orders_options_test.cpp)
foreach(extra orders_runner_test.cpp webhook_registrar_test.cpp orders_crash_test.cpp
              orders_measure_test.cpp)
  if(EXISTS ${_dir}/${extra})
    list(APPEND _woo_orders_tests ${_dir}/${extra})
  endif()
endforeach()
mlc_test(mlc_flows_woo_orders_test
  SOURCES ${_woo_orders_tests}
  DEPS mlc_flows mlc_sandbox_woocommerce mlc_sandbox_epicor mlc_sandbox mlc_store_sqlite
       mlc_webhook mlc_net_server mlc_auth_testing)
