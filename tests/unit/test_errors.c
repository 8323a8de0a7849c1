/* test_errors.c: the core's error space (STYLE.md rule 3) and Go's texts
 * for its error values (spec/go-poll.md §0). */
#include "iocpsim_test.h"

#include <string.h>

#include "core_errors.h"

/* Go's texts, fd.go of the seed era: tests elsewhere match on them. */
static void go_error_texts(void **state) {
  (void)state;
  assert_string_equal(core_strerror(CORE_ENETCLOSING), "use of closed network connection");
  assert_string_equal(core_strerror(CORE_EFILECLOSING), "use of closed file");
  assert_string_equal(core_strerror(CORE_EDEADLINE), "i/o timeout");
  assert_string_equal(core_strerror(CORE_ENODEADLINE), "file type does not support deadline");
  assert_string_equal(core_strerror(CORE_EUNSUPPORTED),
                      "internal error: polling on unsupported descriptor type");
  assert_string_equal(core_strerror(CORE_ETOOLARGE), "packet is too large (only 1GB is allowed)");
  assert_string_equal(core_strerror(CORE_EOF), "EOF");
}

/* Positive values are OS codes, reported as such; 0 is success. */
static void os_codes_and_success(void **state) {
  (void)state;
  assert_string_equal(core_strerror(0), "success");
  assert_string_equal(core_strerror(995), "Win32 error 995");
  assert_null(core_error_name(995));
  assert_string_equal(core_error_name(CORE_ESPIPE), "CORE_ESPIPE");
}

/* Only the deadline error is a timeout (DeadlineExceededError.Timeout). */
static void only_deadline_is_timeout(void **state) {
  (void)state;
  assert_true(core_error_is_timeout(CORE_EDEADLINE));
  assert_false(core_error_is_timeout(CORE_ENETCLOSING));
  assert_false(core_error_is_timeout(CORE_EFILECLOSING));
  assert_false(core_error_is_timeout(258));
}

/* Every core error has a distinct negative value and a name. */
static void core_errors_distinct(void **state) {
  (void)state;
  static const int all[] = {
#define CORE_ERROR_VALUE(name, value, text) name,
      CORE_ERROR_LIST(CORE_ERROR_VALUE)
#undef CORE_ERROR_VALUE
  };
  size_t n = sizeof all / sizeof all[0];
  for (size_t i = 0; i < n; i++) {
    assert_true(all[i] < 0);
    assert_non_null(core_error_name(all[i]));
    for (size_t j = i + 1; j < n; j++) assert_int_not_equal(all[i], all[j]);
  }
}

int main(int argc, char **argv) {
  static const struct CMUnitTest tests[] = {
      cmocka_unit_test(go_error_texts),
      cmocka_unit_test(os_codes_and_success),
      cmocka_unit_test(only_deadline_is_timeout),
      cmocka_unit_test(core_errors_distinct),
  };
  return IOCPSIM_RUN_TESTS(argc, argv, tests, NULL, NULL);
}
