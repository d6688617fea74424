# mlc_sandbox: the framework that hosts emulators (control API, faults, request log, ports file,
# in-process transport, run_sandbox serving on sockets once mlc_net_server exists).
# mlc_sandbox_standard: every built vendor emulator registered by name (standard_emulators.hpp).
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

# A vendor emulator joins `mlc sandbox` by being listed here (its library mlc_sandbox_<system>)
# and by one registry line in standard_emulators.cpp.
mlc_library(mlc_sandbox_standard
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/standard_emulators.cpp
  DEPS mlc_sandbox)
foreach(system shipstation epicor woocommerce)
  if(TARGET mlc_sandbox_${system})
    string(TOUPPER ${system} system_upper)
    target_link_libraries(mlc_sandbox_standard PUBLIC mlc_sandbox_${system})
    target_compile_definitions(mlc_sandbox_standard PRIVATE MLC_SANDBOX_HAVE_${system_upper}=1)
  endif()
endforeach()

set(MLC_SANDBOX_TEST_SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/fault_injector_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/sandbox_host_test.cpp)
set(MLC_SANDBOX_TEST_DEPS mlc_sandbox)
if(TARGET mlc_net_server AND TARGET mlc_net_client)
  list(APPEND MLC_SANDBOX_TEST_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/run_sandbox_test.cpp)
  list(APPEND MLC_SANDBOX_TEST_DEPS mlc_sandbox_standard mlc_net_client)
endif()
mlc_test(mlc_sandbox_test SOURCES ${MLC_SANDBOX_TEST_SOURCES} DEPS ${MLC_SANDBOX_TEST_DEPS})
