# The loaded modules (fakewin/src/fw_module.c): GetModuleHandle, LoadLibrary,
# FreeLibrary, GetProcAddress.  test_fw_module runs on both tiers (the real
# loader under Wine on mingw, the fake world natively, once per seed);
# test_fw_module_world holds what only the fake world has (the wine8
# personality's ntdll export, the GetProcAddress fault site).
if(WIN32)
  iocpsim_add_cmocka_test(NAME test_fw_module SOURCES unit/test_fw_module.c)
else()
  iocpsim_add_cmocka_test(NAME test_fw_module
    SOURCES unit/test_fw_module.c
    LIBS iocpsim_world_support fakewin iocpsim_sim)
  iocpsim_add_cmocka_test(NAME test_fw_module_world
    SOURCES unit/test_fw_module_world.c
    LIBS iocpsim_world_support fakewin iocpsim_sim)
endif()
