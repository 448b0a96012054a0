package traffic

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/boxes-project/boxes/traffic/trace"
)

// BenchmarkRead reads a day of per-second points (86,400) in each format;
// ReadTrace on the same CSV (relative times, no detection) is the
// reference measured in the same run.
func BenchmarkRead(b *testing.B) {
	const n = 86400
	t0 := time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC)
	var csvText, prom, logText strings.Builder
	csvText.WriteString("time,requests\n")
	prom.WriteString(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[`)
	for i := range n {
		ts := t0.Add(time.Duration(i) * time.Second)
		fmt.Fprintf(&csvText, "%s,%d\n", ts.Format(time.RFC3339), i%7)
		if i > 0 {
			prom.WriteString(",")
		}
		fmt.Fprintf(&prom, `[%d,"%d"]`, ts.Unix(), i%7)
		if i%7 != 0 {
			fmt.Fprintf(&logText, "10.0.0.1 - - [%s] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8\" %d\n", ts.Format(clfLayout), 1000+i%5000)
		}
	}
	prom.WriteString("]}]}}")
	for _, c := range []struct {
		name string
		data []byte
		read func([]byte) error
	}{
		{"reference=ReadTrace", []byte(csvText.String()), func(d []byte) error {
			_, err := trace.ReadTrace(bytes.NewReader(d), "x.csv", trace.TraceOptions{})
			return err
		}},
		{"csv", []byte(csvText.String()), nil},
		{"prometheus", []byte(prom.String()), nil},
		{"access_log", []byte(logText.String()), nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if c.read != nil {
					err = c.read(c.data)
				} else {
					_, err = Read(bytes.NewReader(c.data), "x", Options{})
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
