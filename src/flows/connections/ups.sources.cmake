# The UPS connection builder and ping (a client from one mlc.yaml connection), issue 11.
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/ups_connection.cpp)
list(APPEND MLC_FLOWS_DEPS mlc_connector_ups)
