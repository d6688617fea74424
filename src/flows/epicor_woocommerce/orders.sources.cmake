# Recipe "woocommerce-to-epicor-orders" (issue 6, inbound half): options, resolver, webhook
# registration, inbox + poll processing, refunds as UD01 credit rows, the recipe factory.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND MLC_FLOWS_SOURCES
  ${_dir}/orders_options.cpp
  ${_dir}/orders_resolver.cpp
  ${_dir}/webhook_registrar.cpp
  ${_dir}/refund_sync.cpp
  ${_dir}/orders_runner.cpp)
if(EXISTS ${_dir}/../connections/woocommerce_connection.cpp AND
   EXISTS ${_dir}/../connections/epicor_connection.cpp)
  list(APPEND MLC_FLOWS_SOURCES ${_dir}/orders_recipe.cpp)
endif()
list(APPEND MLC_FLOWS_DEPS PkgConfig::SODIUM)  # randombytes for webhook secrets
