# Winsock events and the process heap: on both tiers, so the fake's answers
# are checked against Wine's.  Natively each case runs in simulated worlds
# over seeds (support/iocpsim_world.c).
if(WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_wsa_events
    SOURCES unit/test_fw_wsa_events.c LIBS ws2_32)
else()
  iocpsim_add_cmocka_test(NAME test_fw_wsa_events
    SOURCES unit/test_fw_wsa_events.c LIBS iocpsim_world_support fakewin iocpsim_sim)
endif()

# fakewin/include/README.md lists every declared function fakewin does not
# define yet; this keeps the list true in both directions.
if(NOT WIN32 AND TARGET fakewin)
  add_test(NAME fakewin.declared_vs_defined
    COMMAND sh ${CMAKE_SOURCE_DIR}/tests/conformance/check_declared.sh
            ${CMAKE_SOURCE_DIR} $<TARGET_FILE:fakewin> $<TARGET_FILE:fakewin_program>)
  iocpsim_test_properties(fakewin.declared_vs_defined 60)
endif()

# select, WSAPoll, WSAEventSelect, the resolver, FormatMessage, ntdll's
# exports and GetModuleFileName (native; differential probes compare them
# with Wine in tests/conformance).
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_poll_resolve
    SOURCES unit/test_fw_poll_resolve.c LIBS iocpsim_world_support fakewin iocpsim_sim)
endif()
