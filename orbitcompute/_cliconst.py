"""Constants of the command line (exit codes, defaults, help text)."""


EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_EXISTS, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
#: progress stages of write_report (tornado, Monte Carlo, files, summary, figures, ...), for the bar
REPORT_STAGES = 16
COMMANDS = ("report", "passes", "eclipse", "power", "latency", "sweep", "sobol", "timeline", "optimize")
DEFAULT_REPORT_DIR = "orbitcompute-report"
_GLOBAL_FLAGS = ("--debug", "--quiet", "-q", "--progress")

EXIT_CODES_TEXT = """\
exit codes:
  0    success
  1    unexpected internal error (please report it with the --debug output)
  2    bad input: missing file, malformed TLE/OMM/CSV, bad scenario value or option,
       or an output location that cannot be written (read-only, full disk)
  3    an output file or report directory exists and --force was not given
  130  interrupted (Ctrl-C); outputs are written atomically, none is left half done"""


