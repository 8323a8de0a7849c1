/* scn_real.c: plays scenarios on the real Win32 API (the mingw build; under
 * Wine 8.0 on the test machine).  See scn_real.h for the shape: the parent
 * (scn_run) decides what applies, starts one child process per scenario,
 * reads its verdict back and compares the golden history; the child
 * (scn_real_child) hosts the interpreter (scn_interp.c) on real threads.
 *
 * Compiled only for Windows: the native tier's benchmark globs every
 * sim/runner/scn_*.c and gets an empty unit from this file. */
#if defined(_WIN32)

#include "core.h"
#include "core_errors.h"

#include <fcntl.h>
#include <inttypes.h>
#include <io.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_interp.h"
#include "scn_real.h"
#include "scn_run.h"
#include "scn_verbs.h"

/* ---- what applies on the real API ------------------------------------------------ */

/* Real time a scenario may spend sleeping, after dilation, before it is
 * too slow to wait for (the whole library must play within CI's limit). */
#define REAL_MAX_SLEEP_NS (10ull * 1000000000ull)

/* Time dilation: a scenario's durations are virtual-time orders ("sleep
 * 1ms: after the reader has parked", a deadline of 5 ms against a reply at
 * 10 ms).  Real threads under Wine on a loaded machine need longer than a
 * millisecond to park, so every duration, relative deadline and `at` time
 * is multiplied by this factor on the real API; orders the scenario states
 * keep their sense with margins of tens of milliseconds. */
static unsigned g_dilation = 20;
void scn_real_set_dilation(unsigned k) {
  g_dilation = k ? k : 1;
}

typedef struct scan {
  const char *why; /* the first step that rules the scenario out */
  uint32_t line;
  int64_t sleep_ns; /* the longest any one thread sleeps in total */
} scan_t;

static int64_t block_sleep(const scn_block_t *b, scan_t *sc, int64_t mult) {
  int64_t total = 0;
  for (size_t i = 0; i < b->n; i++) {
    const scn_step_t *st = &b->steps[i];
    const char *why = NULL;
    if (st->verb < 0)
      why = "console input: Wine's console cannot be scripted";
    else if (st->verb == SCN_V_FAULT)
      why = "a fault rule: fakewin's fault plan has no counterpart on the real system";
    else if (st->verb == SCN_V_STDIN || st->verb == SCN_V_STDOUT || st->verb == SCN_V_STDERR)
      why =
          "the standard handles: on the real system they are the runner's own, and Wine's console "
          "cannot be scripted";
    if (why && !sc->why) {
      sc->why = why;
      sc->line = st->line;
    }
    if (st->verb == SCN_V_SLEEP || st->verb == SCN_V_UNTIL)
      total += st->args[0].i > 0 ? st->args[0].i * mult : 0;
    if (st->verb == SCN_V_REPEAT) total += block_sleep(&st->body, sc, mult * st->args[0].i);
  }
  return total;
}

/* ---- real-exceptions.txt: scenarios whose Windows results the real system
 * here does not give (a Wine deviation, a difference of the machine) ---- */

typedef struct exc {
  char path[MAX_PATH]; /* the scenario, as the file names it, relative to its folder */
  char when[16];       /* wine, windows or all */
  char why[400];
} exc_t;

typedef struct exc_file {
  char dir[MAX_PATH]; /* the folder holding real-exceptions.txt, with a trailing separator */
  exc_t *e;
  size_t n;
} exc_file_t;

static exc_file_t g_exc[8];
static size_t g_n_exc;
static SRWLOCK g_exc_lock = SRWLOCK_INIT;

static void load_exceptions(exc_file_t *x, const char *file) {
  FILE *f = fopen(file, "r");
  if (!f) return;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '#' || *p == '\n' || *p == '\r' || !*p) continue;
    exc_t e;
    memset(&e, 0, sizeof e);
    int used = 0;
    if (sscanf(p, "%259s %15s %n", e.path, e.when, &used) < 2) continue;
    snprintf(e.why, sizeof e.why, "%s", p + used);
    size_t n = strlen(e.why);
    while (n && (e.why[n - 1] == '\n' || e.why[n - 1] == '\r')) e.why[--n] = '\0';
    x->e = realloc(x->e, (x->n + 1) * sizeof *x->e);
    if (!x->e) exit(3);
    x->e[x->n++] = e;
  }
  fclose(f);
}

static bool same_path(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char ca = *a == '\\' ? '/' : *a, cb = *b == '\\' ? '/' : *b;
    if (ca != cb) return false;
  }
  return *a == *b;
}

/* Looks for real-exceptions.txt in the scenario's folder and those above it. */
static bool exception_reason(const char *path, bool wine, char *buf, size_t len) {
  char dir[MAX_PATH];
  snprintf(dir, sizeof dir, "%s", path);
  for (;;) {
    char *cut = NULL;
    for (char *p = dir; *p; p++)
      if (*p == '/' || *p == '\\') cut = p;
    if (cut)
      cut[1] = '\0';
    else
      dir[0] = '\0';
    char file[MAX_PATH + 32];
    snprintf(file, sizeof file, "%sreal-exceptions.txt", dir);
    AcquireSRWLockExclusive(&g_exc_lock);
    exc_file_t *x = NULL;
    for (size_t i = 0; i < g_n_exc && !x; i++)
      if (strcmp(g_exc[i].dir, dir) == 0) x = &g_exc[i];
    if (!x && g_n_exc < sizeof g_exc / sizeof g_exc[0] &&
        GetFileAttributesA(file) != INVALID_FILE_ATTRIBUTES) {
      x = &g_exc[g_n_exc++];
      snprintf(x->dir, sizeof x->dir, "%s", dir);
      load_exceptions(x, file);
    }
    ReleaseSRWLockExclusive(&g_exc_lock);
    if (x) {
      const char *rel = path + strlen(dir);
      for (size_t i = 0; i < x->n; i++) {
        const exc_t *e = &x->e[i];
        bool applies = strcmp(e->when, "all") == 0 || (wine && strcmp(e->when, "wine") == 0) ||
                       (!wine && strcmp(e->when, "windows") == 0);
        if (applies && same_path(e->path, rel)) {
          snprintf(buf, len, "real-exceptions.txt: %s", e->why);
          return true;
        }
      }
      return false;
    }
    if (!cut) return false;
    cut[0] = '\0'; /* up one folder */
  }
}

bool scn_real_on_wine(void) {
  HMODULE nt = GetModuleHandleW(L"ntdll.dll");
  return nt != NULL && GetProcAddress(nt, "wine_get_version") != NULL;
}

bool scn_real_skip_reason(const scn_t *s, char *buf, size_t len) {
  scan_t sc = {0};
  block_sleep(&s->setup.body, &sc, 1);
  for (size_t i = 0; i < s->n_threads; i++) {
    const scn_thread_t *t = &s->threads[i];
    int64_t ns = block_sleep(&t->body, &sc, 1) + (t->is_at ? t->at_ns : 0);
    if (ns > sc.sleep_ns) sc.sleep_ns = ns;
  }
  if (sc.why) {
    snprintf(buf, len, "line %u: %s", sc.line, sc.why);
    return true;
  }
  for (size_t i = 0; i < s->n_system; i++) {
    if (strcmp(s->system[i].key, "maxrw") != 0) {
      snprintf(buf, len,
               "line %u: system settings configure the fake system; the real one is as it is "
               "(system %s=%s)",
               s->system[i].line, s->system[i].key, s->system[i].value ? s->system[i].value : "");
      return true;
    }
  }
  if (s->n_net > 0) {
    snprintf(
        buf, len,
        "line %u: net settings: the real loopback's buffers and latency cannot be set (net %s)",
        s->net[0].line, s->net[0].key);
    return true;
  }
  for (size_t i = 0; i < s->n_checks; i++) {
    if (s->checks[i].kind == SCN_C_CONSOLE) {
      snprintf(buf, len, "line %u: a console output check: Wine's console cannot be read back",
               s->checks[i].line);
      return true;
    }
    if (s->checks[i].kind == SCN_C_FAULT_FIRED) {
      snprintf(buf, len,
               "line %u: a fault-fired check: there are no fault rules on the real system",
               s->checks[i].line);
      return true;
    }
  }
  bool wine = scn_real_on_wine();
  if (exception_reason(s->path, wine, buf, len)) return true;
  /* `personality windows` does not skip under Wine: most such scenarios
   * state what Wine does as well, and those that meet a Wine deviation are
   * listed in real-exceptions.txt with their W item. */
  if (s->personality == 1 && !wine) {
    snprintf(buf, len,
             "personality wine8: the scenario states what Wine 8.0 does where Windows differs");
    return true;
  }
  if (sc.sleep_ns * (int64_t)g_dilation > (int64_t)REAL_MAX_SLEEP_NS) {
    snprintf(buf, len,
             "a thread sleeps %.1f s of virtual time (%.0f s dilated %ux): too long to wait for on "
             "the real clock",
             (double)sc.sleep_ns / 1e9, (double)sc.sleep_ns * g_dilation / 1e9, g_dilation);
    return true;
  }
  return false;
}

size_t scn_real_skipped_checks(const scn_t *s, char *buf, size_t len) {
  size_t trace = 0, n = 0, w = 0;
  for (size_t i = 0; i < s->n_checks; i++)
    if (s->checks[i].kind <= SCN_C_TRACE_ORDER) trace++;
  buf[0] = '\0';
  if (trace)
    w += (size_t)snprintf(buf + w, len - w, "%zu trace check%s", trace, trace > 1 ? "s" : "");
  n += trace;
  static const scn_invariant_t inv[] = {SCN_INV_HANDLES, SCN_INV_PENDING, SCN_INV_CLOSED};
  for (size_t i = 0; i < 3; i++) {
    if (s->inv_off[inv[i]]) continue;
    if (w < len)
      w += (size_t)snprintf(buf + w, len - w, "%s%s", w ? ", " : "", scn_invariant_name(inv[i]));
    n++;
  }
  return n;
}

/* The parser asks for fault rules' syntax.  Their full grammar is
 * fakewin's (docs/fakewin-io.md §6.1), which this build does not contain,
 * and a scenario with a fault rule is skipped here anyway: only the rule's
 * shape is checked, `SITE [key=value]... -> OUTCOME ...`.  The native
 * build's iocpsim checks the same files against the whole grammar. */
bool scn_check_fault_syntax(const char *rule, uint32_t *col, char *msg, size_t len) {
  const char *p = rule;
  while (*p == ' ' || *p == '\t') p++;
  const char *site = p;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
         *p == '_')
    p++;
  if (p == site) {
    *col = (uint32_t)(site - rule) + 1;
    snprintf(msg, len, "expected the name of a Win32 call or 'world' at the start of a fault rule");
    return false;
  }
  const char *arrow = strstr(p, "->");
  if (!arrow) {
    *col = (uint32_t)strlen(rule) + 1;
    snprintf(msg, len, "expected '-> OUTCOME' in the fault rule");
    return false;
  }
  const char *o = arrow + 2;
  while (*o == ' ' || *o == '\t') o++;
  if (!((*o >= 'a' && *o <= 'z') || (*o >= 'A' && *o <= 'Z'))) {
    *col = (uint32_t)(o - rule) + 1;
    snprintf(msg, len, "expected an outcome after '->'");
    return false;
  }
  return true;
}

/* ---- the child: the interpreter on real threads ----------------------------------- */

static CRITICAL_SECTION g_lock;
static scn_interp_t *g_in;
static LARGE_INTEGER g_freq;
static volatile LONG g_ending;
static char g_dir[MAX_PATH];
static __thread const char *g_thread_name;

/* The scenario's threads start together: each waits in scn_be_name_thread
 * (the first thing a scenario thread does) until all have been created, so
 * that a thread Wine is slow to start under load does not find the others
 * already past the point its `sleep 1ms` was meant to order it after.  At
 * the release the clock is set back by the setup's real time, so that `at`
 * times count from the moment the threads start, as in the fake world,
 * where the setup takes no virtual time. */
static size_t g_n_threads, g_arrived;
static HANDLE g_go;
static volatile LONGLONG g_t0_raw = -1, g_offset;

static uint64_t raw_now(void) {
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  return (uint64_t)((double)c.QuadPart * 1e9 / (double)g_freq.QuadPart);
}

uint64_t scn_be_now(void) {
  uint64_t t = raw_now();
  InterlockedCompareExchange64(&g_t0_raw, (LONGLONG)t,
                               -1); /* the interpreter's first reading is its t0 */
  return t - (uint64_t)g_offset;
}

void scn_be_lock(void) {
  EnterCriticalSection(&g_lock);
}
void scn_be_unlock(void) {
  LeaveCriticalSection(&g_lock);
}

/* Prints the verdict in sections; the lock keeps the history still while it
 * is formatted (hist_add takes it). */
static void emit(const char *status, const char *msg) {
  EnterCriticalSection(&g_lock);
  printf("@@status\n%s\n", status);
  if (msg) printf("@@message\n%s\n", msg);
  if (g_in) {
    char *h = scn_interp_history(g_in);
    char *t = scn_interp_timeline(g_in, 24);
    printf("@@history\n%s@@timeline\n%s", h ? h : "", t ? t : "");
    free(h);
    free(t);
  }
  printf("@@end\n");
  fflush(stdout);
  LeaveCriticalSection(&g_lock);
}

/* The first thread to end the run prints the verdict; any other that fails
 * meanwhile waits to be ended with the process. */
static void end_run(const char *status, const char *msg, UINT code) __attribute__((noreturn));
static void end_run(const char *status, const char *msg, UINT code) {
  if (InterlockedExchange(&g_ending, 1) != 0)
    for (;;) Sleep(INFINITE);
  emit(status, msg);
  ExitProcess(code);
}

void scn_be_fail(const char *msg) {
  end_run("expect", msg, 1);
}

bool scn_be_fault(const char *rule, char *err, size_t len) {
  (void)rule;
  snprintf(err, len,
           "fault rules do not apply on the real API (the scenario should have been skipped)");
  return false;
}

void scn_be_name_thread(const char *name) {
  g_thread_name = name;
  EnterCriticalSection(&g_lock);
  if (++g_arrived == g_n_threads) {
    g_offset = (LONGLONG)(raw_now() - (uint64_t)g_t0_raw);
    SetEvent(g_go);
  }
  LeaveCriticalSection(&g_lock);
  WaitForSingleObject(g_go, INFINITE);
}

/* The real tier keeps no trace: trace checks are left out (scn_real_skipped_checks). */
void scn_be_trace_step(int verb, uint32_t line, int phase, int64_t err, int64_t n) {
  (void)verb, (void)line, (void)phase, (void)err, (void)n;
}

/* handles-closed and no-pending-io are turned off for every real run
 * (scn_real_child): the real system lists neither a process's handles by
 * kind nor its pending OVERLAPPEDs through a documented call.  Reaching
 * these is a bug of this file. */
void scn_be_handle_snapshot(scn_handle_snap_t *snap) {
  snap->values = NULL;
  snap->n = 0;
}
size_t scn_be_leaked_handles(const scn_handle_snap_t *before, char *buf, size_t len) {
  (void)before, (void)buf, (void)len;
  end_run("crash", "internal: the handles-closed invariant was checked on the real API", 3);
}
uint32_t scn_be_pending_io(void) {
  end_run("crash", "internal: the no-pending-io invariant was checked on the real API", 3);
}

/* closed-on-return (B40) is turned off on the real API (scn_real_child):
 * the real API gives no object identity for a handle value, values are
 * reused as soon as they are closed, and Wine gives them to its own wait
 * objects whenever a thread blocks in a synchronous call, so a "still open"
 * reading could be another thread's new handle.  1 stands for "open" (the
 * same object as far as this tier can tell), 0 for closed. */
uint32_t scn_be_handle_serial(uint64_t value) {
  DWORD flags = 0;
  return GetHandleInformation((HANDLE)(uintptr_t)value, &flags) != 0 ? 1u : 0u;
}

/* Makes every directory above the file `path`. */
static void make_parents(const char *path) {
  char tmp[MAX_PATH];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + strlen(g_dir) + 1; *p; p++) {
    if (*p != '\\') continue;
    *p = '\0';
    CreateDirectoryA(tmp, NULL);
    *p = '\\';
  }
}

void scn_be_path(const char *path, bool pipe, char *out, size_t cap) {
  if (pipe) {
    /* a name of this process, so parallel runs never meet */
    snprintf(out, cap, "%s.iocpsim%lu", path, (unsigned long)GetCurrentProcessId());
    return;
  }
  /* C:\db\x.bin -> <run dir>\C\db\x.bin; a.txt -> <run dir>\a.txt */
  char rel[MAX_PATH];
  size_t k = 0;
  for (const char *p = path; *p && k + 1 < sizeof rel; p++) {
    if (p == path + 1 && *p == ':') continue;
    char c = *p == '/' ? '\\' : *p;
    if (k == 0 && c == '\\') continue;
    rel[k++] = c;
  }
  rel[k] = '\0';
  snprintf(out, cap, "%s\\%s", g_dir, rel);
  make_parents(out);
}

static void on_panic(const char *msg) {
  char m[600];
  snprintf(m, sizeof m, "panic: %s (thread %s)", msg, g_thread_name ? g_thread_name : "main");
  end_run("crash", m, 3);
}

static LONG WINAPI on_exception(EXCEPTION_POINTERS *ep) {
  char m[200];
  snprintf(m, sizeof m, "exception 0x%08lx at %p (thread %s)",
           (unsigned long)ep->ExceptionRecord->ExceptionCode, ep->ExceptionRecord->ExceptionAddress,
           g_thread_name ? g_thread_name : "main");
  end_run("crash", m, 3);
}

static void dilate(scn_block_t *b, int64_t k) {
  for (size_t i = 0; i < b->n; i++) {
    scn_step_t *st = &b->steps[i];
    for (uint32_t a = 0; a < st->n_args; a++) {
      scn_arg_t *x = &st->args[a];
      if (x->kind == SCN_A_DURATION || (x->kind == SCN_A_DEADLINE && x->dl == SCN_DL_REL))
        x->i *= k;
    }
    dilate(&st->body, k);
  }
}

static void run_dir(DWORD pid, char *out, size_t cap) {
  char tmp[MAX_PATH];
  DWORD n = GetTempPathA(sizeof tmp, tmp);
  if (n == 0 || n >= sizeof tmp) snprintf(tmp, sizeof tmp, ".\\");
  snprintf(out, cap, "%siocpsim-real-%lu", tmp, (unsigned long)pid);
}

void scn_real_child(const char *path, unsigned dilation) {
  InitializeCriticalSection(&g_lock);
  QueryPerformanceFrequency(&g_freq);
  _setmode(_fileno(stdout), _O_BINARY);
  SetUnhandledExceptionFilter(on_exception);
  core_set_panic_hook(on_panic);
  scn_error_t err;
  scn_t *s = scn_parse_file(path, &err);
  if (!s) {
    char m[700];
    snprintf(m, sizeof m, "%s:%u:%u: %s", path, err.line, err.col, err.msg);
    end_run("usage", m, 64);
  }
  run_dir(GetCurrentProcessId(), g_dir, sizeof g_dir);
  if (!CreateDirectoryA(g_dir, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
    char m[400];
    snprintf(m, sizeof m, "cannot make the run's directory %s (error %lu)", g_dir,
             (unsigned long)GetLastError());
    end_run("crash", m, 3);
  }
  dilate(&s->setup.body, dilation);
  for (size_t i = 0; i < s->n_threads; i++) {
    dilate(&s->threads[i].body, dilation);
    s->threads[i].at_ns *= dilation;
  }
  /* the invariants the real system cannot check (scn_real_skipped_checks) */
  scn_t c = *s;
  c.inv_off[SCN_INV_HANDLES] = true;
  c.inv_off[SCN_INV_PENDING] = true;
  c.inv_off[SCN_INV_CLOSED] = true;
  g_n_threads = c.n_threads;
  g_go = CreateEventW(NULL, TRUE, FALSE, NULL);
  g_in = scn_interp_new(&c);
  g_thread_name = "main";
  scn_interp_main(g_in);
  end_run("pass", NULL, 0);
}

/* ---- the parent: one child per scenario ---------------------------------------------- */

static unsigned g_timeout_secs = 60;
void scn_real_set_timeout(unsigned secs) {
  g_timeout_secs = secs ? secs : 60;
}

static char *xstrndup(const char *p, size_t n) {
  char *s = malloc(n + 1);
  if (!s) exit(3);
  memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

/* The text of section `name` in the child's output (malloc'd), or NULL. */
static char *section(const char *out, const char *name) {
  char head[32];
  snprintf(head, sizeof head, "@@%s\n", name);
  const char *p = out;
  for (;;) {
    p = strstr(p, head);
    if (!p) return NULL;
    if (p == out || p[-1] == '\n') break;
    p++;
  }
  p += strlen(head);
  const char *e = p;
  while (*e && !(e[0] == '@' && e[1] == '@' && (e == out || e[-1] == '\n'))) e++;
  return xstrndup(p, (size_t)(e - p));
}

static void remove_tree(const char *dir) {
  char pat[MAX_PATH + 4];
  snprintf(pat, sizeof pat, "%s\\*", dir);
  WIN32_FIND_DATAA fd;
  HANDLE f = FindFirstFileA(pat, &fd);
  if (f != INVALID_HANDLE_VALUE) {
    do {
      if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0) continue;
      char sub[MAX_PATH * 2];
      snprintf(sub, sizeof sub, "%s\\%s", dir, fd.cFileName);
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
        remove_tree(sub);
      else
        DeleteFileA(sub);
    } while (FindNextFileA(f, &fd));
    FindClose(f);
  }
  RemoveDirectoryA(dir);
}

/* Starts `exe play-real path`, collects its output (stdout and stderr) and
 * waits for it, at most the timeout; returns the output (malloc'd). */
static char *run_child(const char *path, DWORD *code, bool *timed_out, DWORD *pid) {
  char exe[MAX_PATH];
  GetModuleFileNameA(NULL, exe, sizeof exe);
  char *cmd = scn_strf("\"%s\" play-real \"%s\" %u", exe, path, g_dilation);
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
  HANDLE rd, wr;
  *timed_out = false;
  *code = 3;
  *pid = 0;
  if (!CreatePipe(&rd, &wr, &sa, 1 << 16)) {
    free(cmd);
    return scn_strf("CreatePipe failed (%lu)", (unsigned long)GetLastError());
  }
  SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
  HANDLE nul = CreateFileA("NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                           OPEN_EXISTING, 0, NULL);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = nul;
  si.hStdOutput = wr;
  si.hStdError = wr;
  PROCESS_INFORMATION pi;
  BOOL ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
  DWORD cerr = GetLastError();
  CloseHandle(wr);
  if (nul != INVALID_HANDLE_VALUE) CloseHandle(nul);
  free(cmd);
  if (!ok) {
    CloseHandle(rd);
    return scn_strf("CreateProcess failed (%lu)", (unsigned long)cerr);
  }
  *pid = pi.dwProcessId;
  size_t cap = 1 << 16, n = 0;
  char *out = malloc(cap);
  if (!out) exit(3);
  ULONGLONG start = GetTickCount64();
  for (;;) {
    DWORD avail = 0;
    bool eof = !PeekNamedPipe(rd, NULL, 0, NULL, &avail, NULL);
    if (avail > 0) {
      if (n + avail + 1 > cap) {
        while (n + avail + 1 > cap) cap *= 2;
        out = realloc(out, cap);
        if (!out) exit(3);
      }
      DWORD got = 0;
      if (ReadFile(rd, out + n, avail, &got, NULL)) n += got;
      continue;
    }
    if (eof) break; /* every writer has gone: the child has exited */
    if (GetTickCount64() - start > (ULONGLONG)g_timeout_secs * 1000) {
      TerminateProcess(pi.hProcess, 2);
      *timed_out = true;
      break;
    }
    if (WaitForSingleObject(pi.hProcess, 2) == WAIT_OBJECT_0) {
      /* drain what is left, then stop */
      while (PeekNamedPipe(rd, NULL, 0, NULL, &avail, NULL) && avail > 0) {
        if (n + avail + 1 > cap) {
          while (n + avail + 1 > cap) cap *= 2;
          out = realloc(out, cap);
          if (!out) exit(3);
        }
        DWORD got = 0;
        if (!ReadFile(rd, out + n, avail, &got, NULL)) break;
        n += got;
      }
      break;
    }
  }
  WaitForSingleObject(pi.hProcess, 5000);
  GetExitCodeProcess(pi.hProcess, code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  CloseHandle(rd);
  out[n] = '\0';
  /* CRLF from anything the child wrote in text mode */
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!(out[i] == '\r' && out[i + 1] == '\n')) out[k++] = out[i];
  out[k] = '\0';
  return out;
}

/* Whether the step whose history text is `text` ("RAW -> RESULT") has a
 * result the schedule decides: alternatives, `any`, or no expectation. */
static bool sched_step_in(const scn_block_t *b, const char *text, int *found) {
  for (size_t i = 0; i < b->n; i++) {
    const scn_step_t *st = &b->steps[i];
    if (st->verb == SCN_V_REPEAT) {
      if (sched_step_in(&st->body, text, found)) return true;
      continue;
    }
    if (!st->raw) continue;
    size_t n = strlen(st->raw);
    if (strncmp(text, st->raw, n) != 0 || strncmp(text + n, " -> ", 4) != 0) continue;
    bool sched = st->expect.n_alts != 1 || st->expect.alts[0].kind == SCN_R_ANY;
    if (sched) return true;
    *found = 1;
  }
  return false;
}

static bool schedule_decides(const scn_t *s, const char *line) {
  /* "THREAD ok|fail RAW -> RESULT" */
  const char *p = strchr(line, ' ');
  if (!p) return false;
  p = strchr(p + 1, ' ');
  if (!p) return false;
  p++;
  int strict = 0;
  if (sched_step_in(&s->setup.body, p, &strict)) return true;
  for (size_t i = 0; i < s->n_threads; i++)
    if (sched_step_in(&s->threads[i].body, p, &strict)) return true;
  return false;
}

/* A history line may differ from the golden block only where the step's
 * result is the schedule's to decide (it lists alternatives, says `any`,
 * or has no expectation): the golden block holds the fake world's choice,
 * the real run may make another allowed one. */
static bool both_schedule_decided(const scn_t *s, const char *run, const char *golden) {
  return schedule_decides(s, run) && schedule_decides(s, golden);
}

int scn_run(const scn_t *s, const scn_run_opts_t *o, scn_run_result_t *r) {
  memset(r, 0, sizeof *r);
  char why[600];
  if (scn_real_skip_reason(s, why, sizeof why)) {
    r->exit_code = SCN_REAL_SKIP;
    r->status = "skip";
    r->message = scn_strf("%s", why);
    return r->exit_code;
  }
  DWORD code = 0, pid = 0;
  bool timed_out = false;
  char *out = run_child(s->path, &code, &timed_out, &pid);
  if (pid) {
    char dir[MAX_PATH];
    run_dir(pid, dir, sizeof dir);
    remove_tree(dir);
  }
  char *status = section(out, "status");
  r->message = section(out, "message");
  r->history = section(out, "history");
  r->timeline = section(out, "timeline");
  if (status) {
    size_t n = strlen(status);
    while (n && (status[n - 1] == '\n' || status[n - 1] == '\r')) status[--n] = '\0';
  }
  if (r->message) {
    size_t n = strlen(r->message);
    while (n && r->message[n - 1] == '\n') r->message[--n] = '\0';
  }
  if (timed_out) {
    r->status = "deadlock";
    r->exit_code = 2;
    free(r->message);
    r->message = scn_strf(
        "no verdict within %u s: a hang (a deadlock or a lost wake-up) on the real system; "
        "output:\n%.2000s",
        g_timeout_secs, out);
  } else if (!status) {
    r->status = "crash";
    r->exit_code = 3;
    free(r->message);
    r->message = scn_strf("the child exited with code %lu without a verdict; output:\n%.2000s",
                          (unsigned long)code, out);
  } else if (strcmp(status, "pass") == 0) {
    r->status = "pass";
    r->exit_code = 0;
    if (s->has_history && !o->skip_history) {
      size_t tol = 0;
      char *m = scn_judge_history(s, r->history ? r->history : "", both_schedule_decided, &tol, "");
      if (m) {
        r->status = "expect";
        r->exit_code = 1;
        r->message = m;
      }
    }
  } else if (strcmp(status, "expect") == 0) {
    r->status = "expect";
    r->exit_code = 1;
  } else if (strcmp(status, "usage") == 0) {
    r->status = "usage";
    r->exit_code = 64;
  } else {
    r->status = "crash";
    r->exit_code = 3;
  }
  if (r->exit_code == 0) {
    free(r->timeline);
    r->timeline = NULL;
  }
  free(status);
  free(out);
  return r->exit_code;
}

void scn_run_result_free(scn_run_result_t *r) {
  free(r->message);
  free(r->timeline);
  free(r->report);
  free(r->history);
  free(r->order);
  free(r->choices);
  memset(r, 0, sizeof *r);
}

#endif /* _WIN32 */
