# WooCommerce connection builder and its `mlc ping` (issue 6): joins once the connector exists.
if(TARGET mlc_connector_woocommerce)
  list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/woocommerce_connection.cpp)
endif()
