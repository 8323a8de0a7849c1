# Console read/write (core/console.c, spec go-poll.md B50-B56, B74-B78) and
# the UTF-8/UTF-16 rules it takes from Go (core/utf.c).

# utf.c is plain C with no Win32 in it: the test compiles it directly.
iocpsim_add_cmocka_test(NAME test_utf
  SOURCES unit/test_utf.c ../core/utf.c)
target_include_directories(test_utf PRIVATE ${CMAKE_SOURCE_DIR}/core)

# test_console drives core_console_read/write through scripted hooks (the
# scripted hooks report errors through SetLastError/GetLastError).  Both
# tiers: the real API under Wine on mingw; natively fakewin, each case played
# inside simulated worlds once per seed (iocpsim_world_support).
if(WIN32)
  set(IOCPSIM_CONSOLE_WORLD "")
else()
  set(IOCPSIM_CONSOLE_WORLD iocpsim_world_support)
endif()
iocpsim_add_cmocka_test(NAME test_console
  SOURCES unit/test_console.c unit/console_script.c
  LIBS iocpsim_core ${IOCPSIM_CONSOLE_WORLD})
# The same console through core_fd_read/core_fd_write on a "console" FD
# (fd_windows.c): fd.l, EOF, maxRW pieces, Close.  Its own executable, so
# that test_console links console.c alone.
iocpsim_add_cmocka_test(NAME test_console_fd
  SOURCES unit/test_console_fd.c unit/console_script.c
  LIBS iocpsim_core ${IOCPSIM_CONSOLE_WORLD})
