package traffic

// Format is a registered traffic format: its name (as Options.Format takes
// it), a one-line description, a detector that looks at the head of the
// input (at most 64 KiB, after any byte order mark) and a reader.
type Format struct {
	Name   string
	Doc    string
	Detect func(head []byte) bool
	Read   func(in *input) (*Result, error)
	json   bool // a JSON format: no line-length limit
}

// formats is the table of traffic formats, in the order detection tries
// them: the JSON formats by their keys, access logs by their first line,
// Grafana's CSV by its "Time" header, and any other CSV or TSV last. A new
// format is one file and one line here.
var formats = []Format{
	{Name: "prometheus", Doc: "query_range or query JSON", Detect: detectPrometheus, Read: readPrometheus, json: true},
	{Name: "cloudwatch", Doc: "get-metric-data or get-metric-statistics JSON", Detect: detectCloudWatch, Read: readCloudWatch, json: true},
	{Name: "access_log", Doc: "Common or Combined Log Format", Detect: detectAccessLog, Read: readAccessLog},
	{Name: "grafana", Doc: `Grafana "Download CSV"`, Detect: detectGrafana, Read: readGrafana},
	{Name: "csv", Doc: "CSV or TSV with a time and a rate or count column", Detect: detectCSV, Read: readCSV},
}

// Formats lists the registered formats' names, in detection order.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return names
}
