# pillarbox_embed_sql(OUT VAR DIR): compiles every DIR/NNNN_name.sql into a
# generated C++ source defining `VAR`, a list of {number, name, text} sorted by
# file name, so migrations ship inside the binary. Re-runs when a file is added,
# removed or edited. SQL text is copied verbatim (no @VAR@/${VAR} expansion).
function(pillarbox_embed_sql out var dir)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT files)
  set(body "")
  foreach(f IN LISTS files)
    # GLOB CONFIGURE_DEPENDS notices only added/removed files; edits need this.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
    get_filename_component(base ${f} NAME_WLE)
    string(REGEX MATCH "^([0-9]+)_([A-Za-z0-9_-]+)$" ok "${base}")
    if(NOT ok)
      message(FATAL_ERROR "${f}: migration file names read NNNN_name.sql (name: letters, digits, _ or -)")
    endif()
    set(name ${CMAKE_MATCH_2})
    # A leading zero would make the C++ literal octal: 0010 must become 10.
    string(REGEX REPLACE "^0+([0-9])" "\\1" number ${CMAKE_MATCH_1})
    file(READ ${f} text)
    string(FIND "${text}" ")pbsql\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "${f}: contains the raw-string terminator )pbsql\"")
    endif()
    string(APPEND body "  {${number}, \"${name}\", R\"pbsql(${text})pbsql\"},\n")
  endforeach()
  # file(WRITE) then a copy-if-different keeps the timestamp (and the build)
  # unchanged when nothing changed; file(CONFIGURE) would expand ${} and @@.
  file(WRITE ${out}.tmp
"// Generated from ${dir} by cmake/PillarboxEmbed.cmake; do not edit.
#include \"libcore/db/migration.hpp\"
namespace pillarbox::db {
const std::vector<Migration> ${var} = {
${body}};
}  // namespace pillarbox::db
")
  configure_file(${out}.tmp ${out} COPYONLY)
endfunction()
