package workload

import (
	"errors"
	"math"
	"testing"
)

// engineRead reads n steps of c from time 0 as the engines do: blocks of
// RecordBlock steps (sim's blockSize), the last one shorter.
func engineRead(c Curve, step float64, n int) []float64 {
	out := make([]float64, n)
	s := NewSampler(c, 0, step)
	for k := 0; k < n; k += RecordBlock {
		s.Next(out[k:min(k+RecordBlock, n)])
	}
	return out
}

// sameBits reports the first step where got and want differ in any bit.
func sameBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d steps, want %d", what, len(got), len(want))
	}
	for k := range want {
		if math.Float64bits(got[k]) != math.Float64bits(want[k]) {
			t.Fatalf("%s: step %d = %.17g, the curve's own Sampler gives %.17g", what, k, got[k], want[k])
		}
	}
}

// TestRecordedReplaysTheSampler: a run reading a Recorded gets, bit for
// bit, what it gets reading the curve itself: within the recording, past
// it (the curve's own Sampler, advanced over the recorded steps), and at
// another start or step (the curve read directly). The reference is the
// curve's own Sampler read as the engines read it, so the test is
// independent of Record's code path.
func TestRecordedReplaysTheSampler(t *testing.T) {
	curves := samplerCurves(t)
	curves = append(curves,
		struct {
			name string
			c    Curve
		}{"poisson", Poisson{Curve: Sum{daily5, Burst{Start: 300, Duration: 600, Height: 80}}, Seed: 7}},
		struct {
			name string
			c    Curve
		}{"noise of poisson", Noise{Curve: Poisson{Curve: daily5, Seed: 3}, Sigma: 0.1, Interval: 60, Seed: 9}},
	)
	const recorded = 10_000 // not a multiple of RecordBlock: the last block is short
	for _, tc := range curves {
		for _, step := range []float64{1, 0.25} {
			rec := Record(tc.c, step, recorded)
			sameBits(t, tc.name+": the recording", rec.Samples, engineRead(tc.c, step, recorded))

			// As an engine reads it, and further: 10,000 steps replayed,
			// then 6,000 of the curve's own.
			const n = 16_000
			sameBits(t, tc.name+": a run of the recording and beyond", engineRead(rec, step, n), engineRead(tc.c, step, n))

			// Odd block lengths across the recording's end.
			got := make([]float64, 0, n)
			s := NewSampler(rec, 0, step)
			for len(got) < n {
				b := make([]float64, min(997, n-len(got)))
				s.Next(b)
				got = append(got, b...)
			}
			want := engineRead(tc.c, step, n)
			for k := range want {
				if math.Abs(got[k]-want[k]) > 1e-15*math.Abs(want[k])+1e-300 { // TestSamplerBlockLengths' tolerance
					t.Fatalf("%s step %g, blocks of 997: step %d = %.17g, want %.17g", tc.name, step, k, got[k], want[k])
				}
			}

			// In a sum, where a stepper adds to what the first part wrote.
			sameBits(t, tc.name+": in a sum", engineRead(Sum{Constant(3), rec}, step, 5000), engineRead(Sum{Constant(3), tc.c}, step, 5000))

			// Another start or step reads the curve itself.
			for _, other := range []struct{ start, step float64 }{{60, step}, {0, step * 2}} {
				a, b := make([]float64, 3000), make([]float64, 3000)
				NewSampler(rec, other.start, other.step).Next(a)
				NewSampler(tc.c, other.start, other.step).Next(b)
				sameBits(t, tc.name+": at another start or step", a, b)
			}

			// Rate and Jobs are the curve's.
			for _, x := range []float64{0, 17.5, 3600, 50400} {
				if rec.Rate(x) != tc.c.Rate(x) || rec.Jobs(x, x+30) != tc.c.Jobs(x, x+30) {
					t.Fatalf("%s: Rate or Jobs at %g differ from the curve's", tc.name, x)
				}
			}
		}
	}
}

// TestRecordedEmpty: a recording of no steps reads the curve from the
// start.
func TestRecordedEmpty(t *testing.T) {
	rec := Record(daily5, 1, 0)
	sameBits(t, "empty recording", engineRead(rec, 1, 5000), engineRead(daily5, 1, 5000))
}

// TestRecordedNamesItsCurve: a rate out of range in a recording is
// reported under the recorded curve's kind, as it is without recording.
func TestRecordedNamesItsCurve(t *testing.T) {
	// Rate 2^(t/1 s): step [k, k+1) has the mean rate 2^k/ln 2, 7.9e11 at
	// k = 39 and 1.59e12 at k = 40, the first above MaxRate = 1e12. Under
	// Poisson, CheckRange reads the mean curve.
	for _, c := range []Curve{Exponential{From: 1, Doubling: 1}, Poisson{Curve: Exponential{From: 1, Doubling: 1}, Seed: 1}} {
		err := CheckRange(Record(c, 1, 100), 0, 1, 100)
		var re *RangeError
		if !errors.As(err, &re) || re.Curve != "exponential" || re.Time != 40 {
			t.Errorf("%T recorded: got %v, want an exponential's rate out of range at 40 s", c, err)
		}
	}
}

// BenchmarkRecordedReplay is the cost a step of a run reading a recording
// of the default scenario's workload (noise over a daily cycle and a
// burst), against the curve's own Sampler in the same run.
func BenchmarkRecordedReplay(b *testing.B) {
	c := Noise{Curve: Sum{Daily{Mean: 60, Ratio: 4, Period: 86400, Peak: 54000}, Burst{Start: 43200, Duration: 1200, Height: 120}}, Sigma: 0.05, Interval: 60, Seed: 1}
	const n = 86400
	rec := Record(c, 1, n)
	buf := make([]float64, RecordBlock)
	read := func(w Curve) {
		s := NewSampler(w, 0, 1)
		for k := 0; k < n; k += len(buf) {
			s.Next(buf[:min(len(buf), n-k)])
		}
	}
	b.ReportAllocs()
	var replay, sample int64
	for b.Loop() {
		t0 := cpuTime()
		read(rec)
		t1 := cpuTime()
		read(c)
		t2 := cpuTime()
		replay += t1 - t0
		sample += t2 - t1
	}
	if sample > 0 {
		b.ReportMetric(float64(replay)/float64(b.N*n), "cpu-ns/step")
		b.ReportMetric(float64(replay)/float64(sample), "ratio")
	}
}
