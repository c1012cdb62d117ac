# Compiler options shared by every Pillarbox target: pillarbox_target(NAME)
# turns on the project's warnings (fatal with PILLARBOX_WERROR) and sanitizers.
add_library(pillarbox_options INTERFACE)
target_compile_options(pillarbox_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast -Wnon-virtual-dtor -Wformat=2)
if(PILLARBOX_WERROR)
  target_compile_options(pillarbox_options INTERFACE -Werror)
endif()
if(PILLARBOX_FUZZ)
  # The code under test needs libFuzzer's coverage and the sanitizers too, not
  # only the fuzz targets' own files.
  target_compile_options(pillarbox_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-omit-frame-pointer)
  target_link_options(pillarbox_options INTERFACE -fsanitize=address,undefined)
endif()
if(PILLARBOX_ASAN)
  target_compile_options(pillarbox_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(pillarbox_options INTERFACE -fsanitize=address,undefined)
endif()

function(pillarbox_target name)
  target_link_libraries(${name} PRIVATE pillarbox_options)
endfunction()

# pillarbox_library(NAME ALIAS SOURCES...): a static library for one area,
# includable as "area/file.hpp" from the repository root.
function(pillarbox_library name alias)
  add_library(${name} STATIC ${ARGN})
  add_library(pillarbox::${alias} ALIAS ${name})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  pillarbox_target(${name})
endfunction()

# pillarbox_test(NAME LABEL SOURCES... LIBS ...): one Catch2 executable per
# area, every case registered with ctest under LABEL.
function(pillarbox_test name label)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE Catch2::Catch2WithMain ${T_LIBS})
  pillarbox_target(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  catch_discover_tests(${name} TEST_PREFIX "${label}." PROPERTIES LABELS ${label}
    DISCOVERY_TIMEOUT 30)
endfunction()
