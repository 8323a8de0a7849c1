# Build helpers shared by every directory.

# Warnings are errors on both tiers (STYLE.md rule 7).  IOCPSIM_WERROR=OFF
# only for builds by a compiler the project does not pin (ClusterFuzzLite's
# clang, .clusterfuzzlite/build.sh), where a new warning must not stop fuzzing.
option(IOCPSIM_WERROR "Treat warnings as errors" ON)
function(iocpsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(IOCPSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# cmocka: the system's libcmocka-dev on Linux; on the mingw tier the static
# library that scripts/setup built from Debian's own cmocka source package.
macro(iocpsim_find_cmocka)
  if(WIN32)
    set(IOCPSIM_CMOCKA_PREFIX "${CMAKE_SOURCE_DIR}/.deps/mingw-cmocka" CACHE PATH
        "Prefix holding the mingw build of cmocka (made by scripts/setup)")
    find_path(CMOCKA_INCLUDE_DIR cmocka.h PATHS ${IOCPSIM_CMOCKA_PREFIX}/include
              NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
    find_library(CMOCKA_LIBRARY NAMES cmocka-static libcmocka-static.a cmocka
                 PATHS ${IOCPSIM_CMOCKA_PREFIX}/lib NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
  else()
    find_path(CMOCKA_INCLUDE_DIR cmocka.h)
    find_library(CMOCKA_LIBRARY NAMES cmocka)
  endif()
  if(NOT CMOCKA_INCLUDE_DIR OR NOT CMOCKA_LIBRARY)
    message(FATAL_ERROR "cmocka not found (run scripts/setup first)")
  endif()
  add_library(cmocka::cmocka UNKNOWN IMPORTED)
  set_target_properties(cmocka::cmocka PROPERTIES
    IMPORTED_LOCATION ${CMOCKA_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${CMOCKA_INCLUDE_DIR})
  if(WIN32)
    # The static cmocka must not be declared dllimport.
    set_property(TARGET cmocka::cmocka PROPERTY INTERFACE_COMPILE_DEFINITIONS CMOCKA_STATIC)
  endif()
endmacro()

# Properties every ctest test gets: a timeout always, and on the Wine tier
# the prefix fixture.
function(iocpsim_test_properties test timeout)
  set_tests_properties(${test} PROPERTIES TIMEOUT ${timeout})
  if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    set_tests_properties(${test} PROPERTIES FIXTURES_REQUIRED wineprefix
      ENVIRONMENT "WINEPREFIX=${IOCPSIM_WINEPREFIX};WINEDEBUG=-all")
  endif()
endfunction()

# iocpsim_add_cmocka_test(NAME n SOURCES s... [LIBS l...] [TIMEOUT sec] [LABELS ...])
# Builds one executable and registers one ctest test per cmocka case, named
# n.<case>.  Cases are read from the cmocka_unit_test*(case...) entries of the
# sources; the executable runs exactly the case named by argv[1] and fails if
# no such case exists (see tests/support/iocpsim_test.h).
function(iocpsim_add_cmocka_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    if(CMAKE_CROSSCOMPILING)
      set(T_TIMEOUT 120)
    else()
      set(T_TIMEOUT 60)
    endif()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  iocpsim_warnings(${T_NAME})
  target_link_libraries(${T_NAME} PRIVATE iocpsim_test_support ${T_LIBS})
  set(cases "")
  foreach(src ${T_SOURCES})
    file(READ ${CMAKE_CURRENT_SOURCE_DIR}/${src} text)
    string(REGEX MATCHALL "cmocka_unit_test[a-z_]*\\([ \t\r\n]*[A-Za-z0-9_]+" hits "${text}")
    foreach(h ${hits})
      string(REGEX REPLACE "^.*\\([ \t\r\n]*" "" c "${h}")
      list(APPEND cases ${c})
    endforeach()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
  endforeach()
  if(NOT cases)
    message(FATAL_ERROR "${T_NAME}: no cmocka_unit_test entries found")
  endif()
  list(REMOVE_DUPLICATES cases)
  foreach(c ${cases})
    add_test(NAME ${T_NAME}.${c} COMMAND ${T_NAME} ${c})
    iocpsim_test_properties(${T_NAME}.${c} ${T_TIMEOUT})
    # iocpsim_skip: the case ran and was skipped (tests/support/iocpsim_test.h).
    set_tests_properties(${T_NAME}.${c} PROPERTIES SKIP_RETURN_CODE 77)
    if(T_LABELS)
      set_tests_properties(${T_NAME}.${c} PROPERTIES LABELS "${T_LABELS}")
    endif()
  endforeach()
endfunction()

# iocpsim_add_win32_program(NAME n SOURCES s... [LIBS l...])
# Builds an ordinary Win32 console program, unmodified, for the tier being
# configured (DESIGN.md section 1 and 6):
#   mingw  - an .exe against the real headers and ws2_32/mswsock (wmain gets
#            -municode), run on Windows or under Wine;
#   native - against fakewin: main (or wmain) is renamed and runs as the main
#            thread of one fake world (fakewin/program/fw_program_main.c: the
#            seed, personality, fault plan, network, console and trace come
#            from IOCPSIM_* variables or --iocpsim-NAME=VALUE options; the exit
#            status is the world's verdict, else the ExitProcess code or what
#            main returned).  -fshort-wchar makes L"..." UTF-16 as on Windows,
#            so glibc's wcs* functions (32-bit units) are replaced, with the
#            printf family (msvcrt's LLP64 rules), by fakewin/fw_crt.h.
# Both compile in the compiler's default C mode (gnu17 for gcc 12), as a
# user's own build would; no warning flags are imposed.
function(iocpsim_add_win32_program)
  cmake_parse_arguments(P "" "NAME" "SOURCES;LIBS" ${ARGN})
  if(NOT P_NAME OR NOT P_SOURCES)
    message(FATAL_ERROR "iocpsim_add_win32_program: NAME and SOURCES are required")
  endif()
  add_executable(${P_NAME} ${P_SOURCES})
  set_target_properties(${P_NAME} PROPERTIES C_STANDARD 17 C_EXTENSIONS ON)
  set(uses_wmain FALSE)
  foreach(src ${P_SOURCES})
    if(IS_ABSOLUTE ${src})
      set(path ${src})
    else()
      set(path ${CMAKE_CURRENT_SOURCE_DIR}/${src})
    endif()
    file(READ ${path} text)
    if(text MATCHES "(^|[^A-Za-z0-9_])wmain[ \t]*\\(")
      set(uses_wmain TRUE)
    endif()
  endforeach()
  if(WIN32)
    target_link_libraries(${P_NAME} PRIVATE ${P_LIBS} mswsock ws2_32)
    if(uses_wmain)
      target_compile_options(${P_NAME} PRIVATE -municode)
      target_link_options(${P_NAME} PRIVATE -municode)
    endif()
  else()
    target_compile_definitions(${P_NAME} PRIVATE FW_WIN32_PROGRAM main=iocpsim_program_main
                                                 wmain=iocpsim_program_wmain)
    target_compile_options(${P_NAME} PRIVATE -fshort-wchar)
    target_link_libraries(${P_NAME} PRIVATE ${P_LIBS} fakewin_program)
  endif()
endfunction()
