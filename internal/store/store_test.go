package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/parquet-go/parquet-go"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

var nan32 = float32(math.NaN())

// t0 is 2026-01-01T00:00:00Z, a partition boundary for any duration
// that divides a day.
var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

// aisFix returns the k-th report of a vessel moving north-east in the
// Strait of Hormuz, at AIS resolution, every step ms from start.
func aisFix(mmsi uint32, k int, start, step int64) track.Fix {
	lat := int64(26.0*600000) + int64(mmsi%1000)*600 + int64(k)*7
	lon := int64(56.0*600000) + int64(mmsi%997)*600 + int64(k)*11
	return track.Fix{
		MMSI: mmsi, Time: start + int64(k)*step,
		Lat: float64(lat) / 600000, Lon: float64(lon) / 600000,
		SOG: float32(k%200) / 10, COG: float32(k%3600) / 10, Heading: int16(k % 360),
		Status: uint8(k % 16), Class: track.ClassA, Source: track.SourceID(k % 3), Heard: uint64(k % 5),
	}
}

// fleet returns n reports of each of vessels, interleaved in time order
// as a live feed delivers them.
func fleet(vessels []uint32, n int, start, step int64) []track.Fix {
	out := make([]track.Fix, 0, n*len(vessels))
	for k := range n {
		for _, m := range vessels {
			out = append(out, aisFix(m, k, start, step))
		}
	}
	return out
}

func openT(t *testing.T, dir string, opts Options) *DB {
	t.Helper()
	db, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open(%q) = %v", dir, err)
	}
	return db
}

var fixCmp = cmpopts.EquateNaNs()

func TestBlockRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		fixes []track.Fix
	}{
		{"ais", fleet([]uint32{211000001}, 50, t0, 2000)},
		{"decimal archive", []track.Fix{
			{MMSI: 1, Time: t0, Lat: 25.12345, Lon: 56.5432101, SOG: 12.3, COG: 359.9, Heading: 359},
			{MMSI: 1, Time: t0 + 1, Lat: -33.9, Lon: -179.9999999, SOG: nan32, COG: nan32, Heading: -1},
		}},
		{"raw floats", []track.Fix{
			{MMSI: 2, Time: -5, Lat: math.Pi, Lon: math.NaN(), SOG: 1.2345, COG: float32(math.Inf(1)), Heading: -1},
			{MMSI: 2, Time: math.MaxInt64, Lat: math.Inf(-1), Lon: 1e300, SOG: -1, COG: 0.05},
		}},
		{"same time, out of range values", []track.Fix{
			{MMSI: 3, Time: t0, Lat: 91, Lon: 181, Heading: 511, Status: 255, Class: 200, Source: 65535, Heard: math.MaxUint64},
			{MMSI: 3, Time: t0, Lat: 91, Lon: 181, Heading: math.MinInt16},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := appendBlock(nil, tt.fixes)
			got, err := decodeBlock(nil, b, tt.fixes[0].MMSI)
			if err != nil {
				t.Fatalf("decodeBlock = %v", err)
			}
			// Compare bits: the encoding must be lossless.
			for i := range got {
				var g, w [rawFixSize]byte
				putRawFix(g[:], &got[i])
				putRawFix(w[:], &tt.fixes[i])
				if g != w {
					t.Errorf("fix %d = %+v, want %+v", i, got[i], tt.fixes[i])
				}
			}
			if len(got) != len(tt.fixes) {
				t.Errorf("decoded %d fixes, want %d", len(got), len(tt.fixes))
			}
			// Every truncation fails cleanly.
			for n := range len(b) {
				if _, err := decodeBlock(nil, b[:n], 1); err == nil {
					t.Errorf("decodeBlock(first %d of %d bytes) = nil error", n, len(b))
				}
			}
		})
	}
	if n := len(appendBlock(nil, fleet([]uint32{211000001}, 1000, t0, 2000))); n > 1000*16 {
		t.Errorf("AIS block: %d bytes for 1000 fixes, want at most 16 a fix", n)
	}
}

func TestTrack(t *testing.T) {
	vessels := []uint32{211000001, 211000002, 422000003}
	const step = 60_000 // one a minute, 3 hours: 3 partitions of 1 h
	all := fleet(vessels, 180, t0, step)
	tests := []struct {
		name     string
		mmsi     uint32
		from, to int64
		limit    int
		want     []track.Fix
	}{
		{"all", 211000002, t0, t0 + 3*3600_000, 0, pick(all, 211000002, t0, t0+3*3600_000)},
		{"one partition", 211000001, t0 + 3600_000, t0 + 7200_000, 0, pick(all, 211000001, t0+3600_000, t0+7200_000)},
		{"across boundary", 422000003, t0 + 3000_000, t0 + 4000_000, 0, pick(all, 422000003, t0+3000_000, t0+4000_000)},
		{"limit", 211000001, t0, t0 + 3*3600_000, 70, pick(all, 211000001, t0, t0+3*3600_000)[:70]},
		{"empty range", 211000001, t0 + 5, t0 + 5, 0, nil},
		{"before data", 211000001, t0 - 3600_000, t0, 0, nil},
		{"unknown vessel", 999, t0, t0 + 3*3600_000, 0, nil},
	}
	// The same queries against data in the memtable only, in segments
	// only (several per partition), and after reopening.
	stages := []struct {
		name string
		prep func(t *testing.T, db *DB) *DB
	}{
		{"memtable", func(t *testing.T, db *DB) *DB { return db }},
		{"segments", func(t *testing.T, db *DB) *DB {
			if err := db.Flush(); err != nil {
				t.Fatalf("Flush = %v", err)
			}
			return db
		}},
		{"reopened", func(t *testing.T, db *DB) *DB {
			dir := db.dir
			if err := db.Close(); err != nil {
				t.Fatalf("Close = %v", err)
			}
			return openT(t, dir, Options{MemtableSize: memFixBytes * 100})
		}},
	}
	dir := t.TempDir()
	db := openT(t, dir, Options{MemtableSize: memFixBytes * 100}) // a new memtable every 100 fixes
	if err := db.AppendFixes(all); err != nil {
		t.Fatalf("AppendFixes = %v", err)
	}
	for _, st := range stages {
		db = st.prep(t, db)
		for _, tt := range tests {
			t.Run(st.name+"/"+tt.name, func(t *testing.T) {
				got, err := db.Track(context.Background(), tt.mmsi, tt.from, tt.to, tt.limit)
				if err != nil {
					t.Fatalf("Track = %v", err)
				}
				if diff := cmp.Diff(tt.want, got, fixCmp, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("Track(%d, %d, %d, %d) mismatch (-want +got):\n%s", tt.mmsi, tt.from, tt.to, tt.limit, diff)
				}
			})
		}
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
}

func pick(fixes []track.Fix, mmsi uint32, from, to int64) []track.Fix {
	var out []track.Fix
	for _, f := range fixes {
		if f.MMSI == mmsi && f.Time >= from && f.Time < to {
			out = append(out, f)
		}
	}
	return out
}

func TestTrackOutOfOrder(t *testing.T) {
	db := openT(t, t.TempDir(), Options{MemtableSize: memFixBytes * 7})
	defer db.Close()
	fixes := fleet([]uint32{5}, 40, t0, 10*60_000) // 40 fixes over 6.5 h
	shuffled := slices.Clone(fixes)
	for i := range shuffled { // a fixed permutation
		j := (i * 17) % len(shuffled)
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	}
	for i := 0; i < len(shuffled); i += 3 {
		if err := db.AppendFixes(shuffled[i:min(i+3, len(shuffled))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := db.Track(context.Background(), 5, math.MinInt64, math.MaxInt64, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(fixes, got, fixCmp); diff != "" {
		t.Errorf("Track mismatch (-want +got):\n%s", diff)
	}
}

func TestFixesIn(t *testing.T) {
	vessels := []uint32{211000001, 211000500, 422000900}
	all := fleet(vessels, 120, t0, 60_000)
	box := func(minLat, minLon, maxLat, maxLon float64) geo.Box {
		return geo.Box{MinLat: minLat, MinLon: minLon, MaxLat: maxLat, MaxLon: maxLon}
	}
	in := func(b geo.Box, from, to int64) []track.Fix {
		var out []track.Fix
		for _, f := range all {
			if f.Time >= from && f.Time < to && b.Contains(f.Lat, f.Lon) {
				out = append(out, f)
			}
		}
		return out
	}
	near1 := box(26.0, 56.0, 26.01, 56.02) // around vessel 211000001 only
	tests := []struct {
		name     string
		box      geo.Box
		from, to int64
		limit    int
		want     []track.Fix
	}{
		{"world", geo.World, t0, t0 + 2*3600_000, 0, in(geo.World, t0, t0+2*3600_000)},
		{"one vessel's area", near1, t0, t0 + 2*3600_000, 0, in(near1, t0, t0+2*3600_000)},
		{"second hour", geo.World, t0 + 3600_000, t0 + 2*3600_000, 0, in(geo.World, t0+3600_000, t0+2*3600_000)},
		{"limit", geo.World, t0, t0 + 2*3600_000, 10, in(geo.World, t0, t0+2*3600_000)[:10]},
		{"empty sea", box(-10, -10, -5, -5), t0, t0 + 2*3600_000, 0, nil},
	}
	db := openT(t, t.TempDir(), Options{MemtableSize: memFixBytes * 50})
	defer db.Close()
	if err := db.AppendFixes(all[:200]); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendFixes(all[200:]); err != nil { // some in memory
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.FixesIn(context.Background(), tt.box, tt.from, tt.to, tt.limit)
			if err != nil {
				t.Fatalf("FixesIn = %v", err)
			}
			if diff := cmp.Diff(tt.want, got, fixCmp, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("FixesIn(%+v) mismatch (-want +got):\n%s", tt.box, diff)
			}
		})
	}
	if _, err := db.FixesIn(context.Background(), box(10, 0, 0, 0), t0, t0+1, 0); err == nil {
		t.Errorf("FixesIn(inverted box) = nil error")
	}
	if _, err := db.Track(context.Background(), 1, t0, t0+1, -1); err == nil {
		t.Errorf("Track(limit -1) = nil error")
	}
}

func TestCompactionAndRetain(t *testing.T) {
	dir := t.TempDir()
	db := openT(t, dir, Options{MemtableSize: memFixBytes * 30, CompactionThreshold: 3})
	vessels := []uint32{1, 2, 3, 4, 5}
	all := fleet(vessels, 6*60, t0, 60_000) // 6 hours, one a minute
	for i := 0; i < len(all); i += 25 {
		if err := db.AppendFixes(all[i:min(i+25, len(all))]); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := db.compact(); err != nil {
		t.Fatal(err)
	}
	perPartition := map[int64]int{}
	db.mu.RLock()
	for _, s := range db.segs {
		perPartition[s.meta.Start]++
	}
	db.mu.RUnlock()
	for p, n := range perPartition {
		// Ended partitions are merged into one; the last may keep up to
		// CompactionThreshold-1.
		if n > 1 && p < t0+4*3600_000 {
			t.Errorf("partition %d: %d segments after compaction, want 1", p, n)
		}
	}
	check := func(when string, from int64) {
		t.Helper()
		for _, m := range vessels {
			got, err := db.Track(context.Background(), m, math.MinInt64, math.MaxInt64, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := pick(all, m, from, math.MaxInt64)
			if diff := cmp.Diff(want, got, fixCmp); diff != "" {
				t.Errorf("%s: Track(%d) mismatch (-want +got):\n%s", when, m, diff)
			}
		}
	}
	check("compacted", t0)
	// Retain drops whole partitions only: before = t0+2.5h keeps 2h-3h.
	if err := db.Retain(t0 + 2*3600_000 + 1800_000); err != nil {
		t.Fatal(err)
	}
	check("retained", t0+2*3600_000)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if start, _, ok := parseSegName(e.Name()); ok && start < t0+2*3600_000 {
			t.Errorf("segment %s still on disk after Retain", e.Name())
		}
	}
	db = openT(t, dir, Options{})
	check("reopened", t0+2*3600_000)
	db.Close()
}

func TestRecovery(t *testing.T) {
	fixes := fleet([]uint32{7, 8}, 100, t0, 1000)
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string) // applied to a closed store
		want   int                            // fixes found after reopening
	}{
		{"clean", func(*testing.T, string) {}, 200},
		{"torn last frame", func(t *testing.T, dir string) {
			cutLast(t, filepath.Join(dir, walName(lastWAL(t, dir))), 7)
		}, 100},
		{"garbage after frames", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, walName(lastWAL(t, dir))), []byte("\x10\x00\x00\x00garbage!garbage!"))
		}, 200},
		{"zeroed tail", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, walName(lastWAL(t, dir))), make([]byte, 4096))
		}, 200},
		{"corrupt last frame", func(t *testing.T, dir string) {
			flipLast(t, filepath.Join(dir, walName(lastWAL(t, dir))), 3)
		}, 100},
		{"orphan segment and temp manifest", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, segName(t0, 999)), []byte("half a segment"))
			appendFile(t, filepath.Join(dir, "MANIFEST.tmp"), []byte("{"))
		}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := openT(t, dir, Options{})
			if err := db.AppendFixes(fixes[:100]); err != nil {
				t.Fatal(err)
			}
			if err := db.AppendFixes(fixes[100:]); err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, dir)
			db = openT(t, dir, Options{})
			got, err := db.FixesIn(context.Background(), geo.World, math.MinInt64, math.MaxInt64, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("after damage, %d fixes, want %d", len(got), tt.want)
			}
			// The store goes on: append, flush, reopen.
			if err := db.AppendFixes(fixes[:10]); err != nil {
				t.Fatal(err)
			}
			if err := db.Flush(); err != nil {
				t.Fatal(err)
			}
			db.Close()
			db = openT(t, dir, Options{})
			got, err = db.FixesIn(context.Background(), geo.World, math.MinInt64, math.MaxInt64, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want+10 {
				t.Errorf("after damage and more appends, %d fixes, want %d", len(got), tt.want+10)
			}
			db.Close()
			for _, name := range []string{segName(t0, 999), "MANIFEST.tmp"} {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					t.Errorf("leftover %s not removed", name)
				}
			}
		})
	}
}

func lastWAL(t *testing.T, dir string) uint64 {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var last uint64
	found := false
	for _, e := range ents {
		if seq, ok := parseWALName(e.Name()); ok && (!found || seq > last) {
			last, found = seq, true
		}
	}
	if !found {
		t.Fatal("no log file")
	}
	return last
}

func cutLast(t *testing.T, path string, n int64) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()-n); err != nil {
		t.Fatal(err)
	}
}

func flipLast(t *testing.T, path string, back int64) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[int64(len(b))-back] ^= 0x55
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptSegment(t *testing.T) {
	dir := t.TempDir()
	db := openT(t, dir, Options{})
	if err := db.AppendFixes(fleet([]uint32{7, 8}, 100, t0, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	db.mu.RLock()
	seg := filepath.Join(dir, db.segs[0].meta.File)
	db.mu.RUnlock()
	db.Close()
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	b[len(segMagic)+20] ^= 0xff // inside vessel 7's block
	if err := os.WriteFile(seg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	db = openT(t, dir, Options{})
	defer db.Close()
	_, err = db.Track(context.Background(), 7, t0, t0+3600_000, 0)
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Errorf("Track over a damaged block = %v, want a CorruptError", err)
	}
	if _, err := db.Track(context.Background(), 8, t0, t0+3600_000, 0); err != nil {
		t.Errorf("Track of an intact block = %v", err)
	}
	// A truncated segment is refused at Open, not a panic.
	db.Close()
	if err := os.Truncate(seg, int64(len(b)-10)); err != nil {
		t.Fatal(err)
	}
	if db2, err := Open(dir, Options{}); !errors.As(err, &ce) {
		t.Errorf("Open with a truncated segment = %v, want a CorruptError", err)
		if db2 != nil {
			db2.Close()
		}
	}
}

func TestLockedAndClosed(t *testing.T) {
	dir := t.TempDir()
	db := openT(t, dir, Options{})
	if db2, err := Open(dir, Options{}); !errors.Is(err, ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
		if db2 != nil {
			db2.Close()
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := map[string]error{
		"AppendFixes": db.AppendFixes(fleet([]uint32{1}, 1, t0, 1)),
		"Sync":        db.Sync(),
		"Close":       db.Close(),
		"PutDoc":      db.PutDoc(Doc{Kind: "event", ID: "1", Body: []byte("{}")}),
		"Retain":      db.Retain(t0),
	}
	_, calls["Track"] = db.Track(ctx, 1, 0, 1, 0)
	_, calls["StaticHistory"] = db.StaticHistory(ctx, 1)
	for name, err := range calls {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}
	if _, err := Open(dir, Options{SegmentDuration: time.Millisecond}); err == nil {
		t.Errorf("Open(SegmentDuration 1ms) = nil error")
	}
}

func TestStaticHistory(t *testing.T) {
	base := track.Static{MMSI: 211000001, Has: track.HasName | track.HasCallSign | track.HasShipType,
		Name: "SEA STAR", CallSign: "DABC", ShipType: 80}
	at := func(s track.Static, ms int64) track.Static { s.Time = t0 + ms; return s }
	voyage := track.Static{MMSI: 211000001, Has: track.HasVoyage, Draught: 9.5, Destination: "FUJAIRAH", ETA: "01-02T03:04Z"}
	merged := base
	merged.Has |= track.HasVoyage
	merged.Draught, merged.Destination, merged.ETA = 9.5, "FUJAIRAH", "01-02T03:04Z"
	renamed := merged
	renamed.Name = "SEA STAR II"
	tests := []struct {
		name string
		puts []track.Static
		want []track.Static
	}{
		{"one", []track.Static{at(base, 0)}, []track.Static{at(base, 0)}},
		{"repeats collapse", []track.Static{at(base, 0), at(base, 1), at(base, 2)}, []track.Static{at(base, 0)}},
		{"partial message merges", []track.Static{at(base, 0), at(voyage, 5), at(merged, 6)},
			[]track.Static{at(base, 0), at(merged, 5)}},
		{"change starts an entry", []track.Static{at(merged, 0), at(renamed, 10), at(renamed, 11), at(merged, 20)},
			[]track.Static{at(merged, 0), at(renamed, 10), at(merged, 20)}},
		{"nothing carried", []track.Static{{MMSI: 211000001, Time: t0}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := openT(t, dir, Options{})
			for _, s := range tt.puts {
				if err := db.PutStatic(s); err != nil {
					t.Fatalf("PutStatic = %v", err)
				}
			}
			for _, reopen := range []bool{false, true} {
				if reopen {
					db.Close()
					db = openT(t, dir, Options{})
				}
				got, err := db.StaticHistory(context.Background(), 211000001)
				if err != nil {
					t.Fatalf("StaticHistory = %v", err)
				}
				if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("StaticHistory (reopened %v) mismatch (-want +got):\n%s", reopen, diff)
				}
			}
			db.Close()
		})
	}
}

func TestDocs(t *testing.T) {
	dir := t.TempDir()
	db := openT(t, dir, Options{})
	puts := []Doc{
		{Kind: "event", ID: "e2", Time: t0 + 20, Body: []byte(`{"type":"gap"}`)},
		{Kind: "event", ID: "e1", Time: t0 + 10, Body: []byte(`{"type":"loiter"}`)},
		{Kind: "case", ID: "c1", Time: t0, Body: []byte(`{"title":"MOB"}`)},
		{Kind: "event", ID: "e3", Time: t0 + 10, Body: []byte(`{"type":"encounter"}`)},
		{Kind: "event", ID: "e2", Time: t0 + 30, Body: []byte(`{"type":"gap","closed":true}`)},
	}
	for _, d := range puts {
		if err := db.PutDoc(d); err != nil {
			t.Fatalf("PutDoc(%s/%s) = %v", d.Kind, d.ID, err)
		}
	}
	bad := []Doc{
		{Kind: "", ID: "x", Body: []byte(`{}`)},
		{Kind: "event", ID: strings.Repeat("x", 256), Body: []byte(`{}`)},
		{Kind: "event", ID: "x", Body: []byte(`{not json`)},
	}
	for _, d := range bad {
		if err := db.PutDoc(d); err == nil {
			t.Errorf("PutDoc(%q/%q, %q) = nil error", d.Kind, d.ID, d.Body)
		}
	}
	ctx := context.Background()
	tests := []struct {
		kind     string
		from, to int64
		limit    int
		want     []string
	}{
		{"event", t0, t0 + 100, 0, []string{"e1", "e3", "e2"}},
		{"event", t0, t0 + 100, 2, []string{"e1", "e3"}},
		{"event", t0 + 11, t0 + 100, 0, []string{"e2"}},
		{"case", t0, t0 + 1, 0, []string{"c1"}},
		{"nothing", t0, t0 + 100, 0, nil},
	}
	for _, reopen := range []bool{false, true} {
		if reopen {
			db.Close()
			db = openT(t, dir, Options{})
		}
		for _, tt := range tests {
			docs, err := db.Docs(ctx, tt.kind, tt.from, tt.to, tt.limit)
			if err != nil {
				t.Fatalf("Docs = %v", err)
			}
			var ids []string
			for _, d := range docs {
				ids = append(ids, d.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Docs(%q, %d, %d, %d) = %v, want %v (reopened %v)", tt.kind, tt.from-t0, tt.to-t0, tt.limit, ids, tt.want, reopen)
			}
		}
		d, err := db.Doc(ctx, "event", "e2")
		if err != nil || string(d.Body) != `{"type":"gap","closed":true}` || d.Time != t0+30 {
			t.Errorf("Doc(event, e2) = %+v, %v", d, err)
		}
		if _, err := db.Doc(ctx, "event", "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Doc(event, nope) = %v, want ErrNotFound", err)
		}
	}
	db.Close()
}

func TestExport(t *testing.T) {
	db := openT(t, t.TempDir(), Options{MemtableSize: memFixBytes * 10})
	defer db.Close()
	fixes := []track.Fix{
		{MMSI: 2, Time: t0 + 3600_000 + 5, Lat: 26.5, Lon: 56.25, SOG: 12.5, COG: 90, Heading: 91, Status: 0, Class: track.ClassA, Source: 1, Heard: 3},
		{MMSI: 1, Time: t0 + 1000, Lat: 25.1, Lon: 57.2, SOG: nan32, COG: nan32, Heading: -1, Status: 15, Class: track.ClassB},
		{MMSI: 2, Time: t0 + 2000, Lat: -1.0 / 3, Lon: 56, SOG: 0.1, COG: 359.9, Heading: 0, Class: track.ClassA},
		{MMSI: 1, Time: t0 + 7200_000, Lat: 25, Lon: 57, SOG: 1, COG: 2, Heading: 3, Class: track.ClassB}, // outside the range
	}
	if err := db.AppendFixes(fixes[:2]); err != nil {
		t.Fatal(err)
	}
	if err := db.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := db.AppendFixes(fixes[2:]); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var buf bytes.Buffer
	if err := db.ExportFixes(ctx, &buf, "csv", t0, t0+7200_000); err != nil {
		t.Fatalf("ExportFixes(csv) = %v", err)
	}
	want := csvHeader +
		"1,2026-01-01T00:00:01.000Z,25.1,57.2,,,,15,2,0,0\n" +
		"2,2026-01-01T00:00:02.000Z,-0.3333333333333333,56,0.1,359.9,0,0,1,0,0\n" +
		"2,2026-01-01T01:00:00.005Z,26.5,56.25,12.5,90,91,0,1,1,3\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("CSV export mismatch (-want +got):\n%s", diff)
	}
	if _, err := csv.NewReader(&buf).ReadAll(); err != nil {
		t.Errorf("CSV export does not parse: %v", err)
	}

	buf.Reset()
	if err := db.ExportFixes(ctx, &buf, "parquet", t0, t0+7200_000); err != nil {
		t.Fatalf("ExportFixes(parquet) = %v", err)
	}
	rows, err := parquet.Read[parquetFix](bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("reading the Parquet export: %v", err)
	}
	var got []track.Fix
	for _, r := range rows {
		f := track.Fix{MMSI: uint32(r.MMSI), Time: r.Time, Lat: r.Lat, Lon: r.Lon, SOG: nan32, COG: nan32, Heading: -1,
			Status: uint8(r.Status), Class: track.Class(r.Class), Source: track.SourceID(r.Source), Heard: uint64(r.Heard)}
		if r.SOG != nil {
			f.SOG = *r.SOG
		}
		if r.COG != nil {
			f.COG = *r.COG
		}
		if r.Heading != nil {
			f.Heading = int16(*r.Heading)
		}
		got = append(got, f)
	}
	if diff := cmp.Diff([]track.Fix{fixes[1], fixes[2], fixes[0]}, got, fixCmp); diff != "" {
		t.Errorf("Parquet export mismatch (-want +got):\n%s", diff)
	}
	if err := db.ExportFixes(ctx, &buf, "xml", t0, t0+1); !errors.Is(err, ErrFormat) {
		t.Errorf("ExportFixes(xml) = %v, want ErrFormat", err)
	}
}
