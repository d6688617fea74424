# Recipe "acumatica-to-shipstation-orders" (issue 13): connectors and the pipeline only.
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/orders_recipe.cpp
                              ${CMAKE_CURRENT_LIST_DIR}/items_stream.cpp)
