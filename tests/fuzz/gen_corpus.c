/* gen_corpus.c: writes the state-machine fuzz target's seed corpus.
 *
 *   fuzz-gen-corpus DIR     writes DIR/NN-name (hand-made programs shaped
 *                           like the scenario library's races) and
 *                           DIR/rand-NNN (seeded random programs)
 *
 * Each input is encoded with scn_fuzz_encode (sim/runner/scn_fuzz.h), so
 * `iocpsim from-fuzz` shows what each one plays.  The output is the same
 * on every run; tests/fuzz/corpus/scn_run holds a copy (docs/fuzzing.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scn_fuzz.h"

/* Operation kinds, in scn_fuzz.c's order. */
enum {
  READ = 0,
  WRITE,
  WRITEV,
  CLOSE,
  SHUT,
  RDL,
  WDL,
  DL,
  READ_FROM,
  WRITE_TO,
  READ_FROM4,
  WRITE_TO4,
  SENDTO,
  SEND,
  PEER_END,
  PIPE_READ,
  PIPE_WRITE,
  SLEEP,
  YIELD,
  FAULT,
  FOREIGN,
  CANCEL,
  ACCEPT,
  DIAL,
  RAW_WRITE
};
#define T(t, k) (uint8_t)(((t) << 6) | (k))

typedef struct seed {
  const char *name;
  uint8_t flags;
  uint8_t ops[64];
  size_t n_ops;
} seed_t;

/* Hand-made programs (op, arg pairs; args follow scn_fuzz.c's tables). */
static const seed_t seeds[] = {
    /* t0 reads c, t1 closes it after 1ms (close during a pending read) */
    {"close-pending-read", 0, {T(0, READ), 3 * 5, T(1, SLEEP), 1, T(1, CLOSE), 0}, 3},
    /* a read deadline racing the peer's write */
    {"deadline-vs-write",
     0,
     {T(0, RDL), 0 + 7 * 3, T(0, READ), 3 * 4, T(1, SLEEP), 1, T(1, WRITE), 1 + 3 * 4},
     4},
    /* complete-before-cancel on c with a deadline */
    {"complete-before-cancel",
     SCN_FUZZ_F_LATENCY,
     {T(0, FAULT), 2, T(0, RDL), 0 + 7 * 4, T(0, READ), 3 * 4, T(1, SLEEP), 3, T(1, WRITE),
      1 + 3 * 5},
     5},
    /* skip-on-success off (non-IFS) with a synchronous read */
    {"non-ifs-sync",
     SCN_FUZZ_F_NON_IFS,
     {T(0, WRITE), 1 + 3 * 4, T(1, SLEEP), 1, T(1, READ), 1 + 3 * 4},
     3},
    /* accept with resets (B94) and a dialer */
    {"accept-resets",
     SCN_FUZZ_F_ACCEPT_RST,
     {T(0, FAULT), 9, T(0, ACCEPT), 0, T(1, DIAL), 0, T(1, FAULT), 10, T(0, ACCEPT), 0, T(1, DIAL),
      0},
     6},
    /* foreign packet on the core's port (golang/go#58870) */
    {"foreign-recv", 0, {T(0, FOREIGN), 2, T(1, SEND), 4, T(2, READ), 1 + 3 * 3, T(1, SEND), 4}, 4},
    /* zero-byte WriteTo to u and a read on u (golang/go#26668) */
    {"udp-zero", 0, {T(0, WRITE_TO), 0, T(1, READ_FROM), 0 + 2 * 5, T(0, WRITE_TO), 1 + 2 * 2}, 3},
    /* oversized datagram from the raw peer (golang/go#14074) */
    {"udp-msgsize", 0, {T(0, READ_FROM), 0 + 2 * 2, T(1, SLEEP), 1, T(1, SENDTO), 0 + 2 * 8}, 3},
    /* pipe: blocked read closed by another thread */
    {"pipe-close", 0, {T(0, PIPE_READ), 5, T(1, SLEEP), 1, T(1, CLOSE), 5}, 3},
    /* pipe: writes and reads */
    {"pipe-rw",
     0,
     {T(0, PIPE_WRITE), 9, T(1, PIPE_READ), 4, T(1, PIPE_READ), 9, T(0, CLOSE), 6},
     4},
    /* small buffers: a blocking write closed by the closer or the peer */
    {"smallbuf-write",
     SCN_FUZZ_F_SMALLBUF,
     {T(0, WRITE), 0 + 3 * 14, T(1, SLEEP), 2, T(1, READ), 1 + 3 * 9},
     3},
    /* maxrw chunking and writev */
    {"maxrw-writev",
     SCN_FUZZ_F_MAXRW,
     {T(0, WRITEV), 0 + 3 * 5 + 18 * 2 + 54 * 3, T(1, READ), 1 + 3 * 9, T(1, READ), 1 + 3 * 9},
     3},
    /* short transfers drawn from the decisions */
    {"short",
     SCN_FUZZ_F_SHORT,
     {T(0, WRITE), 0 + 3 * 12, T(1, READ), 1 + 3 * 9, T(1, READ), 1 + 3 * 9, T(2, SHUT), 0},
     4},
    /* the raw peer resets while x reads */
    {"peer-reset", 0, {T(0, READ), 2 + 3 * 4, T(1, SLEEP), 1, T(1, PEER_END), 3}, 3},
    /* the peer's FIN, read to EOF */
    {"peer-fin",
     0,
     {T(1, SEND), 4, T(1, PEER_END), 0, T(0, READ), 2 + 3 * 9, T(0, READ), 2 + 3 * 9},
     4},
    /* cancel_io behind the core's back */
    {"cancel-io",
     0,
     {T(0, READ), 3 * 4, T(1, SLEEP), 1, T(1, CANCEL), 0, T(2, SLEEP), 2, T(2, WRITE), 1 + 3 * 3},
     5},
    /* raw_write */
    {"raw-write", 0, {T(0, RAW_WRITE), 0, T(1, SLEEP), 1, T(1, WRITE), 1 + 3 * 3}, 3},
    /* wine8 personality with an accept */
    {"wine8-accept", SCN_FUZZ_F_WINE8, {T(0, ACCEPT), 0, T(1, DIAL), 0}, 2},
    /* small UDP limits: dropped and oversized datagrams */
    {"udp-small",
     SCN_FUZZ_F_UDP_SMALL,
     {T(0, WRITE_TO4), 1 + 2 * 9 + 24 * 0, T(0, WRITE_TO), 1 + 2 * 2, T(1, READ_FROM4), 0 + 2 * 9},
     3},
};

static int write_input(const char *dir, const char *name, const uint8_t *b, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
    perror(path);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 64;
  }
  (void)mkdir(argv[1], 0777); /* may exist */
  uint8_t buf[1024];
  int rc = 0;
  /* decisions for the hand-made programs: none (the defaults), then a few */
  static const uint8_t some[] = {1, 0, 2, 1, 3, 0, 1, 2, 0, 0, 1, 1, 2, 3, 1, 0};
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    const seed_t *s = &seeds[i];
    char name[96];
    size_t n = scn_fuzz_encode(s->flags, s->ops, s->n_ops, NULL, 0, buf, sizeof buf);
    snprintf(name, sizeof name, "%02zu-%s", i, s->name);
    rc |= write_input(argv[1], name, buf, n);
    n = scn_fuzz_encode(s->flags, s->ops, s->n_ops, some, sizeof some, buf, sizeof buf);
    snprintf(name, sizeof name, "%02zu-%s-d", i, s->name);
    rc |= write_input(argv[1], name, buf, n);
  }
  /* seeded random programs: xorshift64, fixed seed */
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int k = 0; k < 40; k++) {
    uint8_t ops[2 * 24], dec[48];
    size_t n_ops = 4 + (size_t)(k % 20);
    for (size_t i = 0; i < 2 * n_ops; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      ops[i] = (uint8_t)x;
    }
    for (size_t i = 0; i < sizeof dec; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      dec[i] = (uint8_t)(x % 4u); /* small choices: mostly near the default schedule */
    }
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t n = scn_fuzz_encode((uint8_t)x, ops, n_ops, dec, (size_t)(k % 3) * 16, buf, sizeof buf);
    char name[32];
    snprintf(name, sizeof name, "rand-%03d", k);
    rc |= write_input(argv[1], name, buf, n);
  }
  return rc;
}
