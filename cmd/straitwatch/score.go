package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"straitwatch/internal/score"
)

// runScore scores detected events against a scenario's ground truth and
// writes a markdown report and, optionally, an SVG plot of the delays.
func runScore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	truthPath := fs.String("truth", "", "ground truth JSON lines from `simulate -truth` (required)")
	eventsPath := fs.String("events", "", "event JSON lines from `replay -events`, - for standard input (required)")
	outPath := fs.String("o", "", "write the markdown report to this file instead of standard output")
	plotPath := fs.String("plot", "", "write an SVG plot of the delay distribution to this file")
	slack := fs.Duration("slack", score.DefaultSlack, "time tolerance of the matching rule")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch score --truth T --events E [-o report.md] [-plot delays.svg] [-slack D]

Scores detected events against a scenario's ground truth: true and false
positives, misses, precision, recall and detection delay per event type.
An event matches an incident when its type is one the incident's type maps
to (dark: gap; sts: encounter; wrong_way: zone, tss; collision_course:
collision_risk; man_overboard, disabled_sart: distress; loitering:
loitering; restricted_area: zone; cloned_mmsi and spoofing: no detector),
it shares a vessel, and its start is within [truth start - slack, truth
end + slack]. Retracted events are dropped; the state changes of one event
ID are one event. See package straitwatch/internal/score.

flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if *truthPath == "" || *eventsPath == "" || fs.NArg() != 0 || *slack < 0 {
		fs.Usage()
		return errUsage
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tf, err := os.Open(*truthPath)
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	defer tf.Close()
	truth, err := score.ReadTruth(tf, *truthPath)
	if err != nil {
		return fmt.Errorf("read truth: %w", err)
	}
	var er io.Reader = stdin
	name := "standard input"
	if *eventsPath != "-" {
		f, err := os.Open(*eventsPath)
		if err != nil {
			return fmt.Errorf("events: %w", err)
		}
		defer f.Close()
		er, name = f, *eventsPath
	}
	events, err := score.ReadEvents(er, name)
	if err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	rep := score.Score(truth, events, *slack)

	if *plotPath != "" {
		if err := writeScoreFile(*plotPath, rep.WriteSVG); err != nil {
			return err
		}
	}
	if *outPath != "" {
		return writeScoreFile(*outPath, rep.WriteMarkdown)
	}
	return rep.WriteMarkdown(stdout)
}

// writeScoreFile creates path and writes it with write.
func writeScoreFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
