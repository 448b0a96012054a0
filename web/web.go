// Package web is the explorer behind `boxes serve`: one page where a person
// picks a workload (a preset or an uploaded trace CSV), sets the box's
// latency, price and boot time and a policy's knobs, and sees the table,
// the paragraph and the charts follow; a second view that sweeps one or
// two of the scenario's settings and shows the cheapest configuration that
// meets the objective, the Pareto chart and a heat map (POST /api/sweep,
// sweep.go); and a third view that splits a change between two
// measurements into performance and scalability.
//
// The server simulates; the page only sends its controls and shows what
// comes back (tables and inline SVG drawn by package report). Every asset
// is embedded with go:embed, the script is our own, and nothing is fetched
// from the network. Requests never touch the file system: uploads travel
// in the request body and are parsed in memory.
//
// Hardening (issue 11): every request's Host must be localhost, an IP
// address or a name given in Options.Hosts, and an /api/ request's Origin,
// when sent, the page's own, so that no other site can use the explorer,
// by DNS rebinding or otherwise (403); documents come only as JSON or
// YAML (415). Bodies are bounded (Options.MaxBody); each run is checked
// before it starts against a budget of steps, jobs, boxes, points, and the
// memory and work that scenario.Cost estimates it would take, and refused
// with a 4xx message naming the limit and the boxes serve flag that raises
// it. Simulations and comparisons run a few at a time with a timeout; a
// few more requests wait their turn, and the rest, or any whose wait would
// pass the timeout, are shed with 503 and Retry-After, so that memory and
// latency stay bounded under load. NewServer sets read, write and idle
// timeouts. A Handler is safe for concurrent use.
package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/boxes-project/boxes/workload"
)

// Options bound what one request may cost. The zero value of a field
// takes its default; each is a flag of boxes serve (named beside it), and
// a request over a limit is refused with a message that names the flag.
type Options struct {
	// MaxBody is the largest request body, uploads included, in bytes:
	// default 4 MiB (--max-body).
	MaxBody int64
	// MaxTrace is the largest measurement CSV of a comparison, in bytes: default
	// 2 MiB (--max-trace).
	MaxTrace int
	// MaxSteps is the simulation budget: the most steps (horizon / step)
	// of one run. Default 604,800: a week at one-second steps (--max-steps).
	MaxSteps int64
	// MaxJobs bounds the per-job engine: the most jobs expected to arrive
	// in one run. Default 20 million (about a second of work) (--max-jobs).
	MaxJobs int64
	// MaxBoxes is the other half of the budget: the most boxes a run may
	// ask for, in the policy's knobs or at the workload's peak (the peak
	// JobRate × Latency / the target utilization). Default 100,000
	// (--max-boxes).
	MaxBoxes int
	// MaxMemory is the most bytes one request's run may hold, as
	// scenario.Cost estimates it before the run (queued jobs, histories,
	// series, fleets): default 192 MiB, so that Concurrent runs at once
	// stay well under 2 GB (--max-memory).
	MaxMemory int64
	// MaxWork is the most work units of one request (scenario.Cost: a
	// step of a run or a job of the per-job engine each; 20 million are
	// about a second): default 60 million (--max-work).
	MaxWork float64
	// MaxPoints is the most points of a time series a request may ask
	// for (the scenario's points), and the most measurements of one side of
	// a comparison: default 2,000 (--max-points).
	MaxPoints int
	// MaxConfigurations is the most configurations of one sweep
	// (POST /api/sweep): the product of its settings' numbers of values.
	// Default 1,000 (--max-configurations). The sweep's work, every
	// configuration's added up, is bounded by MaxWork as well.
	MaxConfigurations int
	// Concurrent is how many simulations run at once; the others wait.
	// Default twice the number of CPUs, at most 8 (--concurrent).
	Concurrent int
	// Queue is how many requests may wait for a slot; one more is shed
	// with 503 and Retry-After. Default 4 × Concurrent (--queue).
	Queue int
	// Timeout bounds one simulation or comparison, and the wait for a
	// slot: a request that would wait longer is shed with 503 and
	// Retry-After. Default 20 s (--timeout).
	Timeout time.Duration
	// Addr is the address the server listens on (host:port): a request's
	// Host must name its port. "" checks no port.
	Addr string
	// Hosts are names besides localhost, loopback addresses and Addr's
	// address (any address when Addr's is unspecified) that a request's
	// Host may carry (the machine's name, when serving remotely). Any
	// other name is refused, so that a page on another site cannot reach
	// the explorer by DNS rebinding (--host).
	Hosts []string
}

func (o Options) withDefaults() Options {
	if o.MaxBody <= 0 {
		o.MaxBody = 4 << 20
	}
	if o.MaxTrace <= 0 {
		o.MaxTrace = 2 << 20
	}
	if o.MaxSteps <= 0 {
		o.MaxSteps = 7 * 86400
	}
	if o.MaxBoxes <= 0 {
		o.MaxBoxes = 100_000
	}
	if o.MaxJobs <= 0 {
		o.MaxJobs = 20_000_000
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = 192 << 20
	}
	if o.MaxWork <= 0 {
		o.MaxWork = 60e6
	}
	if o.MaxPoints <= 0 {
		o.MaxPoints = 2000
	}
	if o.MaxConfigurations <= 0 {
		o.MaxConfigurations = 1000
	}
	if o.Concurrent <= 0 {
		o.Concurrent = min(2*runtime.GOMAXPROCS(0), 8)
	}
	if o.Queue <= 0 {
		o.Queue = 4 * o.Concurrent
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	return o
}

//go:embed assets
var assets embed.FS

var pageTemplate = template.Must(template.ParseFS(assets, "assets/index.html"))

// Handler serves the explorer: GET / (the page), GET /assets/ (its script
// and style), POST /api/simulate, POST /api/sweep and POST /api/compare.
type Handler struct {
	opt  Options
	sem  chan struct{}
	mux  *http.ServeMux
	page []byte
	// running and mostRunning count the simulations under way, and the
	// most at once, for the load test.
	running, mostRunning atomic.Int64
	// waiting counts the requests waiting for a slot; shed the ones shed
	// with 503; meanRun is a moving average of a run's length in
	// nanoseconds, to tell how long the next in line will wait.
	waiting, shed, meanRun atomic.Int64
	// inflight counts the POST /api/ requests admitted (reading, waiting
	// or running); port is Options.Addr's.
	inflight atomic.Int64
	ip       net.IP // Options.Addr's address and port
	port     string
}

// New returns the explorer's handler.
func New(opt Options) (*Handler, error) {
	opt = opt.withDefaults()
	h := &Handler{opt: opt, sem: make(chan struct{}, opt.Concurrent), mux: http.NewServeMux()}
	h.ip, h.port = listenAddr(opt.Addr)
	var page pageBuffer
	if err := pageTemplate.Execute(&page, pageData{Presets: workload.PresetNames(), MaxSteps: opt.MaxSteps}); err != nil {
		return nil, err
	}
	h.page = page.b
	static, err := fs.Sub(assets, "assets")
	if err != nil {
		return nil, err
	}
	h.mux.HandleFunc("GET /{$}", h.index)
	h.mux.HandleFunc("GET /assets/{name}", func(w http.ResponseWriter, r *http.Request) {
		// The page's script and style; never its template (index.html,
		// which GET / serves executed) nor a directory listing.
		name := r.PathValue("name")
		if strings.HasSuffix(name, ".html") || !fs.ValidPath(name) {
			http.NotFound(w, r)
			return
		}
		if _, err := fs.Stat(static, name); err != nil {
			http.NotFound(w, r)
			return
		}
		http.ServeFileFS(w, r, static, name)
	})
	h.mux.HandleFunc("POST /api/simulate", h.simulate)
	h.mux.HandleFunc("POST /api/compare", h.compare)
	h.mux.HandleFunc("POST /api/sweep", h.sweep)
	h.mux.HandleFunc("GET /api/schema", h.schema)
	return h, nil
}

type pageBuffer struct{ b []byte }

func (p *pageBuffer) Write(b []byte) (int, error) { p.b = append(p.b, b...); return len(b), nil }

type pageData struct {
	Presets  []string
	MaxSteps int64
}

// ServeHTTP serves a request, with headers that keep the page to itself:
// no framing, no sniffing, and a content security policy that allows only
// the page's own script, style and inline SVG.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	if err := h.sameSite(r); err != nil {
		writeError(w, err)
		return
	}
	done, err := h.admit(r)
	if err != nil {
		writeError(w, err)
		return
	}
	defer done()
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(h.page)
}

// NewServer is an http.Server for h on addr with timeouts: 10 s to read
// the headers, 30 s to read a request, 60 s to write a response, 2 minutes
// idle, 64 KiB of headers.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// apiError is an error with the status it answers with; its message is for
// the person at the page.
type apiError struct {
	status int
	msg    string
}

// shedError is a request shed under load: 503 with a Retry-After header of
// retryAfter seconds.
type shedError struct {
	msg        string
	retryAfter int
}

func (e *shedError) Error() string { return e.msg }

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, sprintf(format, args...)}
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError answers err as {"error": message} with its status: 4xx for
// the request's fault, 500 otherwise.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	var se *shedError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &se):
		w.Header().Set("Retry-After", strconv.Itoa(se.retryAfter))
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": se.msg})
	case errors.As(err, &ae):
		writeJSON(w, ae.status, map[string]string{"error": ae.msg})
	case errors.As(err, &mb):
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": sprintf("the request is larger than the limit of %s", bytesWord(mb.Limit))})
	default:
		log.Printf("boxes serve: internal error: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error: " + err.Error()})
	}
}

// decode reads a JSON body of at most the limit into v, refusing unknown
// fields.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := h.readDocument(w, r, []string{"application/json"})
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		return badRequest("the request is not valid JSON for this API: %v", err)
	}
	return nil
}
