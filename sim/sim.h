/* sim.h: the deterministic engine under fakewin (DESIGN.md §2-§3, §8).
 *
 * A world is one run of a program: its threads are fibers on the calling
 * (host) thread, exactly one of them runs at a time, the clock is virtual
 * (nanoseconds, 0 at world start) and every choice that could make two runs
 * differ is drawn from one decision stream and recorded.  A run is therefore
 * a pure function of (binary, program, stream): same seed, same trace.
 *
 * Layering: this header knows nothing about Win32.  fakewin/src builds the
 * Win32 objects on the primitives below: scheduling points (sim_yield),
 * blocking with an optional virtual-time timeout (sim_block / sim_wake),
 * timed events (sim_timer_*, sim_at), per-world hooks and the trace.
 *
 * Worlds run one after another in one process; nothing here is thread-safe
 * and no libc threads are used.  docs/sim.md describes the design. */
#ifndef IOCPSIM_SIM_H
#define IOCPSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define SIM_NORETURN __attribute__((noreturn))
#define SIM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SIM_NORETURN
#define SIM_PRINTF(f, a)
#endif

/* ---- outcomes and exit codes -------------------------------------------- */

/* How a run ended.  Each status maps to one process exit code of the future
 * `iocpsim` runner (sim_exit_code). */
typedef enum sim_status {
  SIM_STATUS_PASS = 0,        /* main returned (or every fiber exited) */
  SIM_STATUS_EXPECT_FAILED,   /* the program's own expectation failed (sim_fail) */
  SIM_STATUS_DEADLOCK,        /* every fiber blocked, no timer or timed event left */
  SIM_STATUS_LIVELOCK,        /* step budget or virtual-time budget exhausted */
  SIM_STATUS_CRASH,           /* a panic, an abort-worthy misuse of an API */
  SIM_STATUS_INVARIANT,       /* an invariant of the world or of the program broke */
  SIM_STATUS_REPLAY_DIVERGED, /* the replayed stream does not fit this program */
  SIM_STATUS_USAGE            /* bad configuration */
} sim_status_t;

/* Exit codes, one enum for the whole project.  A stack overflow is reported
 * from the SIGSEGV handler, which exits the process with SIM_EXIT_CRASH. */
typedef enum sim_exit_code {
  SIM_EXIT_PASS = 0,
  SIM_EXIT_EXPECT = 1,   /* expectation failure */
  SIM_EXIT_LIVENESS = 2, /* deadlock or livelock */
  SIM_EXIT_CRASH = 3,    /* crash, invariant violation, stack overflow */
  SIM_EXIT_USAGE = 64    /* usage or parse error; a replay that does not fit */
} sim_exit_code_t;

sim_exit_code_t sim_exit_code(sim_status_t status);
const char *sim_status_name(sim_status_t status); /* "pass", "deadlock", ... */

/* ---- the decision stream ------------------------------------------------- */

/* What a decision is about.  Strategies may treat kinds differently (PCT
 * only steers SCHEDULE); the recorded stream keeps the kind so a replay
 * notices when a program asks a different question. */
typedef enum sim_decision_kind {
  SIM_DECIDE_SCHEDULE = 0,     /* which candidate fiber runs (0 = the current one) */
  SIM_DECIDE_TIMER_TIE,        /* which of several events due at the same instant fires first */
  SIM_DECIDE_FAULT,            /* whether / which fault rule fires */
  SIM_DECIDE_COMPLETION_ORDER, /* which ready completion is delivered first */
  SIM_DECIDE_SHORT_TRANSFER,   /* how many bytes a short transfer moves */
  SIM_DECIDE_VALUE,            /* any other value a program or test draws */
  SIM_DECIDE_TIMING,           /* a timing the real system leaves open (docs/explore.md §1) */
  SIM_DECIDE_KIND_COUNT
} sim_decision_kind_t;

const char *sim_decision_kind_name(sim_decision_kind_t kind);

/* One decision: `choice` out of `n` (n >= 2; one-way choices are neither
 * drawn nor recorded). */
typedef struct sim_decision {
  uint32_t kind; /* sim_decision_kind_t */
  uint32_t n;
  uint32_t choice;
} sim_decision_t;

/* A pluggable source of choices (random walk, replay, fuzzer bytes now; PCT
 * and bounded DFS later).  `labels`, when the caller has them, names the n
 * candidates (fiber ids for SCHEDULE, candidate 0 being the current fiber);
 * it may be NULL.  Building `labels` costs O(n) per SCHEDULE decision, so
 * it is built only for a strategy with wants_labels; a strategy that must
 * stay cheap with thousands of ready fibers leaves wants_labels false and
 * asks sim_schedule_candidate / sim_schedule_index (O(log n)) instead.  choose() returns a value <
 * n, or SIM_CHOICE_DIVERGED when the source cannot answer this question (the run then ends with
 * SIM_STATUS_REPLAY_DIVERGED).  finish() is called once when the run ends
 * and may turn a pass into a divergence (e.g. a replay not fully used). */
#define SIM_CHOICE_DIVERGED UINT32_MAX
typedef struct sim_strategy {
  void *state;
  bool wants_labels;
  uint32_t (*choose)(void *state, sim_decision_kind_t kind, uint32_t n, const uint32_t *labels,
                     char *why, size_t why_len);
  bool (*finish)(void *state, char *why, size_t why_len); /* may be NULL; false = diverged */
} sim_strategy_t;

/* Inside choose() of a SCHEDULE decision only (anywhere else aborts): the
 * fiber id of candidate `index` (0 if index >= n), and the candidate index
 * of a fiber id (UINT32_MAX if that fiber is not a candidate).  O(log n). */
uint32_t sim_schedule_candidate(uint32_t index);
uint32_t sim_schedule_index(uint32_t fiber_id);

/* ---- search strategies (sim_explore.c) --------------------------------------
 *
 * PCT with depth d: sim_pct_new(seed, d, k) for a run expected to make about
 * k SCHEDULE decisions (measure it with a first run); one object per run.
 * The guaranteed probability of hitting a given depth-d bug in one run is at
 * least 1 / (n * k^(d-1)) for n fibers (sim_pct_fibers after the run).
 *
 * DFS with at most B preemptions: one sim_dfs_t for a whole exploration.
 * Before each run take sim_dfs_strategy(d); after it call sim_dfs_next(d),
 * which returns false when every schedule within the bound has been run
 * (sim_dfs_exhausted) or the program proved not deterministic.
 * sim_dfs_choices gives the running schedule as its non-default prefix (the
 * form a replay token carries).
 *
 * Prefix replay: sim_prefix_new(choices, n) answers the given choices in
 * order and 0 (the default: keep running the current fiber, no fault, ...)
 * after them; a choice that does not fit its question ends the run as a
 * divergence. */
typedef struct sim_pct sim_pct_t;
sim_pct_t *sim_pct_new(uint64_t seed, uint32_t depth, uint64_t k_estimate);
const sim_strategy_t *sim_pct_strategy(sim_pct_t *p);
uint64_t sim_pct_decisions(const sim_pct_t *p); /* SCHEDULE decisions of the run */
uint32_t sim_pct_fibers(const sim_pct_t *p);    /* fibers it saw */
void sim_pct_free(sim_pct_t *p);

typedef struct sim_dfs sim_dfs_t;
sim_dfs_t *sim_dfs_new(uint32_t max_preemptions);
const sim_strategy_t *sim_dfs_strategy(sim_dfs_t *d);
bool sim_dfs_next(sim_dfs_t *d);
uint64_t sim_dfs_runs(const sim_dfs_t *d);
bool sim_dfs_exhausted(const sim_dfs_t *d);
size_t sim_dfs_choices(const sim_dfs_t *d, uint32_t *out, size_t max);
void sim_dfs_free(sim_dfs_t *d);

typedef struct sim_prefix sim_prefix_t;
sim_prefix_t *sim_prefix_new(const uint32_t *choices, size_t n);
const sim_strategy_t *sim_prefix_strategy(sim_prefix_t *p);
void sim_prefix_free(sim_prefix_t *p);

/* Draws one choice in [0, n).  n <= 1 returns 0 without touching the stream.
 * Must be called inside a world (a fiber, an event or a hook). */
uint32_t sim_decide(sim_decision_kind_t kind, uint32_t n, const uint32_t *labels);

/* True with probability num/den (integer ratio, TigerBeetle style): one
 * decision of kind `kind` over den choices, true for the last num of them
 * (so the default choice 0 is false); den == 0 or num == 0 is false without
 * a draw, num >= den is true without a draw. */
bool sim_chance(sim_decision_kind_t kind, uint32_t num, uint32_t den);

/* The project's PRNG: xoshiro256** seeded through splitmix64.  Also what the
 * SIM_SOURCE_SEED strategy draws from. */
typedef struct sim_rng {
  uint64_t s[4];
} sim_rng_t;
void sim_rng_seed(sim_rng_t *r, uint64_t seed);
uint64_t sim_rng_next(sim_rng_t *r);
uint32_t sim_rng_below(sim_rng_t *r, uint32_t n); /* uniform in [0, n), n >= 1 */

/* ---- configuration and result ------------------------------------------- */

typedef enum sim_source {
  SIM_SOURCE_SEED = 0, /* splitmix64-seeded xoshiro256** random walk */
  SIM_SOURCE_REPLAY, /* a recorded stream (sim_result_t.decisions of a run with record_decisions) */
  SIM_SOURCE_BYTES   /* raw bytes, e.g. from a fuzzer */
} sim_source_t;

#define SIM_DEFAULT_STACK_SIZE (256u * 1024u)
#define SIM_DEFAULT_MAX_STEPS 10000000u
#define SIM_DEFAULT_TRACE_RING 64u

/* One call event as an observer sees it (sim_config_t.observer).  The
 * pointers are valid during the callback only. */
struct sim_tracepoint;
typedef struct sim_trace_view {
  uint64_t t;                      /* virtual time */
  uint32_t fiber;                  /* 0: an event callback */
  const struct sim_tracepoint *tp; /* name and argument formats */
  const uint64_t *args;            /* as many as tp names */
  uint64_t ret;
  uint32_t err;
} sim_trace_view_t;

/* A zero-initialised config is valid: seed 0, defaults everywhere. */
typedef struct sim_config {
  sim_source_t source;
  uint64_t seed;                /* SIM_SOURCE_SEED */
  const sim_decision_t *replay; /* SIM_SOURCE_REPLAY */
  size_t replay_len;
  bool replay_lenient; /* clamp mismatches, answer 0 past the end (for shrinking) */
  const uint8_t
      *bytes; /* SIM_SOURCE_BYTES: 1 byte per choice when n <= 256, else 4; 0 past the end */
  size_t bytes_len;
  const sim_strategy_t *strategy; /* non-NULL: overrides `source` */
  bool record_decisions;          /* keep the whole stream in sim_result_t.decisions (for replay and
                                     shrinking); false (default): only counted and hashed, so memory
                                     stays flat however long the run */

  uint64_t max_steps;    /* scheduling points before a livelock is declared; 0: default */
  uint64_t max_time_ns;  /* virtual time before a livelock is declared; 0: unlimited */
  uint64_t step_cost_ns; /* virtual time added at every scheduling point; 0 (default): none */
  /* The most virtual time a call may take (0, the default: none).  At a
   * scheduling point where the next timed event is due within this much
   * time, a TIMING decision says whether the call took long enough to reach
   * it (1: time jumps to it and it fires now, so a deadline can race a
   * completion) - a decision only where time could change the outcome. */
  uint64_t time_jitter_ns;
  size_t stack_size;      /* per fiber; 0: SIM_DEFAULT_STACK_SIZE */
  const char *trace_path; /* JSONL trace file; NULL: hash only */
  size_t trace_ring;      /* events kept for reports; 0: default */
  const char *main_name;  /* name of the first fiber; NULL: "main" */
  /* Called for every call event of the trace, inside the world, after it is
   * recorded; it must not block, decide or trace.  NULL: none. */
  void (*observer)(void *arg, const sim_trace_view_t *ev);
  void *observer_arg;
  uint32_t expect_fibers; /* > 0: the most fibers the world will hold at once; sim_run refuses
                             (SIM_STATUS_USAGE, naming the kernel limit) a world that the
                             kernel's limits could not hold, instead of failing midway */
} sim_config_t;

typedef struct sim_result {
  sim_status_t status;
  sim_exit_code_t exit_code;
  char message[512];    /* one line; empty on pass */
  char *report;         /* multi-line failure report (fibers + trace tail); NULL on pass */
  uint64_t trace_hash;  /* stable hash over every trace event */
  uint64_t events;      /* trace events */
  uint64_t steps;       /* scheduling points */
  uint64_t switches;    /* fiber switches */
  uint64_t end_time_ns; /* virtual time when the run ended */
  uint32_t fibers_created;
  uint32_t fibers_abandoned; /* still blocked (or runnable) when the run ended */
  sim_decision_t *decisions; /* the stream (malloc'd, n_decisions long) if cfg.record_decisions,
                                else NULL */
  size_t n_decisions;        /* decisions made (whether recorded or not) */
  uint64_t decision_hash;    /* hash over every (kind, n, choice), recorded or not */
} sim_result_t;

/* Runs one world: main_fn(arg) is its first fiber (the program's main
 * thread).  Returns when main_fn returns (fibers still alive are abandoned
 * and counted), when every fiber has exited, or on failure.  Returns
 * out->status.  Must be called from outside any world. */
sim_status_t sim_run(const sim_config_t *cfg, void (*main_fn)(void *), void *arg,
                     sim_result_t *out);
void sim_result_free(sim_result_t *r);

/* Ends the current world now with `status` (never PASS) and a message.
 * Callable from a fiber, a timed event or the panic hook of the code under
 * test. */
SIM_NORETURN void sim_fail(sim_status_t status, const char *fmt, ...) SIM_PRINTF(2, 3);

/* Ends the current world now as a normal process exit (SIM_STATUS_PASS),
 * like returning from the main fiber (ExitProcess). */
SIM_NORETURN void sim_exit_world(void);

/* An expectation inside the world: a failure ends the run with
 * SIM_STATUS_EXPECT_FAILED naming the file, line and condition. */
#define SIM_EXPECT(cond)                                                                   \
  do {                                                                                     \
    if (!(cond))                                                                           \
      sim_fail(SIM_STATUS_EXPECT_FAILED, "%s:%d: expected %s", __FILE__, __LINE__, #cond); \
  } while (0)

bool sim_in_world(void); /* a world is running (in a fiber, event or hook) */
bool sim_in_fiber(void); /* ... and the caller is one of its fibers */

/* Aborts the process with a clear message unless the caller is a fiber of a
 * running world: a Win32 call outside any world must never silently work. */
void sim_require_fiber(const char *call);

/* ---- per-world hooks ------------------------------------------------------ */

/* Process-wide list of hooks run at every world start (registration order)
 * and end (reverse order), on the host thread, outside any fiber.  fakewin
 * resets its handle table here; the core's core_process_reset belongs here
 * too.  A hook object must live as long as the process; adding it twice is a
 * no-op.  Hooks must not block or decide. */
typedef struct sim_hook {
  void (*world_start)(void *arg); /* may be NULL */
  void (*world_end)(void *arg);   /* may be NULL */
  void *arg;
  struct sim_hook *next_; /* private */
  bool added_;            /* private */
} sim_hook_t;
void sim_hook_add(sim_hook_t *hook);

/* ---- fibers --------------------------------------------------------------- */

/* How many more fibers with stacks of `stack_size` (0: the default) the
 * process can create before the kernel's limit on memory mappings
 * (vm.max_map_count) stops it, and which limit that is (*limit, may be
 * NULL).  Memory is not counted: stacks are reserved lazily
 * (MAP_NORESERVE) and cost the pages a fiber touches.  Past the limit
 * sim_spawn returns NULL (CreateThread fails with ERROR_NOT_ENOUGH_MEMORY);
 * nothing crashes. */
size_t sim_fiber_capacity(size_t stack_size, const char **limit);

typedef struct sim_fiber sim_fiber_t;

typedef enum sim_fiber_state {
  SIM_FIBER_RUNNABLE = 0, /* running or ready */
  SIM_FIBER_BLOCKED,
  SIM_FIBER_SUSPENDED, /* created suspended, not started yet */
  SIM_FIBER_DEAD
} sim_fiber_state_t;

/* Creates a fiber that will run fn(arg); it is appended to the ready queue
 * (or left SUSPENDED until sim_fiber_start).  Not a scheduling point by
 * itself.  stack_size 0: the world's default; sizes are rounded up to whole
 * pages and never below the world's default.  name may be NULL ("fiber-<id>");
 * it is copied. */
sim_fiber_t *sim_spawn(const char *name, void (*fn)(void *), void *arg, size_t stack_size,
                       bool suspended);
void sim_fiber_start(sim_fiber_t *f); /* SUSPENDED -> ready */

/* Ends the calling fiber (its stack is released later).  Returning from the
 * fiber function does the same; returning from the main fiber ends the
 * world with SIM_STATUS_PASS. */
SIM_NORETURN void sim_fiber_exit(void);

sim_fiber_t *sim_current(void);              /* NULL outside fibers */
uint32_t sim_fiber_id(const sim_fiber_t *f); /* 1, 2, ... in creation order */
const char *sim_fiber_name(const sim_fiber_t *f);
void sim_fiber_set_name(sim_fiber_t *f, const char *name);
sim_fiber_state_t sim_fiber_state(const sim_fiber_t *f);
void *sim_fiber_user(const sim_fiber_t *f); /* one word for the layer above */
void sim_fiber_set_user(sim_fiber_t *f, void *user);
sim_fiber_t *sim_fiber_by_id(uint32_t id); /* NULL if no such fiber in this world */

/* ---- scheduling ----------------------------------------------------------- */

/* A scheduling point: fires due events, then lets the decision stream pick
 * among the current fiber (choice 0) and the ready fibers in FIFO order.
 * Returns true if another fiber ran before the caller continued. */
bool sim_yield(void);

/* Why sim_block returned: SIM_WAKE_TIMEOUT when the timeout fired, else the
 * reason given to sim_wake (callers use values >= 0). */
#define SIM_WAKE_TIMEOUT (-1)
typedef struct sim_wake {
  int reason;
  uint64_t value;
} sim_wake_t;

#define SIM_NO_TIMEOUT UINT64_MAX

/* Prints what a blocked fiber waits for, for deadlock reports. */
typedef void (*sim_describe_fn)(void *ctx, char *buf, size_t len);

/* Blocks the calling fiber until sim_wake or until `timeout_ns` of virtual
 * time has passed (SIM_NO_TIMEOUT: never).  `call` is the API name shown in
 * reports ("WaitForSingleObject"); describe(ctx) adds detail on demand.
 * Blocking is a scheduling point.  The caller must have made itself findable
 * (queued a wait block) before calling. */
sim_wake_t sim_block(const char *call, uint64_t timeout_ns, sim_describe_fn describe, void *ctx);

/* Makes a blocked fiber ready (appended to the ready queue) and cancels its
 * timeout; not a scheduling point.  Waking a fiber that is not blocked is an
 * invariant violation. */
void sim_wake(sim_fiber_t *f, int reason, uint64_t value);

/* ---- virtual time and timed events ---------------------------------------- */

uint64_t sim_now(void); /* virtual nanoseconds since world start */

/* An intrusive timed event: embed it, arm it, cancel it.  Events are ordered
 * by (time, arming sequence); several due at the same instant are ordered by
 * SIM_DECIDE_TIMER_TIE decisions (choice 0 = armed first).  Callbacks run
 * inside the world but on no fiber of their own (sim_current() is NULL
 * there): they must not block, may wake
 * fibers, arm timers and call sim_fail.  An armed timer's memory must stay
 * valid until it fires or is cancelled; all timers are dropped at world end. */
typedef struct sim_timer {
  uint64_t when;
  uint64_t seq;
  void (*fn)(void *arg);
  void *arg;
  uint32_t heap_index; /* private; UINT32_MAX when not armed */
} sim_timer_t;

void sim_timer_init(sim_timer_t *t);
void sim_timer_arm(sim_timer_t *t, uint64_t when_ns, void (*fn)(void *arg), void *arg);
bool sim_timer_cancel(sim_timer_t *t); /* true if it was armed */
bool sim_timer_armed(const sim_timer_t *t);

/* Convenience over sim_timer_t with engine-owned storage: "at virtual time t
 * do fn(arg)".  Returns a non-zero id for sim_cancel (ids are never reused
 * within a world).  A time in the past means "at the next scheduling point". */
typedef uint64_t sim_event_id_t;
sim_event_id_t sim_at(uint64_t when_ns, void (*fn)(void *arg), void *arg);
sim_event_id_t sim_after(uint64_t delay_ns, void (*fn)(void *arg), void *arg);
bool sim_cancel(sim_event_id_t id); /* true if it was still pending */

/* ---- trace ---------------------------------------------------------------- */

/* A call site: the API name and how to print its arguments.  Declare it
 * static (not const: the name's hash is cached in it on first use).  Argument
 * formats: 'x' hex, 'u' unsigned decimal, 'd' signed decimal, 'p' pointer
 * (only NULL / non-NULL reaches the trace and the hash: addresses are not
 * deterministic). */
#define SIM_TRACE_MAX_ARGS 6
typedef struct sim_trace_arg {
  const char *name;
  char fmt;
} sim_trace_arg_t;
typedef struct sim_tracepoint {
  const char *name;
  sim_trace_arg_t args[SIM_TRACE_MAX_ARGS];
  char ret_fmt;        /* as for arguments; 0: 'u' */
  uint64_t name_hash_; /* private cache, 0 until first use */
} sim_tracepoint_t;

/* Records one call: up to SIM_TRACE_MAX_ARGS arguments (as many as tp names),
 * the result and the caller's last error after the call. */
void sim_trace_call(sim_tracepoint_t *tp, const uint64_t *args, uint64_t ret, uint32_t last_error);

/* The hash so far (the final one is in sim_result_t). */
uint64_t sim_trace_hash(void);

#endif
