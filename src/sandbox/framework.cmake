# mlc_sandbox: the framework that hosts emulators (control API, faults, request log, ports file,
# in-process transport). run_sandbox (serving on sockets) joins once mlc_net_server exists.
set(MLC_SANDBOX_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/fault_injector.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/request_log.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/sandbox_host.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/testing/in_process_transport.cpp)
set(MLC_SANDBOX_DEPS mlc_net_types mlc_common Boost::json Threads::Threads)
if(TARGET mlc_net_server)
  list(APPEND MLC_SANDBOX_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/run_sandbox.cpp)
  list(APPEND MLC_SANDBOX_DEPS mlc_net_server)
endif()
mlc_library(mlc_sandbox SOURCES ${MLC_SANDBOX_SOURCES} DEPS ${MLC_SANDBOX_DEPS})

set(MLC_SANDBOX_TEST_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/fault_injector_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/sandbox_host_test.cpp)
mlc_test(mlc_sandbox_test SOURCES ${MLC_SANDBOX_TEST_SOURCES} DEPS mlc_sandbox)
