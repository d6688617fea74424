# Pieces that several flows writing to the same system share (Epicor part resolution).
list(APPEND MLC_FLOWS_SOURCES ${CMAKE_CURRENT_LIST_DIR}/epicor_part_resolver.cpp)
