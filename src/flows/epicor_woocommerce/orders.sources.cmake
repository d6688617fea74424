# Recipe "woocommerce-to-epicor-orders" (integration 4, inbound half): its options, the Woo
# webhook registration, and the recipe over src/pipeline.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND MLC_FLOWS_SOURCES
  ${_dir}/orders_options.cpp
  ${_dir}/orders_recipe.cpp)
list(APPEND MLC_FLOWS_DEPS PkgConfig::SODIUM)  # randombytes for webhook secrets
