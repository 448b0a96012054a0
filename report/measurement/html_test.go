package measurement

import (
	"bytes"
	"strings"
	"testing"

	"github.com/boxes-project/boxes/internal/reporttest"
)

// TestMeasurementHTMLGoldens: the fit and the two comparisons.
func TestMeasurementHTMLGoldens(t *testing.T) {
	fit, pts := specFit(t)
	var b bytes.Buffer
	if err := WriteFitHTML(&b, &fit, pts); err != nil {
		t.Fatal(err)
	}
	chartGolden(t, "fit.html", b.Bytes())
	reporttest.SelfContained(t, b.String())

	pc := NewPointComparisonJSON(articleComparison(t))
	b.Reset()
	if err := WritePointComparisonHTML(&b, &pc); err != nil {
		t.Fatal(err)
	}
	chartGolden(t, "points.html", b.Bytes())
	if !strings.Contains(b.String(), "<h1>Performance or scalability? Both equally</h1>") {
		t.Errorf("the point comparison's title is not the verdict")
	}
}
