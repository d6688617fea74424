# The settlement half of the Amazon connector, included by CMakeLists.txt here.
#
# mlc_connector_amazon_settlement: Amazon's settlement flat files read into exact records (header
# names, the marketplace's number and date format, the content type's charset), each line in its
# accounting group. Depends on: mlc_common (Decimal, time, gzip). A library of its own, free of the
# HTTP stack, so the fuzz target and the bench link it alone.
mlc_library(mlc_connector_amazon_settlement
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_settlement.cpp
  DEPS mlc_common)

mlc_test(mlc_connector_amazon_settlement_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_settlement_test.cpp
  DEPS mlc_connector_amazon_settlement mlc_sandbox_amazon)

# The settlement reports source (getReports, getReportDocument, the document download) on the
# client, in mlc_connector_amazon.
list(APPEND MLC_AMAZON_SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_reports.cpp)
list(APPEND MLC_AMAZON_TEST_SOURCES ${CMAKE_CURRENT_LIST_DIR}/amazon_reports_test.cpp)
list(APPEND MLC_AMAZON_DEPS mlc_connector_amazon_settlement)
