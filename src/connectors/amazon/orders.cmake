# The orders half of the Amazon connector (issue 12), included by CMakeLists.txt here.
list(APPEND MLC_AMAZON_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/amazon_orders.cpp
  ${CMAKE_CURRENT_LIST_DIR}/amazon_orders_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/amazon_shipments.cpp
  ${CMAKE_CURRENT_LIST_DIR}/amazon_capabilities.cpp)
list(APPEND MLC_AMAZON_TEST_SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_orders_test.cpp)
