package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/benchdata"
	"straitwatch/internal/config"
	"straitwatch/internal/ingest"
	"straitwatch/internal/server"
)

// benchIngest measures the serve path: file replay -> decode ->
// de-duplicate -> track -> store, with vessels distinct MMSIs, against
// decoding the same file alone.
func benchIngest(ctx context.Context, stdout, stderr io.Writer, messages, vessels int) error {
	dir, err := os.MkdirTemp("", "straitwatch-bench-ingest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	corpus := filepath.Join(dir, "feed.nmea")
	fmt.Fprintf(stderr, "writing %d position reports of %d vessels to %s\n", messages, vessels, corpus)
	if err := benchdata.WritePositions(corpus, messages, vessels, time.Now()); err != nil {
		return err
	}
	fi, _ := os.Stat(corpus)

	// Decode alone: the same file through ais.Reader on one core.
	f, err := os.Open(corpus)
	if err != nil {
		return err
	}
	start := time.Now()
	r := ais.NewReader(bufio.NewReaderSize(f, 1<<20), ais.ReaderConfig{})
	for r.Scan() {
	}
	decodeTook := time.Since(start)
	f.Close()
	decoded := r.Stats().Messages

	// The serve path, with the server's own components: without the
	// detectors, then with zones and every detector of the default preset.
	plain, err := benchServe(ctx, dir, corpus, messages, false)
	if err != nil {
		return err
	}
	detecting, err := benchServe(ctx, dir, corpus, messages, true)
	if err != nil {
		return err
	}
	rate := func(n uint64, d time.Duration) float64 { return float64(n) / d.Seconds() }
	fmt.Fprintf(stdout, "# Ingest benchmark, %s\n\n", time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintf(stdout, "%d position reports (%d distinct MMSIs, %.1f MB of NMEA with tag blocks), GOMAXPROCS=%d.\n\n", messages, vessels, float64(fi.Size())/1e6, runtime.GOMAXPROCS(0))
	fmt.Fprintln(stdout, "| path | messages | seconds | messages/s |\n|---|---:|---:|---:|")
	fmt.Fprintf(stdout, "| decode alone (ais.Reader, one goroutine) | %d | %.2f | %.0f |\n", decoded, decodeTook.Seconds(), rate(decoded, decodeTook))
	for _, r := range []benchRun{plain, detecting} {
		fmt.Fprintf(stdout, "| %s | %d | %.2f | %.0f |\n", r.name, r.delivered, r.took.Seconds(), rate(r.delivered, r.took))
	}
	fmt.Fprintf(stdout, "\nRatio of the full path without detection to decode alone: %.2f. Shed: %d, duplicates: %d, rejected: %d. Vessels in the table: %d.\n",
		rate(plain.delivered, plain.took)/rate(decoded, decodeTook), plain.shed, plain.dups, plain.rejected, plain.vessels)
	fmt.Fprintf(stdout, "Cost of zones and detectors: the full path takes %.0f%% longer with them (%d events recorded; shed %d).\n",
		100*(detecting.took.Seconds()/plain.took.Seconds()-1), detecting.events, detecting.shed)
	fmt.Fprintf(stdout, "Go heap in use at the end of ingest: %.0f MiB more than before it without detection, %.0f MiB with it.\n",
		plain.heapMiB, detecting.heapMiB)
	return nil
}

// benchRun is one timed run of the serve path.
type benchRun struct {
	name                            string
	delivered, shed, dups, rejected uint64
	vessels                         int
	events                          int
	took                            time.Duration
	heapMiB                         float64
}

// benchServe replays corpus through a server, detection on or off, until
// every message is in the table, then stops it (draining into the store
// and closing it, inside the timing).
func benchServe(ctx context.Context, dir, corpus string, messages int, detect bool) (benchRun, error) {
	run := benchRun{name: "file replay -> decode -> de-duplicate -> track -> store (closed and synced)"}
	if detect {
		run.name = "the same with zones and every detector (strait preset)"
	}
	off := false
	cfg := config.Default()
	cfg.DataDir = filepath.Join(dir, fmt.Sprintf("data-%v", detect))
	cfg.HTTP.Addr = "127.0.0.1:0"
	cfg.Demo = &off
	cfg.Detect.Enabled = &detect
	cfg.Sources = []ingest.SourceConfig{{ID: 1, Name: "replay", Kind: ingest.KindFile, Path: corpus}}
	if err := cfg.Validate(); err != nil {
		return run, err
	}
	s, err := server.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		return run, err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	go func() { done <- s.Run(runCtx) }()
	src := s.Pipeline().Sources()[0]
	for {
		h := src.Health()
		if h.Delivered+h.Duplicates+h.Shed+h.RejectsTotal >= uint64(messages) && s.Table().Stats().Fixes+s.Table().Stats().Invalid >= h.Fixes {
			break
		}
		select {
		case <-ctx.Done():
			return run, ctx.Err()
		case err := <-done:
			return run, fmt.Errorf("server stopped early: %v", err)
		case <-time.After(2 * time.Millisecond):
		}
	}
	// Stopping drains the pipeline into the table, the detectors and the
	// store and closes the store (fsync, memtable written out), all inside
	// the timing: the figure is for fixes kept on disk, not just handed on.
	runtime.ReadMemStats(&after)
	stop()
	if err := <-done; err != nil {
		return run, err
	}
	run.took = time.Since(start)
	h := src.Health()
	run.delivered, run.shed, run.dups, run.rejected = h.Delivered, h.Shed, h.Duplicates, h.RejectsTotal
	run.vessels = s.Table().Stats().Vessels
	run.heapMiB = (float64(after.HeapInuse) - float64(before.HeapInuse)) / (1 << 20)
	if b := s.Events(); b != nil {
		run.events = b.Len()
	}
	return run, nil
}
