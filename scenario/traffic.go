package scenario

import (
	"context"
	"errors"
	"time"

	"github.com/boxes-project/boxes/schema"
	"github.com/boxes-project/boxes/traffic"
	"github.com/boxes-project/boxes/traffic/trace"
	"github.com/boxes-project/boxes/workload/shape"
)

// Defaults of start and horizon when no trace gives them.
var (
	defaultStart   = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	defaultHorizon = 24 * time.Hour
)

// liveTimeout bounds asking a live source at build time.
const liveTimeout = 5 * time.Minute

// loadTraffic reads the workload's traces that package traffic reads and
// asks its live sources, once each: the first one read is the scenario's
// traffic (its times set start and horizon); loop says whether it repeats.
func loadTraffic(file string, doc *Doc) (read *traffic.Result, loop bool, err error) {
	doc.Workload.Walk("workload", func(n *shape.Node, path string) {
		if err != nil {
			return
		}
		switch s := n.Shape.(type) {
		case *shape.Trace:
			var te *trace.TraceError
			if err = s.Load(); errors.As(err, &te) {
				err = te // it names the trace file, line and column
			} else if err != nil {
				err = fieldError(file, path+".file", "%v", err)
			} else if read == nil && s.Read() != nil {
				read, loop = s.Read(), s.Loop
			}
		case *shape.Prometheus:
			ctx, cancel := context.WithTimeout(context.Background(), liveTimeout)
			defer cancel()
			if err = s.Load(ctx, time.Now()); err != nil {
				err = fieldError(file, path, "%v", err)
			} else if read == nil {
				read = s.Read()
			}
		}
	})
	return read, loop, err
}

// timesOf sets the document's start and horizon where it leaves them out:
// the trace's first time and span, else 2026-01-05T00:00:00Z and 24h. A
// horizon past the trace's end is an error unless the trace loops.
func timesOf(file string, doc *Doc, read *traffic.Result, loop bool) error {
	start, horizon := defaultStart, defaultHorizon
	var span time.Duration
	if read != nil {
		span = read.Series.End().Sub(read.Series.Start)
		start, horizon = read.Series.Start, max(span, time.Second)
	}
	if doc.Start == nil {
		doc.Start = &start
	}
	if doc.Horizon == nil {
		doc.Horizon = &horizon
	}
	if read == nil {
		return nil
	}
	if *doc.Horizon > span && !loop {
		return fieldError(file, "horizon", "%s is past the end of the traffic read (%s covers %s from %s): shorten it, or set loop: true on the trace",
			schema.FormatDuration(*doc.Horizon), read.Report.Source, schema.FormatDuration(span), read.Series.Start.Format(time.RFC3339))
	}
	return nil
}
