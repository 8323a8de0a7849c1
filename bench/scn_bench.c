/* scn_bench.c: how fast the scenario library plays (issue: "the whole
 * library x 1000 seeds in under 60 seconds on one core").
 *
 *   iocpsim-bench-scn [DIR] [SEEDS]     (defaults: the source tree's
 *                                        scenarios/, 200 seeds)
 *
 * Prints runs per second for the library under a seed sweep on this one
 * core, the projection for 1000 seeds, the five slowest scenarios, and the
 * cost of an average library run as a ratio to a baseline scenario (one
 * connected pair, one message each way) played in the same process.  Prints
 * only: it asserts nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "scn.h"
#include "scn_run.h"
#include "sim.h"

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct entry {
  scn_t *s;
  double secs;
  unsigned failed;
} entry_t;

static entry_t *entries;
static size_t n_entries, cap_entries;

static void add_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    names = realloc(names, (n + 1) * sizeof *names);
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    names[n] = malloc(len);
    snprintf(names[n], len, "%s/%s", dir, e->d_name);
    n++;
  }
  closedir(d);
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    if (stat(names[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
      add_dir(names[i]);
    } else if (strlen(names[i]) > 4 && strcmp(names[i] + strlen(names[i]) - 4, ".scn") == 0) {
      scn_error_t err;
      scn_t *s = scn_parse_file(names[i], &err);
      if (!s) {
        fprintf(stderr, "%s:%u:%u: %s (skipped)\n", names[i], err.line, err.col, err.msg);
      } else {
        if (n_entries == cap_entries)
          entries = realloc(entries, (cap_entries = cap_entries * 2 + 64) * sizeof *entries);
        entries[n_entries++] = (entry_t){s, 0, 0};
      }
    }
    free(names[i]);
  }
  free(names);
}

static double play(scn_t *s, unsigned seeds, unsigned *failed) {
  double t = wall();
  for (unsigned k = 0; k < seeds; k++) {
    scn_run_opts_t o = {.seed = k, .personality = -1};
    scn_run_result_t r;
    if (scn_run(s, &o, &r) != 0 && failed) (*failed)++;
    scn_run_result_free(&r);
  }
  return wall() - t;
}

static int by_time(const void *a, const void *b) {
  double x = ((const entry_t *)a)->secs, y = ((const entry_t *)b)->secs;
  return x < y ? 1 : x > y ? -1 : 0;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : IOCPSIM_SCENARIOS_DIR;
  unsigned seeds = argc > 2 ? (unsigned)atoi(argv[2]) : 200;
  if (seeds == 0) seeds = 1;
  add_dir(dir);
  if (n_entries == 0) {
    printf("iocpsim-bench-scn: no scenarios under %s\n", dir);
    return 0;
  }
  static const char base_text[] =
      "pair c s\nthread t\n  write c \"ping\" => ok 4\n  read s 4 => \"ping\"\n"
      "  write s \"pong\" => ok 4\n  read c 4 => \"pong\"\n";
  scn_error_t err;
  scn_t *base = scn_parse("baseline.scn", base_text, sizeof base_text - 1, &err);
  double base_secs = 1e9;
  for (int rep = 0; rep < 3; rep++) {
    double t = play(base, seeds, NULL);
    if (t < base_secs) base_secs = t;
  }
  double total = 0;
  unsigned failed = 0;
  for (size_t i = 0; i < n_entries; i++) {
    entries[i].secs = play(entries[i].s, seeds, &entries[i].failed);
    total += entries[i].secs;
    failed += entries[i].failed;
  }
  double runs = (double)n_entries * seeds;
  double per_run = total / runs, base_run = base_secs / seeds;
  printf("scenario library: %zu scenarios x %u seeds = %.0f runs in %.2f s on one core\n",
         n_entries, seeds, runs, total);
  printf("  %-44s %10.0f runs/s  (%.1f us per run)\n", "library sweep", runs / total,
         per_run * 1e6);
  printf("  %-44s %10.0f runs/s  (%.1f us per run)\n", "baseline (one pair, one message each way)",
         seeds / base_secs, base_run * 1e6);
  printf("  %-44s %10.2fx the baseline run\n", "average library run", per_run / base_run);
  printf("  %-44s %10.1f s   (target < 60 s)\n", "projected: library x 1000 seeds",
         per_run * n_entries * 1000);
  if (failed) printf("  (%u runs failed: the timing is of failing runs too)\n", failed);
  qsort(entries, n_entries, sizeof *entries, by_time);
  printf("  five slowest (us per run):\n");
  for (size_t i = 0; i < n_entries && i < 5; i++)
    printf("    %-56s %9.1f\n", entries[i].s->path, entries[i].secs / seeds * 1e6);
  /* exploration: schedules per second on a three-thread fdMutex race
   * (Close racing a Read and a Write) */
  static const char race_text[] =
      "pair c peer s\nthread reader\n  read c 4 => any\nthread writer\n"
      "  write c \"abcd\" => any\nthread closer\n  close c => ok\n";
  scn_t *race = scn_parse("race.scn", race_text, sizeof race_text - 1, &err);
  {
    sim_dfs_t *d = sim_dfs_new(2);
    double t = wall();
    uint64_t runs = 0;
    for (;;) {
      scn_run_opts_t o = {.personality = -1, .strategy = sim_dfs_strategy(d)};
      scn_run_result_t r;
      scn_run(race, &o, &r);
      scn_run_result_free(&r);
      runs++;
      if (!sim_dfs_next(d) || runs >= 200000) break;
    }
    t = wall() - t;
    printf("  %-44s %10.0f schedules/s  (%llu schedules, %s; target >= 50000/s)\n",
           "dfs:2 on Close racing Read and Write", runs / t, (unsigned long long)runs,
           sim_dfs_exhausted(d) ? "exhausted" : "capped");
    sim_dfs_free(d);
  }
  {
    double t = wall();
    unsigned runs = 20000;
    for (unsigned k = 0; k < runs; k++) {
      sim_pct_t *p = sim_pct_new(k, 3, 60);
      scn_run_opts_t o = {.personality = -1, .strategy = sim_pct_strategy(p)};
      scn_run_result_t r;
      scn_run(race, &o, &r);
      scn_run_result_free(&r);
      sim_pct_free(p);
    }
    t = wall() - t;
    printf("  %-44s %10.0f schedules/s  (%u runs; target >= 50000/s)\n",
           "pct:3 on Close racing Read and Write", runs / t, runs);
  }
  scn_free(race);
  for (size_t i = 0; i < n_entries; i++) scn_free(entries[i].s);
  free(entries);
  scn_free(base);
  return 0;
}
