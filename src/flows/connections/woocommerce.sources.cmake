# WooCommerce connection builder and its `mlc ping` (issue 6).
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/woocommerce_connection.cpp)
# The webhook subscriptions of a flow's source (WooCommerce or ShipStation), for `mlc webhooks`.
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/webhook_subscriptions.cpp)
