package rng

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/boxes-project/boxes/internal/testseed"
)

// TestXoshiroReference checks the generator's bits against xoshiro256++'s
// reference code. The state is the words 1, 2, 3, 4; the outputs are those
// of the Rust crate rand_xoshiro's test "reference" for Xoshiro256PlusPlus
// (rust-random/rngs, rand_xoshiro/src/xoshiro256plusplus.rs, seed bytes
// 1, 2, 3, 4 as little-endian words), which its authors produced with
// Blackman and Vigna's xoshiro256plusplus.c.
func TestXoshiroReference(t *testing.T) {
	r := Rand{s0: 1, s1: 2, s2: 3, s3: 4}
	want := []uint64{
		41943041, 58720359, 3588806011781223, 3591011842654386,
		9228616714210784205, 9973669472204895162, 14011001112246962877,
		12406186145184390807, 15849039046786891736, 10450023813501588000,
	}
	for i, w := range want {
		if g := r.Uint64(); g != w {
			t.Errorf("output %d: got %d, xoshiro256plusplus.c gives %d", i, g, w)
		}
	}
	// FillExp steps the state in its own loop: from the same state it
	// draws, and leaves, what ten ExpFloat64 calls do.
	r, q := Rand{s0: 1, s1: 2, s2: 3, s3: 4}, Rand{s0: 1, s1: 2, s2: 3, s3: 4}
	var block [10]float64
	r.FillExp(block[:])
	for i, g := range block {
		if w := q.ExpFloat64(); g != w {
			t.Errorf("FillExp[%d] from state 1, 2, 3, 4: got %v, ExpFloat64 gives %v", i, g, w)
		}
	}
	if r != q {
		t.Errorf("after 10 exponentials, FillExp leaves %+v, ExpFloat64 %+v", r, q)
	}
}

// TestSplitMix64Reference checks New's mixing against SplitMix64's
// reference code: the outputs from 1477776061723855037 are the first of
// rand_xoshiro's test "reference" for SplitMix64 (rust-random/rngs,
// rand_xoshiro/src/splitmix64.rs), produced with Vigna's splitmix64.c.
func TestSplitMix64Reference(t *testing.T) {
	x := uint64(1477776061723855037)
	want := []uint64{
		1985237415132408290, 2979275885539914483, 13511426838097143398,
		8488337342461049707, 15141737807933549159, 17093170987380407015,
	}
	for i, w := range want {
		if g := splitMix64(&x); g != w {
			t.Errorf("output %d: got %d, splitmix64.c gives %d", i, g, w)
		}
	}
	// New's state is two outputs from each of its arguments.
	a := uint64(1477776061723855037)
	b := a + 2*gamma // where the third output's counter starts
	if g, w := New(a, b), (Rand{want[0], want[1], want[2], want[3]}); g != w {
		t.Errorf("New: state %+v, want %+v", g, w)
	}
}

// gamma is SplitMix64's increment.
var gamma uint64 = 0x9e3779b97f4a7c15

// TestNewDistinct checks what New's comment argues on a few words: nearby
// pairs, and pairs that swap or share a word, give distinct states, none
// all zero, including for the words whose first or second SplitMix64
// output is 0.
func TestNewDistinct(t *testing.T) {
	zero := -gamma // zero + γ = 0: the first output is 0
	seen := map[Rand][2]uint64{}
	words := []uint64{0, 1, 2, 3, zero, zero - gamma, 1 << 63, math.MaxUint64, 0x6a09e667f3bcc908, 0xbb67ae8584caa73b}
	for _, a := range words {
		for _, b := range words {
			r := New(a, b)
			if r == (Rand{}) {
				t.Errorf("New(%#x, %#x) is the all-zero state", a, b)
			}
			if p, ok := seen[r]; ok {
				t.Errorf("New(%#x, %#x) and New(%#x, %#x) give the same state", a, b, p[0], p[1])
			}
			seen[r] = [2]uint64{a, b}
		}
	}
}

// source is Rand as a math/rand/v2 Source, so that rand.New(source) draws
// with math/rand/v2's own algorithms from the same bits.
type source struct{ r Rand }

func (s *source) Uint64() uint64 { return s.r.Uint64() }

// TestRandMatchesMathRand checks that Rand draws what math/rand/v2 draws
// from the same bits (its algorithms, value for value: rand.New on a
// Source that is the same generator), over enough draws to pass through
// the ziggurats' rare tails many times.
func TestRandMatchesMathRand(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2, 12345, 1 << 63} {
		want := rand.New(&source{New(seed, 0x6a09e667f3bcc908)})
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

// TestRandSeeded keeps seeded output as a contract (as math/rand/v2's
// regress_test.go does): the engines' results depend on these streams
// byte for byte, on every platform. The stream is the events engine's
// arrival stream for seed 1, New(1, 0x6a09e667f3bcc908). Its first words
// are those of the authors' xoshiro256plusplus.c with the state filled by
// splitmix64.c (two outputs from 1, two from 0x6a09e667f3bcc908), both
// written out from the papers and compiled with cc 12 -O2 on linux/amd64.
// The draws are math/rand/v2's rand.New(source) on a generator New(1,
// 0x6a09e667f3bcc908) (the source of TestRandMatchesMathRand), printed
// with %v by go1.26 on linux/amd64.
func TestRandSeeded(t *testing.T) {
	r := New(1, 0x6a09e667f3bcc908)
	words := []uint64{551577426785335285, 4969640167175563819, 1058906522962467247, 14422809725628158720}
	for i, w := range words {
		if g := r.Uint64(); g != w {
			t.Errorf("word %d: got %d, xoshiro256plusplus.c gives %d", i, g, w)
		}
	}
	r = New(1, 0x6a09e667f3bcc908)
	got := []float64{r.ExpFloat64(), r.ExpFloat64(), r.ExpFloat64(), r.NormFloat64(), r.NormFloat64(), r.Float64(), float64(r.IntN(1000))}
	want := []float64{0.8092746130924859, 1.1604359007643088, 1.1085924983368862, -0.3376389967735278, -0.6768209112507364, 0.8464431196399578, 253}
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

// TestWedgeBelow checks the squeeze against the test it stands for,
// y < float32(e^−x) (math/rand/v2's), on 2,000,000 wedge draws spread over
// every layer: uniform ones as the ziggurat makes them, and ones placed
// within a few float32 steps of the curve, where the bounds must not
// decide. It also checks the squeeze decides most draws on its own.
func TestWedgeBelow(t *testing.T) {
	r := New(testseed.Seed(t), 3)
	squeezed := 0
	for n := range 2_000_000 {
		i := uint8(1 + r.IntN(255))
		j := uint32(zigKe[i]) + uint32(r.Uint64()%(uint64(1<<32)-uint64(zigKe[i])))
		switch n % 1000 {
		case 0:
			j = zigKe[i]
		case 1:
			j = 1<<32 - 1
		}
		x := float64(j) * float64(zigWe[i])
		exact := float32(math.Exp(-x))
		y := zigFe[i] + float32(float32(r.Float64())*(zigFe[i-1]-zigFe[i]))
		if n%2 == 1 {
			y = nearCurve(&r, exact)
		}
		want := y < exact
		if got := wedgeBelow(y, i, x); got != want {
			t.Fatalf("layer %d, x %v, y %v: wedgeBelow %v, y < float32(e^-x) = %v", i, x, y, got, want)
		}
		if upper, lower := zigWedge[i].bounds(x); n%2 == 0 {
			if _, ok := squeeze(y, upper, lower); ok {
				squeezed++
			}
		}
	}
	checkSqueezed(t, squeezed, 1e6)
}

// nearCurve is a y within three float32 steps of exact, either side.
func nearCurve(r *Rand, exact float32) float32 {
	y := exact
	for range r.IntN(4) {
		y = math.Nextafter32(y, float32(r.IntN(2)*2))
	}
	return y
}

// checkSqueezed: the squeeze decided most of the n uniform wedge draws.
func checkSqueezed(t *testing.T, squeezed int, n float64) {
	t.Helper()
	if frac := float64(squeezed) / n; frac < 0.9 {
		t.Errorf("the squeeze decided %.1f%% of the uniform wedge draws; want most", 100*frac)
	} else {
		t.Logf("the squeeze decided %.2f%% of the uniform wedge draws", 100*frac)
	}
}

// TestNormWedgeBelow is TestWedgeBelow for the normal ziggurat: 2,000,000
// wedge draws of either sign over every layer, half placed within three
// float32 steps of e^(−x²/2), against y < float32(e^(−x²/2)); the squeeze
// decides most uniform ones (it leaves the layers across |x| = 1 alone).
func TestNormWedgeBelow(t *testing.T) {
	r := New(testseed.Seed(t), 4)
	squeezed := 0
	for n := range 2_000_000 {
		i := uint64(1 + r.IntN(127))
		aj := zigKn[i] + uint32(r.Uint64()%(uint64(1<<31)+1-uint64(zigKn[i])))
		switch n % 1000 {
		case 0:
			aj = zigKn[i]
		case 1:
			aj = 1 << 31
		}
		ax := float64(aj) * float64(zigWn[i])
		x := ax
		if r.IntN(2) == 0 {
			x = -x
		}
		exact := float32(math.Exp(-.5 * x * x))
		y := zigFn[i] + float32(float32(r.Float64())*(zigFn[i-1]-zigFn[i]))
		if n%2 == 1 {
			y = nearCurve(&r, exact)
		}
		want := y < exact
		if got := normWedgeBelow(y, i, x, ax); got != want {
			t.Fatalf("layer %d, x %v, y %v: normWedgeBelow %v, y < float32(e^-x²/2) = %v", i, x, y, got, want)
		}
		if upper, lower, ok := zigNormWedge[i].bounds(ax); ok && n%2 == 0 {
			if _, ok := squeeze(y, upper, lower); ok {
				squeezed++
			}
		}
	}
	checkSqueezed(t, squeezed, 1e6)
}

// BenchmarkNormFloat64 is the normal draw lognormal latencies take.
//
//	go test ./sim/internal/rng -run '^$' -bench NormFloat64 -count 6 -cpu 1
func BenchmarkNormFloat64(b *testing.B) {
	r := New(1, 0xbb67ae8584caa73b)
	s := 0.0
	for b.Loop() {
		s += r.NormFloat64()
	}
	_ = s
}
