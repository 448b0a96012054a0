package usl

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name  string
		input string
		given string  // the two columns used
		want  []Point // completed by Little's law
	}{
		{
			name:  "concurrency and throughput",
			input: "concurrency,throughput\n1,10\n2,18.5\n",
			given: "concurrency throughput",
			want:  []Point{{1, 10, 0.1}, {2, 18.5, 2 / 18.5}},
		},
		{
			// Synonyms, any case, comments, blank lines, spaces after commas.
			name:  "synonyms",
			input: "# a load test\nThreads, RPS\n\n4, 100\n# more\n8, 150\n",
			given: "concurrency throughput",
			want:  []Point{{4, 100, 0.04}, {8, 150, 8.0 / 150}},
		},
		{
			// A closed-loop test: X = N/R.
			name:  "concurrency and latency in cells",
			input: "users,response time\n1,200ms\n10,1.5s\n",
			given: "concurrency latency",
			want:  []Point{{1, 5, 0.2}, {10, 10 / 1.5, 1.5}},
		},
		{
			// An open-loop test: N = X × R. The unit of latency in the header.
			name:  "throughput and latency_ms",
			input: "x,latency_ms\n50,20\n100,40\n",
			given: "throughput latency",
			want:  []Point{{1, 50, 0.02}, {4, 100, 0.04}},
		},
		{
			name:  "units in brackets",
			input: "throughput (/min),latency (s)\n600,0.5\n",
			given: "throughput latency",
			want:  []Point{{5, 10, 0.5}},
		},
		{
			name:  "throughput_per_min and rates in cells",
			input: "n,throughput_per_min,other\n2,120,x\n4,2.4k/min,y\n",
			given: "concurrency throughput",
			want:  []Point{{2, 2, 1}, {4, 40, 0.1}},
		},
		{
			// All three: concurrency and throughput win; the latency column
			// is not read (its bare cells would need a unit).
			name:  "all three columns",
			input: "clients,qps,latency\n2,4,7\n",
			given: "concurrency throughput",
			want:  []Point{{2, 4, 0.5}},
		},
		{
			name:  "tab separated",
			input: "concurrency\tthroughput\n3\t30\n",
			given: "concurrency throughput",
			want:  []Point{{3, 30, 0.1}},
		},
		{
			name:  "semicolons, quotes and a BOM",
			input: "\ufeff\"N\";\"X\"\n\"5\";\"25\"\n",
			given: "concurrency throughput",
			want:  []Point{{5, 25, 0.2}},
		},
		{
			// Units the second article's example uses: 1 request/s at 1 s.
			name:  "latency_us",
			input: "rps,latency_us\n1000,250\n",
			given: "throughput latency",
			want:  []Point{{0.25, 1000, 0.00025}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ReadCSV(strings.NewReader(tt.input), "in.csv")
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Given[0].String() + " " + m.Given[1].String(); got != tt.given {
				t.Errorf("given %q, want %q", got, tt.given)
			}
			if len(m.Points) != len(tt.want) {
				t.Fatalf("points %+v, want %+v", m.Points, tt.want)
			}
			for i, p := range m.Points {
				w := tt.want[i]
				if !close(p.Concurrency, w.Concurrency, 1e-12) || !close(p.Throughput, w.Throughput, 1e-12) || !close(p.Latency, w.Latency, 1e-12) {
					t.Errorf("point %d = %+v, want %+v", i, p, w)
				}
			}
		})
	}
}

func TestReadCSVLines(t *testing.T) {
	m, err := ReadCSV(strings.NewReader("# c\nn,x\n1,1\n\n2,2\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Lines) != 2 || m.Lines[0] != 3 || m.Lines[1] != 5 {
		t.Errorf("lines %v, want [3 5]", m.Lines)
	}
}

// TestReadCSVErrors: every error names the file, the line and the column
// (or the file alone when no line is at fault).
func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		line   int
		column int
		want   string // in the message
	}{
		{"empty", "", 0, 0, "empty file"},
		{"header only", "n,x\n", 0, 0, "no measurements"},
		{"missing column", "concurrency,troughput\n1,2\n", 1, 0, `found concurrency (column 1); not understood: "troughput" (column 2)`},
		{"no header", "1,10\n2,20\n", 1, 0, "found none"},
		{"two throughput columns", "n,rps,qps\n1,2,3\n", 1, 3, "a second throughput column (the first is column 2"},
		{"bad unit in brackets", "n,latency (parsecs)\n1,2\n", 1, 2, `unknown latency unit "parsecs"`},
		{"non-numeric", "n,x\n1,10\n2,abc\n", 3, 2, "abc"},
		{"non-numeric concurrency", "n,x\n1,10\ntwo,20\n", 3, 1, `concurrency "two" is not a number`},
		{"zero", "n,x\n1,10\n0,20\n", 3, 1, "concurrency 0 must be positive"},
		{"negative", "n,x\n1,10\n2,-20\n", 3, 2, "throughput -20 must be positive"},
		{"negative rate", "n,x\n1,10\n2,-20/s\n", 3, 2, `"-20" must not be negative`}, // boxes.ParseRate refuses it
		{"NaN", "n,x\n1,NaN\n", 2, 2, "not a finite number"},
		{"Inf", "n,x\n1,10\n+Inf,1\n", 3, 1, "not a finite number"},
		{"empty cell", "n,x\n1,\n", 2, 2, "empty throughput"},
		{"latency without unit", "n,latency\n1,250\n", 2, 2, "needs a unit"},
		{"wrong field count", "n,x\n1,10\n2,20,30\n", 3, 0, "3 fields, the header has 2"},
		{"bare quote", "n,x\n1,10\n2,2\"0\n", 3, 2, `bare " in non-quoted-field`},
		{"overflow", "x,latency_s\n1e300,1e300\n", 2, 0, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader(tt.input), "bench.csv")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.File != "bench.csv" || pe.Line != tt.line || pe.Column != tt.column {
				t.Errorf("at %s:%d:%d, want bench.csv:%d:%d (%v)", pe.File, pe.Line, pe.Column, tt.line, tt.column, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || !strings.HasPrefix(msg, "usl: bench.csv") {
				t.Errorf("err = %q, want it to name the file and say %q", msg, tt.want)
			}
		})
	}
}

// TestReadCSVErrorText pins the shape of one message.
func TestReadCSVErrorText(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("concurrency,throughput\n1,10\n2,abc\n"), "bench.csv")
	want := `usl: bench.csv, line 3, column 2 (throughput): boxes: bad rate "abc": expected a number at "abc"`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestMeasurementsFitErrorNamesFile(t *testing.T) {
	m, err := ReadCSV(strings.NewReader("n,x\n1,1\n2,2\n3,3\n"), "three.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Fit()
	if err == nil || err.Error() != "usl: three.csv: 3 measurements; a fit of λ, σ and κ needs at least 4" {
		t.Errorf("err = %v", err)
	}
}

// TestReadCSVFit reads the same measurements written three ways; Little's
// law makes them one data set, so the fits agree.
func TestReadCSVFit(t *testing.T) {
	m := Model{Lambda: 90, Sigma: 0.03, Kappa: 0.0001}
	var nx, nr, xr strings.Builder
	nx.WriteString("concurrency,throughput\n")
	nr.WriteString("concurrency,latency_ms\n")
	xr.WriteString("throughput,latency (s)\n")
	for _, n := range []float64{1, 10, 20, 50, 100, 150, 200} {
		x := m.Throughput(n)
		r := n / x
		nx.WriteString(ftoa(n) + "," + ftoa(x) + "\n")
		nr.WriteString(ftoa(n) + "," + ftoa(r*1000) + "\n")
		xr.WriteString(ftoa(x) + "," + ftoa(r) + "\n")
	}
	for _, in := range []string{nx.String(), nr.String(), xr.String()} {
		ms, err := ReadCSV(strings.NewReader(in), "f")
		if err != nil {
			t.Fatal(err)
		}
		r, err := ms.Fit()
		if err != nil {
			t.Fatal(err)
		}
		if !close(r.Model.Lambda, m.Lambda, 1e-7) || !close(r.Model.Sigma, m.Sigma, 1e-6) || !close(r.Model.Kappa, m.Kappa, 1e-6) {
			t.Errorf("%s: fit %+v, want %+v", strings.SplitN(in, "\n", 2)[0], r.Model, m)
		}
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func TestQuantityString(t *testing.T) {
	if Concurrency.String() != "concurrency" || Throughput.String() != "throughput" || Latency.String() != "latency" || Quantity(7).String() != "Quantity(7)" {
		t.Error("Quantity.String")
	}
}
