// Package html writes the self-contained HTML report of a simulation (its
// scenario, comparison table, a story per policy and its charts) and reads
// any JSON result boxes saved (a simulation, a fit or a comparison) back
// into its HTML report and charts (ReadResult, `boxes report`). The
// simulation's charts (SimulationCharts) and stories (Stories) live here and
// are shared with the explorer; the page itself is report.Page.
package html
