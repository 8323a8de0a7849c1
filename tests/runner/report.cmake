# The reports people look at (docs/scenarios.md §11.1), checked in a real
# browser.  Arguments: IOCPSIM, CASES (tests/runner/report), SCENARIOS (the
# library), WORK (a build directory; the screenshots stay there as build
# artifacts), CHROMIUM (the browser; empty when it was not found).
#
# 1. A failing five-thread scenario: `iocpsim report` writes the HTML report
#    and the Perfetto file; the Perfetto file is parsed and must hold a
#    track per thread and for the completion port, the failing step, flows
#    from submit to completion, the fault, the cancels and both deadlines.
# 2. Headless Chromium opens the report (a file: URL, no network), runs its
#    script, and the DOM it ends with must show the lanes and the marks; a
#    screenshot is saved.
# 3. The same for a sweep: the seed table, the links to failing runs, the
#    outcome chart.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(failures "")
macro(check cond msg)
  cmake_language(EVAL CODE "if(${cond})\nset(_ok 1)\nelse()\nset(_ok 0)\nendif()")
  if(NOT _ok)
    string(APPEND failures "  ${msg}\n")
  endif()
endmacro()
# count(OUT HAYSTACK NEEDLE): occurrences of a literal string
function(count out hay needle)
  string(REPLACE "${needle}" "" less "${hay}")
  string(LENGTH "${hay}" a)
  string(LENGTH "${less}" b)
  string(LENGTH "${needle}" c)
  math(EXPR n "(${a} - ${b}) / ${c}")
  set(${out} ${n} PARENT_SCOPE)
endfunction()

if(NOT CHROMIUM)
  message(FATAL_ERROR "chromium not found: the report test opens the HTML report in headless Chromium. "
                      "Run scripts/setup (it installs Debian's chromium package), then re-run cmake.")
endif()

# ---- 1. one failing run: HTML and Perfetto ----
set(scn ${CASES}/five_threads.scn)
execute_process(COMMAND ${IOCPSIM} report ${scn} --seed 0 -o ${WORK}/run.html --perfetto ${WORK}/run.perfetto.json
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
check("rc EQUAL 1" "report of a failing run: exit ${rc}, expected 1 (the run's own status)\n${out}${err}")
check("EXISTS ${WORK}/run.html" "no HTML report written")
check("EXISTS ${WORK}/run.perfetto.json" "no Perfetto file written")

# the same run through `run --perfetto` and `replay --perfetto`: the same file
execute_process(COMMAND ${IOCPSIM} run ${scn} --seed 0 --perfetto ${WORK}/run2.perfetto.json OUTPUT_QUIET RESULT_VARIABLE rc)
file(READ ${WORK}/run2.perfetto.json p2)
string(REPLACE "\"run\":\"seed 0\"" "" p2 "${p2}")
file(READ ${WORK}/run.perfetto.json p1)
string(REPLACE "\"run\":\"seed 0\"" "" p1 "${p1}")
check("rc EQUAL 1 AND p1 STREQUAL p2" "run --perfetto (exit ${rc}) wrote another file than report --perfetto")
check("NOT EXISTS ${WORK}/run2.perfetto.json.jsonl.tmp" "run --perfetto left its temporary trace behind")
execute_process(COMMAND ${IOCPSIM} replay "v1:${scn}:-:s0" --perfetto ${WORK}/run3.perfetto.json OUTPUT_QUIET RESULT_VARIABLE rc)
check("rc EQUAL 1 AND EXISTS ${WORK}/run3.perfetto.json" "replay --perfetto: exit ${rc}")
# usage errors
execute_process(COMMAND ${IOCPSIM} report ${scn} OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
check("rc EQUAL 64" "report without an output: exit ${rc}")
execute_process(COMMAND ${IOCPSIM} report --token "v9:nonsense" -o ${WORK}/x.html OUTPUT_QUIET ERROR_QUIET RESULT_VARIABLE rc)
check("rc EQUAL 64 AND NOT EXISTS ${WORK}/x.html" "report with a bad token: exit ${rc}")

file(READ ${WORK}/run.perfetto.json pj)
string(JSON n ERROR_VARIABLE jerr LENGTH "${pj}" traceEvents)
check("jerr STREQUAL NOTFOUND" "the Perfetto file is not valid JSON with traceEvents: ${jerr}")
if(jerr STREQUAL "NOTFOUND")
  set(threads "")
  set(flows_s 0)
  set(flows_f 0)
  set(failing 0)
  set(ph_ok 1)
  math(EXPR last "${n} - 1")
  foreach(k RANGE ${last})
    string(JSON ev GET "${pj}" traceEvents ${k})
    string(JSON ph GET "${ev}" ph)
    string(JSON name ERROR_VARIABLE e2 GET "${ev}" name)
    string(JSON cat ERROR_VARIABLE e3 GET "${ev}" cat)
    if(ph STREQUAL "M" AND name STREQUAL "thread_name")
      string(JSON tn GET "${ev}" args name)
      list(APPEND threads "${tn}")
    elseif(ph STREQUAL "s")
      math(EXPR flows_s "${flows_s} + 1")
    elseif(ph STREQUAL "f")
      math(EXPR flows_f "${flows_f} + 1")
    elseif(ph STREQUAL "i")
      list(APPEND instants "${cat}")
    elseif(ph STREQUAL "X" AND cat STREQUAL "step,failing")
      math(EXPR failing "${failing} + 1")
      set(failing_name "${name}")
    endif()
    if(NOT ph MATCHES "^(M|X|b|e|s|f|i)$")
      set(ph_ok 0)
    endif()
    string(JSON ts ERROR_VARIABLE e4 GET "${ev}" ts)
    if(NOT ph STREQUAL "M" AND NOT ts MATCHES "^[0-9][0-9.eE+-]*$")
      set(ph_ok 0)
    endif()
  endforeach()
  foreach(t main reader waiter writer sender udp_reader "completion port")
    list(FIND threads "${t}" at)
    check("at GREATER -1" "Perfetto: no track named '${t}' (tracks: ${threads})")
  endforeach()
  check("ph_ok" "Perfetto: an event of an unknown phase or without a microsecond timestamp")
  check("flows_s GREATER 3 AND flows_s EQUAL flows_f" "Perfetto: ${flows_s} flow starts and ${flows_f} flow ends")
  check("failing EQUAL 1" "Perfetto: ${failing} failing step slices, expected 1")
  check("\"${failing_name}\" MATCHES \"^read c 4 -> EDEADLINE\"" "Perfetto: the failing slice is '${failing_name}'")
  foreach(c fault cancel deadline)
    set(m ${instants})
    list(FILTER m INCLUDE REGEX "^${c}$")
    list(LENGTH m nm)
    check("nm GREATER 0" "Perfetto: no '${c}' instant")
    set(n_${c} ${nm})
  endforeach()
  check("n_deadline EQUAL 2" "Perfetto: ${n_deadline} deadline expiries, expected 2")
endif()

# Perfetto's importer: slices nested per track, async and flow events paired
# and bound to slices (check_perfetto.py) - this run and a few of the library
if(NOT PYTHON OR NOT EXISTS "${PYTHON}")
  message(FATAL_ERROR "python3 not found: run scripts/setup")
endif()
set(pfiles ${WORK}/run.perfetto.json)
foreach(lib accept/retry_without_limit close/close_read_and_write_pending deadline/deadline_races_completion
            pipes/watchdog_cancel udp/udp_write_chunks)
  string(REPLACE "/" "_" nm ${lib})
  if(EXISTS ${SCENARIOS}/${lib}.scn)
    execute_process(COMMAND ${IOCPSIM} run ${SCENARIOS}/${lib}.scn --seed 1 --perfetto ${WORK}/${nm}.perfetto.json
                    OUTPUT_QUIET ERROR_QUIET)
    list(APPEND pfiles ${WORK}/${nm}.perfetto.json)
  endif()
endforeach()
foreach(pf ${pfiles})
  execute_process(COMMAND ${PYTHON} ${PERFETTO_CHECK} ${pf} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  check("rc EQUAL 0" "${pf} is not what Perfetto's JSON importer can read whole:\n${out}${err}")
endforeach()

# ---- 2. the browser ----
# (--disable-dev-shm-usage: a container's small /dev/shm must not crash the renderer)
set(flags --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
          --disable-dev-shm-usage --user-data-dir=${WORK}/chromium-profile)
# self-contained: nothing to fetch (the SVG namespace URI is a name, not a request)
file(READ ${WORK}/run.html html)
foreach(ext "src=" "<link" "@import" "url(" "href=\"http" "fetch(" "XMLHttpRequest")
  string(FIND "${html}" "${ext}" at)
  check("at EQUAL -1" "the HTML report refers to an external resource ('${ext}')")
endforeach()
execute_process(COMMAND ${CHROMIUM} ${flags} --dump-dom file://${WORK}/run.html
                OUTPUT_VARIABLE dom ERROR_VARIABLE cerr RESULT_VARIABLE rc TIMEOUT 120)
check("rc EQUAL 0" "chromium --dump-dom: exit ${rc}\n${cerr}")
string(FIND "${dom}" "data-rendered=\"1\"" at)
check("at GREATER -1" "the report's script did not draw the run (no data-rendered=\"1\" on the body)")
foreach(lane main reader waiter writer sender udp_reader "completion port")
  string(FIND "${dom}" "class=\"lane\" data-name=\"${lane}\"" at)
  check("at GREATER -1" "the timeline has no lane '${lane}'")
endforeach()
count(n_fail "${dom}" "class=\"bar step fail")
check("n_fail EQUAL 1" "${n_fail} failing step bars, expected 1")
count(n_op "${dom}" "class=\"bar op")
check("n_op GREATER 3" "${n_op} request bars")
count(n_opc "${dom}" "class=\"bar op cancelled")
check("n_opc GREATER 0" "no cancelled request bar")
foreach(mark fault cancel packet)
  count(nm "${dom}" "class=\"mark ${mark}")
  check("nm GREATER 0" "no '${mark}' mark in the timeline")
endforeach()
count(n_dl "${dom}" "class=\"mark deadline")
check("n_dl EQUAL 2" "${n_dl} deadline marks, expected 2")
count(n_flow "${dom}" "class=\"flow\"")
check("n_flow GREATER 3" "${n_flow} submit-to-completion flows drawn")
string(FIND "${dom}" "class=\"ln failing\" id=\"r0-l10\"" at)
check("at GREATER -1" "the failing expectation (line 10) is not highlighted in the scenario text")
string(FIND "${dom}" "iocpsim run ${scn} --seed 0" at)
check("at GREATER -1" "the replay command is missing")
count(n_title "${dom}" "<title>")
check("n_title GREATER 100" "only ${n_title} hover details")
# hover: the page's own hook (#hover-check) moves the pointer onto the fault, then onto the
# failing step; the details panel then describes the step, and its scenario line is lit
execute_process(COMMAND ${CHROMIUM} ${flags} --dump-dom "file://${WORK}/run.html#hover-check"
                OUTPUT_VARIABLE dom ERROR_VARIABLE cerr RESULT_VARIABLE rc TIMEOUT 120)
string(REGEX MATCH "<div class=\"detail\" id=\"detail-0\">[^<]*" detail "${dom}")
check("detail MATCHES \"read c 4 -&gt; EDEADLINE\" AND detail MATCHES \"line 10\""
      "hovering the failing step does not show it in the details panel: '${detail}'")
string(FIND "${dom}" "class=\"ln failing hl\" id=\"r0-l10\"" at)
check("at GREATER -1" "hovering the failing step does not light its scenario line")
string(FIND "${dom}" "<title>fault: WSARecv -&gt; cancel-wins" at)
check("at GREATER -1" "the fault mark has no hover text naming the fault")
execute_process(COMMAND ${CHROMIUM} ${flags} --window-size=1600,1000 --screenshot=${WORK}/run.png file://${WORK}/run.html
                OUTPUT_QUIET ERROR_VARIABLE cerr RESULT_VARIABLE rc TIMEOUT 120)
file(SIZE ${WORK}/run.png png_size)
check("rc EQUAL 0 AND png_size GREATER 20000" "screenshot: exit ${rc}, ${png_size} bytes\n${cerr}")

# ---- 3. a sweep ----
execute_process(COMMAND ${IOCPSIM} report ${scn} ${SCENARIOS}/deadline/deadline_races_completion.scn --seeds 12
                        --max-detail 3 -o ${WORK}/sweep.html
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
check("rc EQUAL 1" "sweep report: exit ${rc}\n${out}${err}")
execute_process(COMMAND ${CHROMIUM} ${flags} --dump-dom file://${WORK}/sweep.html
                OUTPUT_VARIABLE dom ERROR_VARIABLE cerr RESULT_VARIABLE rc TIMEOUT 120)
check("rc EQUAL 0" "chromium --dump-dom (sweep): exit ${rc}\n${cerr}")
string(FIND "${dom}" "data-rendered=\"3\"" at)
check("at GREATER -1" "the sweep report did not draw its three failing runs")
count(n_pass "${dom}" "class=\"seed pass\"")
count(n_failc "${dom}" "class=\"seed fail\"")
check("n_pass EQUAL 12 AND n_failc EQUAL 12" "seed cells: ${n_pass} passed, ${n_failc} failed; expected 12 and 12")
foreach(k 0 1 2)
  string(FIND "${dom}" "href=\"#run-${k}\"" at)
  check("at GREATER -1" "no link to failing run ${k}")
  string(FIND "${dom}" "id=\"run-${k}\"" at)
  check("at GREATER -1" "no section for failing run ${k}")
endforeach()
count(n_rows "${dom}" "class=\"row outcome\"")
check("n_rows GREATER 5" "${n_rows} allowed outcomes charted")
string(FIND "${dom}" "allowed outcomes reached" at)
check("at GREATER -1" "the outcome chart does not say how many allowed outcomes were reached")
execute_process(COMMAND ${CHROMIUM} ${flags} --window-size=1600,1400 --screenshot=${WORK}/sweep.png file://${WORK}/sweep.html
                OUTPUT_QUIET ERROR_VARIABLE cerr RESULT_VARIABLE rc TIMEOUT 120)
file(SIZE ${WORK}/sweep.png png_size)
check("rc EQUAL 0 AND png_size GREATER 20000" "sweep screenshot: exit ${rc}, ${png_size} bytes\n${cerr}")

# a PCT sweep: the same page, its seeds PCT runs (replayed by token)
execute_process(COMMAND ${IOCPSIM} report ${scn} --strategy pct:2 --seeds 4 --max-detail 1 -o ${WORK}/pct.html
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
file(READ ${WORK}/pct.html pct)
string(FIND "${pct}" "iocpsim replay 'v1:${scn}:-:p2." at)
check("rc EQUAL 1 AND at GREATER -1" "PCT sweep report: exit ${rc}, no PCT replay token\n${out}${err}")

if(failures)
  message(FATAL_ERROR "report checks failed:\n${failures}")
endif()
message(STATUS "report: HTML and Perfetto checked; screenshots: ${WORK}/run.png ${WORK}/sweep.png")
