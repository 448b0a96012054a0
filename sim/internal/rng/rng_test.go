package rng

import (
	"math/rand/v2"
	"testing"
)

// TestPCGRandMatchesMathRand checks that Rand draws what math/rand/v2
// draws from the same PCG seeds (its algorithms, value for value), over
// enough draws to pass through the ziggurats' rare tails many times.
func TestPCGRandMatchesMathRand(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2, 12345, 1 << 63} {
		want := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc908))
		got := New(seed, 0x6a09e667f3bcc908)
		for i := range 200_000 {
			var g, w float64
			switch i % 5 {
			case 0:
				g, w = got.ExpFloat64(), want.ExpFloat64()
			case 1:
				g, w = got.NormFloat64(), want.NormFloat64()
			case 2:
				g, w = got.Float64(), want.Float64()
			case 3:
				g, w = float64(got.IntN(1000)), float64(want.IntN(1000))
			case 4:
				g, w = float64(got.IntN(1<<20)), float64(want.IntN(1<<20))
			}
			if g != w {
				t.Fatalf("seed %d, draw %d: got %v, math/rand/v2 gives %v", seed, i, g, w)
			}
		}
		// A block of exponentials is the same as one by one, whatever
		// its length, and the stream goes on
		// where the block ended.
		for _, n := range []int{10_000, 4095, 1, 0, 2, 3, 4096} {
			block := make([]float64, n)
			got.FillExp(block)
			for i, g := range block {
				if w := want.ExpFloat64(); g != w {
					t.Fatalf("seed %d, FillExp(%d)[%d]: got %v, math/rand/v2 gives %v", seed, n, i, g, w)
				}
			}
			if g, w := got.Float64(), want.Float64(); g != w {
				t.Fatalf("seed %d, after FillExp(%d): got %v, math/rand/v2 gives %v", seed, n, g, w)
			}
		}
	}
}

// TestPCGRandSeeded keeps seeded output as a contract (as math/rand/v2's
// regress_test.go does): the engines' results depend on these streams
// byte for byte, on every platform. The values are math/rand/v2's
// rand.New(rand.NewPCG(1, 0x6a09e667f3bcc908)) (the events engine's
// arrival stream for seed 1), printed with %v by go1.26 on linux/amd64.
func TestPCGRandSeeded(t *testing.T) {
	r := New(1, 0x6a09e667f3bcc908)
	got := []float64{r.ExpFloat64(), r.ExpFloat64(), r.ExpFloat64(), r.NormFloat64(), r.NormFloat64(), r.Float64(), float64(r.IntN(1000))}
	want := []float64{0.5313919621450391, 2.5827848721875566, 0.5675960082655418, -0.6089481789815494, -0.009911624861021553, 0.9182672526844342, 162}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("draw %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

// BenchmarkFillExp draws blocks of the events engine's size (4,096) of
// exponentials; ns/op over 4,096 is the cost of one.
//
//	go test ./sim/internal/rng -run '^$' -bench FillExp -count 6 -cpu 1
func BenchmarkFillExp(b *testing.B) {
	r := New(1, 0x6a09e667f3bcc908)
	var block [4096]float64
	for b.Loop() {
		r.FillExp(block[:])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(block)), "ns/draw")
}
