package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"straitwatch/internal/track"
)

func ms(s string) int64 {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t.UnixMilli()
}

func TestCSVImport(t *testing.T) {
	nan := float32(math.NaN())
	tufty := track.Static{
		MMSI: 212049000, Time: ms("2023-02-02 00:00:18"), Has: track.HasName | track.HasCallSign | track.HasIMO | track.HasShipType | track.HasDimensions | track.HasVoyage,
		Name: "TUFTY", CallSign: "5BMK2", IMO: 9393163, ShipType: 70, ToBow: 92, ToStern: 93, ToPort: 11, ToStarboard: 12, Draught: 10.4, Source: 7,
	}
	tuftyFix := track.Fix{MMSI: 212049000, Time: ms("2023-02-02 00:00:18"), Lat: 33.3843, Lon: -77.90511, SOG: 11.6, COG: 93.3, Heading: 86, Status: 0, Class: track.ClassA, Source: 7, Heard: 1 << 7}
	for _, tc := range []struct {
		file                  string
		lines, messages, dups uint64
		fixes, statics        int
		rejects               map[string]uint64
		firstFix              *track.Fix
		firstStatic           *track.Static
		checkFix              func(t *testing.T, fixes []track.Fix)
	}{
		{file: "noaa.csv", lines: 20, messages: 20, fixes: 20, statics: 1, firstFix: &tuftyFix, firstStatic: &tufty},
		{file: "atlantes-noaa.csv", lines: 20, messages: 20, fixes: 20, statics: 1, firstFix: &tuftyFix, firstStatic: &tufty},
		{
			file: "noaa-bad.csv", lines: 9, messages: 4, fixes: 4, statics: 1,
			rejects:  map[string]uint64{"csv_mmsi": 1, "csv_time": 1, "csv_position": 1, "csv_fields": 1, "csv_syntax": 1},
			firstFix: &tuftyFix,
			checkFix: func(t *testing.T, fixes []track.Fix) {
				na := fixes[2]
				if !math.IsNaN(float64(na.SOG)) || !math.IsNaN(float64(na.COG)) || na.Heading != -1 {
					t.Errorf("not-available row: SOG %v, COG %v, heading %d; want NaN, NaN, -1", na.SOG, na.COG, na.Heading)
				}
			},
		},
		{
			file: "dma.csv", lines: 12, messages: 9, dups: 1, fixes: 7, statics: 5,
			rejects:  map[string]uint64{"csv_time": 1, "csv_mmsi": 1, "csv_position": 1},
			firstFix: &track.Fix{MMSI: 219000873, Time: ms("2024-02-27 00:00:00"), Lat: 56.990928, Lon: 10.304432, SOG: 9.5, COG: 63.8, Heading: 64, Status: 0, Class: track.ClassA, Source: 7, Heard: 1 << 7},
			firstStatic: &track.Static{
				MMSI: 219000873, Time: ms("2024-02-27 00:00:00"), Has: track.HasName | track.HasCallSign | track.HasShipType | track.HasDimensions | track.HasVoyage,
				Name: "NORDSOEN", CallSign: "OWPF2", ShipType: 70, ToBow: 70, ToStern: 19, ToPort: 6, ToStarboard: 6, Draught: 4.2, Destination: "AARHUS", ETA: "02-27T06:00Z", Source: 7,
			},
			checkFix: func(t *testing.T, fixes []track.Fix) {
				want := []struct {
					mmsi   uint32
					class  track.Class
					status uint8
					sog    float32
				}{
					{219000873, track.ClassA, 0, 9.5},
					{219000873, track.ClassA, 0, 9.6},
					{211234560, track.ClassB, 15, 5.2},
					{2190064, track.ClassBase, 15, nan},
					{992191234, track.ClassAtoN, 15, nan},
					{111219501, track.ClassSAR, 15, 120},
					{220000001, track.ClassA, 7, 3.1},
				}
				for i, w := range want {
					f := fixes[i]
					if f.MMSI != w.mmsi || f.Class != w.class || f.Status != w.status || !(f.SOG == w.sog || math.IsNaN(float64(f.SOG)) && math.IsNaN(float64(w.sog))) {
						t.Errorf("fix %d = %d %v status %d sog %v; want %d %v %d %v", i, f.MMSI, f.Class, f.Status, f.SOG, w.mmsi, w.class, w.status, w.sog)
					}
				}
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "csv", tc.file)
			fixes, statics, h, err := replay(t, PipelineConfig{}, SourceConfig{ID: 7, Name: "csv", Kind: KindCSV, Path: path}, 0)
			if err != nil {
				t.Fatalf("Run = %v", err)
			}
			if h.Lines != tc.lines || h.Messages != tc.messages || h.Duplicates != tc.dups {
				t.Errorf("lines %d, messages %d, duplicates %d; want %d, %d, %d", h.Lines, h.Messages, h.Duplicates, tc.lines, tc.messages, tc.dups)
			}
			if len(fixes) != tc.fixes || len(statics) != tc.statics {
				t.Errorf("%d fixes, %d statics; want %d, %d", len(fixes), len(statics), tc.fixes, tc.statics)
			}
			if diff := cmp.Diff(tc.rejects, h.Rejects, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rejects (-want +got):\n%s", diff)
			}
			checkSums(t, h)
			if tc.firstFix != nil && len(fixes) > 0 {
				if diff := cmp.Diff(*tc.firstFix, fixes[0], cmpopts.EquateApprox(0, 1e-6)); diff != "" {
					t.Errorf("first fix (-want +got):\n%s", diff)
				}
			}
			if tc.firstStatic != nil && len(statics) > 0 {
				if diff := cmp.Diff(*tc.firstStatic, statics[0], cmpopts.EquateApprox(0, 1e-6)); diff != "" {
					t.Errorf("first static (-want +got):\n%s", diff)
				}
			}
			if tc.checkFix != nil && len(fixes) == tc.fixes {
				tc.checkFix(t, fixes)
			}
		})
	}
}

func TestCSVArchives(t *testing.T) {
	dir := t.TempDir()
	noaa, err := os.ReadFile("testdata/csv/noaa.csv")
	if err != nil {
		t.Fatal(err)
	}
	dma, err := os.ReadFile("testdata/csv/dma.csv")
	if err != nil {
		t.Fatal(err)
	}
	writeGzip(t, dir, "a.csv.gz", noaa)
	zf, err := os.Create(filepath.Join(dir, "b.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(zf)
	for name, data := range map[string][]byte{"aisdk-2024-02-27.csv": dma, "readme.txt": []byte("not a table")} {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	zw.Close()
	zf.Close()
	os.WriteFile(filepath.Join(dir, "c.txt"), []byte("ignored"), 0o644)

	fixes, statics, h, err := replay(t, PipelineConfig{}, SourceConfig{Name: "dir", Kind: KindCSV, Path: dir}, 0)
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if len(fixes) != 20+7 || len(statics) != 1+5 || h.Lines != 20+12 {
		t.Errorf("%d fixes, %d statics, %d lines; want 27, 6, 32", len(fixes), len(statics), h.Lines)
	}
	if h.SizeBytes == 0 || h.Bytes == 0 {
		t.Errorf("progress: %d of %d bytes", h.Bytes, h.SizeBytes)
	}
	checkSums(t, h)

	// A table without an MMSI or time column is refused, and said so.
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,b,c\n1,2,3\n"), 0o644)
	_, _, _, err = replay(t, PipelineConfig{}, SourceConfig{Name: "dir", Kind: KindCSV, Path: filepath.Join(dir, "d.csv")}, 0)
	if err == nil {
		t.Error("table without MMSI: Run = nil, want an error")
	}
}

// FuzzCSV imports arbitrary rows under the NOAA and DMA headers: nothing
// panics and every row is counted once.
func FuzzCSV(f *testing.F) {
	noaa, _ := os.ReadFile("testdata/csv/noaa-bad.csv")
	dma, _ := os.ReadFile("testdata/csv/dma.csv")
	f.Add(noaa)
	f.Add(dma)
	f.Add([]byte("MMSI,BaseDateTime\n1,2\n\"x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := NewPipeline(PipelineConfig{}, []SourceConfig{{Name: "z", Kind: KindCSV, Path: "x"}}, &collector{})
		if err != nil {
			t.Fatal(err)
		}
		s := p.sources[0]
		im := s.newCSVImporter(context.Background())
		var got int
		s.q = make(chan *block, 1<<16)
		if err := im.importReader(bytes.NewReader(data)); err != nil {
			return // no usable header
		}
		for len(s.q) > 0 {
			got += (<-s.q).msgs
		}
		h := s.Health()
		if h.Messages+h.RejectsTotal != h.Lines {
			t.Errorf("%d messages + %d rejects != %d rows", h.Messages, h.RejectsTotal, h.Lines)
		}
		if uint64(got)+h.Duplicates != h.Messages {
			t.Errorf("%d delivered + %d repeated static != %d messages", got, h.Duplicates, h.Messages)
		}
	})
}
