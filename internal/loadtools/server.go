// Package loadtools runs the real load-test tools for tests (Apache
// JMeter, Locust, ab and hey, as Debian packages them) against servers on
// 127.0.0.1 whose service time and parallelism are known by construction,
// so that what a tool writes can be checked against what the server did
// and against closed forms. With the environment variable CI set, a
// missing tool fails the test instead of skipping it (.ci/run installs
// them all).
package loadtools

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Server serves on 127.0.0.1 and counts what it served by request path:
// the truth the tools' files are checked against. It is safe for
// concurrent use.
type Server struct {
	URL string // http://127.0.0.1:PORT, without a trailing slash
	mu  sync.Mutex
	by  map[string]*Served
}

// Served is what the server did for one path.
type Served struct {
	N           int     // requests served
	Hold        float64 // seconds slots were held, summed: N × the service time
	Nominal     float64 // seconds the server meant to hold them (time.Sleep runs long)
	First, Last time.Time
}

// NewSlot serves with c slots (a semaphore), each request holding one for
// l. A closed loop of N clients then completes
//
//	X(N) = min(N, c) / l   jobs/s,   R(N) = max(l, N·l/c)
//
// (the boxes model of the articles: c boxes of latency l).
func NewSlot(t testing.TB, l time.Duration, c int) *Server {
	return newServer(t, c, func(int) time.Duration { return l })
}

// NewUSL serves with a service time that follows the Universal
// Scalability Law: a request that finds n requests in the server, itself
// included, takes l(1 + σ(n − 1) + κn(n − 1)). A closed loop of N clients
// without think time keeps N requests in the server, so it completes
//
//	X(N) = N / R(N) = λN / (1 + σ(N − 1) + κN(N − 1)),   λ = 1/l
//
// Gunther's USL with known λ, σ and κ.
func NewUSL(t testing.TB, l time.Duration, sigma, kappa float64) *Server {
	return newServer(t, 1<<20, func(n int) time.Duration {
		f := float64(n)
		return time.Duration(float64(l) * (1 + sigma*(f-1) + kappa*f*(f-1)))
	})
}

func newServer(t testing.TB, c int, service func(n int) time.Duration) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), by: map[string]*Served{}}
	slots := make(chan struct{}, c)
	var inside atomic.Int64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inside.Add(1)
		defer inside.Add(-1)
		slots <- struct{}{}
		start := time.Now()
		d := service(int(n))
		time.Sleep(d)
		end := time.Now()
		<-slots
		s.mu.Lock()
		v := s.by[r.URL.Path]
		if v == nil {
			v = &Served{First: end}
			s.by[r.URL.Path] = v
		}
		v.N++
		v.Hold += end.Sub(start).Seconds()
		v.Nominal += d.Seconds()
		v.Last = end
		s.mu.Unlock()
		w.Write([]byte("ok\n"))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return s
}

// Take returns what was served on path and forgets it.
func (s *Server) Take(path string) Served {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.by[path]
	delete(s.by, path)
	if v == nil {
		return Served{}
	}
	return *v
}
