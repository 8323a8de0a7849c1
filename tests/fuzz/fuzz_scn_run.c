/* fuzz_scn_run.c: the state machine (docs/fuzzing.md).
 *
 * The input becomes an operation program on a fixed world plus the run's
 * decision stream (sim/runner/scn_fuzz.h); the program is written as a
 * scenario, parsed with scn_parse and played once with scn_run, the
 * decisions drawn from the input's remaining bytes.  The program is live by
 * construction (a closer ends everything blocked), so any run that does not
 * pass is a finding: the target prints the scenario and the run's report
 * and aborts.  `iocpsim from-fuzz INPUT` turns the input into a .scn file
 * and a replay token. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "scn_fuzz.h"
#include "scn_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const uint8_t none = 0;
  scn_fuzz_prog_t p;
  scn_fuzz_decode(data, size, &p);
  scn_error_t err;
  scn_t *s = scn_parse("fuzz.scn", p.text, p.len, &err);
  if (s == NULL) {
    fprintf(stderr, "fuzz_scn_run: the decoder wrote a scenario that does not parse: %u:%u: %s\n%s",
            err.line, err.col, err.msg, p.text);
    abort();
  }
  scn_run_opts_t o;
  memset(&o, 0, sizeof o);
  o.personality = -1;
  o.bytes = p.n_decisions ? p.decisions : &none;
  o.n_bytes = p.n_decisions;
  scn_run_result_t r;
  int rc = scn_run(s, &o, &r);
  if (scn_fuzz_is_finding(rc)) {
    fprintf(stderr,
            "fuzz_scn_run: finding: exit %d (%s)\n--- scenario\n%s--- message\n%s\n--- "
            "timeline\n%s--- report\n%s\n"
            "(iocpsim from-fuzz INPUT writes the scenario and its replay token)\n",
            rc, r.status, p.text, r.message ? r.message : "", r.timeline ? r.timeline : "",
            r.report ? r.report : "");
    abort();
  }
  scn_run_result_free(&r);
  scn_free(s);
  scn_fuzz_prog_free(&p);
  return 0;
}
