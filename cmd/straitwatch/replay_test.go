package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"straitwatch/ais"
)

// TestReplayEvents replays a man-overboard beacon (MMSI 972..., status
// 14, "MOB ACTIVE") and expects a distress alarm with the text in its
// evidence.
func TestReplayEvents(t *testing.T) {
	start := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	var nmea []byte
	for i := range 4 {
		p := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: 972123456}, Status: 14, Speed: 5, Course: 900,
			Heading: ais.HeadingNA, Turn: ais.TurnNA, Lat: int32(26.5 * 600000), Lon: int32(56.4*600000) + int32(i*10)}
		var err error
		if nmea, err = ais.AppendSentences(nmea, p, ais.Framing{Time: start.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			mob := &ais.SafetyBroadcast{Header: ais.Header{Type: 14, MMSI: 972123456}, Text: "MOB ACTIVE"}
			if nmea, err = ais.AppendSentences(nmea, mob, ais.Framing{Time: start.Add(61 * time.Second)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "mob.nmea")
	if err := os.WriteFile(path, nmea, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "replay", "-events", path)
	if code != 0 {
		t.Fatalf("replay: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, `"type":"distress"`) || !strings.Contains(out, `"alarm":true`) || !strings.Contains(out, `"text":"MOB ACTIVE"`) {
		t.Errorf("replay printed no distress alarm with its text:\n%s", out)
	}
	if code, _, _ := runCmd(t, "", "replay", path); code != 2 {
		t.Errorf("replay without -events: exit %d, want 2 (usage)", code)
	}
}
