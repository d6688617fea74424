# Installing mlc (`cmake --install`) and its Debian package (`cpack -G DEB`, from a Release build).
# Installs: bin/mlc, the systemd unit and sysusers.d entry (lib/), /etc/mlc/mlc.yaml (the commented
# example with its state under /var/lib/mlc), the man page mlc(1) written at build time from the
# binary's own --help (cmake/man_page.cmake) and the README and example configs (share/doc/mlc).
# The unit and the package assume the /usr layout (ExecStart=/usr/bin/mlc): the .deb is always
# /usr, whatever CMAKE_INSTALL_PREFIX the build was configured with.
include(GNUInstallDirs)

install(TARGETS mlc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The man page, rewritten whenever the binary changes.
set(_mlc_man ${CMAKE_BINARY_DIR}/packaging/mlc.1.gz)
add_custom_command(OUTPUT ${_mlc_man}
  COMMAND ${CMAKE_COMMAND} -DMLC=$<TARGET_FILE:mlc> -DOUT=${_mlc_man} -DVERSION=${PROJECT_VERSION}
          -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  DEPENDS mlc ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
  COMMENT "Writing the mlc(1) man page from mlc --help")
add_custom_target(mlc_man ALL DEPENDS ${_mlc_man})
install(FILES ${_mlc_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# /etc/mlc/mlc.yaml: examples/mlc.yaml with its state database in the service's StateDirectory.
file(READ ${PROJECT_SOURCE_DIR}/examples/mlc.yaml _mlc_yaml)
foreach(_pair "./mlc-state.db|/var/lib/mlc/mlc-state.db"
              "-c examples/mlc.yaml|-c /etc/mlc/mlc.yaml"
              "(`mlc secret set NAME` stores one)|(`sudo -u mlc mlc --data-dir /var/lib/mlc secret set NAME` stores one)")
  string(REPLACE "|" ";" _pair "${_pair}")
  list(GET _pair 0 _from)
  list(GET _pair 1 _to)
  string(FIND "${_mlc_yaml}" "${_from}" _at)
  if(_at EQUAL -1)
    message(FATAL_ERROR "examples/mlc.yaml no longer contains '${_from}': update cmake/packaging.cmake")
  endif()
  string(REPLACE "${_from}" "${_to}" _mlc_yaml "${_mlc_yaml}")
endforeach()
file(WRITE ${CMAKE_BINARY_DIR}/packaging/mlc.yaml.new "${_mlc_yaml}")
file(COPY_FILE ${CMAKE_BINARY_DIR}/packaging/mlc.yaml.new ${CMAKE_BINARY_DIR}/packaging/mlc.yaml
     ONLY_IF_DIFFERENT)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/mlc.yaml)
install(FILES ${CMAKE_BINARY_DIR}/packaging/mlc.yaml DESTINATION /etc/mlc)

install(FILES ${PROJECT_SOURCE_DIR}/packaging/mlc.service DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/mlc.sysusers DESTINATION lib/sysusers.d RENAME mlc.conf)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mlc)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/mlc/examples)

# cpack -G DEB: package mlc, dependencies from dpkg-shlibdeps (dpkg-dev), user and state directory
# made by the maintainer scripts, /etc/mlc/mlc.yaml a conffile.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mlc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "ml-connector maintainers <mlc@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "ml-connector: moves orders, shipments, parts and money between ERPs and commerce/shipping systems")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # mlc_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | adduser")  # systemd-sysusers, else adduser (postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/postinst ${PROJECT_SOURCE_DIR}/packaging/prerm
    ${PROJECT_SOURCE_DIR}/packaging/postrm ${PROJECT_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
