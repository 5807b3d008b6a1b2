package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/detect"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// runReplay plays NMEA files through normalisation and the detectors and
// prints the events as JSON lines: detection as a batch job.
func runReplay(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	events := fs.Bool("events", false, "print the detected events as JSON lines")
	preset := fs.String("preset", "strait", "detector thresholds: strait, gfw or skylight")
	base := fs.String("zones", "", "GeoJSON zone set `file` instead of the default region")
	var extra []string
	fs.Func("extra-zones", "GeoJSON zone set `file` added to the zones, such as an exercise's from simulate -zones (repeatable)", func(s string) error {
		extra = append(extra, s)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch replay -events [flags] [FILE...]

Replays AIS NMEA (files, .gz, or standard input) in event time through the
detectors of the default region (or -zones, plus -extra-zones) and prints every event state change (open,
update, close, retract) as one JSON object per line. Event time comes from
tag-block c: times; lines without one are timed on arrival.

flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if !*events {
		fs.Usage()
		return errUsage
	}
	cfg, err := detect.Preset(*preset)
	if err != nil {
		return err
	}
	zones, err := zone.Open(*base, extra...)
	if err != nil {
		return err
	}
	eng, err := detect.NewEngine(cfg, zones, 0)
	if err != nil {
		return err
	}
	in, _, closeIn, err := openInputs(fs.Args(), stdin)
	if err != nil {
		return err
	}
	defer closeIn()

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()

	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	var (
		batch detect.Input
		count int
	)
	flush := func() error {
		evs, err := eng.Process(ctx, &batch)
		if err != nil {
			return err
		}
		for i := range evs {
			if err := enc.Encode(&evs[i]); err != nil {
				return err
			}
		}
		count += len(evs)
		batch.Fixes, batch.Statics, batch.Safety = batch.Fixes[:0], batch.Statics[:0], batch.Safety[:0]
		return nil
	}
	r := ais.NewReader(in, ais.ReaderConfig{Now: time.Now})
	for r.Scan() {
		m, t := r.Message(), r.Time().UnixMilli()
		batch.Watermark = max(batch.Watermark, t)
		if tx, ok := track.TextOf(m, t, 0); ok {
			batch.Safety = append(batch.Safety, tx)
		}
		if fix, ok, st, hasStatic := track.FromMessage(m, t, 0); ok || hasStatic {
			if ok {
				batch.Fixes = append(batch.Fixes, fix)
			}
			if hasStatic {
				batch.Statics = append(batch.Statics, st)
			}
		}
		if len(batch.Fixes)+len(batch.Statics)+len(batch.Safety) >= 4096 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	stop()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	st := r.Stats()
	fmt.Fprintf(stderr, "%d messages, %d rejected lines; %d event changes\n", st.Messages, st.RejectedTotal(), count)
	return r.Err()
}
