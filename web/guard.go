package web

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/boxes-project/boxes/schema"
)

// Cross-site requests. The explorer has no login, so the browser's
// same-origin policy is its only fence: a page on another site must be able
// neither to run a simulation (Content-Type other than a document's is
// refused with 415, so a cross-site POST needs a preflight we never grant)
// nor to read an answer by DNS rebinding (its name resolving to 127.0.0.1
// makes the browser send Host: its name). So every request's Host must be
// a name this server answers to, and every /api/ request's Origin, when
// the browser sends one, must be the page's own.

// sameSite refuses, with 403, a request whose Host is not this server's or
// an /api/ request from another origin.
func (h *Handler) sameSite(r *http.Request) error {
	host, port := r.Host, ""
	if hh, p, err := net.SplitHostPort(r.Host); err == nil {
		host, port = hh, p
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if !h.knownHost(host) {
		return &apiError{status: http.StatusForbidden, msg: fmt.Sprintf(
			"refused: this server answers to localhost and IP addresses (and the names given to boxes serve --host), not Host %s; a page on another site may be reaching it by DNS rebinding",
			schema.Quote(r.Host))}
	}
	if h.port != "" && port != h.port && !(port == "" && h.port == "80") {
		return &apiError{status: http.StatusForbidden, msg: fmt.Sprintf(
			"refused: Host %s does not name this server's port %s", schema.Quote(r.Host), h.port)}
	}
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		return nil
	}
	if o := r.Header.Get("Origin"); o != "" && o != "http://"+r.Host && o != "https://"+r.Host {
		return &apiError{status: http.StatusForbidden, msg: fmt.Sprintf(
			"refused: a cross-site request from Origin %s; the explorer answers only its own page (http://%s)",
			schema.Quote(o), strings.ToValidUTF8(r.Host, ""))}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return &apiError{status: http.StatusForbidden, msg: "refused: a cross-site request (Sec-Fetch-Site: cross-site); the explorer answers only its own page"}
	}
	return nil
}

// knownHost reports whether host (lower case, without port or brackets)
// is a name this server answers to: localhost and its subdomains, a
// loopback address, the address it listens on (any address when it
// listens on all of them: a browser that sends an address was pointed at
// it, not rebound), and Options.Hosts.
func (h *Handler) knownHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || h.ip != nil && (h.ip.IsUnspecified() || h.ip.Equal(ip))
	}
	for _, n := range h.opt.Hosts {
		if strings.EqualFold(strings.TrimSuffix(n, "."), host) {
			return true
		}
	}
	return false
}

// listenAddr is the address and port of addr (nil and "" when it has none,
// or the port is 0).
func listenAddr(addr string) (net.IP, string) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, ""
	}
	if p == "0" {
		p = ""
	}
	if host == "" {
		return net.IPv6unspecified, p
	}
	return net.ParseIP(host), p
}

// Load. Simulations run Concurrent at once; up to Queue more requests
// wait their turn, and only as long as Timeout. A request that finds the
// line full, or whose wait (its place in line ÷ Concurrent × the mean run)
// would exceed Timeout, is shed at once with 503 and a Retry-After of that
// wait: under 1,000 requests at once the server answers or sheds each
// within Timeout instead of queueing past it, and holds at most Concurrent
// + Queue bodies.

// admit counts a POST /api/ request in flight, or sheds it when
// Concurrent + Queue are already: before its body is read.
func (h *Handler) admit(r *http.Request) (func(), error) {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/api/") {
		return func() {}, nil
	}
	limit := int64(h.opt.Concurrent + h.opt.Queue)
	if n := h.inflight.Add(1); n > limit {
		h.inflight.Add(-1)
		return nil, h.busy(h.expectedWait(n - int64(h.opt.Concurrent)))
	}
	return func() { h.inflight.Add(-1) }, nil
}

// expectedWait is how long the n-th in line waits for a slot, from the
// mean run so far.
func (h *Handler) expectedWait(n int64) time.Duration {
	c := int64(h.opt.Concurrent)
	return time.Duration((n + c - 1) / c * h.meanRun.Load())
}

// busy is the 503 of a shed request, with a Retry-After of wait (at least
// a second).
func (h *Handler) busy(wait time.Duration) error {
	h.shed.Add(1)
	s := int(math.Ceil(min(wait, h.opt.Timeout).Seconds()))
	return &shedError{retryAfter: max(1, s), msg: fmt.Sprintf(
		"the server is busy (%d simulations running, %d waiting): try again in %d s; boxes serve --concurrent and --queue set how many run and wait",
		h.running.Load(), h.waiting.Load(), max(1, s))}
}

// acquireCtx waits for one of the Concurrent slots, at most Timeout and
// while ctx lasts; it sheds the request at once when its wait would exceed
// Timeout.
func (h *Handler) acquireCtx(ctx context.Context) (func(), error) {
	select {
	case h.sem <- struct{}{}:
		return h.started(), nil
	default:
	}
	n := h.waiting.Add(1)
	defer h.waiting.Add(-1)
	if wait := h.expectedWait(n); n > int64(h.opt.Queue) || wait > h.opt.Timeout {
		return nil, h.busy(wait)
	}
	t := time.NewTimer(h.opt.Timeout)
	defer t.Stop()
	select {
	case h.sem <- struct{}{}:
		return h.started(), nil
	case <-t.C:
		return nil, h.busy(h.expectedWait(n))
	case <-ctx.Done():
		return nil, &shedError{retryAfter: 1, msg: "the server is busy: the request ended while it waited; try again"}
	}
}

// started counts a run in its slot and returns its release, which frees
// the slot and folds the run's length into the moving mean (weight 1/8).
func (h *Handler) started() func() {
	n := h.running.Add(1)
	for {
		m := h.mostRunning.Load()
		if n <= m || h.mostRunning.CompareAndSwap(m, n) {
			break
		}
	}
	start := time.Now()
	return func() {
		d := int64(time.Since(start))
		for {
			m := h.meanRun.Load()
			next := d
			if m > 0 {
				next = m + (d-m)/8
			}
			if h.meanRun.CompareAndSwap(m, next) {
				break
			}
		}
		h.running.Add(-1)
		<-h.sem
	}
}
