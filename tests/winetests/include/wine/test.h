/* wine/test.h for iocpsim's harness (tests/winetests/README.md): the API Wine's
 * conformance tests are written against, re-implemented to count checks in a
 * fake world.  Written here from the macro names the tests use; nothing of
 * Wine's own header is copied.
 *
 * Every check reports its site (the test file's own file:line) on stdout as
 * one line (wt_harness.c), so a world that ends early loses nothing already
 * counted.  The platform is the world's personality: `windows` makes
 * todo_wine inactive and broken(x) true when x is (as on Windows); `wine8`
 * makes todo_wine active and broken(x) false (as Wine judges itself). */
#ifndef WT_WINE_TEST_H
#define WT_WINE_TEST_H

#include <stdarg.h>
#include <stdlib.h>
#include <windows.h>

#ifndef INVALID_FILE_ATTRIBUTES
#define INVALID_FILE_ATTRIBUTES (~0u)
#endif
#ifndef INVALID_SET_FILE_POINTER
#define INVALID_SET_FILE_POINTER (~0u)
#endif

extern int winetest_debug;
extern int winetest_interactive;
extern const char *winetest_platform;

void winetest_set_location(const char *file, int line);
void winetest_ok(int condition, const char *msg, ...);
void winetest_skip(const char *msg, ...);
void winetest_win_skip(const char *msg, ...);
void winetest_trace(const char *msg, ...);
void winetest_start_todo(int is_todo);
int winetest_loop_todo(void);
void winetest_end_todo(void);
void winetest_start_flaky(int is_flaky);
int winetest_loop_flaky(void);
void winetest_end_flaky(void);
void winetest_push_context(const char *fmt, ...);
void winetest_pop_context(void);
int winetest_get_mainargs(char ***pargv);
void winetest_wait_child_process(HANDLE process);
LONG winetest_get_failures(void);
void winetest_add_failures(LONG new_failures);
int broken(int condition);

/* Wine's debug-string helpers (rotating static buffers). */
const char *wine_dbgstr_an(const char *s, int n);
const char *wine_dbgstr_wn(const WCHAR *s, int n);
const char *wine_dbgstr_guid(const GUID *id);
const char *wine_dbgstr_longlong(ULONGLONG ll);
#define wine_dbgstr_a(s) wine_dbgstr_an(s, -1)
#define wine_dbgstr_w(s) wine_dbgstr_wn(s, -1)
#define debugstr_a(s) wine_dbgstr_an(s, -1)
#define debugstr_an(s, n) wine_dbgstr_an(s, n)
#define debugstr_w(s) wine_dbgstr_wn(s, -1)
#define debugstr_wn(s, n) wine_dbgstr_wn(s, n)
#define debugstr_guid(g) wine_dbgstr_guid(g)

#define ok_(file, line) (winetest_set_location(file, line), 0) ? (void)0 : winetest_ok
#define skip_(file, line) (winetest_set_location(file, line), 0) ? (void)0 : winetest_skip
#define win_skip_(file, line) (winetest_set_location(file, line), 0) ? (void)0 : winetest_win_skip
#define trace_(file, line) (winetest_set_location(file, line), 0) ? (void)0 : winetest_trace
#define wait_child_process_(file, line) \
  (winetest_set_location(file, line), 0) ? (void)0 : winetest_wait_child_process

#define ok ok_(__FILE__, __LINE__)
#define skip skip_(__FILE__, __LINE__)
#define win_skip win_skip_(__FILE__, __LINE__)
#define trace trace_(__FILE__, __LINE__)
#define wait_child_process wait_child_process_(__FILE__, __LINE__)

#define todo_if(is_todo) \
  for (winetest_start_todo(is_todo); winetest_loop_todo(); winetest_end_todo())
#define todo_wine todo_if(!strcmp(winetest_platform, "wine"))
#define todo_wine_if(is_todo) todo_if((is_todo) && !strcmp(winetest_platform, "wine"))
#define flaky_if(is_flaky) \
  for (winetest_start_flaky(is_flaky); winetest_loop_flaky(); winetest_end_flaky())
#define flaky flaky_if(TRUE)
#define flaky_wine flaky_if(!strcmp(winetest_platform, "wine"))
#define flaky_wine_if(is_flaky) flaky_if((is_flaky) && !strcmp(winetest_platform, "wine"))

/* The test file's entry point; the harness runs its functions one at a time
 * instead (wt_main.c), so START_TEST's body is compiled but not called. */
#define START_TEST(name) void func_##name(void)

#endif
