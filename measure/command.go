package measure

import (
	"context"
	"errors"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// Command is a Load of runs of a shell command (sh -c Line), for batch jobs:
// a job is one run, and it fails when the command exits non-zero or cannot
// start. Output is discarded. Safe for concurrent use once made.
type Command struct {
	Line    string
	Timeout time.Duration // for one run; 0 means no limit
}

// Validate checks that there is a command.
func (c *Command) Validate() error {
	if c.Line == "" {
		return errors.New("measure: empty command")
	}
	return nil
}

// Run implements Load: Workers goroutines run the command back to back
// (closed loop), or a dispatcher starts runs on the schedule with at most
// Workers at once (open loop; a run that waits for a free worker counts its
// wait, as HTTP does).
func (c *Command) Run(ctx context.Context, j Job, record func(Sample)) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var mu sync.Mutex
	rec := func(s Sample) {
		mu.Lock()
		defer mu.Unlock()
		record(s)
	}
	begin := time.Now()
	deadline := begin.Add(j.Duration)
	var started atomic.Int64
	take := func() bool { // one more job, within MaxJobs
		return j.MaxJobs <= 0 || started.Add(1) <= int64(j.MaxJobs)
	}
	workers := max(j.Workers, 1)
	var wg sync.WaitGroup
	if j.Rate <= 0 {
		for range workers {
			wg.Go(func() {
				for ctx.Err() == nil && time.Now().Before(deadline) && take() {
					start := time.Now()
					rec(c.once(ctx, start, start))
				}
			})
		}
		wg.Wait()
		return nil
	}
	sched := newSchedule(j.Rate, j.Arrivals)
	slots := make(chan struct{}, workers)
	timer := time.NewTimer(0)
	defer timer.Stop()
loop:
	for i := uint64(0); ; i++ {
		due := begin.Add(sched.at(i))
		if !due.Before(deadline) || !take() {
			break
		}
		timer.Reset(time.Until(due))
		select {
		case <-timer.C:
		case <-ctx.Done():
			break loop
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		wg.Go(func() {
			defer func() { <-slots }()
			rec(c.once(ctx, due, time.Now()))
		})
	}
	wg.Wait()
	return nil
}

// once runs the command once.
func (c *Command) once(ctx context.Context, due, start time.Time) Sample {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Line)
	cmd.WaitDelay = 100 * time.Millisecond
	err := cmd.Run()
	s := Sample{Scheduled: due, Start: start, End: time.Now(), Failed: err != nil}
	if err != nil {
		s.Error = err.Error()
	}
	return s
}
