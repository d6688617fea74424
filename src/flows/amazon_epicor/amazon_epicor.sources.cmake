# Recipe "amazon-to-epicor-orders" (issue 12).
list(APPEND MLC_FLOWS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/orders_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/confirmations.cpp
  ${CMAKE_CURRENT_LIST_DIR}/orders_recipe.cpp)
