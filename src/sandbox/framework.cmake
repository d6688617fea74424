# mlc_sandbox: the framework that hosts emulators (control API, faults, request log, ports file,
# in-process transport, run_sandbox serving on sockets through mlc_net_server).
# mlc_sandbox_standard: every vendor emulator registered by name (standard_emulators.hpp).
mlc_library(mlc_sandbox
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/fault_injector.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/request_log.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/sandbox_host.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/run_sandbox.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/testing/in_process_transport.cpp
  DEPS mlc_net_server mlc_net_types mlc_common Boost::json Threads::Threads)

# A vendor emulator joins `mlc sandbox` by being listed here (its library mlc_sandbox_<system>)
# and by one registry line in standard_emulators.cpp.
mlc_library(mlc_sandbox_standard
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/standard_emulators.cpp
  DEPS mlc_sandbox mlc_sandbox_shipstation mlc_sandbox_epicor mlc_sandbox_woocommerce mlc_sandbox_ups
       mlc_sandbox_acumatica mlc_sandbox_amazon)

mlc_test(mlc_sandbox_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/fault_injector_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/sandbox_host_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/run_sandbox_test.cpp
  DEPS mlc_sandbox mlc_sandbox_standard mlc_net_client)
