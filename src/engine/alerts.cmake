# mlc_alerts: the alert rules the daemon evaluates on its clock (alert_rules.hpp) and the
# notifications of every alert by e-mail and signed webhook (alert_notifier.hpp).
# Depends on: mlc_engine (last-run records, config), mlc_net_client (SMTP), mlc_net_server (HMAC).
mlc_library(mlc_alerts
  SOURCES
    alert_rules.cpp
    alert_notifier.cpp
    store_upkeep.cpp
  DEPS mlc_engine mlc_config mlc_store mlc_net_client mlc_net_server mlc_common spdlog::spdlog
       Boost::json)

# The rules and the dispatcher on the SQLite store in memory; the end-to-end test with a flow, an
# SMTP server and a webhook receiver is in mlc_flows_acumatica_reconcile_test.
mlc_test(mlc_alerts_test
  SOURCES
    alerts_test.cpp
  DEPS mlc_alerts mlc_store_sqlite mlc_net_testing)
