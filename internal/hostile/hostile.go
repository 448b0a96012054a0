// Package hostile holds issue 11's hostile-input regression suite: each
// F-case of the issue that this package's tests cover (F4, F5, F8, F9, a
// FIFO of valid trace rows without end, and the budget of every command
// that runs or reads much: sweep, merge, report, plan, measure) is run as
// written against the real command in a child process, which must
// end within 2 s in a clear error (exit 2, a short message naming the
// limit or the setting) with a peak resident set (its rusage) under
// 300 MB, writing no file. The scenarios are in testdata.
package hostile
