# Recipe "shipstation-to-epicor-orders" (issue 5).
set(_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND MLC_FLOWS_SOURCES
  ${_dir}/orders_options.cpp
  ${_dir}/fit_check.cpp
  ${_dir}/orders_recipe.cpp)
# The webhook URL token is libsodium random bytes.
list(APPEND MLC_FLOWS_DEPS PkgConfig::SODIUM)
