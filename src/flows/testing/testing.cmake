# mlc_flows_testing: what every flow test needs of the sandboxes (sandboxes.hpp): emulators served
# in process, connections to them with their secrets in the vault, control calls, one run, a
# transport that loses an answer; the state store an e2e test runs on (test_store.hpp: SQLite or a
# PostgreSQL schema of its own). Test code only; linked by the flows' test binaries and e2e.
mlc_library(mlc_flows_testing
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/sandboxes.cpp ${CMAKE_CURRENT_LIST_DIR}/test_store.cpp
  DEPS mlc_engine mlc_sandbox_shipstation mlc_sandbox_epicor mlc_sandbox_woocommerce mlc_sandbox_acumatica mlc_sandbox_ups
       mlc_sandbox_amazon
       mlc_sandbox mlc_store_sqlite mlc_store_postgres
       mlc_net_types mlc_common spdlog::spdlog Boost::json)
