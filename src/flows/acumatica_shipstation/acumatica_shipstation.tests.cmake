# "acumatica-to-shipstation-orders" end to end: the Acumatica and ShipStation emulators in
# process, the SQLite store (orders_e2e_test also on PostgreSQL, skipped without
# MLC_TEST_POSTGRES_URL; the SIGKILL test SQLite only: the PostgreSQL kill path is
# src/cli/workers_test.cpp), the recipe built from a config as `mlc run` builds it.
mlc_test(mlc_flows_acumatica_shipstation_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/orders_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/backfill_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/labels_v2_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/items_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/shipments_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/parking_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/faults_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/kill_restart_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_acumatica mlc_sandbox_shipstation mlc_sandbox
       mlc_store_sqlite mlc_auth_testing mlc_webhook mlc_net_server)
# The SIGKILL test kills this helper process while it runs the flow, then starts it again.
if(MLC_BUILD_TESTS)
  add_executable(mlc_acumatica_orders_worker ${CMAKE_CURRENT_LIST_DIR}/kill_worker.cpp)
  target_include_directories(mlc_acumatica_orders_worker PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(mlc_acumatica_orders_worker PRIVATE mlc_flows mlc_flows_testing
                        mlc_store_sqlite mlc_auth_testing mlc_net_client spdlog::spdlog)
  add_dependencies(mlc_flows_acumatica_shipstation_test mlc_acumatica_orders_worker)
  target_compile_definitions(mlc_flows_acumatica_shipstation_test PRIVATE
                             MLC_ACU_ORDERS_WORKER="$<TARGET_FILE:mlc_acumatica_orders_worker>")
endif()
# Reconciling what cannot be written (issue 13): an edit to an order ShipStation keeps locked,
# a voided label, the licence's session limit; alerts raised, notified and cleared (issue 17).
mlc_test(mlc_flows_acumatica_reconcile_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/locked_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sessions_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/voided_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/alerts_e2e_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logs_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_acumatica mlc_sandbox_shipstation mlc_sandbox
       mlc_store_sqlite mlc_auth_testing mlc_webhook mlc_alerts mlc_net_server mlc_net_smtp_sink)
