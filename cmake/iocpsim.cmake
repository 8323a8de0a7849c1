# Build helpers shared by every directory.

# Warnings are errors on both tiers (STYLE.md rule 7).
function(iocpsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
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
