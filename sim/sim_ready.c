/* sim_ready.c: the ready queue, a FIFO that also takes out its i-th entry.
 *
 * A SCHEDULE decision picks a candidate by index in [current, ready fibers
 * in FIFO order], so the queue must hand out "the i-th ready fiber" and
 * remove it from the middle.  A linked list does that in i steps; this
 * queue does it in O(log n) without changing which fiber index i names, so
 * every recorded stream means the same schedule as before.
 *
 * Invariants:
 *  - a fiber is pushed at position `end` (then end++); positions therefore
 *    increase in FIFO order, and a taken fiber leaves a hole;
 *  - bit p of bits[] is set iff slots[p] holds a queued fiber, and
 *    f->ready_pos == p for that fiber;
 *  - fen[] is a Fenwick tree (1-based) over the popcounts of bits[] words:
 *    the sum of fen along the descent is the number of queued fibers in the
 *    words before a given one, so "the i-th queued fiber" is a descent of
 *    log2(words) steps plus a select inside one 64-bit word;
 *  - when end reaches cap, the queued fibers are moved to positions
 *    0..n-1 in the same order, into a capacity of at least 2n (at least 64):
 *    at least cap/2 pushes separate two rebuilds, so a push costs O(1)
 *    amortised plus one Fenwick update.
 * Nothing depends on addresses: positions are push order. */
#include "sim_int.h"

#include <stdlib.h>
#include <string.h>

#define WORD_BITS 64u
#define MIN_CAP 64u

static uint32_t words_of(uint32_t cap) {
  return cap / WORD_BITS;
}

static void fen_add(sim_ready_t *q, uint32_t word, int32_t d) {
  uint32_t nw = words_of(q->cap);
  for (uint32_t k = word + 1; k <= nw; k += k & (~k + 1))
    q->fen[k] = (uint32_t)((int32_t)q->fen[k] + d);
}

/* Number of queued fibers in words [0, word). */
static uint32_t fen_prefix(const sim_ready_t *q, uint32_t word) {
  uint32_t s = 0;
  for (uint32_t k = word; k > 0; k &= k - 1) s += q->fen[k];
  return s;
}

/* The word holding the i-th (0-based) queued fiber; *rem becomes its rank
 * inside that word.  Requires i < q->n. */
static uint32_t fen_find(const sim_ready_t *q, uint32_t i, uint32_t *rem) {
  uint32_t nw = words_of(q->cap);
  uint32_t pos = 0, step = 1;
  while (step * 2 <= nw) step *= 2;
  for (; step > 0; step /= 2) {
    if (pos + step <= nw && q->fen[pos + step] <= i) {
      pos += step;
      i -= q->fen[pos];
    }
  }
  *rem = i;
  return pos;
}

/* Bit counts per byte of x (SWAR: no popcount instruction is assumed, and
 * the compiler's fallback is a library call). */
static uint64_t byte_counts(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ull);
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  return (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
}

static uint32_t popcount64(uint64_t x) {
  return (uint32_t)((byte_counts(x) * 0x0101010101010101ull) >> 56);
}

/* Index of the r-th (0-based) set bit of x; x has more than r bits set. */
static uint32_t select64(uint64_t x, uint32_t r) {
  /* byte k of `upto` = set bits in bytes 0..k (at most 64: fits) */
  uint64_t upto = byte_counts(x) * 0x0101010101010101ull;
  uint32_t byte = 0;
  while (((upto >> (8 * byte)) & 0xffu) <= r) byte++;
  if (byte > 0) r -= (uint32_t)((upto >> (8 * (byte - 1))) & 0xffu);
  uint64_t b = (x >> (8 * byte)) & 0xffu;
  for (; r > 0; r--) b &= b - 1;
  return 8 * byte + (uint32_t)__builtin_ctzll(b);
}

/* Moves the queued fibers to positions 0..n-1 of a capacity >= 2n. */
static void rebuild(sim_ready_t *q) {
  uint32_t cap = MIN_CAP;
  while (cap < 2 * q->n || cap < MIN_CAP) cap *= 2;
  sim_fiber_t **slots = malloc((size_t)cap * sizeof *slots);
  uint64_t *bits = calloc(words_of(cap), sizeof *bits);
  uint32_t *fen = calloc((size_t)words_of(cap) + 1, sizeof *fen);
  if (slots == NULL || bits == NULL || fen == NULL) abort();
  uint32_t n = 0;
  for (uint32_t w = 0; w < words_of(q->cap); w++) {
    for (uint64_t b = q->bits[w]; b != 0; b &= b - 1) {
      sim_fiber_t *f = q->slots[w * WORD_BITS + (uint32_t)__builtin_ctzll(b)];
      f->ready_pos = n;
      slots[n] = f;
      bits[n / WORD_BITS] |= 1ull << (n % WORD_BITS);
      n++;
    }
  }
  /* Fenwick tree in O(words): each node adds itself into its parent */
  uint32_t nw = words_of(cap);
  for (uint32_t k = 1; k <= nw; k++) {
    fen[k] += (uint32_t)popcount64(bits[k - 1]);
    uint32_t parent = k + (k & (~k + 1));
    if (parent <= nw) fen[parent] += fen[k];
  }
  free(q->slots);
  free(q->bits);
  free(q->fen);
  q->slots = slots;
  q->bits = bits;
  q->fen = fen;
  q->cap = cap;
  q->end = n;
}

void sim_ready_init(sim_ready_t *q) {
  memset(q, 0, sizeof *q);
  rebuild(q);
}

void sim_ready_free(sim_ready_t *q) {
  free(q->slots);
  free(q->bits);
  free(q->fen);
  memset(q, 0, sizeof *q);
}

void sim_ready_push(sim_ready_t *q, sim_fiber_t *f) {
  if (q->end == q->cap) rebuild(q);
  uint32_t p = q->end++;
  q->slots[p] = f;
  q->bits[p / WORD_BITS] |= 1ull << (p % WORD_BITS);
  fen_add(q, p / WORD_BITS, 1);
  f->ready_pos = p;
  q->n++;
}

static uint32_t position_of(const sim_ready_t *q, uint32_t i) {
  uint32_t rem;
  uint32_t w = fen_find(q, i, &rem);
  return w * WORD_BITS + select64(q->bits[w], rem);
}

sim_fiber_t *sim_ready_at(const sim_ready_t *q, uint32_t i) {
  return q->slots[position_of(q, i)];
}

sim_fiber_t *sim_ready_take(sim_ready_t *q, uint32_t i) {
  uint32_t p = position_of(q, i);
  sim_fiber_t *f = q->slots[p];
  q->slots[p] = NULL;
  q->bits[p / WORD_BITS] &= ~(1ull << (p % WORD_BITS));
  fen_add(q, p / WORD_BITS, -1);
  q->n--;
  return f;
}

uint32_t sim_ready_rank(const sim_ready_t *q, const sim_fiber_t *f) {
  uint32_t p = f->ready_pos;
  uint32_t w = p / WORD_BITS;
  uint64_t below = (1ull << (p % WORD_BITS)) - 1;
  return fen_prefix(q, w) + (uint32_t)popcount64(q->bits[w] & below);
}

uint32_t sim_ready_ids(const sim_ready_t *q, uint32_t *out) {
  uint32_t n = 0;
  for (uint32_t w = 0; w < words_of(q->cap); w++)
    for (uint64_t b = q->bits[w]; b != 0; b &= b - 1)
      out[n++] = q->slots[w * WORD_BITS + (uint32_t)__builtin_ctzll(b)]->id;
  return n;
}
