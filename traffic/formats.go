package traffic

import (
	"github.com/boxes-project/boxes/traffic/internal/accesslog"
	"github.com/boxes-project/boxes/traffic/internal/cloudwatch"
	"github.com/boxes-project/boxes/traffic/internal/core"
	"github.com/boxes-project/boxes/traffic/internal/csvfile"
	"github.com/boxes-project/boxes/traffic/internal/prometheus"
)

// Format is a registered traffic format: its name (as Options.Format takes
// it), a one-line description, a detector that looks at the head of the
// input (at most 64 KiB, after any byte order mark) and a reader.
type Format struct {
	Name   string
	Doc    string
	Detect func(head []byte) bool
	Read   func(in *core.Input) (*Result, error)
	json   bool // a JSON format: no line-length limit
}

// formats is the table of traffic formats, in the order detection tries
// them: the JSON formats by their keys, access logs by their first line,
// Grafana's CSV by its "Time" header, and any other CSV or TSV last. A new
// format is one package (traffic/internal/<name>) and one line here.
var formats = []Format{
	{Name: "prometheus", Doc: "query_range or query JSON", Detect: prometheus.Detect, Read: prometheus.Read, json: true},
	{Name: "cloudwatch", Doc: "get-metric-data or get-metric-statistics JSON", Detect: cloudwatch.Detect, Read: cloudwatch.Read, json: true},
	{Name: "access_log", Doc: "Common or Combined Log Format", Detect: accesslog.Detect, Read: accesslog.Read},
	{Name: "grafana", Doc: `Grafana "Download CSV"`, Detect: csvfile.DetectGrafana, Read: csvfile.ReadGrafana},
	{Name: "csv", Doc: "CSV or TSV with a time and a rate or count column", Detect: csvfile.Detect, Read: csvfile.Read},
}

// Formats lists the registered formats' names, in detection order.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}
