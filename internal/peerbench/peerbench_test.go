package peerbench

import (
	"bufio"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const corpusRel = "shared/testdata/ais/bench/corpus.nmea"

// findUp returns rel joined to the nearest ancestor of the working directory
// that holds it (shared/ sits beside the repository's root).
func findUp(t *testing.T, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("%s not found above the working directory", rel)
		}
		dir = parent
	}
}

func peersDir(t *testing.T) string { return findUp(t, "bench/peers") }

func TestMakeCorpus(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.nmea")
	if err := os.WriteFile(src, []byte("a\n\nb\nc"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst.nmea")
	n, err := MakeCorpus(dst, src, 3)
	if err != nil {
		t.Fatal(err)
	}
	if n != 9 {
		t.Errorf("MakeCorpus = %d sentences, want 9", n)
	}
	got, _ := os.ReadFile(dst)
	if want := strings.Repeat("a\n\nb\nc\n", 3); string(got) != want {
		t.Errorf("dst = %q, want %q", got, want)
	}
	if c, err := CountSentences(dst); err != nil || c != 9 {
		t.Errorf("CountSentences = %d, %v; want 9", c, err)
	}
	if _, err := MakeCorpus(dst, src, 0); err == nil {
		t.Error("MakeCorpus with repeat 0 did not fail")
	}
}

func TestRunSummaryOutput(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on this machine")
	}
	corpus := filepath.Join(t.TempDir(), "c.nmea")
	if err := os.WriteFile(corpus, []byte("x\ny\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := Peer{Name: "fake", Mode: "sh", Output: SummaryLine,
		Cmd: func(ctx context.Context, _ string) *exec.Cmd {
			return exec.CommandContext(ctx, sh, "-c", "echo noise; echo messages=5 errors=1; echo >&2 warn")
		}}
	r, err := Run(context.Background(), p, corpus)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sentences != 2 || r.Messages != 5 || r.Errors != 1 {
		t.Errorf("Run = %+v, want 2 sentences, 5 messages, 1 error", r)
	}
	p.Cmd = func(ctx context.Context, _ string) *exec.Cmd {
		return exec.CommandContext(ctx, sh, "-c", "echo oops >&2; exit 3")
	}
	if _, err := Run(context.Background(), p, corpus); err == nil || !strings.Contains(err.Error(), "oops") {
		t.Errorf("Run of a failing child: err = %v, want one quoting its stderr", err)
	}
}

func TestSummarize(t *testing.T) {
	rs := []Result{{Peer: "p", Sentences: 10, Messages: 9, Wall: 3 * time.Second, CPU: 2 * time.Second},
		{Peer: "p", Sentences: 10, Messages: 9, Wall: 1 * time.Second, CPU: 4 * time.Second},
		{Peer: "p", Sentences: 10, Messages: 9, Wall: 2 * time.Second, CPU: 1 * time.Second}}
	s, err := Summarize(rs)
	if err != nil {
		t.Fatal(err)
	}
	if s.BestWall != time.Second || s.MedianWall != 2*time.Second || s.BestCPU != time.Second || s.MedianCPU != 2*time.Second {
		t.Errorf("Summarize = %+v", s)
	}
	if got := s.BestSentencesPerSec(); got != 10 {
		t.Errorf("BestSentencesPerSec = %v, want 10", got)
	}
	rs[1].Messages = 8
	if _, err := Summarize(rs); err == nil {
		t.Error("Summarize of disagreeing runs did not fail")
	}
}

// TestPeersSmallCorpus runs every available peer once on the shared corpus
// (24,784 sentences, about a second in all).
func TestPeersSmallCorpus(t *testing.T) {
	corpus := findUp(t, corpusRel)
	peers, skipped := Available(peersDir(t))
	for _, s := range skipped {
		t.Logf("skipped %s: %s", s.Name, s.Reason)
	}
	if len(peers) == 0 {
		t.Skip("no peer installed (run bench/peers/install.sh)")
	}
	for _, p := range peers {
		t.Run(p.Name+"/"+strings.Fields(p.Mode)[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			r, err := Run(ctx, p, corpus)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s: %d messages, %d errors, wall %v, CPU %v", p.Label(), p.Version, r.Messages, r.Errors, r.Wall, r.CPU)
			if r.Sentences != 24784 {
				t.Errorf("Sentences = %d, want 24784", r.Sentences)
			}
			if r.Messages < r.Sentences*9/10 || r.Messages > r.Sentences {
				t.Errorf("Messages = %d: implausible for %d sentences", r.Messages, r.Sentences)
			}
			if r.Wall <= 0 || r.CPU <= 0 {
				t.Errorf("Wall = %v, CPU = %v; want both > 0", r.Wall, r.CPU)
			}
			// gpsd 3.22's output on this corpus is stored beside it.
			if p.Name == "gpsdecode" && strings.HasPrefix(p.Version, "3.22") {
				ref := "corpus.gpsdecode-3.22.js.jsonl.gz"
				if strings.HasPrefix(p.Mode, "-u") {
					ref = "corpus.gpsdecode-3.22.ju.jsonl.gz"
				}
				if want := gzLines(t, filepath.Join(filepath.Dir(corpus), ref)); r.Messages != want {
					t.Errorf("Messages = %d, want %d as in %s", r.Messages, want, ref)
				}
			}
		})
	}
}

func gzLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	n, err := countLines(bufio.NewReader(zr))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPeerTable is the full side-by-side benchmark, off by default. Run it as
//
//	PEERBENCH_REPEAT=41 PEERBENCH_RUNS=3 go test ./internal/peerbench -run TestPeerTable -v -timeout 30m
//
// It builds the corpus repeated PEERBENCH_REPEAT times in a temporary
// directory, runs each peer PEERBENCH_RUNS times (default 3) and prints a
// table of best and median times.
func TestPeerTable(t *testing.T) {
	repeat, _ := strconv.Atoi(os.Getenv("PEERBENCH_REPEAT"))
	if repeat < 1 {
		t.Skip("set PEERBENCH_REPEAT (41 gives ~1M sentences) to run the peer benchmark")
	}
	runs, _ := strconv.Atoi(os.Getenv("PEERBENCH_RUNS"))
	if runs < 1 {
		runs = 3
	}
	big := filepath.Join(t.TempDir(), "big.nmea")
	n, err := MakeCorpus(big, findUp(t, corpusRel), repeat)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("corpus: %d sentences", n)
	peers, skipped := Available(peersDir(t))
	for _, s := range skipped {
		t.Logf("skipped %s: %s", s.Name, s.Reason)
	}
	var sums []Summary
	for _, p := range peers {
		t.Logf("%s: version %s", p.Label(), p.Version)
		var rs []Result
		for range runs {
			r, err := Run(context.Background(), p, big)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r)
		}
		s, err := Summarize(rs)
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, s)
	}
	var b strings.Builder
	WriteTable(&b, sums)
	t.Log("\n" + b.String())
}
