// Package rng is the engines' random-number generator: xoshiro256++ with
// math/rand/v2's draws as a concrete type.
package rng

import (
	"math"
	"math/bits"
)

// Rand is xoshiro256++ (Blackman and Vigna, "Scrambled linear
// pseudorandom number generators", ACM TOMS 47(4), 2021: 256 bits of
// state, period 2²⁵⁶ − 1, no multiplications) with the draws the engines
// use, as a concrete type: the engines call it directly instead of
// through rand.Rand's Source interface, and FillExp draws a block of
// exponentials with the state in registers. Every draw is math/rand/v2's
// own algorithm on the generator's bits (ExpFloat64 and NormFloat64 are
// Marsaglia and Tsang's ziggurat with Go's tables), so a Rand gives the
// values rand.New(source) gives for a source whose Uint64 is Rand's:
// TestRandMatchesMathRand checks that, TestXoshiroReference checks the
// bits against the authors' reference code, and TestRandSeeded keeps a
// few seeded values as a contract. The ziggurat's float32 comparisons are
// written with explicit conversions, which forbid fused multiply-adds, so
// the stream is the same on every platform (math/rand/v2 leaves fusion to
// the compiler). Not safe for concurrent use.
type Rand struct {
	s0, s1, s2, s3 uint64
}

// New returns the generator for the pair (seed1, seed2): its state is the
// first two outputs of SplitMix64 (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014; Vigna's
// splitmix64.c) started at seed1, then the first two started at seed2, as
// the xoshiro authors advise for filling the state from 64-bit values.
//
// Distinct pairs give distinct states: SplitMix64's output is its counter
// (seed + k·γ) through a bijection of the 64-bit words (xor-shifts and
// multiplications by odd constants, each invertible), so s0 alone gives
// back seed1 and s2 alone seed2. The state is never all zero, the one
// state xoshiro cannot leave: the bijection maps only 0 to 0, and s0 and
// s1 come from counters γ ≠ 0 apart, which are never both 0.
func New(seed1, seed2 uint64) Rand {
	x, y := seed1, seed2
	return Rand{s0: splitMix64(&x), s1: splitMix64(&x), s2: splitMix64(&y), s3: splitMix64(&y)}
}

// splitMix64 advances the counter *x by γ (2⁶⁴ over the golden ratio,
// rounded to odd) and returns it mixed (Stafford's variant 13 of
// MurmurHash3's finalizer), as Vigna's splitmix64.c does.
func splitMix64(x *uint64) uint64 {
	*x += 0x9e3779b97f4a7c15
	z := *x
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// step advances the state (s0, s1, s2, s3) by one draw and returns the
// new state and the output: out = rotl(s0 + s3, 23) + s0, then the
// linear engine's xor-shifts and rotation (xoshiro256plusplus.c's next).
func step(s0, s1, s2, s3 uint64) (n0, n1, n2, n3, out uint64) {
	out = bits.RotateLeft64(s0+s3, 23) + s0
	t := s1 << 17
	s2 ^= s0
	s3 ^= s1
	s1 ^= s2
	s0 ^= s3
	s2 ^= t
	s3 = bits.RotateLeft64(s3, 45)
	return s0, s1, s2, s3, out
}

// Uint64 is xoshiro256++'s next output: uniform on the 64-bit words.
func (p *Rand) Uint64() uint64 {
	var u uint64
	p.s0, p.s1, p.s2, p.s3, u = step(p.s0, p.s1, p.s2, p.s3)
	return u
}

// Float64 is rand.Rand's Float64: uniform in [0, 1).
func (p *Rand) Float64() float64 {
	return float64(p.Uint64()<<11>>11) / (1 << 53)
}

// IntN is rand.Rand's IntN for n > 0 (64-bit platforms' algorithm, which
// 32-bit ones reproduce): uniform in [0, n).
func (p *Rand) IntN(n int) int {
	un := uint64(n)
	if un&(un-1) == 0 {
		return int(p.Uint64() & (un - 1))
	}
	hi, lo := bits.Mul64(p.Uint64(), un)
	if lo < un {
		thresh := -un % un
		for lo < thresh {
			hi, lo = bits.Mul64(p.Uint64(), un)
		}
	}
	return int(hi)
}

// ExpFloat64 is rand.Rand's ExpFloat64: exponential with rate 1.
func (p *Rand) ExpFloat64() float64 {
	u := p.Uint64()
	j := uint32(u)
	i := uint8(u >> 32)
	if j < zigKe[i] {
		return float64(j) * float64(zigWe[i])
	}
	return p.expTail(u)
}

// expTail finishes an exponential draw whose first word u fell outside
// the ziggurat's rectangles (about 1.2% of draws), as rand.Rand does.
func (p *Rand) expTail(u uint64) float64 {
	for {
		j := uint32(u)
		i := uint8(u >> 32)
		x := float64(j) * float64(zigWe[i])
		if j < zigKe[i] {
			return x
		}
		if i == 0 {
			return zigRe - math.Log(p.Float64())
		}
		if wedgeBelow(zigFe[i]+float32(float32(p.Float64())*(zigFe[i-1]-zigFe[i])), i, x) {
			return x
		}
		u = p.Uint64()
	}
}

// zigWedge is, for each layer i ≥ 1 of the exponential ziggurat, the
// part of its strip a draw that misses the rectangle falls in (the
// wedge): x from lo (zigKe[i]·zigWe[i]) to hi (2³²·zigWe[i]), e^−x's
// chord over it (from e^−lo, slope), and its tangent at the middle mid
// (e^−mid).
var zigWedge [256]expWedge

type expWedge struct{ lo, elo, slope, mid, emid float64 }

// bounds are e^−x's chord over the wedge, above it, and its tangent at the
// middle, below it (e^−x is convex).
func (w *expWedge) bounds(x float64) (upper, lower float64) {
	return w.elo + w.slope*(x-w.lo), w.emid * (1 + w.mid - x)
}

// squeeze decides y < float32(f(x)) from bounds upper ≥ f(x) ≥ lower
// when it can: decided is false for a y in the lens between them. The
// margins of 2⁻²⁰ cover the float32 rounding of f(x) (2⁻²⁴) and the
// float64 arithmetic of the bounds, fused or not.
func squeeze(y float32, upper, lower float64) (below, decided bool) {
	yf := float64(y)
	if yf >= upper*(1+0x1p-20) {
		return false, true
	}
	if yf < lower*(1-0x1p-20) {
		return true, true
	}
	return false, false
}

func init() {
	for i := 1; i < len(zigWedge); i++ {
		w := &zigWedge[i]
		w.lo = float64(zigKe[i]) * float64(zigWe[i])
		hi := (1 << 32) * float64(zigWe[i])
		w.elo = math.Exp(-w.lo)
		w.slope = (math.Exp(-hi) - w.elo) / (hi - w.lo)
		w.mid = (w.lo + hi) / 2
		w.emid = math.Exp(-w.mid)
	}
}

// wedgeBelow is the ziggurat's wedge test, y < float32(e^−x), for a draw
// x in layer i's wedge: math/rand/v2's answer, mostly without the
// exponential (Marsaglia's squeeze). e^−x is convex, so on the wedge it
// lies below its chord and above its tangents: a y at or above the chord
// is at or above float32(e^−x) too, and one below the tangent at the
// middle is below it, with margins of 2⁻²⁰ that cover the float32
// rounding (2⁻²⁴) and the float64 arithmetic (which may fuse here: only
// the exact test below decides a y between the two bounds). What is left
// is the thin lens between them.
func wedgeBelow(y float32, i uint8, x float64) bool {
	upper, lower := zigWedge[i].bounds(x)
	if below, ok := squeeze(y, upper, lower); ok {
		return below
	}
	return y < float32(math.Exp(-x))
}

// FillExp fills dst with exponentials of rate 1, the values ExpFloat64
// would give one by one.
func (p *Rand) FillExp(dst []float64) {
	s0, s1, s2, s3 := p.s0, p.s1, p.s2, p.s3
	for k := range dst {
		var u uint64
		s0, s1, s2, s3, u = step(s0, s1, s2, s3)
		j := uint32(u)
		i := uint8(u >> 32)
		if j < zigKe[i] {
			dst[k] = float64(j) * float64(zigWe[i])
			continue
		}
		p.s0, p.s1, p.s2, p.s3 = s0, s1, s2, s3
		dst[k] = p.expTail(u)
		s0, s1, s2, s3 = p.s0, p.s1, p.s2, p.s3
	}
	p.s0, p.s1, p.s2, p.s3 = s0, s1, s2, s3
}

// NormFloat64 is rand.Rand's NormFloat64: standard normal.
func (p *Rand) NormFloat64() float64 {
	for {
		u := p.Uint64()
		j := int32(u) // possibly negative
		i := u >> 32 & 0x7F
		x := float64(j) * float64(zigWn[i])
		aj := uint32(j)
		if j < 0 {
			aj = uint32(-j)
		}
		if aj < zigKn[i] {
			return x
		}
		if i == 0 {
			for {
				x = -math.Log(p.Float64()) * (1.0 / zigRn)
				y := -math.Log(p.Float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigRn + x
			}
			return -zigRn - x
		}
		if normWedgeBelow(zigFn[i]+float32(float32(p.Float64())*(zigFn[i-1]-zigFn[i])), i, x, float64(aj)*float64(zigWn[i])) {
			return x
		}
	}
}

// zigNormWedge is zigWedge for the normal ziggurat's layers, in |x|: the
// wedge from lo (zigKn[i]·zigWn[i]) to hi (2³¹·zigWn[i]), the chord of
// f(x) = e^(−x²/2) over it and its tangent at the middle, and whether f is
// convex there (|x| ≥ 1: chord above, tangent below), concave (|x| ≤ 1:
// the other way) or neither (a wedge across 1, left to the exact test).
var zigNormWedge [128]normWedge

type normWedge struct {
	lo, flo, slope, mid, fmid, dmid float64
	shape                           int8 // +1 convex, −1 concave, 0 neither
}

// bounds are f's chord over the wedge and its tangent at the middle, as
// upper ≥ f(ax) ≥ lower; ok is false across |x| = 1.
func (w *normWedge) bounds(ax float64) (upper, lower float64, ok bool) {
	chord, tangent := w.flo+w.slope*(ax-w.lo), w.fmid+w.dmid*(ax-w.mid)
	switch w.shape {
	case 1:
		return chord, tangent, true
	case -1:
		return tangent, chord, true
	}
	return 0, 0, false
}

func init() {
	f := func(x float64) float64 { return math.Exp(-.5 * x * x) }
	for i := 1; i < len(zigNormWedge); i++ {
		w := &zigNormWedge[i]
		w.lo = float64(zigKn[i]) * float64(zigWn[i])
		hi := (1 << 31) * float64(zigWn[i])
		w.flo = f(w.lo)
		w.slope = (f(hi) - w.flo) / (hi - w.lo)
		w.mid = (w.lo + hi) / 2
		w.fmid = f(w.mid)
		w.dmid = -w.mid * w.fmid // f′(mid)
		switch {
		case w.lo >= 1:
			w.shape = 1
		case hi <= 1:
			w.shape = -1
		}
	}
}

// normWedgeBelow is the normal ziggurat's wedge test,
// y < float32(e^(−x²/2)), for a draw x (|x| = ax) in layer i's wedge:
// wedgeBelow's squeeze on whichever side of the chord and the tangent f
// lies, with the same margins; only the lens between them, and the wedges
// across |x| = 1, take the exponential.
func normWedgeBelow(y float32, i uint64, x, ax float64) bool {
	if upper, lower, ok := zigNormWedge[i].bounds(ax); ok {
		if below, ok := squeeze(y, upper, lower); ok {
			return below
		}
	}
	return y < float32(math.Exp(-.5*x*x))
}
