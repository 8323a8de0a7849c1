/* scn_fuzz.h: fuzzer input to a scenario (docs/fuzzing.md).
 *
 * The state-machine fuzz target (tests/fuzz/fuzz_scn_run.c) and
 * `iocpsim from-fuzz` share this decoder: the first bytes of an input are
 * an operation program on a fixed world, written out as scenario TEXT in
 * the language of docs/scenarios.md; the bytes after the program are the
 * run's decision stream (sim.h SIM_SOURCE_BYTES: one byte per decision of
 * at most 256 choices, byte % n).
 *
 * Input layout:
 *   byte 0            world flags (SCN_FUZZ_F_*)
 *   byte 1            P, the number of operations (at most SCN_FUZZ_MAX_OPS)
 *   2*P bytes         the operations: (op, arg) pairs; op's top two bits pick
 *                     the thread (t0, t1, t2; 3 is t0), its low six bits the
 *                     kind; arg picks the object, the size, the deadline...
 *   the rest          decisions
 * A short input is read as far as it goes (missing bytes are 0).
 *
 * The program is live by construction: every thread runs a bounded list of
 * steps (sleeps of at most 7 ms, deadlines of at most 8 ms), raw sends of
 * the peer are bounded so they never block, and a closer (`at 10s`) closes
 * every core object, which ends every read, write, accept and wait the
 * program may have left blocked.  So any run that does not pass is a
 * finding: an invariant failure or an object that could not be made (exit
 * 1), a deadlock or livelock (2), a crash or panic (3), or a rule the fault
 * plan rejected (64, a bug of this decoder).
 *
 * Lifetime: scn_fuzz_decode returns malloc'd text owned by the caller; the
 * decisions point into the input. */
#ifndef IOCPSIM_SCN_FUZZ_H
#define IOCPSIM_SCN_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCN_FUZZ_MAX_OPS 64u

enum {
  SCN_FUZZ_F_WINE8 = 1u << 0,     /* personality wine8 */
  SCN_FUZZ_F_NON_IFS = 1u << 1,   /* system ifs=off: no skip-on-success (B4) */
  SCN_FUZZ_F_MAXRW = 1u << 2,     /* system maxrw=7: chunked reads and writes (B42, B72, B86) */
  SCN_FUZZ_F_SMALLBUF = 1u << 3,  /* net tcp_sndbuf=64 tcp_rcvbuf=64: writes block and pend */
  SCN_FUZZ_F_LATENCY = 1u << 4,   /* net latency=1ms: receives pend */
  SCN_FUZZ_F_SHORT = 1u << 5,     /* short receives and sends drawn from the decisions */
  SCN_FUZZ_F_UDP_SMALL = 1u << 6, /* net udp_max=8 udp_rcvbuf=16: oversized and dropped datagrams */
  SCN_FUZZ_F_ACCEPT_RST = 1u << 7 /* a third of AcceptEx calls reset (prob=1/3, drawn) */
};

typedef struct scn_fuzz_prog {
  char *text;               /* the scenario, NUL-terminated */
  size_t len;               /* strlen(text) */
  const uint8_t *decisions; /* into the input */
  size_t n_decisions;
  size_t n_ops; /* operations decoded */
} scn_fuzz_prog_t;

/* Decodes an input; never fails (any byte string is a program). */
void scn_fuzz_decode(const uint8_t *data, size_t size, scn_fuzz_prog_t *out);
void scn_fuzz_prog_free(scn_fuzz_prog_t *p);

/* The encoder's side, for seed corpora: writes the header for `flags` and
 * `n_ops` (pairs given in ops[2*n_ops]) followed by the decisions into buf
 * (cap bytes); returns the input's length (0 if cap is too small). */
size_t scn_fuzz_encode(uint8_t flags, const uint8_t *ops, size_t n_ops, const uint8_t *decisions,
                       size_t n_decisions, uint8_t *buf, size_t cap);

/* Judges a run's exit code for the target: true when it is a finding. */
bool scn_fuzz_is_finding(int exit_code);

/* `iocpsim from-fuzz INPUT [-o FILE.scn] [--trace FILE]`: decodes a
 * state-machine input, writes its scenario to FILE.scn (default: the
 * input's file name with .scn appended, in the current directory), plays it
 * once with the input's decisions, recording them, and prints the scenario,
 * the run's result and a replay token `v1:FILE.scn:-:c...` of the recorded
 * choices; then replays the token and says whether it reproduced the run
 * (same exit status and trace hash).  Returns the run's exit status (64 on
 * a usage error).  args are the words after `from-fuzz`. */
int scn_fuzz_from_fuzz_cmd(int argc, char **argv);

#endif
