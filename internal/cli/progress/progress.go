// Package progress draws the command line's progress bar for long runs
// (simulate, sweep, measure) on a terminal's standard error, and nothing
// on a pipe or for a run that ends within a second.
package progress

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Bar draws a progress bar on stderr for long runs: only when stderr is
// a terminal, and only once a second has passed, so quick runs and pipes stay
// clean. Its func is safe to call from any goroutine.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	start time.Time
	what  string
	bar   *progressbar.ProgressBar
}

// New is a Bar on stderr for the work named what ("simulating").
func New(stderr io.Writer, what string) *Bar {
	p := &Bar{w: stderr, start: time.Now(), what: what}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

// Update takes the fraction of the work done, in [0, 1].
func (p *Bar) Update(done float64) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		if time.Since(p.start) < time.Second {
			return
		}
		p.bar = progressbar.NewOptions(1000,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.what),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
	}
	p.bar.Set(int(done * 1000))
}

// Finish clears the bar, if one was drawn.
func (p *Bar) Finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
		p.bar = nil
	}
}
