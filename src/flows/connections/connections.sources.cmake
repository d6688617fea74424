# Connection builders shared by recipes (a connector client from one mlc.yaml connection) and
# `mlc ping` (issue 5).
set(_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND MLC_FLOWS_SOURCES
  ${_dir}/client_plumbing.cpp
  ${_dir}/flow_connections.cpp
  ${_dir}/ping.cpp
  ${_dir}/shipstation_connection.cpp
  ${_dir}/epicor_connection.cpp)
