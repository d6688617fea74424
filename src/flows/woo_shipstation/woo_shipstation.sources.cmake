# Recipe "woocommerce-to-shipstation-orders": a pair built from connectors and the pipeline only.
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/orders_recipe.cpp)
