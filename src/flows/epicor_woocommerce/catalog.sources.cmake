# Recipe "epicor-to-woocommerce-catalog" (integration 4, outbound half: Epicor parts and customers
# -> WooCommerce products and customers). Included only when mlc_connector_woocommerce exists.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND MLC_FLOWS_SOURCES
  ${_dir}/catalog_options.cpp
  ${_dir}/catalog_recipe.cpp)
