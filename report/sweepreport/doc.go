// Package sweepreport writes a sweep's report: its JSON form (JSON, the
// document `boxes sweep --format json` and `boxes merge` print), the text
// report with its verdict and Pareto front, and the HTML page with its
// charts and heat maps. It formats with report and draws with report/chart.
package sweepreport
