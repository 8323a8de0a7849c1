# The foundation's own test: proves cmocka runs on both tiers (natively
# against fakewin, and as a Windows .exe under Wine).
iocpsim_add_cmocka_test(NAME test_errors
  SOURCES unit/test_errors.c
  LIBS iocpsim_core)
