package events

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/boxes-project/boxes/internal/testseed"
)

// TestReplaceSmallest checks replaceSmallestGo against its definition (the
// smallest time out, k in, sorted) and the assembly against the Go, on
// random fleets of 1 to 40 boxes (chunks of four and every tail length),
// with ties and k equal to a time or below them all.
func TestReplaceSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(testseed.Seed(t), 5))
	for range 20_000 {
		n := 1 + r.IntN(40)
		v := make([]uint64, n)
		for i := range v {
			x := r.Float64() * 100
			if r.IntN(4) == 0 {
				x = math.Floor(x) // ties
			}
			v[i] = math.Float64bits(x)
		}
		slices.Sort(v)
		var k uint64
		switch r.IntN(3) {
		case 0:
			k = v[0] // as early as allowed
		case 1:
			k = v[r.IntN(n)] // a tie
		default:
			k = math.Float64bits(math.Float64frombits(v[0]) + r.ExpFloat64()*50)
		}
		want := append(slices.Clone(v[1:]), k)
		slices.Sort(want)
		goV := slices.Clone(v)
		if m := replaceSmallestGo(goV, k); m != want[0] || !slices.Equal(goV, want) {
			t.Fatalf("replaceSmallestGo(%v, %v) = %v, %v; want %v, %v", v, k, m, goV, want[0], want)
		}
		asmV := slices.Clone(v)
		if m := replaceSmallestAVX2(asmV, k); m != want[0] || !slices.Equal(asmV, want) {
			t.Fatalf("replaceSmallestAVX2(%v, %v) = %v, %v; want %v, %v", v, k, m, asmV, want[0], want)
		}
	}
	if m, n := replaceSmallestGo(nil, 7), replaceSmallestAVX2(nil, 7); m != 7 || n != 7 {
		t.Errorf("no slot: replaceSmallestGo %d, replaceSmallestAVX2 %d; want k (7) from both, nothing touched", m, n)
	}
	if !useAVX2 {
		t.Log("no AVX2 here: replaceSmallestAVX2 is the Go code")
	}
}
