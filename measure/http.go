package measure

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// HTTP is a Load of HTTP requests, all alike, sent with vegeta's attacker: a
// closed loop is vegeta with an unbounded rate and a fixed number of
// workers, an open loop vegeta with a pacer on the schedule and at most
// Workers in flight. A job fails on a transport error, a timeout or a status
// outside 200–399. Response bodies are read and discarded. Safe for
// concurrent use once made.
type HTTP struct {
	Method  string
	URL     string
	Header  http.Header
	Body    []byte
	Timeout time.Duration // for one request, whole; 0 means 10 s
}

// Validate checks the method and the URL (http or https with a host).
func (h *HTTP) Validate() error {
	if h.Method == "" || strings.ContainsAny(h.Method, " \t\r\n") {
		return fmt.Errorf("measure: bad method %q", clip(h.Method))
	}
	u, err := url.Parse(h.URL)
	if err != nil {
		return fmt.Errorf("measure: bad URL %q: %w", clip(h.URL), err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("measure: URL %q: want http:// or https:// and a host", clip(h.URL))
	}
	if h.Timeout < 0 {
		return fmt.Errorf("measure: timeout %v must not be negative", h.Timeout)
	}
	return nil
}

// Run implements Load.
func (h *HTTP) Run(ctx context.Context, j Job, record func(Sample)) error {
	if err := h.Validate(); err != nil {
		return err
	}
	timeout := h.Timeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	workers := max(j.Workers, 1)
	// The transport cancels requests in flight when ctx ends, so that an
	// interrupt stops the level at once rather than after the timeout.
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: workers,
		MaxConnsPerHost:     0,
		IdleConnTimeout:     30 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: contextTransport{ctx: ctx, rt: tr},
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return nil
		},
	}
	atk := vegeta.NewAttacker(
		vegeta.Client(client),
		vegeta.Workers(uint64(workers)),
		vegeta.MaxWorkers(uint64(workers)),
		vegeta.MaxBody(0),
	)
	tgt := vegeta.Target{Method: h.Method, URL: h.URL, Body: h.Body, Header: h.Header}
	targeter := vegeta.NewStaticTargeter(tgt)

	var sched *schedule
	if j.Rate > 0 {
		sched = newSchedule(j.Rate, j.Arrivals)
	}
	pacer := &pacer{sched: sched, max: uint64(j.MaxJobs), rate: j.Rate}
	begin := time.Now()
	results := atk.Attack(targeter, pacer, j.Duration, "")
	done := ctx.Done()
	for {
		select {
		case r, ok := <-results:
			if !ok {
				return nil
			}
			s := Sample{Start: r.Timestamp, End: r.End(), Scheduled: r.Timestamp, Failed: r.Error != "", Error: r.Error}
			if sched != nil {
				// Coordinated omission: the response time runs from when
				// the request was due, the pacer's i-th time (vegeta's Seq
				// numbers requests in the order they left), not from when
				// a worker got round to sending it.
				if due := begin.Add(sched.at(r.Seq)); due.Before(s.Start) {
					s.Scheduled = due
				}
			}
			record(s)
		case <-done:
			atk.Stop()
			done = nil // keep draining results until the attacker closes them
		}
	}
}

// contextTransport sends each request under ctx.
type contextTransport struct {
	ctx context.Context
	rt  http.RoundTripper
}

func (t contextTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.rt.RoundTrip(req.WithContext(t.ctx))
}

// pacer is vegeta's Pacer for a Job: an unbounded rate (closed loop) or the
// schedule (open loop); both stop after max jobs (0: no bound).
type pacer struct {
	sched *schedule
	max   uint64
	rate  float64
}

func (p *pacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if p.max > 0 && hits >= p.max {
		return 0, true
	}
	if p.sched == nil {
		return 0, false
	}
	return p.sched.at(hits) - elapsed, false
}

// Rate is the mean rate, jobs per nanosecond (vegeta's unit); 0 for none.
func (p *pacer) Rate(time.Duration) float64 { return p.rate / 1e9 }
