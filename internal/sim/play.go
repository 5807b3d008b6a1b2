package sim

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Player plays a run into writers, paced against a clock.
type Player struct {
	// AIS receives the sentences. It is required.
	AIS io.Writer
	// Truth, when set, receives the ground truth as JSON lines.
	Truth io.Writer
	// Speed plays the run at Speed times real time; 0 plays it as fast as
	// possible. The default value is 0.
	Speed float64
	// Now returns the current time. The default is time.Now.
	Now func() time.Time
	// Sleep waits for d or until ctx ends, returning ctx's error then. The
	// default uses a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Run plays s to its end or until ctx ends, returning ctx's error then.
// With Speed set, each simulated second is written when its time is due
// on the clock, counted from the call.
func (p *Player) Run(ctx context.Context, s *Simulator) error {
	now, sleep := p.Now, p.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = sleepCtx
	}
	wallStart, simStart := now(), s.sc.Start.UTC()
	o := Output{AIS: func(t time.Time, data []byte) error {
		if p.Speed > 0 {
			due := wallStart.Add(time.Duration(float64(t.Sub(simStart)) / p.Speed))
			if d := due.Sub(now()); d > 0 {
				if err := sleep(ctx, d); err != nil {
					return err
				}
			}
		}
		_, err := p.AIS.Write(data)
		return err
	}}
	if p.Truth != nil {
		o.Truth = func(t Truth) error {
			b, err := json.Marshal(t)
			if err != nil {
				return fmt.Errorf("truth %d: %w", t.ID, err)
			}
			_, err = p.Truth.Write(append(b, '\n'))
			return err
		}
	}
	return s.Run(ctx, o)
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

//go:embed demo.yaml
var demoYAML []byte

// DemoScenario returns the built-in demo scenario of the default region
// (moderate traffic of every kind and a few incidents over a day),
// starting at start, for a live demonstration feed.
func DemoScenario(start time.Time) (*Scenario, error) {
	sc, err := LoadScenario(bytes.NewReader(demoYAML))
	if err != nil {
		return nil, fmt.Errorf("demo scenario: %w", err)
	}
	sc.Start = start.UTC().Truncate(time.Second)
	return sc, nil
}
