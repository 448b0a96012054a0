package main

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress draws a progress bar on stderr for long runs: only when stderr is
// a terminal, and only once a second has passed, so quick runs and pipes stay
// clean. Its func is safe to call from any goroutine.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	start time.Time
	what  string
	bar   *progressbar.ProgressBar
}

func newProgress(stderr io.Writer, what string) *progress {
	p := &progress{w: stderr, start: time.Now(), what: what}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.on = true
	}
	return p
}

// update takes the fraction of the work done, in [0, 1].
func (p *progress) update(done float64) {
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

// finish clears the bar, if one was drawn.
func (p *progress) finish() {
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
