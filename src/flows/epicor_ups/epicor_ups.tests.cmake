# "epicor-to-ups-shipments" end to end: the Epicor and UPS emulators in process, SQLite in memory.
mlc_test(mlc_flows_epicor_ups_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/shipments_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_store_sqlite mlc_auth_testing)
