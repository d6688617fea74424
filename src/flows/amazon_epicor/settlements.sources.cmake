# Recipe "amazon-settlements-to-epicor" (issue 12, settlements).
list(APPEND MLC_FLOWS_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/settlements_ledger.cpp
  ${CMAKE_CURRENT_LIST_DIR}/settlements_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/settlements_recipe.cpp)
list(APPEND MLC_FLOWS_DEPS mlc_connector_amazon mlc_connector_amazon_settlement)
