package sweep

import (
	"context"
	"fmt"
	"testing"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/sweepreport"
)

func sloMet(r *report.ResultJSON) bool { return r.SLO != nil && r.SLO.Met }

// TestSearchMatchesGrid: on small sweeps where the objective is monotone,
// the search's answer is the whole grid's, from fewer runs.
func TestSearchMatchesGrid(t *testing.T) {
	for _, tc := range []struct{ name, doc string }{
		// A fixed fleet against 40 jobs/s of 200 ms jobs: 8 boxes are busy;
		// with no queue the fluid engine misses nothing from 8 boxes up.
		{"fixed capacity", `horizon: 1h
workload: {constant: 40/s}
policies:
  - {name: fixed, fixed: {capacity: 1}}
sweep:
  policies[fixed].capacity: 1..40
`},
		// An HPA's min replicas against bursts: misses fall as min rises.
		{"hpa min", `horizon: 6h
workload: {preset: bursty}
policies:
  - {name: hpa, hpa: {target: 0.7, min: 2, max: 100}}
sweep:
  policies[hpa].min: 1..64
`},
		// Two settings of one HPA: a boundary in min for each target.
		{"hpa target × min", `horizon: 6h
workload: {preset: bursty}
policies:
  - {name: hpa, hpa: {target: 0.7, min: 2, max: 100}}
sweep:
  policies[hpa].target: 0.50..0.95 step 0.05
  policies[hpa].min: 1..64
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw, err := Parse([]byte(tc.doc), "s.yaml")
			if err != nil {
				t.Fatal(err)
			}
			es, err := sw.Run(context.Background(), All, Options{})
			if err != nil {
				t.Fatal(err)
			}
			grid, err := Assemble(sw.Header(), es, sloMet)
			if err != nil {
				t.Fatal(err)
			}
			found, err := sw.Search(context.Background(), Options{}, sloMet)
			if err != nil {
				t.Fatal(err)
			}
			if !found.Search.Monotone {
				t.Fatalf("not monotone: %s", found.Search.Note)
			}
			if fmt.Sprint(grid.Best) != fmt.Sprint(found.Best) {
				t.Errorf("search %v, grid %v", found.Best, grid.Best)
			}
			if grid.Best == nil {
				t.Errorf("nothing meets the objective: the case tests nothing")
			}
			if found.Search.Evaluated >= found.Search.Of && found.Search.Of > 8 {
				t.Errorf("the search ran %d of %d", found.Search.Evaluated, found.Search.Of)
			}
			if found.Best != nil {
				t.Logf("%d of %d configurations; best %s", found.Search.Evaluated, found.Search.Of, sweepreport.SettingsText(found.Best.Settings))
			}
		})
	}
}

// TestSearchReportsNonMonotone plants an objective that is met at 1-3
// boxes and from 7 boxes up, not between: the search must say so and run
// the grid, and its answer is then the grid's.
func TestSearchReportsNonMonotone(t *testing.T) {
	doc := `horizon: 1h
workload: {constant: 40/s}
box: {price: $1/h}
policies:
  - {name: fixed, fixed: {capacity: 1}}
sweep:
  policies[fixed].capacity: 1..16
`
	planted := func(r *report.ResultJSON) bool { // cost is $1 a box for the hour
		boxes := float64(r.Cost)
		return boxes < 3.5 || boxes > 6.5
	}
	sw, err := Parse([]byte(doc), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	found, err := sw.Search(context.Background(), Options{}, planted)
	if err != nil {
		t.Fatal(err)
	}
	if found.Search.Monotone || found.Search.Evaluated != found.Search.Of {
		t.Fatalf("a non-monotone objective searched silently: %+v", found.Search)
	}
	if found.Best == nil || found.Best.Settings["policies[fixed].capacity"] != "1" {
		t.Errorf("best %+v, want 1 box (the grid's)", found.Best)
	}
	t.Log(found.Search.Note)
}
