/* iocpsim_win.c: the iocpsim command of the mingw build (docs/scenarios.md
 * §14).  It plays scenario files on the real Win32 API (`--backend real`,
 * the only backend of this build: the simulated world is the native
 * build's), one child process per scenario (scn_real.h), on --jobs worker
 * threads, and prints each verdict in file order and a summary: played,
 * skipped with the reasons, passed and failed.
 *
 *   iocpsim run FILE|DIR... [--backend real] [--jobs N] [--timeout S] [-q] [--junit FILE]
 *   iocpsim list FILE|DIR...      scenarios and whether they play on the real API
 *   iocpsim check FILE|DIR...     parse only
 *   iocpsim play-real FILE        (internal) the child that plays one scenario */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_real.h"
#include "scn_run.h"

#define EXIT_USAGE 64

static const char usage_text[] =
    "usage: iocpsim COMMAND [options] [FILE|DIR]...\n"
    "\n"
    "The mingw build: plays scenario files (.scn) on the real Win32 API -- real\n"
    "threads, loopback sockets, pipes, files and the real completion port (under\n"
    "Wine on Linux).  The simulated world (seeds, faults, traces) is the native\n"
    "build's iocpsim.\n"
    "\n"
    "commands:\n"
    "  run FILE|DIR...      play every scenario (a DIR is searched for *.scn)\n"
    "  list FILE|DIR...     each scenario and why it is skipped on the real API\n"
    "  check FILE|DIR...    parse only\n"
    "  help                 this text\n"
    "\n"
    "options of run:\n"
    "  --backend real       the real API (the only backend of this build)\n"
    "  --jobs N             scenarios played at once (default 2)\n"
    "  --timeout S          seconds before a scenario counts as hung (default 60)\n"
    "  --dilation K         durations, relative deadlines and `at` times are\n"
    "                       multiplied by K on the real clock (default 20)\n"
    "  --junit FILE         JUnit XML, one testcase per scenario (skipped ones too)\n"
    "  -q, --quiet          print only failures, skips by reason and the summary\n"
    "\n"
    "A scenario that needs what the real system cannot be made to do (fault\n"
    "rules, system/net settings, a scripted console, a Windows-only personality\n"
    "under Wine) is skipped with the reason; checks that cannot apply (trace\n"
    "checks, handles-closed, no-pending-io) are left out and counted.\n"
    "\n"
    "exit status: 0 every played scenario passed; 1 an expectation failed; 2 a\n"
    "hang; 3 a crash; 64 usage or a scenario that does not parse.\n";

static void usage_error(const char *msg, const char *arg) __attribute__((noreturn));
static void usage_error(const char *msg, const char *arg) {
  fprintf(stderr, "iocpsim: %s%s\n(iocpsim help lists the commands and options)\n", msg,
          arg ? arg : "");
  exit(EXIT_USAGE);
}

typedef struct paths {
  char **p;
  size_t n, cap;
} paths_t;

static void paths_add(paths_t *ps, const char *p) {
  if (ps->n == ps->cap) {
    ps->cap = ps->cap * 2 + 16;
    ps->p = realloc(ps->p, ps->cap * sizeof *ps->p);
    if (!ps->p) exit(3);
  }
  ps->p[ps->n++] = _strdup(p);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect(paths_t *ps, const char *path, int depth) {
  DWORD attr = GetFileAttributesA(path);
  if (attr == INVALID_FILE_ATTRIBUTES) usage_error("no such file or directory: ", path);
  if (!(attr & FILE_ATTRIBUTE_DIRECTORY)) {
    paths_add(ps, path);
    return;
  }
  if (depth > 16) return;
  size_t pl = strlen(path);
  const char *sep = pl && (path[pl - 1] == '/' || path[pl - 1] == '\\') ? "" : "/";
  char pat[MAX_PATH * 2];
  snprintf(pat, sizeof pat, "%s%s*", path, sep);
  WIN32_FIND_DATAA fd;
  HANDLE f = FindFirstFileA(pat, &fd);
  paths_t local = {0};
  if (f != INVALID_HANDLE_VALUE) {
    do {
      if (fd.cFileName[0] == '.') continue;
      char full[MAX_PATH * 2];
      snprintf(full, sizeof full, "%s%s%s", path, sep, fd.cFileName);
      size_t n = strlen(fd.cFileName);
      if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) ||
          (n > 4 && strcmp(fd.cFileName + n - 4, ".scn") == 0))
        paths_add(&local, full);
    } while (FindNextFileA(f, &fd));
    FindClose(f);
  }
  qsort(local.p, local.n, sizeof *local.p, cmp_str);
  for (size_t i = 0; i < local.n; i++) {
    DWORD a = GetFileAttributesA(local.p[i]);
    if (a != INVALID_FILE_ATTRIBUTES && (a & FILE_ATTRIBUTE_DIRECTORY))
      collect(ps, local.p[i], depth + 1);
    else
      paths_add(ps, local.p[i]);
    free(local.p[i]);
  }
  free(local.p);
}

/* ---- run ---------------------------------------------------------------------------- */

typedef struct task {
  scn_t *s;
  scn_run_result_t r;
  double secs;
  HANDLE done;
} task_t;

static task_t *g_tasks;
static size_t g_ntasks;
static volatile LONG g_next = -1;

static double wall(void) {
  static LARGE_INTEGER f;
  if (f.QuadPart == 0) QueryPerformanceFrequency(&f);
  LARGE_INTEGER c;
  QueryPerformanceCounter(&c);
  return (double)c.QuadPart / (double)f.QuadPart;
}

static DWORD WINAPI worker(LPVOID arg) {
  (void)arg;
  for (;;) {
    LONG i = InterlockedIncrement(&g_next);
    if ((size_t)i >= g_ntasks) return 0;
    task_t *t = &g_tasks[i];
    scn_run_opts_t o;
    memset(&o, 0, sizeof o);
    o.personality = -1;
    double t0 = wall();
    scn_run(t->s, &o, &t->r);
    t->secs = wall() - t0;
    SetEvent(t->done);
  }
}

static void print_indented(const char *m, const char *pre) {
  while (m && *m) {
    const char *e = strchr(m, '\n');
    int n = e ? (int)(e - m) : (int)strlen(m);
    printf("%s%.*s\n", pre, n, m);
    m = e ? e + 1 : m + n;
  }
}

/* "line N: why (detail)" groups by why. */
static void reason_text(const char *m, char *out, size_t cap) {
  if (strncmp(m, "line ", 5) == 0) {
    const char *c = strstr(m, ": ");
    if (c) m = c + 2;
  }
  snprintf(out, cap, "%s", m);
  size_t n = strlen(out);
  if (n && out[n - 1] == ')') {
    char *o = strrchr(out, '(');
    if (o && o > out && o[-1] == ' ') o[-1] = '\0';
  }
}

static int cmd_run(scn_t **ss, size_t n, unsigned jobs, bool quiet, const char *junit) {
  g_tasks = calloc(n + 1, sizeof *g_tasks);
  if (!g_tasks) exit(3);
  for (size_t i = 0; i < n; i++) {
    if (!ss[i]) continue;
    g_tasks[g_ntasks].s = ss[i];
    g_tasks[g_ntasks].done = CreateEventW(NULL, TRUE, FALSE, NULL);
    g_ntasks++;
  }
  const char *(*wv)(void) = NULL;
  HMODULE nt = GetModuleHandleW(L"ntdll.dll");
  if (nt) *(FARPROC *)&wv = GetProcAddress(nt, "wine_get_version");
  printf("iocpsim: %zu scenarios on the real API (%s%s), %u at a time\n", g_ntasks,
         wv ? "Wine " : "Windows", wv ? wv() : "", jobs);
  fflush(stdout);
  double t0 = wall();
  HANDLE ws[64];
  for (unsigned j = 0; j < jobs; j++) ws[j] = CreateThread(NULL, 0, worker, NULL, 0, NULL);
  size_t played = 0, passed = 0, failed = 0, skipped = 0, checks_left = 0;
  int worst = 0;
  for (size_t i = 0; i < g_ntasks; i++) {
    task_t *t = &g_tasks[i];
    WaitForSingleObject(t->done, INFINITE);
    const scn_run_result_t *r = &t->r;
    char left[300];
    size_t nl = 0;
    if (r->exit_code == SCN_REAL_SKIP) {
      skipped++;
      if (!quiet) printf("SKIP  %-52s %s\n", t->s->path, r->message);
    } else {
      played++;
      nl = scn_real_skipped_checks(t->s, left, sizeof left);
      checks_left += nl;
      if (r->exit_code == 0) {
        passed++;
        if (!quiet)
          printf("PASS  %-52s %6.2fs%s%s%s\n", t->s->path, t->secs, nl ? "  (not checked: " : "",
                 nl ? left : "", nl ? ")" : "");
      } else {
        failed++;
        if (scn_exit_severity(r->exit_code) > scn_exit_severity(worst)) worst = r->exit_code;
        printf("FAIL  %-52s %6.2fs  (%s, exit %d)\n", t->s->path, t->secs, r->status, r->exit_code);
        printf("  replay: iocpsim.exe run %s --backend real\n", t->s->path);
        print_indented(r->message, "  ");
        if (r->timeline && *r->timeline) {
          printf("  timeline (real time since the start, thread, event):\n");
          print_indented(r->timeline, "");
        }
      }
    }
    fflush(stdout);
  }
  for (unsigned j = 0; j < jobs; j++) {
    WaitForSingleObject(ws[j], INFINITE);
    CloseHandle(ws[j]);
  }
  /* skips by reason */
  size_t nreasons = 0;
  char(*reasons)[400] = calloc(g_ntasks + 1, sizeof *reasons);
  size_t *counts = calloc(g_ntasks + 1, sizeof *counts);
  if (!reasons || !counts) exit(3);
  for (size_t i = 0; i < g_ntasks; i++) {
    if (g_tasks[i].r.exit_code != SCN_REAL_SKIP) continue;
    char why[400];
    reason_text(g_tasks[i].r.message, why, sizeof why);
    size_t k = 0;
    while (k < nreasons && strcmp(reasons[k], why) != 0) k++;
    if (k == nreasons) memcpy(reasons[nreasons++], why, sizeof why);
    counts[k]++;
  }
  if (nreasons) printf("skipped, by reason:\n");
  for (size_t k = 0; k < nreasons; k++) printf("  %4zu  %s\n", counts[k], reasons[k]);
  printf(
      "real API: %zu scenarios: %zu played (%zu passed, %zu failed), %zu skipped; %zu checks that "
      "cannot apply "
      "left out; %.1fs\n",
      g_ntasks, played, passed, failed, skipped, checks_left, wall() - t0);
  if (junit) {
    FILE *f = fopen(junit, "w");
    if (!f) {
      fprintf(stderr, "iocpsim: cannot write %s\n", junit);
      if (scn_exit_severity(EXIT_USAGE) > scn_exit_severity(worst)) worst = EXIT_USAGE;
    } else {
      fprintf(f,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"iocpsim-real\" "
              "tests=\"%zu\" "
              "failures=\"%zu\" skipped=\"%zu\">\n",
              g_ntasks, failed, skipped);
      for (size_t i = 0; i < g_ntasks; i++) {
        task_t *t = &g_tasks[i];
        fprintf(f, "  <testcase classname=\"real\" name=\"");
        scn_xml_escape(f, t->s->path);
        fprintf(f, "\" time=\"%.3f\">", t->secs);
        if (t->r.exit_code == SCN_REAL_SKIP) {
          fprintf(f, "<skipped message=\"");
          scn_xml_escape(f, t->r.message);
          fprintf(f, "\"/>");
        } else if (t->r.exit_code != 0) {
          fprintf(f, "<failure message=\"%s\">", t->r.status);
          scn_xml_escape(f, t->r.message);
          fprintf(f, "</failure>");
        }
        fprintf(f, "</testcase>\n");
      }
      fprintf(f, "</testsuite>\n");
      fclose(f);
    }
  }
  for (size_t i = 0; i < g_ntasks; i++) {
    scn_run_result_free(&g_tasks[i].r);
    CloseHandle(g_tasks[i].done);
  }
  free(reasons);
  free(counts);
  free(g_tasks);
  return worst;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "play-real") == 0) {
    if (argc != 4 || atoi(argv[3]) < 1)
      usage_error("play-real takes a scenario file and a dilation factor", NULL);
    scn_real_child(argv[2], (unsigned)atoi(argv[3]));
  }
  if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
    fputs(usage_text, stdout);
    return 0;
  }
  bool is_run = strcmp(cmd, "run") == 0, is_list = strcmp(cmd, "list") == 0,
       is_check = strcmp(cmd, "check") == 0;
  if (!is_run && !is_list && !is_check) usage_error("unknown command ", cmd);
  unsigned jobs = 2;
  bool quiet = false;
  const char *junit = NULL;
  paths_t ps = {0};
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--backend") == 0) {
      if (!v) usage_error("--backend needs a value", NULL);
      if (strcmp(v, "real") != 0)
        usage_error(
            "this is the mingw build: its only backend is real (the fake world is the native "
            "build's iocpsim), "
            "found ",
            v);
      i++;
    } else if (strcmp(a, "--jobs") == 0) {
      int j = v ? atoi(v) : 0;
      if (j < 1 || j > 64) usage_error("--jobs takes 1 to 64", NULL);
      jobs = (unsigned)j;
      i++;
    } else if (strcmp(a, "--timeout") == 0) {
      int t = v ? atoi(v) : 0;
      if (t < 1 || t > 3600) usage_error("--timeout takes 1 to 3600 seconds", NULL);
      scn_real_set_timeout((unsigned)t);
      i++;
    } else if (strcmp(a, "--dilation") == 0) {
      int k = v ? atoi(v) : 0;
      if (k < 1 || k > 1000) usage_error("--dilation takes 1 to 1000", NULL);
      scn_real_set_dilation((unsigned)k);
      i++;
    } else if (strcmp(a, "--junit") == 0) {
      if (!v) usage_error("--junit needs a file", NULL);
      junit = v;
      i++;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      quiet = true;
    } else if (a[0] == '-' && a[1]) {
      usage_error(
          "unknown option (the mingw build plays on the real API only; seeds, faults and traces "
          "are the "
          "native build's): ",
          a);
    } else {
      collect(&ps, a, 0);
    }
  }
  if (ps.n == 0) usage_error("no scenario files given", NULL);
  scn_t **ss = calloc(ps.n, sizeof *ss);
  if (!ss) exit(3);
  int worst = 0;
  for (size_t i = 0; i < ps.n; i++) {
    scn_error_t err;
    ss[i] = scn_parse_file(ps.p[i], &err);
    if (!ss[i]) {
      fprintf(stderr, "%s:%u:%u: error: %s\n", ps.p[i], err.line, err.col, err.msg);
      worst = EXIT_USAGE;
    }
  }
  int rc = worst;
  if (is_check) {
    printf("%zu files, %s\n", ps.n, worst ? "some do not parse" : "all parse");
  } else if (is_list) {
    for (size_t i = 0; i < ps.n; i++) {
      if (!ss[i]) continue;
      char why[600];
      bool skip = scn_real_skip_reason(ss[i], why, sizeof why);
      printf("%-52s %s\n", ss[i]->path, skip ? why : "plays on the real API");
    }
  } else {
    int r = cmd_run(ss, ps.n, jobs, quiet, junit);
    if (scn_exit_severity(r) > scn_exit_severity(rc)) rc = r;
  }
  for (size_t i = 0; i < ps.n; i++) {
    scn_free(ss[i]);
    free(ps.p[i]);
  }
  free(ss);
  free(ps.p);
  return rc;
}
