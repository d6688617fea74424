# HTTP server half of mlc_net (included from CMakeLists.txt in this folder, after client.cmake).
# mlc_net_server: HttpServer (Boost.Beast/Asio, kept inside http_server.cpp), Router, Metrics,
#   and the HMAC/base64 helpers. Depends on mlc_net_types, mlc_common, Boost headers + JSON,
#   spdlog, libsodium, Threads.
# mlc_webhook: the durable webhook intake (verify, append to the StateStore inbox, answer) and its
#   secret cache (webhook_secret_cache.hpp).
#   Depends on mlc_net_server and the StateStore interface (src/store/state_store.hpp).
# mlc_net_client_metrics: ClientMetrics, the HttpClient observer that records outbound traffic
#   into Metrics. Depends on mlc_net_client and mlc_net_server.
mlc_library(mlc_net_server
  SOURCES
    http_server.cpp
    router.cpp
    metrics.cpp
    hmac.cpp
  DEPS mlc_net_types mlc_common Boost::headers Boost::json Threads::Threads spdlog::spdlog
       fmt::fmt PkgConfig::SODIUM)

mlc_library(mlc_webhook
  SOURCES
    webhook_intake.cpp
    webhook_secret_cache.cpp
  DEPS mlc_net_server mlc_store mlc_common Boost::json spdlog::spdlog)

mlc_library(mlc_net_client_metrics
  SOURCES
    client_metrics.cpp
  DEPS mlc_net_client mlc_net_server)

# The webhook tests run on the real SQLite store (":memory:").
mlc_test(mlc_net_server_test
  SOURCES
    hmac_test.cpp
    metrics_test.cpp
    router_test.cpp
    http_server_test.cpp
    webhook_intake_test.cpp
    client_metrics_test.cpp
  DEPS mlc_net_server mlc_webhook mlc_net_client_metrics mlc_net_testing mlc_store_sqlite
       mlc_connector_woocommerce mlc_connector_shipstation spdlog::spdlog)
