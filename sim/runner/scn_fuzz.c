/* scn_fuzz.c: fuzzer input to a scenario (scn_fuzz.h).
 *
 * The world is fixed; only the threads' steps, a few world settings and the
 * decisions come from the input.  Every object a step uses is made by the
 * setup, so no step can name an object that does not exist; objects made
 * inside threads (accept, dial) are never used again and say `=> any`, so
 * their failure is allowed (the run's end closes what they made). */
#include "scn_fuzz.h"

#include "scn.h"
#include "scn_explore.h"
#include "scn_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tbuf {
  char *p;
  size_t n, cap;
} tbuf_t;

static void tb_add(tbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_add(tbuf_t *b, const char *fmt, ...) {
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) abort();
    if (b->p && (size_t)k < b->cap - b->n) {
      b->n += (size_t)k;
      return;
    }
    b->cap = (b->cap + (size_t)k + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
}

/* ---- the world ------------------------------------------------------------------ */

/* The world's objects, each made only when the program names it (a smaller
 * world is a faster run); `line` makes it, `core` says the closer closes it.
 * The pair c s is made when c or s is named, and so on. */
typedef struct fuzz_obj {
  const char *name;
  const char *line; /* NULL: made by the line of the object before it */
  bool core;
} fuzz_obj_t;
static const fuzz_obj_t objs[] = {
    {"c", "pair c s", true}, /* two core FDs: a loopback TCP connection */
    {"s", NULL, true},       {"x", "pair x peer p", true}, /* a core FD and its raw peer */
    {"p", NULL, false},      {"u", "udp u", true},         /* two core UDP sockets */
    {"v", "udp v", true},    {"q", "udp peer q", false},   /* a raw UDP socket */
    {"r", "pipe r w", true},                               /* os.Pipe: not pollable */
    {"w", NULL, true},       {"ln", "listen ln tcp", true},
};
#define N_OBJS (sizeof objs / sizeof objs[0])

/* Marks in used[] every object the text names: as a word, or as @name in a
 * fault rule. */
static void mark_used(const char *text, bool *used) {
  const char *p = text;
  while (*p) {
    while (*p == ' ' || *p == '\n') p++;
    const char *w = p;
    while (*p && *p != ' ' && *p != '\n') p++;
    size_t n = (size_t)(p - w);
    const char *at = memchr(w, '@', n);
    if (at) {
      n -= (size_t)(at + 1 - w);
      w = at + 1;
    }
    for (size_t i = 0; i < N_OBJS; i++)
      if (strlen(objs[i].name) == n && memcmp(objs[i].name, w, n) == 0) used[i] = true;
  }
}

/* The closer: at 10 s of virtual time (far beyond any sleep or deadline of
 * the program) every core object is closed, which ends every read, write,
 * accept and raw_read left blocked (B27, B37, B38, B46). */

static const char *const streams[] = {"c", "s", "x"};
static const char *const udps[] = {"u", "v"};
static const char *const cores[] = {"c", "s", "x", "u", "v", "r", "w", "ln"};
static const char *const deadlined[] = {"c", "s", "x", "u", "v", "r", "ln"};
static const char *const cancelable[] = {"c", "s", "x", "u", "v", "r", "w"};
static const char *const deadlines[] = {"none", "past", "now",  "+1ms",
                                        "+2ms", "+5ms", "+8ms", "-1ms"};
static const unsigned sizes[] = {0, 1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 64, 100, 200, 1000, 5000};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Data for a write: "" or fill N. */
static void data_arg(tbuf_t *b, unsigned n) {
  if (n == 0)
    tb_add(b, " \"\"");
  else
    tb_add(b, " fill %u", n);
}

/* The fault templates a step can add (handle-targeted; K from the arg). */
static void fault_step(tbuf_t *b, uint8_t a) {
  unsigned k = 1u + (unsigned)(a / 13u) % 3u;
  switch (a % 13u) {
    case 0:
      tb_add(b, "fault WSARecv handle=@c nth=%u -> error code=WSAECONNRESET", k);
      break;
    case 1:
      tb_add(b, "fault WSARecv handle=@x nth=%u -> pending code=WSAECONNRESET after=1ms", k);
      break;
    /* the two cancel races complete with a reset, never with a byte count:
     * a forced count is reported as told whatever really arrived
     * (fakewin/src/fw_socket.c req_forced), and a success with 0 bytes is
     * a FIN the peer never sent, so either would invent or lose bytes and
     * trip bytes-conserved without a bug (docs/fuzzing.md) */
    case 2:
      tb_add(
          b,
          "fault WSARecv handle=@c nth=%u -> complete-before-cancel status=STATUS_CONNECTION_RESET",
          k);
      break;
    case 3:
      tb_add(b, "fault WSARecv handle=@s nth=%u -> cancel-too-late status=STATUS_CONNECTION_RESET",
             k);
      break;
    case 4:
      tb_add(b, "fault WSARecv handle=@x nth=%u -> cancel-wins", k);
      break;
    case 5:
      tb_add(b, "fault WSASend handle=@c nth=%u -> short bytes=draw", k);
      break;
    case 6:
      tb_add(b, "fault WSASend handle=@s nth=%u -> error code=WSAECONNRESET", k);
      break;
    case 7:
      tb_add(b, "fault world handle=@x -> peer-rst after=%ums", k);
      break;
    case 8:
      tb_add(b, "fault WSARecvFrom handle=@u nth=%u -> pending code=WSAECONNRESET after=1ms", k);
      break;
    case 9:
      tb_add(b, "fault AcceptEx handle=@ln nth=%u -> pending code=WSAECONNRESET", k);
      break;
    case 10:
      tb_add(b, "fault AcceptEx handle=@ln nth=%u -> pending code=ERROR_NETNAME_DELETED", k);
      break;
    case 11:
      tb_add(b, "fault ReadFile handle=@r nth=%u -> error code=ERROR_BROKEN_PIPE", k);
      break;
    default:
      tb_add(b, "fault WSASendTo handle=@v nth=%u -> pending code=WSAECONNRESET after=1ms", k);
      break;
  }
}

enum {
  K_READ = 0,
  K_WRITE,
  K_WRITEV,
  K_CLOSE,
  K_SHUT,
  K_RDL,
  K_WDL,
  K_DL,
  K_READ_FROM,
  K_WRITE_TO,
  K_READ_FROM4,
  K_WRITE_TO4,
  K_SENDTO,
  K_SEND,
  K_PEER_END,
  K_PIPE_READ,
  K_PIPE_WRITE,
  K_SLEEP,
  K_YIELD,
  K_FAULT,
  K_FOREIGN,
  K_CANCEL,
  K_ACCEPT,
  K_DIAL,
  K_RAW_WRITE,
  K_COUNT
};

/* One operation as a step line (without indentation or newline).
 * *peer_bytes bounds the raw peer's sends: p's sends never block, whatever
 * the buffers (at most 48 bytes in flight from p, below the smallest
 * buffer the flags can set). */
static void op_step(tbuf_t *b, uint8_t op, uint8_t a, unsigned *peer_bytes, uint8_t flags) {
  unsigned k = (op & 63u) % K_COUNT;
  const char *so = streams[a % 3u];
  switch (k) {
    case K_READ:
      tb_add(b, "read %s %u", so, sizes[(a / 3u) % 10u]);
      break;
    case K_WRITE:
      tb_add(b, "write %s", so);
      data_arg(b, sizes[(a / 3u) % 16u]);
      break;
    case K_WRITEV:
      tb_add(b, "writev %s", so);
      data_arg(b, sizes[(a / 3u) % 6u]);
      data_arg(b, sizes[(a / 18u) % 3u]);
      data_arg(b, sizes[(a / 54u) % 5u]);
      break;
    case K_CLOSE:
      tb_add(b, "close %s", cores[a % N_OF(cores)]);
      break;
    case K_SHUT:
      tb_add(b, "%s %s", (a / 3u) % 2u ? "close_read" : "close_write", so);
      break;
    case K_RDL:
    case K_WDL:
    case K_DL:
      tb_add(b, "%s %s %s",
             k == K_RDL   ? "set_read_deadline"
             : k == K_WDL ? "set_write_deadline"
                          : "set_deadline",
             deadlined[a % N_OF(deadlined)], deadlines[(a / N_OF(deadlined)) % N_OF(deadlines)]);
      break;
    case K_READ_FROM:
    case K_READ_FROM4:
      /* without skip-on-success a datagram read into a short buffer leaves
       * a stale completion packet (docs/findings.md F-2, a known bug of
       * the seed, tests/findings): with ifs=off the buffers hold any
       * datagram, so the fuzzer looks for something new */
      tb_add(b, "%s %s %u", k == K_READ_FROM ? "read_from" : "read_from_inet4", udps[a % 2u],
             (flags & SCN_FUZZ_F_NON_IFS) ? 8192u : sizes[(a / 2u) % 10u]);
      break;
    case K_WRITE_TO:
    case K_WRITE_TO4: {
      static const char *const to[] = {"u", "v", "q"};
      tb_add(b, "%s %s", k == K_WRITE_TO ? "write_to" : "write_to_inet4", udps[a % 2u]);
      data_arg(b, sizes[(a / 2u) % 12u]);
      tb_add(b, " %s", to[(a / 24u) % 3u]);
      break;
    }
    case K_SENDTO:
      tb_add(b, "sendto q");
      data_arg(b, sizes[(a / 2u) % 12u]);
      tb_add(b, " %s", udps[a % 2u]);
      break;
    case K_SEND: {
      unsigned n = sizes[a % 10u];
      if (*peer_bytes + n > 48) n = 0;
      *peer_bytes += n;
      if (n == 0)
        tb_add(b, "yield");
      else
        tb_add(b, "send p fill %u", n);
      break;
    }
    case K_PEER_END: {
      static const char *const how[] = {"shutdown p send", "shutdown p recv", "shutdown p both",
                                        "reset p"};
      unsigned h = a % 4u;
      tb_add(b, "%s", how[h]);
      break;
    }
    case K_PIPE_READ:
      tb_add(b, "read r %u", sizes[a % 10u]);
      break;
    case K_PIPE_WRITE:
      tb_add(b, "write w");
      data_arg(b, sizes[a % 16u]);
      break;
    case K_SLEEP:
      tb_add(b, "sleep %ums", a % 8u);
      break;
    case K_YIELD:
      tb_add(b, "yield");
      break; /* K_FAULT: top-level lines, see scn_fuzz_decode */
    case K_FOREIGN:
      tb_add(b, "foreign_recv %s %u", a % 2u ? "x" : "c", 1u + (a / 2u) % 8u);
      break;
    case K_CANCEL:
      tb_add(b, "cancel_io %s", cancelable[a % N_OF(cancelable)]);
      break;
    case K_ACCEPT:
      tb_add(b, "accept ln as a => any");
      break;
    case K_DIAL:
      tb_add(b, "dial d tcp ln => any");
      break;
    /* raw_write with a callback that is done at once; raw_read is left
     * out: its callback (ready when FIONREAD > 0) never becomes true at EOF,
     * so after a FIN it spins as Go's would, a livelock of the program */
    default:
      tb_add(b, "raw_write %s true", so);
      break;
  }
}

void scn_fuzz_decode(const uint8_t *data, size_t size, scn_fuzz_prog_t *out) {
  memset(out, 0, sizeof *out);
  uint8_t flags = size > 0 ? data[0] : 0;
  size_t want = size > 1 ? data[1] : 0;
  if (want > SCN_FUZZ_MAX_OPS) want = SCN_FUZZ_MAX_OPS;
  size_t avail = size > 2 ? (size - 2) / 2 : 0;
  size_t n_ops = want < avail ? want : avail;
  const uint8_t *ops = data + (size > 2 ? 2 : size);
  size_t consumed = (size > 2 ? 2 : size) + 2 * n_ops;

  tbuf_t b = {0};
  tb_add(&b, "# fuzz: a state-machine fuzz input (scn_fuzz.h), flags 0x%02x, %zu operations\n",
         flags, n_ops);
  if (flags & SCN_FUZZ_F_WINE8) {
    tb_add(&b, "personality wine8\n");
    /* wine8 reads a reset as EOF (W4) after dropping the unread bytes, and
     * a close with unread data resets: a drained stream then seems short */
    tb_add(&b, "invariant off bytes-conserved  # W4: under wine8 a reset reads as EOF\n");
  }
  if (flags & SCN_FUZZ_F_NON_IFS) tb_add(&b, "system ifs=off\n");
  /* maxrw=7 would cut the large UDP reads of ifs=off back to 7 bytes (B42)
   * and bring F-2 back (see op_step): with ifs=off the flag is ignored */
  if ((flags & SCN_FUZZ_F_MAXRW) && !(flags & SCN_FUZZ_F_NON_IFS)) tb_add(&b, "system maxrw=7\n");
  if (flags & SCN_FUZZ_F_SMALLBUF) tb_add(&b, "net tcp_sndbuf=64 tcp_rcvbuf=64\n");
  if (flags & SCN_FUZZ_F_LATENCY) tb_add(&b, "net latency=1ms\n");
  if (flags & SCN_FUZZ_F_UDP_SMALL) tb_add(&b, "net udp_max=8 udp_rcvbuf=16\n");
  /* prob= rules draw SIM_DECIDE_FAULT decisions; choice 0 fires, and a
   * stream that ran out answers 0, so each is bounded by max= */
  if (flags & SCN_FUZZ_F_SHORT) {
    tb_add(&b, "fault * op=recv prob=1/4 max=16 -> short bytes=draw\n");
    tb_add(&b, "fault * op=send prob=1/4 max=16 -> short bytes=draw\n");
  }
  if (flags & SCN_FUZZ_F_ACCEPT_RST)
    tb_add(&b, "fault AcceptEx prob=1/3 max=4 -> pending code=WSAECONNRESET\n");
  /* the program first, into its own buffer: the world is made of what it
   * names */
  size_t prog_at = b.n;
  /* The fault operations become top-level lines after the world: added
   * once every object exists and before any thread starts, so `@name`
   * always names an open object (inside a thread it could follow a close,
   * and a rule on a closed handle is rejected). */
  for (size_t i = 0; i < n_ops; i++) {
    if ((ops[2 * i] & 63u) % K_COUNT != K_FAULT) continue;
    fault_step(&b, ops[2 * i + 1]);
    tb_add(&b, "\n");
  }
  unsigned peer_bytes = 0;
  for (unsigned t = 0; t < 3; t++) {
    bool any = false;
    for (size_t i = 0; i < n_ops; i++) {
      uint8_t op = ops[2 * i], a = ops[2 * i + 1];
      unsigned th = (op >> 6) % 3u;
      if (th != t || (op & 63u) % K_COUNT == K_FAULT) continue;
      if (!any) tb_add(&b, "thread t%u\n", t);
      any = true;
      tb_add(&b, "  ");
      op_step(&b, op, a, &peer_bytes, flags);
      tb_add(&b, "\n");
    }
  }
  if (b.n == prog_at)
    tb_add(&b, "thread t0\n  yield\n"); /* no operation: a scenario needs a step */
  bool used[N_OBJS] = {false};
  mark_used(b.p + prog_at, used);
  for (size_t i = 1; i < N_OBJS; i++) /* a pair or pipe is made by its first name's line */
    if (used[i] && objs[i].line == NULL) used[i - 1] = true;
  tbuf_t w = {0};
  tb_add(&w, "%.*s", (int)prog_at, b.p);
  for (size_t i = 0; i < N_OBJS; i++)
    if (used[i] && objs[i].line) tb_add(&w, "%s\n", objs[i].line);
  tb_add(&w, "%s", b.p + prog_at);
  bool any = false;
  for (size_t i = 0; i < N_OBJS; i++) {
    bool made = used[i] || (i > 0 && objs[i].line == NULL && used[i - 1]);
    if (!made || !objs[i].core) continue;
    if (!any) tb_add(&w, "at 10s\n");
    any = true;
    tb_add(&w, "  close %s\n", objs[i].name);
  }
  free(b.p);
  b = w;
  out->text = b.p;
  out->len = b.n;
  out->decisions = data + consumed;
  out->n_decisions = size - consumed;
  out->n_ops = n_ops;
}

void scn_fuzz_prog_free(scn_fuzz_prog_t *p) {
  free(p->text);
  memset(p, 0, sizeof *p);
}

size_t scn_fuzz_encode(uint8_t flags, const uint8_t *ops, size_t n_ops, const uint8_t *decisions,
                       size_t n_decisions, uint8_t *buf, size_t cap) {
  if (n_ops > SCN_FUZZ_MAX_OPS) n_ops = SCN_FUZZ_MAX_OPS;
  size_t need = 2 + 2 * n_ops + n_decisions;
  if (need > cap) return 0;
  buf[0] = flags;
  buf[1] = (uint8_t)n_ops;
  if (n_ops) memcpy(buf + 2, ops, 2 * n_ops);
  if (n_decisions) memcpy(buf + 2 + 2 * n_ops, decisions, n_decisions);
  return need;
}

bool scn_fuzz_is_finding(int exit_code) {
  return exit_code != 0;
}

/* ---- iocpsim from-fuzz ------------------------------------------------------------ */

static int from_fuzz_usage(const char *msg) {
  fprintf(stderr,
          "iocpsim: from-fuzz: %s\nusage: iocpsim from-fuzz INPUT [-o FILE.scn] [--trace FILE]\n",
          msg);
  return 64;
}

int scn_fuzz_from_fuzz_cmd(int argc, char **argv) {
  const char *input = NULL, *out_path = NULL, *trace = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
      out_path = argv[++i];
    else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
      trace = argv[++i];
    else if (argv[i][0] == '-' && argv[i][1])
      return from_fuzz_usage("unknown option (or an option without its value)");
    else if (input)
      return from_fuzz_usage("one INPUT at a time");
    else
      input = argv[i];
  }
  if (!input) return from_fuzz_usage("no INPUT given");
  FILE *f = fopen(input, "rb");
  if (!f) {
    perror(input);
    return 64;
  }
  size_t cap = 4096, n = 0, k;
  uint8_t *data = malloc(cap);
  if (!data) abort();
  while ((k = fread(data + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) {
      cap *= 2;
      data = realloc(data, cap);
      if (!data) abort();
    }
  }
  fclose(f);
  char def[1024];
  if (!out_path) {
    const char *base = strrchr(input, '/');
    snprintf(def, sizeof def, "%s.scn", base ? base + 1 : input);
    out_path = def;
  }
  scn_fuzz_prog_t p;
  scn_fuzz_decode(data, n, &p);
  FILE *o = fopen(out_path, "w");
  if (!o || fwrite(p.text, 1, p.len, o) != p.len || fclose(o) != 0) {
    perror(out_path);
    scn_fuzz_prog_free(&p);
    free(data);
    return 64;
  }
  printf("%s", p.text);
  printf("# ---- written to %s; %zu decision bytes follow the program\n", out_path, p.n_decisions);
  scn_error_t perr;
  scn_t *s = scn_parse_file(out_path, &perr);
  if (!s) {
    fprintf(stderr, "%s:%u:%u: error: %s (a bug of the decoder)\n", out_path, perr.line, perr.col,
            perr.msg);
    scn_fuzz_prog_free(&p);
    free(data);
    return 64;
  }
  static const uint8_t none = 0;
  scn_run_opts_t ro;
  memset(&ro, 0, sizeof ro);
  ro.personality = -1;
  ro.bytes = p.n_decisions ? p.decisions : &none;
  ro.n_bytes = p.n_decisions;
  ro.record = true;
  ro.trace_path = trace;
  scn_run_result_t r;
  int rc = scn_run(s, &ro, &r);
  printf("result: %s (exit %d), %llu decisions, trace %016llx\n", r.status, rc,
         (unsigned long long)r.n_decisions, (unsigned long long)r.trace_hash);
  if (r.message) printf("%s\n", r.message);
  if (r.timeline) printf("%s", r.timeline);
  if (r.report) printf("%s\n", r.report);
  /* The decisions as choices: a prefix replay answers them in order and 0
   * after them, as the bytes source does when its bytes run out. */
  scn_token_t t;
  memset(&t, 0, sizeof t);
  t.path = (char *)out_path;
  t.personality = -1;
  t.kind = SCN_TOK_CHOICES;
  t.choices = r.choices;
  t.n_choices = r.n_choices;
  char *tok = scn_token_format(&t);
  size_t tl = strlen(tok);
  printf("replay: iocpsim replay '%s'\n", tok);
  if (tl > SCN_TOKEN_MAX)
    printf(
        "(the token is %zu characters, over the usual %u: the decisions hold many non-default "
        "choices)\n",
        tl, SCN_TOKEN_MAX);
  /* check that the token reproduces the run */
  scn_token_t back;
  char err[256];
  bool same = false;
  if (scn_token_parse(tok, &back, err, sizeof err)) {
    scn_run_opts_t ro2;
    memset(&ro2, 0, sizeof ro2);
    scn_token_strategy_t *ts = scn_token_strategy(&back, &ro2);
    scn_run_result_t r2;
    scn_run(s, &ro2, &r2);
    same = r2.exit_code == r.exit_code && r2.trace_hash == r.trace_hash;
    printf("the token %s the run (exit %d, trace %016llx)\n",
           same ? "reproduces" : "does NOT reproduce", r2.exit_code,
           (unsigned long long)r2.trace_hash);
    scn_run_result_free(&r2);
    scn_token_strategy_free(ts);
    scn_token_free(&back);
  } else {
    printf("the token does not parse: %s\n", err);
  }
  free(tok);
  scn_run_result_free(&r);
  scn_free(s);
  scn_fuzz_prog_free(&p);
  free(data);
  if (!same && rc == 0) rc = 1;
  return rc;
}
