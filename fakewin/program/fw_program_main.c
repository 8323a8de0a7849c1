/* fw_program_main.c: the main() of a Win32 program built natively by
 * iocpsim_add_win32_program (cmake/iocpsim.cmake).  The program's own main
 * (or wmain) is compiled under another name (-Dmain=iocpsim_program_main,
 * -Dwmain=iocpsim_program_wmain) and runs here as the main thread of one
 * fake world, configured from IOCPSIM_* environment variables or the
 * equivalent --iocpsim-NAME=VALUE options (taken out of argv first):
 *
 *   IOCPSIM_SEED=N              the world's seed [0]
 *   IOCPSIM_PERSONALITY=P       windows | wine8 [windows]
 *   IOCPSIM_FAULTS=RULES        fault rules (docs/fakewin-io.md), separated by ';' or newlines
 *   IOCPSIM_NET=K=V,...         fw_net_config_t fields: tcp_send_buffer, tcp_recv_buffer,
 *                               udp_recv_buffer, udp_max_datagram, listen_backlog_max,
 *                               latency_ns, ephemeral_first
 *   IOCPSIM_CONSOLE=MODE        attached | none (standard handles without a console) [attached]
 *   IOCPSIM_CONSOLE_INPUT=TEXT  UTF-8 text ReadConsoleW hands out (one chunk)
 *   IOCPSIM_TRACE=PATH          JSONL trace of the world
 *
 * Exit status: when the world passes, the program's: its ExitProcess code,
 * else what main returned.  When the world fails (a deadlock, a crash, a
 * program that never ends) the report goes to stderr and the status is the
 * simulator's exit code (sim.h: 1 expectation, 2 liveness, 3 crash, 64
 * usage).  What the program wrote to the fake console (WriteConsoleW) is
 * copied to the process's stdout/stderr as UTF-8 when the world ends;
 * printf and the C stdio streams write to them directly (fakewin/fw_crt.h).
 *
 * This file is on the simulator's side of the seam: it includes fw_world.h
 * and sim.h, never a Win32 header. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_world.h"
#include "sim.h"

/* The program's entry points, renamed by the build; exactly one exists. */
extern int iocpsim_program_main(int argc, char **argv) __attribute__((weak));
extern int iocpsim_program_wmain(int argc, uint16_t **argv) __attribute__((weak));

static int prog_argc;
static char **prog_argv;
static int prog_ret;

/* ---- configuration ------------------------------------------------------------ */

#define N_OPTS 7
static const char *const opt_names[N_OPTS] = {"SEED",    "PERSONALITY",   "FAULTS", "NET",
                                              "CONSOLE", "CONSOLE_INPUT", "TRACE"};
static const char *opt_values[N_OPTS];

static const char *opt(const char *name) {
  for (int i = 0; i < N_OPTS; i++)
    if (strcmp(opt_names[i], name) == 0) return opt_values[i];
  return NULL;
}

static void usage(const char *fmt, const char *what) {
  fprintf(stderr, "iocpsim: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\n");
  exit(SIM_EXIT_USAGE);
}

/* Reads the environment, then takes --iocpsim-NAME=VALUE options out of argv
 * (they win over the environment). */
static void read_options(int *argc, char **argv) {
  char env[64];
  for (int i = 0; i < N_OPTS; i++) {
    snprintf(env, sizeof env, "IOCPSIM_%s", opt_names[i]);
    opt_values[i] = getenv(env);
  }
  int out = 1;
  for (int a = 1; a < *argc; a++) {
    const char *s = argv[a];
    if (strncmp(s, "--iocpsim-", 10) != 0) {
      argv[out++] = argv[a];
      continue;
    }
    const char *eq = strchr(s, '=');
    if (eq == NULL) usage("option without a value: %s", s);
    bool found = false;
    for (int i = 0; i < N_OPTS && !found; i++) {
      const char *n = opt_names[i];
      size_t len = (size_t)(eq - (s + 10));
      if (strlen(n) != len) continue;
      bool same = true;
      for (size_t k = 0; k < len && same; k++) {
        char c = s[10 + k];
        char u = c == '-' ? '_' : (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
        same = u == n[k];
      }
      if (same) {
        opt_values[i] = eq + 1;
        found = true;
      }
    }
    if (!found) usage("unknown option: %s", s);
  }
  argv[out] = NULL;
  *argc = out;
}

static char *copy_str(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d == NULL) usage("%s", "out of memory");
  memcpy(d, s, n);
  return d;
}

static uint64_t parse_u64(const char *what, const char *v) {
  char *end;
  unsigned long long x = strtoull(v, &end, 0);
  if (*v == '\0' || *end != '\0') usage("not a number: %s", what);
  return x;
}

static void configure_net(const char *spec) {
  fw_net_config_t c;
  fw_world_net_defaults(&c);
  char *copy = copy_str(spec);
  for (char *kv = strtok(copy, ","); kv != NULL; kv = strtok(NULL, ",")) {
    char *eq = strchr(kv, '=');
    if (eq == NULL) usage("IOCPSIM_NET: expected key=value, got %s", kv);
    *eq = '\0';
    uint64_t v = parse_u64(kv, eq + 1);
    if (strcmp(kv, "tcp_send_buffer") == 0)
      c.tcp_send_buffer = (uint32_t)v;
    else if (strcmp(kv, "tcp_recv_buffer") == 0)
      c.tcp_recv_buffer = (uint32_t)v;
    else if (strcmp(kv, "udp_recv_buffer") == 0)
      c.udp_recv_buffer = (uint32_t)v;
    else if (strcmp(kv, "udp_max_datagram") == 0)
      c.udp_max_datagram = (uint32_t)v;
    else if (strcmp(kv, "listen_backlog_max") == 0)
      c.listen_backlog_max = (uint32_t)v;
    else if (strcmp(kv, "latency_ns") == 0)
      c.latency_ns = v;
    else if (strcmp(kv, "ephemeral_first") == 0)
      c.ephemeral_first = (uint16_t)v;
    else
      usage("IOCPSIM_NET: unknown key %s", kv);
  }
  free(copy);
  fw_world_set_net(&c);
}

static void configure_faults(const char *rules) {
  char *copy = copy_str(rules);
  for (char *r = strtok(copy, ";\n"); r != NULL; r = strtok(NULL, ";\n")) {
    while (*r == ' ') r++;
    if (*r == '\0') continue;
    char why[256];
    if (fw_fault_add_text(r, why, sizeof why) == 0) usage("IOCPSIM_FAULTS: %s", why);
  }
  free(copy);
}

/* UTF-8 -> UTF-16 (malloc'd); *n units. */
static uint16_t *to_utf16(const char *s, size_t *n) {
  size_t len = strlen(s);
  uint16_t *d = malloc((len + 1) * 2 * sizeof *d);
  size_t k = 0;
  for (size_t i = 0; i < len;) {
    uint8_t b = (uint8_t)s[i];
    uint32_t cp = 0xFFFD;
    size_t l = 1;
    if (b < 0x80) {
      cp = b;
    } else if ((b & 0xE0) == 0xC0 && i + 1 < len) {
      cp = ((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      l = 2;
    } else if ((b & 0xF0) == 0xE0 && i + 2 < len) {
      cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      l = 3;
    } else if ((b & 0xF8) == 0xF0 && i + 3 < len) {
      cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
           (s[i + 3] & 0x3Fu);
      l = 4;
    }
    i += l;
    if (cp >= 0x10000) {
      d[k++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
      d[k++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      d[k++] = (uint16_t)cp;
    }
  }
  d[k] = 0;
  *n = k;
  return d;
}

static void configure(void) {
  fw_world_reset_config();
  const char *p = opt("PERSONALITY");
  if (p != NULL && *p) {
    if (strcmp(p, "windows") == 0)
      fw_world_set_personality(FW_PERSONALITY_WINDOWS);
    else if (strcmp(p, "wine8") == 0)
      fw_world_set_personality(FW_PERSONALITY_WINE8);
    else
      usage("unknown personality %s (windows, wine8)", p);
  }
  if (opt("NET") != NULL && *opt("NET")) configure_net(opt("NET"));
  if (opt("FAULTS") != NULL) configure_faults(opt("FAULTS"));
  const char *con = opt("CONSOLE");
  if (con != NULL && *con) {
    fw_console_config_t c;
    fw_world_console_defaults(&c);
    if (strcmp(con, "none") == 0)
      c.attached = false;
    else if (strcmp(con, "attached") != 0)
      usage("IOCPSIM_CONSOLE: attached or none, not %s", con);
    fw_world_set_console(&c);
  }
  const char *in = opt("CONSOLE_INPUT");
  if (in != NULL) {
    size_t n;
    uint16_t *u = to_utf16(in, &n);
    fw_world_console_input(u, n, 0);
    free(u);
  }
}

/* ---- the world -------------------------------------------------------------------- */

static void world_main(void *arg) {
  (void)arg;
  if (iocpsim_program_wmain != NULL) {
    uint16_t **wargv = calloc((size_t)prog_argc + 1, sizeof *wargv);
    for (int i = 0; i < prog_argc; i++) {
      size_t n;
      wargv[i] = to_utf16(prog_argv[i], &n);
    }
    prog_ret = iocpsim_program_wmain(prog_argc, wargv);
    for (int i = 0; i < prog_argc; i++) free(wargv[i]);
    free(wargv);
  } else {
    prog_ret = iocpsim_program_main(prog_argc, prog_argv);
  }
}

static void dump_console(int stream, FILE *to) {
  size_t n;
  const uint16_t *u = fw_world_console_output(stream, &n);
  for (size_t i = 0; u != NULL && i < n; i++) {
    uint32_t c = u[i];
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && u[i + 1] >= 0xDC00 && u[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u[i + 1] - 0xDC00u);
      i++;
    }
    if (c < 0x80) {
      fputc((int)c, to);
    } else if (c < 0x800) {
      fputc((int)(0xC0 | (c >> 6)), to);
      fputc((int)(0x80 | (c & 0x3F)), to);
    } else if (c < 0x10000) {
      fputc((int)(0xE0 | (c >> 12)), to);
      fputc((int)(0x80 | ((c >> 6) & 0x3F)), to);
      fputc((int)(0x80 | (c & 0x3F)), to);
    } else {
      fputc((int)(0xF0 | (c >> 18)), to);
      fputc((int)(0x80 | ((c >> 12) & 0x3F)), to);
      fputc((int)(0x80 | ((c >> 6) & 0x3F)), to);
      fputc((int)(0x80 | (c & 0x3F)), to);
    }
  }
}

int main(int argc, char **argv) {
  if (iocpsim_program_main == NULL && iocpsim_program_wmain == NULL) {
    fprintf(stderr, "iocpsim: the program defines neither main nor wmain\n");
    return SIM_EXIT_USAGE;
  }
  read_options(&argc, argv);
  configure();
  /* GetModuleFileName: C:\\iocpsim\\<program>.exe */
  const char *base = strrchr(argv[0], '/');
  base = base != NULL ? base + 1 : argv[0];
  char image[300];
  size_t bl = strlen(base);
  bool has_exe = bl > 4 && strcmp(base + bl - 4, ".exe") == 0;
  snprintf(image, sizeof image, "C:\\iocpsim\\%s%s", base, has_exe ? "" : ".exe");
  fw_world_set_image_path(image);
  prog_argc = argc;
  prog_argv = argv;
  sim_config_t cfg = {0};
  cfg.seed = opt("SEED") != NULL && *opt("SEED") ? parse_u64("IOCPSIM_SEED", opt("SEED")) : 0;
  cfg.trace_path = opt("TRACE") != NULL && *opt("TRACE") ? opt("TRACE") : NULL;
  sim_result_t res;
  sim_status_t st = sim_run(&cfg, world_main, NULL, &res);
  fflush(stdout);
  dump_console(FW_CONSOLE_STDOUT, stdout);
  dump_console(FW_CONSOLE_STDERR, stderr);
  fflush(stdout);
  int code;
  if (st != SIM_STATUS_PASS) {
    fprintf(stderr, "%s\niocpsim: the world of seed %" PRIu64 " ended: %s: %s\n",
            res.report ? res.report : "", cfg.seed, sim_status_name(st), res.message);
    code = (int)res.exit_code;
  } else {
    uint32_t ec;
    code = fw_world_exit_code(&ec) ? (int)ec : prog_ret;
  }
  sim_result_free(&res);
  return code;
}
