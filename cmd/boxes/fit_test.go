package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/usl"
)

// runUSL runs the command line with args and returns its standard
// output, standard error and error.
func runUSL(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func decodeUSL(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v in %s", err, s)
	}
	return m
}

func nearUSL(got any, want, rel float64) bool {
	g, ok := got.(float64)
	return ok && math.Abs(g-want) <= rel*math.Abs(want)
}

const uslData = "testdata/usl/"

// TestFitJSON: boxes fit on SPEC SDM91 gives the published answers. The
// file's throughputs are per hour (scripts per hour), so λ and the
// throughputs come out per second: the expected values are SciPy's
// (usl/testdata/reference.pyout, per hour) divided by 3600. R² and N* do
// not depend on the unit. The issue quotes σ ≈ 0.02773, κ ≈ 1.044e-4,
// λ ≈ 90.00, N* ≈ 96.52, X(N*) ≈ 1884, λ/σ ≈ 3246.
func TestFitJSON(t *testing.T) {
	out, _, err := runUSL(t, "", "fit", "--format", "json", uslData+"specsdm91.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := decodeUSL(t, out)
	const rel = 1e-6
	for _, c := range []struct {
		key  string
		want float64
	}{
		{"lambda", 89.99523311 / 3600},
		{"sigma", 0.02772847558},
		{"kappa", 0.0001043654842},
		{"r_squared", 0.9895614781},
		{"peak_concurrency", 96.51955345},
		{"peak_concurrency_whole", 97},
		{"peak_throughput", 1883.899019 / 3600},
		{"limit_throughput", 3245.589345 / 3600},
	} {
		if !nearUSL(m[c.key], c.want, rel) {
			t.Errorf("%s = %v, want %v", c.key, m[c.key], c.want)
		}
	}
	for _, c := range []struct {
		key  string
		want [2]float64
	}{
		{"lambda_ci", [2]float64{50.53225999 / 3600, 129.4582062 / 3600}},
		{"sigma_ci", [2]float64{0.002402487973, 0.05305446319}},
		{"kappa_ci", [2]float64{4.918288555e-05, 0.0001595480828}},
	} {
		ci, ok := m[c.key].([]any)
		if !ok || len(ci) != 2 || !nearUSL(ci[0], c.want[0], rel) || !nearUSL(ci[1], c.want[1], rel) {
			t.Errorf("%s = %v, want %v", c.key, m[c.key], c.want)
		}
	}
	if m["file"] != uslData+"specsdm91.csv" || m["points"] != 7.0 {
		t.Errorf("file %v, points %v", m["file"], m["points"])
	}
}

// TestFitBound: the ray tracer's κ binds at 0 (the R package usl finds
// beta = 0 too), and the fit says so.
func TestFitBound(t *testing.T) {
	out, _, err := runUSL(t, "", "fit", "--format=json", uslData+"raytracer.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := decodeUSL(t, out)
	// No peak: null and the word "none" (issue 11, F5: never "+Inf").
	if m["kappa"] != 0.0 || m["peak_concurrency"] != nil || m["peak"] != "none" || !nearUSL(m["limit_throughput"], 378.1988515, 1e-6) || !nearUSL(m["peak_throughput"], 378.1988515, 1e-6) {
		t.Errorf("kappa %v, peak %v, limit %v, peak throughput %v", m["kappa"], m["peak_concurrency"], m["limit_throughput"], m["peak_throughput"])
	}
	if b, _ := json.Marshal(m["at_bound"]); string(b) != `["kappa"]` {
		t.Errorf("at_bound %s", b)
	}
	if b, _ := json.Marshal(m["notes"]); !strings.Contains(string(b), "no coherency penalty: κ = 0, no peak") {
		t.Errorf("notes %s", b)
	}
	text, _, err := runUSL(t, "", "fit", uslData+"raytracer.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"USL fit of testdata/usl/raytracer.csv: 11 measurements (concurrency, throughput)",
		"λ  21.85/s",
		"(at its bound)",
		"peak concurrency N*    none",
		"Amdahl limit λ/σ       378.2/s",
		"note: no coherency penalty: κ = 0, no peak; throughput rises toward Amdahl's limit λ/σ = 378.2/s",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
}

// TestFitPredict: predictions are the model's X(N) and R(N) = N/X(N).
func TestFitPredict(t *testing.T) {
	out, _, err := runUSL(t, "", "fit", "--format", "json", "--predict", "150, 300", uslData+"raytracer.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := decodeUSL(t, out)
	preds, ok := m["predictions"].([]any)
	if !ok || len(preds) != 2 {
		t.Fatalf("predictions %v", m["predictions"])
	}
	// The ray tracer's fit (usl/testdata/reference.pyout): λ = 21.84884285,
	// σ = 0.05777078068, κ = 0: X(N) = λN/(1 + σ(N − 1)).
	for i, n := range []float64{150, 300} {
		x := 21.84884285 * n / (1 + 0.05777078068*(n-1))
		p := preds[i].(map[string]any)
		if p["concurrency"] != n || !nearUSL(p["throughput"], x, 1e-6) || !nearUSL(p["latency"], n/x, 1e-6) {
			t.Errorf("prediction %v, want N = %g, X = %g, R = %g", p, n, x, n/x)
		}
	}
	text, _, err := runUSL(t, "", "fit", "--predict", "150", uslData+"raytracer.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "predictions:") || !strings.Contains(text, "341.1/s") {
		t.Errorf("text predictions missing:\n%s", text)
	}
}

// TestFitStdin reads the measurements from standard input; an open-loop
// test's throughput and latency give concurrency by Little's law.
func TestFitStdin(t *testing.T) {
	in, err := os.ReadFile(uslData + "open-loop.csv")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := runUSL(t, string(in), "fit", "--format", "json", "-")
	if err != nil {
		t.Fatal(err)
	}
	m := decodeUSL(t, out)
	if m["file"] != "standard input" || m["points"] != 6.0 {
		t.Errorf("file %v, points %v", m["file"], m["points"])
	}
	if b, _ := json.Marshal(m["columns"]); string(b) != `["throughput","latency"]` {
		t.Errorf("columns %s", b)
	}
}

// TestFitCurve: the curve is the fitted model, and boxes fit reads it back
// to the same coefficients.
func TestFitCurve(t *testing.T) {
	out, _, err := runUSL(t, "", "fit", "--curve", uslData+"specsdm91.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// Default range: 1 to 2 × 216 = 432, every whole number below 200
	// steps is not possible, so 100 steps: 101 points and a header.
	if lines[0] != "concurrency,throughput_per_s,latency_s" || len(lines) != 102 {
		t.Fatalf("curve starts %q, %d lines", lines[0], len(lines))
	}
	m, err := usl.ReadCSV(strings.NewReader(out), "curve")
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Fit()
	if err != nil {
		t.Fatal(err)
	}
	if !nearUSL(r.Model.Lambda, 89.99523311/3600, 1e-6) || !nearUSL(r.Model.Sigma, 0.02772847558, 1e-6) || !nearUSL(r.Model.Kappa, 0.0001043654842, 1e-6) {
		t.Errorf("refit of the curve %+v", r.Model)
	}
	out, _, err = runUSL(t, "", "fit", "--curve", "--from", "10", "--to", "20", "--format", "json", uslData+"raytracer.csv")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Curve []struct{ Concurrency, Throughput, Latency float64 }
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Curve) != 11 || c.Curve[0].Concurrency != 10 || c.Curve[10].Concurrency != 20 {
		t.Errorf("curve from 10 to 20 by whole numbers: %+v", c.Curve)
	}
}

// TestCompareArticle: the second article's examples, exactly. A system doing one
// request per second, one at a time, that halves its response time is all
// performance; one that does two at a time is all scalability.
func TestCompareArticle(t *testing.T) {
	tests := []struct {
		after                 string
		sentence, verdict     string
		throughput, perf, scl float64
	}{
		{"X=2/s,R=500ms", "throughput ×2.00 = ×2.00 from performance (latency 1 s → 0.5 s) × ×1.00 from scalability (parallelism 1 → 1)", "all performance", 2, 2, 1},
		{"N=2,R=1s", "throughput ×2.00 = ×1.00 from performance (latency 1 s → 1 s) × ×2.00 from scalability (parallelism 1 → 2)", "all scalability", 2, 1, 2},
	}
	for _, tt := range tests {
		out, _, err := runUSL(t, "", "compare", "N=1,R=1s", tt.after)
		if err != nil {
			t.Fatal(err)
		}
		// The verdict is the first line.
		if !strings.HasPrefix(out, "Verdict: "+tt.verdict+": "+tt.sentence+"\n") {
			t.Errorf("compare N=1,R=1s %s:\n%s\nwant %q", tt.after, out, tt.sentence)
		}
		out, _, err = runUSL(t, "", "compare", "--format", "json", "X=1/s,R=1s", tt.after)
		if err != nil {
			t.Fatal(err)
		}
		m := decodeUSL(t, out)
		if m["throughput_factor"] != tt.throughput || m["performance_factor"] != tt.perf || m["scalability_factor"] != tt.scl || m["verdict"] != tt.verdict || m["kind"] != "points" {
			t.Errorf("json %v", m)
		}
	}
}

// TestCompareFiles: the same system with every job twice as fast is pushed
// down (λ ×2, σ and κ unchanged: least squares scales with the data); with
// a quarter of the contention and coherency it is pushed right (N* ×2.03
// for the generating model, see the file's comment).
func TestCompareFiles(t *testing.T) {
	out, _, err := runUSL(t, "", "compare", "--format", "json", uslData+"specsdm91.csv", uslData+"specsdm91-twice-as-fast.csv")
	if err != nil {
		t.Fatal(err)
	}
	m := decodeUSL(t, out)
	if !nearUSL(m["performance_factor"], 2, 1e-6) || !nearUSL(m["scalability_factor"], 1, 1e-6) || !nearUSL(m["throughput_factor"], 2, 1e-6) {
		t.Errorf("twice as fast: factors %v = %v × %v", m["throughput_factor"], m["performance_factor"], m["scalability_factor"])
	}
	if m["performance_moved"] != true || m["scalability_moved"] != false || m["verdict"] != "all performance" || m["kind"] != "fits" {
		t.Errorf("twice as fast: performance moved %v, scalability moved %v, verdict %v", m["performance_moved"], m["scalability_moved"], m["verdict"])
	}
	lambda := m["lambda"].(map[string]any)
	if lambda["outside_ci"] != true || !nearUSL(lambda["factor"], 2, 1e-6) {
		t.Errorf("lambda change %v", lambda)
	}

	out, _, err = runUSL(t, "", "compare", "--format", "json", uslData+"specsdm91.csv", uslData+"specsdm91-quarter-overhead.csv")
	if err != nil {
		t.Fatal(err)
	}
	m = decodeUSL(t, out)
	peak := m["peak_concurrency"].(map[string]any)
	if m["performance_moved"] != false || m["scalability_moved"] != true || peak["outside_ci"] != true || !nearUSL(peak["factor"], 2.03, 0.02) {
		t.Errorf("quarter overhead: performance moved %v, scalability moved %v, N* %v", m["performance_moved"], m["scalability_moved"], peak)
	}

	text, _, err := runUSL(t, "", "compare", uslData+"specsdm91.csv", uslData+"specsdm91-twice-as-fast.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"peak throughput ×2.00 = ×2.00 from performance",
		"outside the 95% intervals: performance, the response-time curve moved down",
		"all performance; beyond the noise: performance yes, scalability no",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

// TestCompareCurve: before and after side by side at the same
// concurrencies. For points, the boxes model: N boxes of latency R.
func TestCompareCurve(t *testing.T) {
	out, _, err := runUSL(t, "", "compare", "--curve", "N=1,R=1s", "N=2,R=500ms")
	if err != nil {
		t.Fatal(err)
	}
	want := `concurrency,throughput_before_per_s,latency_before_s,throughput_after_per_s,latency_after_s
1,1,1,2,0.5
2,1,2,4,0.5
3,1,3,4,0.75
4,1,4,4,1
`
	if out != want {
		t.Errorf("curve:\n%s\nwant:\n%s", out, want)
	}
	out, _, err = runUSL(t, "", "compare", "--curve", "--format", "json", "--to", "300", uslData+"specsdm91.csv", uslData+"specsdm91-quarter-overhead.csv")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Before, After []struct{ Concurrency, Throughput, Latency float64 }
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Before) != 101 || len(c.After) != 101 || c.Before[100].Concurrency != 300 || c.After[100].Concurrency != 300 {
		t.Fatalf("%d and %d points", len(c.Before), len(c.After))
	}
	// Pushed right: after the change, latency at 300 is lower.
	if !(c.After[100].Latency < c.Before[100].Latency) {
		t.Errorf("R(300) before %g, after %g", c.Before[100].Latency, c.After[100].Latency)
	}
}

// TestFitErrors: bad input names the file, the line and the column, exits
// with code 2 and prints nothing.
func TestFitErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"fit", uslData + "missing-column.csv"}, uslData + `missing-column.csv:2: the header needs two of concurrency, throughput and latency columns`},
		{[]string{"fit", uslData + "non-numeric.csv"}, uslData + `non-numeric.csv:4:2 ("rps"): boxes: bad rate "abc"`},
		{[]string{"fit", uslData + "negative.csv"}, uslData + `negative.csv:4:2 ("latency_ms"): latency "-110" must be positive`},
		{[]string{"fit", uslData + "zero.csv"}, uslData + `zero.csv:3:1 ("threads"): concurrency "0" must be positive`},
		{[]string{"fit", uslData + "too-few.csv"}, uslData + `too-few.csv: 3 measurements; a fit of λ, σ and κ needs at least 4`},
		{[]string{"fit", uslData + "no-convergence.csv"}, uslData + `no-convergence.csv: the fit did not converge`},
		{[]string{"fit", uslData + "missing.csv"}, "no such file"},
		{[]string{"fit"}, "fit takes measurement files, got none"},
		{[]string{"fit", "a.csv", "b.csv"}, "stat a.csv: no such file"},
		{[]string{"fit", "--predict", "0", uslData + "raytracer.csv"}, `concurrency "0" must be a positive number`},
		{[]string{"fit", "--curve", "--from", "5", "--to", "2", uslData + "raytracer.csv"}, "0 < --from ≤ --to"},
		{[]string{"fit", "--curve", "--steps", "0", uslData + "raytracer.csv"}, "--steps 0"},
		{[]string{"fit", "--format", "xml", uslData + "raytracer.csv"}, `unknown format "xml"`},
		{[]string{"compare", "N=1,R=1s"}, "compare takes two measurements"},
		{[]string{"compare", "N=1,R=1s", uslData + "raytracer.csv"}, "two points or two measurement files, not one of each"},
		{[]string{"compare", "N=1", "N=2,R=1s"}, `point "N=1": give two of`},
		{[]string{"compare", "N=1,R=1s", "N=2,R=1"}, `field 2: latency 1 needs a unit`},
		{[]string{"compare", uslData + "raytracer.csv", uslData + "non-numeric.csv"}, `non-numeric.csv:4:2 ("rps")`},
		{[]string{"compare", uslData + "raytracer.csv", uslData + "too-few.csv"}, "too-few.csv: 3 measurements"},
		{[]string{"compare", "-", "-"}, "only one of BEFORE and AFTER"},
	}
	for _, tt := range tests {
		out, _, err := runUSL(t, "", tt.args...)
		if err == nil {
			t.Errorf("%v: no error", tt.args)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %q, want %q", tt.args, err, tt.want)
		}
		if code := exitCode(err); code != 2 {
			t.Errorf("%v: exit code %d, want 2", tt.args, code)
		}
		if out != "" {
			t.Errorf("%v: wrote %q", tt.args, out)
		}
	}
}

// TestFitHelp: -h prints the usage with the column names and examples.
func TestFitHelp(t *testing.T) {
	for _, cmd := range []string{"fit", "compare"} {
		_, stderr, err := runUSL(t, "", cmd, "-h")
		if err == nil || !strings.Contains(stderr, "Usage: boxes "+cmd) || !strings.Contains(stderr, "Examples:") {
			t.Errorf("%s -h: %v\n%s", cmd, err, stderr)
		}
	}
	out, _, _ := runUSL(t, "", "-h")
	if !strings.Contains(out, "fit ") || !strings.Contains(out, "compare ") {
		t.Errorf("usage lacks fit and compare:\n%s", out)
	}
}
