# sim/ engine and fakewin kernel objects (native tier only: the fake world
# does not exist on the real API).
if(NOT WIN32)
  iocpsim_add_cmocka_test(NAME test_sim_engine
    SOURCES unit/test_sim_engine.c
    LIBS iocpsim_sim)
endif()
