# mlc_auth: token manager with one strategy per scheme (OAuth2 client credentials, LWA refresh
# token, Epicor token resource, session login) and static credential headers.
# Depends on: mlc_net_types (HTTP messages and the transport interface), the StateStore and Vault
# interfaces (headers only), mlc_common, Boost.JSON.
mlc_library(mlc_auth
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/token_source.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/credential_headers.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/oauth2_client_credentials.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/lwa_refresh_token.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/epicor_token.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/session_login.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/token_manager.cpp
  DEPS mlc_net_types mlc_store mlc_common Boost::json)

# mlc_auth_testing: fakes for everyone's tests (FakeVault, FakeStateStore, HandlerTransport,
# FakeAuthServer: the auth endpoints of UPS, LWA, Epicor and Acumatica).
mlc_library(mlc_auth_testing
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/testing/fake_auth_server.cpp
  DEPS mlc_auth mlc_net_types mlc_common)

# One binary. Each strategy runs against a real local HttpServer + CurlTransport, and the manager
# against SQLite and the libsodium vault, besides the in-process fakes.
mlc_test(mlc_auth_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/token_source_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/oauth2_client_credentials_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/lwa_refresh_token_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/epicor_token_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/session_login_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/token_manager_test.cpp
  DEPS mlc_auth mlc_auth_testing mlc_net_server mlc_net_client mlc_store_sqlite mlc_vault
       Threads::Threads)
