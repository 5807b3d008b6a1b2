package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	scoreTruth  = "../../internal/score/testdata/truth.jsonl"
	scoreEvents = "../../internal/score/testdata/events.jsonl"
	scoreGolden = "../../internal/score/testdata/report.golden.md"
)

func TestScoreStdout(t *testing.T) {
	code, stdout, stderr := runCmd(t, "", "score", "--truth", scoreTruth, "--events", scoreEvents)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, err := os.ReadFile(scoreGolden)
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("stdout differs from %s:\n%s", scoreGolden, stdout)
	}
}

func TestScoreFiles(t *testing.T) {
	dir := t.TempDir()
	md, svg := filepath.Join(dir, "report.md"), filepath.Join(dir, "delays.svg")
	code, stdout, stderr := runCmd(t, scoreEvents, "score", "-truth", scoreTruth, "-events", "-", "-o", md, "-plot", svg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout %q, want nothing with -o", stdout)
	}
	got, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "| gap | dark | 1 | 1 | 0 | 1 | 0.500 | 1.000 | 1m0s | 1m0s |") {
		t.Errorf("report lacks the gap row:\n%s", got)
	}
	plot, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(plot), "<svg ") {
		t.Errorf("plot is not SVG: %.60q", plot)
	}
}

func TestScoreErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte("{\"ID\":\"a\",\"Type\":\"gap\",\"State\":1,\"Start\":1,\"Vessels\":[1]}\n{\"ID\":\"b\",\"Colour\":1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"no flags", []string{"score"}, 2, "usage: straitwatch score"},
		{"missing events", []string{"score", "-truth", scoreTruth}, 2, "usage"},
		{"unknown field", []string{"score", "-truth", scoreTruth, "-events", bad}, 1, `bad.jsonl line 2: json: unknown field "Colour"`},
		{"truth not found", []string{"score", "-truth", filepath.Join(dir, "none"), "-events", bad}, 1, "truth: open"},
		{"events as truth", []string{"score", "-truth", scoreEvents, "-events", scoreEvents}, 1, "read truth: " + scoreEvents + " line 1: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.inStderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.inStderr)
			}
		})
	}
}

// TestScoreExercise runs simulate, replay and score end to end on the
// all-incidents scenario and checks that the dark vessel and the man
// overboard are found.
func TestScoreExercise(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 4 hours of traffic")
	}
	dir := t.TempDir()
	nmea, truth, events := filepath.Join(dir, "out.nmea"), filepath.Join(dir, "truth.jsonl"), filepath.Join(dir, "events.jsonl")
	if code, _, stderr := runCmd(t, "", "simulate", "-o", nmea, "-truth", truth, scenario); code != 0 {
		t.Fatalf("simulate exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCmd(t, "", "replay", "-events", nmea)
	if code != 0 {
		t.Fatalf("replay exit %d: %s", code, stderr)
	}
	if err := os.WriteFile(events, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	code, report, stderr := runCmd(t, "", "score", "-truth", truth, "-events", events)
	if code != 0 {
		t.Fatalf("score exit %d: %s", code, stderr)
	}
	for _, want := range []string{"| dark | gap | 1 | 1 | 0 | 1.000 |", "| man_overboard | distress | 1 | 1 | 0 | 1.000 |"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
}
