# core/core_net.c: Go's net and os layer around the FD (docs/core-net.md).
# Both tiers, as the FD suites: on mingw the real API under Wine; natively
# every case plays inside fake worlds over IOCPSIM_SEEDS seeds.
if(WIN32)
  set(IOCPSIM_NET_WORLD "")
else()
  set(IOCPSIM_NET_WORLD iocpsim_world_support)
endif()

iocpsim_add_cmocka_test(NAME test_core_net
  SOURCES unit/test_core_net.c unit/test_fd_util.c LIBS iocpsim_core ${IOCPSIM_NET_WORLD})

# The same layer where only the fake world can take it (fault plan, traces,
# handle counts): test_core_forced.c's runner, native tier only.
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_core_net_forced
    SOURCES unit/test_core_net_forced.c unit/test_core_forced.c
    LIBS iocpsim_core iocpsim_sim fakewin TIMEOUT 300)
endif()
