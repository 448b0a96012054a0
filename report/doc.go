// Package report turns results into words and numbers: a simulation's JSON
// form (SimulationJSON, the document `boxes simulate --format json` writes
// and reads back), its verdict, text table and CSV; the number words every
// report shares (Money, Seconds, Count...) and JSON numbers that are never
// NaN or Inf (Float); and the self-contained HTML page (Page, WritePage)
// that every HTML report is drawn into. It sees results (sim, usl,
// queueing), never scenario.
//
// Its subpackages: chart draws (SVG and PNG, knowing nothing of results);
// html writes a simulation's HTML report, its charts and stories, and reads
// any saved result back (ReadResult); measurement writes USL fits and the
// performance/scalability split of two measurements; sizing writes `boxes
// calc`'s estimate and `boxes plan`'s plans; sweepreport writes a sweep's
// JSON, text and HTML report.
package report
