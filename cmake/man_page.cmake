# Writes the mlc(1) man page from the built binary's own help: `mlc --help`, then `mlc CMD --help`
# for each command it lists and `mlc CMD SUB --help` for each of their subcommands. Nothing is
# written by hand but the NAME line, so the page says what the binary says.
# cmake -DMLC=<path to mlc> -DOUT=<mlc.1[.gz]> -DVERSION=<x.y.z> -P man_page.cmake
if(NOT MLC OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DMLC=<mlc binary> -DOUT=<mlc.1> -DVERSION=<version> -P man_page.cmake")
endif()

function(mlc_help out)  # mlc_help(out word...): the help text of `mlc word... --help`
  execute_process(COMMAND ${MLC} ${ARGN} --help OUTPUT_VARIABLE text ERROR_VARIABLE err
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "mlc ${ARGN} --help failed (${rc}): ${err}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(mlc_subcommands out text)  # The names listed under "Subcommands:" (CLI11's layout).
  string(FIND "${text}" "\nSubcommands:\n" at)
  set(names)
  if(at GREATER -1)
    string(SUBSTRING "${text}" ${at} -1 tail)
    string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" found "${tail}")
    foreach(item IN LISTS found)
      string(STRIP "${item}" name)
      list(APPEND names ${name})
    endforeach()
  endif()
  set(${out} ${names} PARENT_SCOPE)
endfunction()

function(roff_escape out text)  # Preformatted text: backslashes, minus signs, leading dots.
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(section out title text)
  roff_escape(body "${text}")
  set(${out} ".SS \"${title}\"\n.nf\n${body}\n.fi\n" PARENT_SCOPE)
endfunction()

mlc_help(top)
string(TIMESTAMP today "%Y-%m-%d" UTC)  # SOURCE_DATE_EPOCH, when set, gives the date.
roff_escape(top_body "${top}")
string(CONCAT page ".TH MLC 1 \"${today}\" \"mlc ${VERSION}\" \"User Commands\"\n"
         ".SH NAME\nmlc \\- ml\\-connector, an integration engine between ERPs and commerce and shipping systems\n"
         ".SH SYNOPSIS\n.B mlc\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
         ".SH DESCRIPTION\n.nf\n${top_body}\n.fi\n"
         ".SH COMMANDS\n")
mlc_subcommands(commands "${top}")
foreach(cmd IN LISTS commands)
  mlc_help(text ${cmd})
  section(part "mlc ${cmd}" "${text}")
  string(APPEND page "${part}")
  mlc_subcommands(subs "${text}")
  foreach(sub IN LISTS subs)
    mlc_help(text ${cmd} ${sub})
    section(part "mlc ${cmd} ${sub}" "${text}")
    string(APPEND page "${part}")
  endforeach()
endforeach()
string(APPEND page ".SH FILES\n"
                   ".TP\n/etc/mlc/mlc.yaml\nThe service's configuration (the .deb's conffile).\n"
                   ".TP\n/var/lib/mlc\nThe service's state database, master key and vault.\n"
                   ".SH SEE ALSO\n\\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1); /usr/share/doc/mlc/README.md\n")
# OUT may end in .gz (Debian's man pages are compressed): the page is then gzipped.
if(OUT MATCHES "[.]gz$")
  string(REGEX REPLACE "[.]gz$" "" plain "${OUT}")
  file(WRITE "${plain}" "${page}")
  file(ARCHIVE_CREATE OUTPUT "${OUT}" PATHS "${plain}" FORMAT raw COMPRESSION GZip
       COMPRESSION_LEVEL 9 MTIME 0)
else()
  file(WRITE "${OUT}" "${page}")
endif()
