# "epicor-to-ups-shipments" (integration 2): Epicor releases -> UPS shipments, UPS tracking back.
set(_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND MLC_FLOWS_SOURCES
  ${_dir}/label_folder.cpp
  ${_dir}/release_resolver.cpp
  ${_dir}/shipments_options.cpp
  ${_dir}/shipments_recipe.cpp
  ${_dir}/track_alert.cpp)
list(APPEND MLC_FLOWS_DEPS mlc_connector_ups)
