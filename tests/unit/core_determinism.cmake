# The core in the fake world is a pure function of the seed: a core workload
# run twice with one seed writes byte-identical traces; different seeds give
# different interleavings (DESIGN.md §3).  Native tier only (it runs its own
# worlds with sim_run, so it does not link iocpsim_world_support).
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_core_determinism
    SOURCES unit/test_core_determinism.c unit/test_core_determinism_load.c
    LIBS iocpsim_core iocpsim_sim fakewin)
endif()
