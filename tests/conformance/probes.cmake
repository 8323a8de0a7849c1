# Differential probes: small ordinary Win32 console programs (probes/*.c),
# each built through iocpsim_add_win32_program.  Their Wine 8.0 output is
# checked in (wine/<probe>.out, recorded by scripts/probe-record from the
# mingw build); conformance.probe.<name> runs the probe - natively in a fake
# world with the wine8 personality, on the mingw tier under Wine - and
# probe_diff.sh compares its output with the recorded one, line by line,
# allowing only the differences listed in known-differences.txt.
file(GLOB IOCPSIM_PROBES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/probes/*.c)
foreach(src ${IOCPSIM_PROBES})
  get_filename_component(name ${src} NAME_WE)
  iocpsim_add_win32_program(NAME probe_${name} SOURCES ${src})
  set(side fake)
  if(WIN32)
    set(side wine)
  endif()
  add_test(NAME conformance.probe.${name}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/probe_diff.sh ${side} ${name}
                   ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/probe-out
                   ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:probe_${name}>)
  iocpsim_test_properties(conformance.probe.${name} 120)
endforeach()
