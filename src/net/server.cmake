# HTTP server half of mlc_net (included from CMakeLists.txt in this folder).
# mlc_net_server: HttpServer (Boost.Beast/Asio, kept inside http_server.cpp), Router, Metrics,
#   and the HMAC/base64 helpers. Depends on mlc_net_types, mlc_common, Boost headers + JSON,
#   spdlog, libsodium, Threads.
# mlc_webhook: the durable webhook intake (verify, append to the StateStore inbox, answer).
#   Depends on mlc_net_server and the StateStore interface (src/store/state_store.hpp).
mlc_library(mlc_net_server
  SOURCES
    http_server.cpp
    router.cpp
    metrics.cpp
    hmac.cpp
  DEPS mlc_net_types mlc_common Boost::headers Boost::json Threads::Threads spdlog::spdlog
       fmt::fmt PkgConfig::SODIUM)

if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/webhook_intake.cpp)
  mlc_library(mlc_webhook
    SOURCES
      webhook_intake.cpp
    DEPS mlc_net_server mlc_common Boost::json spdlog::spdlog)
  if(TARGET mlc_store)
    target_link_libraries(mlc_webhook PUBLIC mlc_store)
  endif()
endif()

set(_mlc_net_server_tests hmac_test.cpp metrics_test.cpp router_test.cpp http_server_test.cpp
    webhook_intake_test.cpp)
set(_mlc_net_server_test_sources)
foreach(_test IN LISTS _mlc_net_server_tests)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_test})
    list(APPEND _mlc_net_server_test_sources ${_test})
  endif()
endforeach()
if(_mlc_net_server_test_sources)
  set(_mlc_net_server_test_deps mlc_net_server)
  if(TARGET mlc_webhook)
    list(APPEND _mlc_net_server_test_deps mlc_webhook)
  endif()
  mlc_test(mlc_net_server_test
    SOURCES ${_mlc_net_server_test_sources}
    DEPS ${_mlc_net_server_test_deps})
  # The webhook tests run on the real SQLite store (":memory:") once it exists.
  if(TARGET mlc_store_sqlite)
    target_link_libraries(mlc_net_server_test PRIVATE mlc_store_sqlite)
    target_compile_definitions(mlc_net_server_test PRIVATE MLC_NET_TEST_HAVE_SQLITE=1)
  endif()
endif()
