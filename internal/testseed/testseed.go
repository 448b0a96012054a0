// Package testseed gives the statistical tests their random-number seed:
// the committed one, or the BOXES_TEST_SEED environment variable's, so that
// a test can be run over many seeds (a test that holds for one seed only is
// tuned to it, not correct):
//
//	for s in $(seq 1 50); do BOXES_TEST_SEED=$s go test ./sim ./workload -count 1 || echo "seed $s"; done
//
// It is imported by tests only.
package testseed

import (
	"fmt"
	"os"
	"strconv"
	"testing"
)

// Env is the environment variable that re-seeds the statistical tests.
const Env = "BOXES_TEST_SEED"

// Committed is the seed CI runs with when Env is unset.
const Committed uint64 = 1

// Seed is Env's value (a whole number ≥ 0) or Committed when it is unset
// or empty; it fails tb when Env is set to something else. It logs the seed
// so that a failure names the seed that reproduces it.
func Seed(tb testing.TB) uint64 {
	tb.Helper()
	s, err := Parse(os.Getenv(Env))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s=%d", Env, s)
	return s
}

// Parse reads Env's value: empty means Committed.
func Parse(v string) (uint64, error) {
	if v == "" {
		return Committed, nil
	}
	s, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("testseed: %s=%.40q is not a whole number ≥ 0", Env, v)
	}
	return s, nil
}

// Mix is a seed derived from seed and a test's own constant k, with the
// streams of different k unrelated (SplitMix64's finalizer): for tests that
// need several seeds.
func Mix(seed, k uint64) uint64 {
	x := seed ^ (k+1)*0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
