# "amazon-settlements-to-epicor" end to end against the Amazon and Epicor emulators in process,
# on SQLite and on PostgreSQL (skipped without MLC_TEST_POSTGRES_URL) and a ManualClock; the
# ledger on its own.
mlc_test(mlc_flows_amazon_settlements_test
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/settlements_ledger_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/settlements_e2e_test.cpp
  DEPS mlc_flows mlc_flows_testing mlc_sandbox_amazon mlc_sandbox_epicor mlc_sandbox
       mlc_store_sqlite mlc_auth_testing)
