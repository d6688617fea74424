# mlc_net_client: HTTP client on libcurl (CurlTransport), retry policy with full-jitter backoff,
# per-connection rate limiter, HttpClient tying them together, secret redaction for logs, and
# e-mail over SMTP with STARTTLS (smtp_client.hpp, libcurl's smtp://).
mlc_library(mlc_net_client
  SOURCES
    curl_transport.cpp
    http_client.cpp
    rate_limiter.cpp
    redaction.cpp
    retry_policy.cpp
    smtp_client.cpp
    tracing_transport.cpp
  DEPS mlc_net_types mlc_common CURL::libcurl Boost::json date::date spdlog::spdlog)

# mlc_net_testing: scripted and faulty transports for everyone's tests.
mlc_library(mlc_net_testing
  SOURCES
    testing/scripted_transport.cpp
    testing/faulty_transport.cpp
  DEPS mlc_net_types mlc_common)

# The TLS tests make a certificate on the fly with OpenSSL (libcurl's TLS backend on Debian).
if(MLC_BUILD_TESTS)
  find_package(OpenSSL REQUIRED)
  # mlc_net_smtp_sink: a loopback SMTP server with STARTTLS for the alert e-mail tests.
  mlc_library(mlc_net_smtp_sink
    SOURCES
      testing/smtp_sink.cpp
    DEPS mlc_common Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
endif()
# One CurlTransport test also runs against the project's own HttpServer (mlc_net_server, defined by
# server.cmake, included after this file).
mlc_test(mlc_net_client_test
  SOURCES
    retry_policy_test.cpp
    http_client_test.cpp
    rate_limiter_test.cpp
    redaction_test.cpp
    curl_transport_test.cpp
    curl_transport_tls_test.cpp
  DEPS mlc_net_client mlc_net_testing mlc_net_server spdlog::spdlog OpenSSL::SSL OpenSSL::Crypto)
