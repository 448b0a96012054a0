package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/boxes-project/boxes/report"
	"github.com/boxes-project/boxes/report/measurement"
	"github.com/boxes-project/boxes/usl"
)

// CompareRequest is the body of POST /api/compare: two measurements, each
// a point ("N=1,R=1s": any two of concurrency N, throughput X and response
// time R) or a CSV of load-test measurements, which are fitted with the
// Universal Scalability Law.
type CompareRequest struct {
	Before     string `json:"before"`
	After      string `json:"after"`
	BeforeCSV  string `json:"before_csv"`
	AfterCSV   string `json:"after_csv"`
	BeforeName string `json:"before_name"`
	AfterName  string `json:"after_name"`
}

// CompareResponse is the split in words, the table and the charts.
type CompareResponse struct {
	Verdict string            `json:"verdict"`
	Summary []string          `json:"summary"`
	Table   string            `json:"table"`
	Charts  []report.ChartSVG `json:"charts"`
}

func (h *Handler) compare(w http.ResponseWriter, r *http.Request) {
	var req CompareRequest
	if err := h.decode(w, r, &req); err != nil {
		writeError(w, err)
		return
	}
	resp, err := h.Compare(r.Context(), &req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// Compare splits the change between two measurements into performance and
// scalability and draws the two graphs of “The Difference Between Scalability and Performance”.
func (h *Handler) Compare(ctx context.Context, req *CompareRequest) (*CompareResponse, error) {
	release, err := h.acquireCtx(ctx)
	if err != nil {
		return nil, err
	}
	// The comparison runs in its slot, which it frees when it ends; the
	// request waits for it at most Timeout, as a simulation does.
	type answer struct {
		resp *CompareResponse
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		defer release()
		resp, err := h.comparePoints(req)
		done <- answer{resp, err}
	}()
	t := time.NewTimer(h.opt.Timeout)
	defer t.Stop()
	select {
	case a := <-done:
		return a.resp, a.err
	case <-t.C:
		return nil, &apiError{http.StatusRequestTimeout, fmt.Sprintf("the comparison took longer than %v (boxes serve --timeout raises it)", h.opt.Timeout)}
	case <-ctx.Done():
		return nil, &shedError{retryAfter: 1, msg: "the request ended before the comparison did"}
	}
}

func (h *Handler) comparePoints(req *CompareRequest) (*CompareResponse, error) {
	if req.BeforeCSV != "" || req.AfterCSV != "" {
		return h.compareFits(req)
	}
	var sides [2]usl.Side
	for i, s := range []string{req.Before, req.After} {
		name := [2]string{"before", "after"}[i]
		if strings.TrimSpace(s) == "" {
			return nil, badRequest("%s: give two of N (concurrency), X (throughput) and R (response time), like N=4,R=200ms", name)
		}
		p, err := usl.ParsePoint(s)
		if err != nil {
			return nil, badRequest("%s: %v", name, err)
		}
		sides[i] = usl.Side{Point: &p}
	}
	cmp, err := usl.Compare(sides[0], sides[1])
	if err != nil {
		return nil, badRequest("%v", err)
	}
	j := measurement.NewPointComparisonJSON(*cmp.Points)
	t := report.HTMLTable{Head: []string{"", "concurrency N", "throughput X", "response time R"}, Right: []bool{false, true, true, true}}
	for i, m := range []measurement.MeasurementJSON{j.Before, j.After} {
		t.Rows = append(t.Rows, report.HTMLRow{Color: [2]string{"#7F7F7F", "#0072B2"}[i], Cells: []string{[2]string{"before", "after"}[i],
			report.Count(float64(m.Concurrency)), report.JobsPerSecond(float64(m.Throughput)), report.Seconds(float64(m.Latency))}})
	}
	return &CompareResponse{
		Verdict: j.Verdict,
		Summary: []string{j.Summary},
		Table:   string(t.HTML()),
		Charts:  report.InlineSVG(measurement.PointComparisonCharts(&j), nil),
	}, nil
}

func (h *Handler) compareFits(req *CompareRequest) (*CompareResponse, error) {
	var sides [2]usl.Side
	for i, text := range []string{req.BeforeCSV, req.AfterCSV} {
		side := [2]string{"before", "after"}[i]
		name := orDefault([2]string{req.BeforeName, req.AfterName}[i], side+".csv")
		if text == "" {
			return nil, badRequest("%s: upload measurements for both sides, or give two points", side)
		}
		if len(text) > h.opt.MaxTrace {
			return nil, &apiError{http.StatusRequestEntityTooLarge, sprintf("%s: the file is %s, more than the limit of %s (boxes serve --max-trace raises it)", side, bytesWord(int64(len(text))), bytesWord(int64(h.opt.MaxTrace)))}
		}
		if n := strings.Count(text, "\n"); n > h.opt.MaxPoints+1 {
			return nil, &apiError{http.StatusUnprocessableEntity, sprintf("%s: %d lines, more than the %d measurements this server compares per side (boxes serve --max-points raises it)", side, n, h.opt.MaxPoints)}
		}
		m, err := usl.ReadCSV(strings.NewReader(text), name)
		if err != nil {
			return nil, badRequest("%s: %v", side, err)
		}
		sides[i] = usl.Side{Measurements: m}
	}
	cmp, err := usl.Compare(sides[0], sides[1])
	if err != nil {
		return nil, badRequest("%v", err)
	}
	c, fits := *cmp.Fit, cmp.Fits
	j := measurement.NewFitComparisonJSON([2]string{orDefault(req.BeforeName, "before"), orDefault(req.AfterName, "after")}, c)
	t := report.HTMLTable{Head: []string{"", "before", "after", "factor"}, Right: []bool{false, true, true, true}}
	for _, row := range []struct {
		name string
		ch   measurement.ParameterChangeJSON
		f    func(float64) string
	}{{"λ (jobs/s alone)", j.Lambda, report.JobsPerSecond}, {"σ (contention)", j.Sigma, num}, {"κ (coherency)", j.Kappa, num}, {"N* (peak)", j.PeakConcurrency, num}} {
		t.Rows = append(t.Rows, report.HTMLRow{Cells: []string{row.name, row.f(float64(row.ch.Before)), row.f(float64(row.ch.After)), "×" + num(float64(row.ch.Factor))}})
	}
	return &CompareResponse{
		Verdict: j.Verdict,
		Summary: j.Summary,
		Table:   string(t.HTML()),
		Charts:  report.InlineSVG(measurement.FitComparisonCharts(&j, measurement.Measurements(fits[0].Points), measurement.Measurements(fits[1].Points)), nil),
	}, nil
}

func num(x float64) string { return sprintf("%.4g", x) }

func orDefault(s, d string) string {
	if strings.TrimSpace(s) == "" {
		return d
	}
	return strings.TrimSpace(s)
}
