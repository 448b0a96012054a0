package measure

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// testServer is a server with designed behaviour on 127.0.0.1:
//
//   - Slots > 0: at most Slots requests are served at once, the others
//     wait in line (c boxes in the articles' words);
//   - each request is served for Latency × (1 + Sigma(n − 1) + Kappa n(n − 1)),
//     n being the requests in the server when it arrives (itself included):
//     every other request in flight costs it Sigma × Latency of waiting on a
//     shared, serial section (contention) and every pair Kappa × Latency of
//     keeping each other's data consistent (coherency). In a closed loop of
//     N workers n is N, so the response time is the Universal Scalability
//     Law's R(N) = (1 + σ(N − 1) + κN(N − 1))/λ with λ = 1/Latency by
//     construction (Gunther, Guerrilla Capacity Planning, 2007, ch. 4);
//   - Fail: every request gets 500.
//
// It records the time requests held a slot, to know the service time D the
// sleeps really gave.
type testServer struct {
	Slots        int
	Latency      time.Duration
	Sigma, Kappa float64
	Fail         bool

	slots    chan struct{}
	inflight atomic.Int64
	held     atomic.Int64 // ns of service, summed
	served   atomic.Int64
}

func (s *testServer) start(t *testing.T) string {
	t.Helper()
	if s.Slots > 0 {
		s.slots = make(chan struct{}, s.Slots)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := float64(s.inflight.Add(1))
		defer s.inflight.Add(-1)
		if s.slots != nil {
			select {
			case s.slots <- struct{}{}:
				defer func() { <-s.slots }()
			case <-r.Context().Done():
				return
			}
		}
		d := time.Duration(float64(s.Latency) * (1 + s.Sigma*(n-1) + s.Kappa*n*(n-1)))
		t0 := time.Now()
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		s.held.Add(int64(time.Since(t0)))
		s.served.Add(1)
		if s.Fail {
			http.Error(w, "designed to fail", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("ok\n"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// service is the mean time a request held its slot so far: the designed
// Latency plus what the timer added.
func (s *testServer) service() time.Duration {
	n := s.served.Load()
	if n == 0 {
		return 0
	}
	return time.Duration(s.held.Load() / n)
}
