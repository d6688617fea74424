# The Amazon SP-API connection builder and ping (a client from one mlc.yaml connection), issue 12.
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_connection.cpp)
list(APPEND MLC_FLOWS_DEPS mlc_connector_amazon)
