package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"straitwatch/internal/score"
)

// runScore scores detected events against a scenario's ground truth and
// writes a markdown report and, optionally, an SVG plot of the delays.
func runScore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	fs.SetOutput(stderr)
	truthPath := fs.String("truth", "", "ground truth JSON lines from `simulate -truth` (required)")
	eventsPath := fs.String("events", "", "event JSON lines from `replay -events`, - for standard input")
	serverURL := fs.String("server", "", "read the events from a running server's /api/events at this `URL` (http://host:port) instead of -events")
	outPath := fs.String("o", "", "write the markdown report to this file instead of standard output")
	plotPath := fs.String("plot", "", "write an SVG plot of the delay distribution to this file")
	slack := fs.Duration("slack", score.DefaultSlack, "time tolerance of the matching rule")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: straitwatch score --truth T (--events E | --server URL) [-o report.md] [-plot delays.svg] [-slack D]

Scores detected events against a scenario's ground truth: true and false
positives, misses, precision, recall and detection delay per event type.
An event matches an incident when its type is one the incident's type maps
to (dark: gap; sts: encounter; wrong_way: tss; collision_course:
collision_risk; man_overboard, disabled_sart: distress; loitering:
loitering; restricted_area: zone; cloned_mmsi and spoofing: identity),
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
	if *truthPath == "" || (*eventsPath == "") == (*serverURL == "") || fs.NArg() != 0 || *slack < 0 {
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
	switch {
	case *serverURL != "":
		lines, err := fetchEvents(ctx, *serverURL, truth)
		if err != nil {
			return err
		}
		er, name = bytes.NewReader(lines), *serverURL
	case *eventsPath != "-":
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

// fetchEvents reads from a server's /api/events every event that started
// from a day before the first incident to a day after the last, page by
// page, and returns them as JSON lines.
func fetchEvents(ctx context.Context, base string, truth []score.Truth) ([]byte, error) {
	if len(truth) == 0 {
		return nil, errors.New("no incidents in the truth file")
	}
	from, to := truth[0].Start, truth[0].End
	for _, t := range truth {
		if t.Start.Before(from) {
			from = t.Start
		}
		if t.End.After(to) {
			to = t.End
		}
	}
	from, to = from.Add(-24*time.Hour), to.Add(24*time.Hour)
	client := &http.Client{Timeout: time.Minute}
	seen := map[string]bool{}
	var out []byte
	for {
		u := fmt.Sprintf("%s/api/events?from=%d&to=%d&limit=10000", strings.TrimRight(base, "/"), from.UnixMilli(), to.UnixMilli())
		req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		var page struct {
			Events    []json.RawMessage `json:"events"`
			Truncated bool              `json:"truncated"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("server: GET %s: %s", u, resp.Status)
		}
		if err != nil {
			return nil, fmt.Errorf("server: GET %s: %w", u, err)
		}
		oldest := to.UnixMilli()
		for _, raw := range page.Events {
			var head struct {
				ID    string `json:"id"`
				Start int64  `json:"start"`
			}
			if err := json.Unmarshal(raw, &head); err != nil {
				return nil, fmt.Errorf("server: event: %w", err)
			}
			oldest = min(oldest, head.Start)
			if seen[head.ID] {
				continue
			}
			seen[head.ID] = true
			out = append(append(out, raw...), '\n')
		}
		if !page.Truncated {
			return out, nil
		}
		// Newest first: the next page ends where this one did (events
		// starting at that instant are seen again and skipped).
		if oldest+1 >= to.UnixMilli() {
			return nil, errors.New("server: more than 10000 events start in one millisecond")
		}
		to = time.UnixMilli(oldest + 1)
	}
}
