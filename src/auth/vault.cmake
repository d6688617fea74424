# mlc_vault: the libsodium-encrypted secret file behind auth/vault.hpp. Depends on: mlc_common.
mlc_library(mlc_vault
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/sodium_vault.cpp
  DEPS mlc_common PkgConfig::SODIUM Boost::json)

mlc_test(mlc_vault_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/sodium_vault_test.cpp
  DEPS mlc_vault)
