package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"straitwatch/ais"
	"straitwatch/internal/track"
)

const aisTestdata = "../../ais/testdata/"

// replay runs one file source to its end and returns what it delivered
// and its health.
func replay(t *testing.T, cfg PipelineConfig, sc SourceConfig, chunk int) ([]track.Fix, []track.Static, SourceHealth, error) {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = fixedClock(testTime)
	}
	var sink collector
	p, err := NewPipeline(cfg, []SourceConfig{sc}, &sink)
	if err != nil {
		t.Fatalf("NewPipeline: %v", err)
	}
	if chunk > 0 {
		p.sources[0].chunk = chunk
	}
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	err = p.Run(ctx)
	if ctx.Err() != nil {
		t.Fatal("replay did not end")
	}
	fixes, statics := sink.snapshot()
	return fixes, statics, p.Health()[0], err
}

// checkSums checks that a source's counters add up.
func checkSums(t *testing.T, h SourceHealth) {
	t.Helper()
	if got := h.Shed + h.Duplicates + h.Delivered; got != h.Messages {
		t.Errorf("%s: shed %d + duplicates %d + delivered %d = %d, want messages %d", h.Name, h.Shed, h.Duplicates, h.Delivered, got, h.Messages)
	}
	if h.Sentences > h.Lines-h.Skipped {
		t.Errorf("%s: %d sentences of %d lines (%d skipped)", h.Name, h.Sentences, h.Lines, h.Skipped)
	}
}

func TestFileReplay(t *testing.T) {
	files := []string{
		"bench/corpus.nmea",
		"gpsd/sample.aivdm",
		"libais/tagblock.nmea",
		"gfw/errors.nmea",
		"gfw/multi-part.nmea",
		"gfw/bad-tagblock-group.nmea",
	}
	for _, name := range files {
		path := aisTestdata + name
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := readerCounts(t, data)
		var first []track.Fix
		for _, tc := range []struct {
			name    string
			workers int
			chunk   int
		}{
			{"sequential", 1, 0},
			{"parallel", 2, 0},
			{"parallel-4KiB", 3, 4 << 10},
			{"parallel-300B", 2, 300},
		} {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				fixes, statics, h, err := replay(t, PipelineConfig{Window: -1}, SourceConfig{Name: "f", Kind: KindFile, Path: path, Workers: tc.workers}, tc.chunk)
				if err != nil {
					t.Fatalf("Run = %v", err)
				}
				if h.Messages != want.Messages {
					t.Errorf("messages = %d, want %d (ais.Reader)", h.Messages, want.Messages)
				}
				if h.Lines != want.Lines || h.Sentences != want.Sentences || h.Skipped != want.Skipped {
					t.Errorf("lines/sentences/skipped = %d/%d/%d, want %d/%d/%d", h.Lines, h.Sentences, h.Skipped, want.Lines, want.Sentences, want.Skipped)
				}
				for _, r := range ais.Reasons() {
					if got := h.Rejects[r.Key()]; got != want.Rejected[r] {
						t.Errorf("rejects[%s] = %d, want %d", r.Key(), got, want.Rejected[r])
					}
				}
				if h.Bytes != uint64(len(data)) {
					t.Errorf("bytes = %d, want %d", h.Bytes, len(data))
				}
				checkSums(t, h)
				if uint64(len(fixes)) != h.Fixes || uint64(len(statics)) != h.Statics {
					t.Errorf("delivered %d fixes, %d statics; health says %d, %d", len(fixes), len(statics), h.Fixes, h.Statics)
				}
				if first == nil {
					first = fixes
				} else if diff := cmp.Diff(first, fixes, cmpopts.EquateNaNs()); diff != "" {
					t.Errorf("fixes differ from the sequential replay (-seq +this):\n%s", diff)
				}
			})
		}
	}
}

// writeGzip writes data gzip-compressed to a file in dir.
func writeGzip(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFileReplayGzipAndDirectory(t *testing.T) {
	corpus, err := os.ReadFile(aisTestdata + "bench/corpus.nmea")
	if err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile(aisTestdata + "gpsd/sample.aivdm")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gz := writeGzip(t, dir, "b.nmea.gz", corpus)
	if err := os.WriteFile(filepath.Join(dir, "a.aivdm"), sample, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("not AIS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Plain and compressed give the same messages.
	plainFixes, _, _, err := replay(t, PipelineConfig{Window: -1}, SourceConfig{Name: "f", Kind: KindFile, Path: aisTestdata + "bench/corpus.nmea"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		gzFixes, _, h, err := replay(t, PipelineConfig{Window: -1}, SourceConfig{Name: "f", Kind: KindFile, Path: gz, Workers: workers}, 0)
		if err != nil {
			t.Fatalf("gzip replay: %v", err)
		}
		if diff := cmp.Diff(plainFixes, gzFixes, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("workers %d: .gz fixes differ from plain (-plain +gz):\n%s", workers, diff)
		}
		if fi, _ := os.Stat(gz); h.Bytes != uint64(fi.Size()) || h.SizeBytes != fi.Size() {
			t.Errorf("workers %d: bytes %d of %d, want the compressed size %d", workers, h.Bytes, h.SizeBytes, fi.Size())
		}
	}
	// A directory is read in name order, skipping other files.
	want := readerCounts(t, append(append([]byte(nil), sample...), corpus...))
	_, _, h, err := replay(t, PipelineConfig{Window: -1}, SourceConfig{Name: "d", Kind: KindFile, Path: dir}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if h.Messages != want.Messages || h.Lines != want.Lines {
		t.Errorf("directory: %d messages of %d lines, want %d of %d", h.Messages, h.Lines, want.Messages, want.Lines)
	}
}

func TestFileReplayTruncatedGzip(t *testing.T) {
	corpus, err := os.ReadFile(aisTestdata + "bench/corpus.nmea")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	full := writeGzip(t, dir, "full.gz", corpus)
	z, _ := os.ReadFile(full)
	for _, tc := range []struct {
		name  string
		bytes int
	}{
		{"half", len(z) / 2},
		{"header-only", 12},
	} {
		for _, workers := range []int{1, 2} {
			t.Run(tc.name, func(t *testing.T) {
				path := filepath.Join(dir, tc.name+".nmea.gz")
				if err := os.WriteFile(path, z[:tc.bytes], 0o644); err != nil {
					t.Fatal(err)
				}
				_, _, h, err := replay(t, PipelineConfig{}, SourceConfig{Name: "f", Kind: KindFile, Path: path, Workers: workers}, 0)
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("Run = %v, want io.ErrUnexpectedEOF", err)
				}
				if h.Errors != 1 || !strings.Contains(h.LastError, "unexpected EOF") {
					t.Errorf("errors = %d, last %q; want 1, unexpected EOF", h.Errors, h.LastError)
				}
				if tc.name == "half" && (h.Messages == 0 || h.Messages >= 24286) {
					t.Errorf("messages = %d, want some but not all", h.Messages)
				}
				checkSums(t, h)
			})
		}
	}
}

func TestFileReplayRate(t *testing.T) {
	// tagblock.nmea spans 42 minutes; at 200,000x that is about 13 ms.
	path := aisTestdata + "libais/tagblock.nmea"
	fast, _, _, err := replay(t, PipelineConfig{}, SourceConfig{Name: "f", Kind: KindFile, Path: path}, 0)
	if err != nil {
		t.Fatal(err)
	}
	paced, _, _, err := replay(t, PipelineConfig{Clock: time.Now}, SourceConfig{Name: "f", Kind: KindFile, Path: path, Rate: 200000}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fast, paced, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("paced replay differs (-fast +paced):\n%s", diff)
	}
	if len(fast) == 0 || fast[0].Time != 1418172113000 {
		t.Errorf("first fix %+v, want the tag-block time 1418172113000", fast)
	}
	retimed, _, _, err := replay(t, PipelineConfig{}, SourceConfig{Name: "f", Kind: KindFile, Path: path, Retime: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range retimed {
		if f.Time != testTime.UnixMilli() {
			t.Errorf("retimed fix at %d, want the arrival time %d", f.Time, testTime.UnixMilli())
		}
	}
}

func TestPacer(t *testing.T) {
	base := time.Unix(1_000_000, 0)
	for _, tc := range []struct {
		name  string
		rate  float64
		times []int // event seconds after base
		want  []time.Duration
	}{
		{"recorded speed", 1, []int{0, 1, 3}, []time.Duration{time.Second, 2 * time.Second}},
		{"ten times", 10, []int{0, 10, 20}, []time.Duration{time.Second, time.Second}},
		{"same time", 1, []int{5, 5, 5}, nil},
		{"backwards restarts", 2, []int{10, 12, 4, 6}, []time.Duration{time.Second, time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := base
			var slept []time.Duration
			flushes := 0
			p := &pacer{
				rate:   tc.rate,
				clock:  func() time.Time { return now },
				ctx:    context.Background(),
				before: func() { flushes++ },
				sleep: func(ctx context.Context, d time.Duration) bool {
					slept = append(slept, d)
					now = now.Add(d)
					return true
				},
			}
			for _, s := range tc.times {
				if err := p.pace(base.Add(time.Duration(s) * time.Second)); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tc.want, slept); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			if flushes != len(slept) {
				t.Errorf("%d flushes before %d sleeps", flushes, len(slept))
			}
		})
	}
}

func TestFileReplayLoopStopsOnCancel(t *testing.T) {
	var sink collector
	r := start(t, PipelineConfig{}, &sink, SourceConfig{Name: "loop", Kind: KindFile, Path: aisTestdata + "gpsd/sample.aivdm", Loop: true, Retime: true})
	waitFor(t, "two passes", func() bool { return r.p.Health()[0].Lines > 2*1121 })
	if err := r.stop(t); err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	h := r.p.Health()[0]
	if h.Running {
		t.Error("source still running after Run returned")
	}
	checkSums(t, h)
}
