/* wt_harness.c: the implementation of the harness's wine/test.h and the main
 * of a test program (tests/winetests/README.md).  Built into every test
 * program through iocpsim_add_win32_program, so it runs inside the fake
 * world, on the threads of the test itself.
 *
 * Output protocol (one line each, on stdout, read by wt_run.py):
 *   B <entry>                 the entry (a selected test function) starts
 *   P <file>:<line>           a check passed
 *   F <file>:<line> <message> a check failed (the message as the test wrote it)
 *   T <file>:<line>           a check inside an active todo_wine failed, as expected
 *   S <file>:<line>           skip / win_skip
 *   N <api> <file>:<line>     a stub was called: the rest of the entry is not run
 *   E <entry>                 the entry returned
 * A todo_wine check that passes (only with the wine8 personality) is an F,
 * as Wine counts it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wine/test.h"
#include "wt_harness.h"

int winetest_debug = 0;
int winetest_interactive = 0;
const char *winetest_platform = "windows";

/* Per-thread state: the location set by the macro, the todo and context
 * stacks.  Threads are told apart by their id (the fake world's threads
 * are fibers of one process thread, so no locking is needed). */
#define WT_MAX_THREADS 128
#define WT_MAX_CONTEXT 8
typedef struct {
  DWORD tid;
  const char *file;
  int line;
  int todo_level; /* bit per nesting level: is that level's todo active */
  int todo_do_loop;
  int n_context;
  char context[WT_MAX_CONTEXT][128];
} wt_thread_t;

static wt_thread_t threads[WT_MAX_THREADS];
static int n_threads;

static wt_thread_t *self(void) {
  DWORD tid = GetCurrentThreadId();
  for (int i = 0; i < n_threads; i++)
    if (threads[i].tid == tid) return &threads[i];
  if (n_threads == WT_MAX_THREADS) {
    printf("X harness: more than %d threads\n", WT_MAX_THREADS);
    fflush(stdout);
    ExitProcess(70);
  }
  wt_thread_t *t = &threads[n_threads++];
  memset(t, 0, sizeof *t);
  t->tid = tid;
  t->file = "?";
  return t;
}

static const char *base(const char *file) {
  const char *s = strrchr(file, '/');
  return s ? s + 1 : file;
}

void winetest_set_location(const char *file, int line) {
  wt_thread_t *t = self();
  t->file = base(file);
  t->line = line;
}

static int is_wine(void) {
  return strcmp(winetest_platform, "wine") == 0;
}

int broken(int condition) {
  return !is_wine() && condition;
}

/* One line per check; the message has its newlines folded so the line stays one. */
static void report(char kind, wt_thread_t *t, const char *msg, va_list ap) {
  char text[512] = "";
  if (msg != NULL) vsnprintf(text, sizeof text, msg, ap);
  for (char *p = text; *p; p++)
    if (*p == '\n' || *p == '\r') *p = ' ';
  char ctx[300] = "";
  for (int i = 0; i < t->n_context; i++) {
    size_t n = strlen(ctx);
    snprintf(ctx + n, sizeof ctx - n, "%s: ", t->context[i]);
  }
  if (kind == 'F')
    printf("F %s:%d %s%s\n", t->file, t->line, ctx, text);
  else
    printf("%c %s:%d\n", kind, t->file, t->line);
  fflush(stdout);
}

void winetest_ok(int condition, const char *msg, ...) {
  wt_thread_t *t = self();
  va_list ap;
  va_start(ap, msg);
  if (t->todo_level & 1) {
    if (condition) {
      /* Wine's rule: a check inside an active todo that succeeds is a failure. */
      report('F', t, "Test succeeded inside todo block", ap);
    } else {
      report('T', t, NULL, ap);
    }
  } else {
    report(condition ? 'P' : 'F', t, msg, ap);
  }
  va_end(ap);
}

void winetest_skip(const char *msg, ...) {
  va_list ap;
  va_start(ap, msg);
  report('S', self(), NULL, ap);
  va_end(ap);
}

void winetest_win_skip(const char *msg, ...) {
  va_list ap;
  va_start(ap, msg);
  report('S', self(), NULL, ap);
  va_end(ap);
}

void winetest_trace(const char *msg, ...) {
  (void)msg;
}

/* todo_if(x) is a for loop that runs its body once: start pushes x, loop
 * returns 1 the first time and 0 the second, end pops. */
void winetest_start_todo(int is_todo) {
  wt_thread_t *t = self();
  t->todo_level = (t->todo_level << 1) | (is_todo != 0);
  t->todo_do_loop = 1;
}

int winetest_loop_todo(void) {
  wt_thread_t *t = self();
  int r = t->todo_do_loop;
  t->todo_do_loop = 0;
  return r;
}

void winetest_end_todo(void) {
  wt_thread_t *t = self();
  t->todo_level >>= 1;
}

static int flaky_loop;
void winetest_start_flaky(int is_flaky) {
  (void)is_flaky;
  flaky_loop = 1;
}
int winetest_loop_flaky(void) {
  int r = flaky_loop;
  flaky_loop = 0;
  return r;
}
void winetest_end_flaky(void) {}

void winetest_push_context(const char *fmt, ...) {
  wt_thread_t *t = self();
  va_list ap;
  va_start(ap, fmt);
  if (t->n_context < WT_MAX_CONTEXT)
    vsnprintf(t->context[t->n_context], sizeof t->context[0], fmt, ap);
  t->n_context++;
  va_end(ap);
}

void winetest_pop_context(void) {
  wt_thread_t *t = self();
  if (t->n_context > 0) t->n_context--;
}

static int main_argc;
static char **main_argv;
int winetest_get_mainargs(char ***pargv) {
  *pargv = main_argv;
  return main_argc;
}

void winetest_wait_child_process(HANDLE process) {
  (void)process;
  wt_not_run("winetest_wait_child_process");
}

static LONG failures;
LONG winetest_get_failures(void) {
  return failures;
}
void winetest_add_failures(LONG n) {
  failures += n;
}

/* ---- debug strings ------------------------------------------------------------ */

static char dbg_buf[16][512];
static int dbg_next;

static char *dbg_slot(void) {
  char *b = dbg_buf[dbg_next];
  dbg_next = (dbg_next + 1) % 16;
  return b;
}

static void dbg_char(char **p, char *end, unsigned c) {
  if (*p + 8 >= end) return;
  if (c == '\n')
    *p += sprintf(*p, "\\n");
  else if (c == '\r')
    *p += sprintf(*p, "\\r");
  else if (c == '\t')
    *p += sprintf(*p, "\\t");
  else if (c == '"' || c == '\\')
    *p += sprintf(*p, "\\%c", (char)c);
  else if (c >= 0x20 && c < 0x7f)
    *(*p)++ = (char)c;
  else
    *p += sprintf(*p, c < 0x100 ? "\\x%02x" : "\\x%04x", c);
}

const char *wine_dbgstr_an(const char *s, int n) {
  if (s == NULL) return "(null)";
  char *b = dbg_slot(), *p = b, *end = b + sizeof dbg_buf[0];
  *p++ = '"';
  for (int i = 0; n < 0 ? s[i] != 0 : i < n; i++) dbg_char(&p, end - 2, (unsigned char)s[i]);
  *p++ = '"';
  *p = 0;
  return b;
}

const char *wine_dbgstr_wn(const WCHAR *s, int n) {
  if (s == NULL) return "(null)";
  char *b = dbg_slot(), *p = b, *end = b + sizeof dbg_buf[0];
  *p++ = 'L';
  *p++ = '"';
  for (int i = 0; n < 0 ? s[i] != 0 : i < n; i++) dbg_char(&p, end - 2, s[i]);
  *p++ = '"';
  *p = 0;
  return b;
}

const char *wine_dbgstr_guid(const GUID *id) {
  if (id == NULL) return "(null)";
  char *b = dbg_slot();
  snprintf(b, sizeof dbg_buf[0], "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
           (unsigned)id->Data1, id->Data2, id->Data3, id->Data4[0], id->Data4[1], id->Data4[2],
           id->Data4[3], id->Data4[4], id->Data4[5], id->Data4[6], id->Data4[7]);
  return b;
}

const char *wine_dbgstr_longlong(ULONGLONG ll) {
  char *b = dbg_slot();
  snprintf(b, sizeof dbg_buf[0], "%llx", (unsigned long long)ll);
  return b;
}

/* ---- stubs and the main ---------------------------------------------------------- */

void wt_not_run(const char *api) {
  wt_thread_t *t = self();
  printf("N %s %s:%d\n", api, t->file, t->line);
  fflush(stdout);
  ExitProcess(0);
}

int wt_main(int argc, char **argv, const wt_entry_t *entries, size_t n) {
  main_argc = argc;
  main_argv = argv;
  const char *pers = getenv("IOCPSIM_PERSONALITY");
  winetest_platform = pers != NULL && strcmp(pers, "wine8") == 0 ? "wine" : "windows";
  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; i < n; i++) printf("%s\n", entries[i].name);
    return 0;
  }
  if (argc != 2) {
    fprintf(stderr, "usage: %s ENTRY | --list\n", argv[0]);
    return 64;
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(entries[i].name, argv[1]) != 0) continue;
    printf("B %s\n", entries[i].name);
    fflush(stdout);
    entries[i].run();
    printf("E %s\n", entries[i].name);
    fflush(stdout);
    ExitProcess(0);
  }
  fprintf(stderr, "%s: no entry %s\n", argv[0], argv[1]);
  return 64;
}
