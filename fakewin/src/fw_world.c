/* fw_world.c: the world configuration of fakewin/world/fw_world.h and the
 * per-world hooks of the I/O half.
 *
 * Two copies of the configuration exist: the *pending* one that setters
 * write (process state, survives from world to world) and the *active* one
 * a running world reads, copied from the pending one by the world-start
 * hook.  A setter called inside a running world writes both, so a test
 * fiber can change the personality halfway through.  The console script is
 * deep-copied at world start; the captured console output belongs to the
 * world and stays readable after it ends, until the next one starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw_io.h"

typedef struct console_chunk {
  uint16_t *units;
  size_t n;
  uint64_t delay_ns;
} console_chunk_t;

typedef struct config {
  fw_personality_t personality;
  fw_net_config_t net;
  fw_protocol_t protocols[FW_WORLD_MAX_PROTOCOLS];
  size_t n_protocols;
  bool protocols_set; /* set by fw_world_set_protocols: the personality's list no longer applies */
  console_chunk_t *chunks;
  size_t n_chunks, cap_chunks;
  uint32_t timing; /* FW_TIMING_* */
} config_t;

static config_t pending_cfg; /* what setters write */
static config_t active_cfg;  /* the running world's copy */
static bool initialised;

typedef struct out_buf {
  uint16_t *units;
  size_t n, cap;
} out_buf_t;
static out_buf_t console_out[2];

/* ---- defaults ---------------------------------------------------------------------- */

void fw_world_net_defaults(fw_net_config_t *c) {
  memset(c, 0, sizeof *c);
  c->tcp_send_buffer = 65536;
  c->tcp_recv_buffer = 65536;
  c->udp_recv_buffer = 65536;
  c->udp_max_datagram = 65507;
  c->listen_backlog_max = 200;
  c->latency_ns = 0;
  c->ephemeral_first = 49152;
}

/* F49: the personality's providers (fw_personality.c), until a runner sets
 * its own list */
static void default_protocols(config_t *c) {
  const fw_personality_table_t *p = fw_personality_table((int)c->personality);
  memcpy(c->protocols, p->protocols, p->n_protocols * sizeof *p->protocols);
  c->n_protocols = p->n_protocols;
  c->protocols_set = false;
}

static void chunks_free(config_t *c) {
  for (size_t i = 0; i < c->n_chunks; i++) free(c->chunks[i].units);
  free(c->chunks);
  c->chunks = NULL;
  c->n_chunks = c->cap_chunks = 0;
}

static void config_defaults(config_t *c) {
  chunks_free(c);
  c->personality = FW_PERSONALITY_WINDOWS;
  fw_world_net_defaults(&c->net);
  default_protocols(c);
  c->timing = 0;
}

static void ensure_init(void) {
  if (initialised) return;
  initialised = true;
  config_defaults(&pending_cfg);
  config_defaults(&active_cfg);
}

/* The configuration callers read: the world's while one runs. */
static config_t *cur(void) {
  ensure_init();
  return sim_in_world() ? &active_cfg : &pending_cfg;
}

static void chunk_push(config_t *c, const uint16_t *units, size_t n, uint64_t delay_ns) {
  if (c->n_chunks == c->cap_chunks) {
    size_t cap = c->cap_chunks ? c->cap_chunks * 2 : 8;
    console_chunk_t *p = realloc(c->chunks, cap * sizeof *p);
    if (p == NULL) abort();
    c->chunks = p;
    c->cap_chunks = cap;
  }
  console_chunk_t *k = &c->chunks[c->n_chunks++];
  k->units = malloc((n ? n : 1) * sizeof *k->units);
  if (k->units == NULL) abort();
  if (n) memcpy(k->units, units, n * sizeof *units);
  k->n = n;
  k->delay_ns = delay_ns;
}

static void config_copy(config_t *dst, const config_t *src) {
  chunks_free(dst);
  dst->personality = src->personality;
  dst->net = src->net;
  memcpy(dst->protocols, src->protocols, sizeof dst->protocols);
  dst->n_protocols = src->n_protocols;
  dst->timing = src->timing;
  dst->protocols_set = src->protocols_set;
  for (size_t i = 0; i < src->n_chunks; i++)
    chunk_push(dst, src->chunks[i].units, src->chunks[i].n, src->chunks[i].delay_ns);
}

/* ---- setters and getters ------------------------------------------------------------- */

void fw_world_set_personality(fw_personality_t p) {
  ensure_init();
  if (fw_personality_table((int)p) == NULL) {
    fprintf(stderr, "fw_world_set_personality: unknown personality %d\n", (int)p);
    abort();
  }
  pending_cfg.personality = p;
  if (!pending_cfg.protocols_set) default_protocols(&pending_cfg);
  if (sim_in_world()) {
    active_cfg.personality = p;
    if (!active_cfg.protocols_set) default_protocols(&active_cfg);
  }
}

fw_personality_t fw_world_personality(void) {
  return cur()->personality;
}

void fw_world_set_timing(uint32_t flags) {
  ensure_init();
  pending_cfg.timing = flags;
  if (sim_in_world()) active_cfg.timing = flags;
}

uint32_t fw_world_timing(void) {
  return cur()->timing;
}

void fw_world_set_net(const fw_net_config_t *c) {
  ensure_init();
  pending_cfg.net = *c;
  if (sim_in_world()) active_cfg.net = *c;
}

const fw_net_config_t *fw_world_net(void) {
  return &cur()->net;
}

void fw_world_set_protocols(const fw_protocol_t *list, size_t n) {
  ensure_init();
  if (n > FW_WORLD_MAX_PROTOCOLS) n = FW_WORLD_MAX_PROTOCOLS;
  memcpy(pending_cfg.protocols, list, n * sizeof *list);
  pending_cfg.n_protocols = n;
  pending_cfg.protocols_set = true;
  if (sim_in_world()) {
    memcpy(active_cfg.protocols, list, n * sizeof *list);
    active_cfg.n_protocols = n;
    active_cfg.protocols_set = true;
  }
}

size_t fw_world_protocols(const fw_protocol_t **list) {
  config_t *c = cur();
  *list = c->protocols;
  return c->n_protocols;
}

static void set_ifs(config_t *c, bool ifs) {
  for (size_t i = 0; i < c->n_protocols; i++) {
    if (c->protocols[i].protocol != 6) continue;
    if (ifs)
      c->protocols[i].service_flags1 |= FW_XP1_IFS_HANDLES;
    else
      c->protocols[i].service_flags1 &= ~FW_XP1_IFS_HANDLES;
  }
}

void fw_world_set_tcp_ifs(bool ifs) {
  ensure_init();
  set_ifs(&pending_cfg, ifs);
  if (sim_in_world()) set_ifs(&active_cfg, ifs);
}

void fw_world_console_input(const uint16_t *units, size_t n, uint64_t delay_ns) {
  ensure_init();
  chunk_push(&pending_cfg, units, n, delay_ns);
  if (sim_in_world()) chunk_push(&active_cfg, units, n, delay_ns);
}

void fw_world_console_input_clear(void) {
  ensure_init();
  chunks_free(&pending_cfg);
  if (sim_in_world()) chunks_free(&active_cfg);
}

const uint16_t *fw_world_console_chunk(size_t i, size_t *n_units, uint64_t *ready_at_ns) {
  config_t *c = cur();
  if (i >= c->n_chunks) return NULL;
  uint64_t at = 0;
  for (size_t k = 0; k <= i; k++) at += c->chunks[k].delay_ns;
  if (n_units) *n_units = c->chunks[i].n;
  if (ready_at_ns) *ready_at_ns = at;
  return c->chunks[i].units;
}

void fw_world_console_capture(int stream, const uint16_t *units, size_t n) {
  if (stream != FW_CONSOLE_STDOUT && stream != FW_CONSOLE_STDERR) return;
  out_buf_t *b = &console_out[stream];
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n) cap *= 2;
    uint16_t *p = realloc(b->units, cap * sizeof *p);
    if (p == NULL) abort();
    b->units = p;
    b->cap = cap;
  }
  if (n) memcpy(b->units + b->n, units, n * sizeof *units);
  b->n += n;
}

const uint16_t *fw_world_console_output(int stream, size_t *n_units) {
  if (stream != FW_CONSOLE_STDOUT && stream != FW_CONSOLE_STDERR) {
    if (n_units) *n_units = 0;
    return NULL;
  }
  if (n_units) *n_units = console_out[stream].n;
  return console_out[stream].units;
}

void fw_world_reset_config(void) {
  ensure_init();
  config_defaults(&pending_cfg);
  if (sim_in_world()) config_copy(&active_cfg, &pending_cfg);
  fw_fault_clear();
  /* the settings fw_file.c and fw_console.c keep themselves */
  fw_world_set_async_eof(FW_ASYNC_EOF_DEFAULT);
  fw_console_config_t console;
  fw_world_console_defaults(&console);
  fw_world_set_console(&console);
}

/* ---- hooks ----------------------------------------------------------------------------- */

static void io_world_start(void *arg) {
  (void)arg;
  ensure_init();
  config_copy(&active_cfg, &pending_cfg);
  for (int s = 0; s < 2; s++) console_out[s].n = 0;
  fw_fault_world_start();
  fw_io_world_start();
}

static void io_world_end(void *arg) {
  (void)arg;
  fw_io_world_end();
  fw_fault_world_end();
}

static sim_hook_t io_hook = {io_world_start, io_world_end, NULL, NULL, false};

/* Registered once per process, before any world can run. */
__attribute__((constructor)) static void fw_world_register(void) {
  fw_subsystem_add(&io_hook);
}
