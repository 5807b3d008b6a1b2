package score

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var t0 = time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)

func TestMatch(t *testing.T) {
	slack := 10 * time.Minute
	dark := Truth{Type: "dark", Vessels: []uint32{111}, Start: t0, End: t0.Add(time.Hour)}
	mob := Truth{Type: "man_overboard", Vessels: []uint32{972000001, 666}, Start: t0, End: t0.Add(time.Hour)}
	spoof := Truth{Type: "spoof_circle", Vessels: []uint32{777}, Start: t0, End: t0.Add(time.Hour)}
	ww := Truth{Type: "wrong_way", Vessels: []uint32{5}, Start: t0, End: t0.Add(time.Hour)}
	ev := func(typ string, at time.Time, vs ...uint32) Event {
		return Event{ID: "x", Type: typ, Start: at, Vessels: vs}
	}
	tests := []struct {
		name  string
		truth Truth
		event Event
		want  bool
	}{
		{"inside", dark, ev("gap", t0.Add(time.Minute), 111), true},
		{"just inside slack before", dark, ev("gap", t0.Add(-slack), 111), true},
		{"just outside slack before", dark, ev("gap", t0.Add(-slack-time.Millisecond), 111), false},
		{"just inside slack after", dark, ev("gap", t0.Add(time.Hour+slack), 111), true},
		{"just outside slack after", dark, ev("gap", t0.Add(time.Hour+slack+time.Millisecond), 111), false},
		{"wrong vessel", dark, ev("gap", t0, 112), false},
		{"one shared vessel of several", mob, ev("distress", t0, 1, 666), true},
		{"wrong type", dark, ev("distress", t0, 111), false},
		{"retracted", dark, Event{Type: "gap", Start: t0, Vessels: []uint32{111}, Retracted: true}, false},
		{"type not mapped to the incident", spoof, ev("speed", t0, 777), false},
		{"second mapped type", ww, ev("tss", t0, 5), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Match(tc.truth, tc.event, slack); got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReadEventsMerge(t *testing.T) {
	const in = `{"ID":"a","Type":"gap","State":2,"Start":2000,"Vessels":[1]}
{"ID":"a","Type":"gap","State":1,"Start":1000,"Vessels":[1]}

{"ID":"a","Type":"gap","State":3,"Start":500,"End":9000,"Vessels":[1,2]}
{"ID":"b","Type":"gap","State":"open","Start":1000,"Vessels":[3]}
{"ID":"b","Type":"gap","State":"retract","Start":1000,"Vessels":[3]}
`
	evs, err := ReadEvents(strings.NewReader(in), "in")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("got %d events, want 2 (duplicates merged by ID)", len(evs))
	}
	if a := evs[0]; a.Start.UnixMilli() != 1000 || len(a.Vessels) != 2 || a.Retracted {
		t.Errorf("a = %+v, want start 1000 (first open), vessels [1 2], not retracted", a)
	}
	if !evs[1].Retracted {
		t.Errorf("b not retracted")
	}
}

func TestScoreDuplicates(t *testing.T) {
	tr := []Truth{{Type: "dark", Vessels: []uint32{1}, Start: t0, End: t0.Add(time.Hour)}}
	evs := []Event{
		{ID: "1", Type: "gap", Start: t0.Add(2 * time.Minute), Vessels: []uint32{1}},
		{ID: "2", Type: "gap", Start: t0.Add(time.Minute), Vessels: []uint32{1}},
	}
	rep := Score(tr, evs, DefaultSlack)
	for _, r := range rep.Rows {
		if r.EventType != "gap" {
			continue
		}
		if r.TP != 2 || r.FP != 0 || r.Found != 1 || r.FN() != 0 || len(r.Delays) != 1 || r.Delays[0] != time.Minute {
			t.Errorf("gap row = %+v, want TP 2, found 1, one delay of 1m", r)
		}
		return
	}
	t.Fatal("no gap row")
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, truth, events, want string
	}{
		{"truth malformed", "{\"id\":1,\"type\":\"dark\",\"vessels\":[1],\"start\":\"2026-03-02T06:00:00Z\",\"end\":\"2026-03-02T07:00:00Z\",\"place\":{}}\n{\"id\":2,", "", "truth line 2:"},
		{"truth unknown field", `{"id":1,"type":"dark","vessels":[1],"start":"2026-03-02T06:00:00Z","end":"2026-03-02T07:00:00Z","place":{},"colour":"red"}`, "", `truth line 1: json: unknown field "colour"`},
		{"truth unknown type", `{"id":1,"type":"piracy","vessels":[1],"start":"2026-03-02T06:00:00Z","end":"2026-03-02T07:00:00Z","place":{}}`, "", `unknown incident type "piracy"`},
		{"truth end before start", `{"id":1,"type":"dark","vessels":[1],"start":"2026-03-02T06:00:00Z","end":"2026-03-02T05:00:00Z","place":{}}`, "", "truth line 1: end"},
		{"events unknown field", "", "\n{\"ID\":\"a\",\"Type\":\"gap\",\"State\":1,\"Start\":1,\"Vessels\":[1],\"Priority\":3}", `events line 2: json: unknown field "Priority"`},
		{"events bad state", "", `{"ID":"a","Type":"gap","State":9,"Start":1,"Vessels":[1]}`, "events line 1: invalid State 9"},
		{"events trailing data", "", `{"ID":"a","Type":"gap","State":1,"Start":1,"Vessels":[1]} {}`, "events line 1: data after"},
		{"events not JSON", "", `gap a 1`, "events line 1:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.truth != "" {
				_, err = ReadTruth(strings.NewReader(tc.truth), "truth")
			} else {
				_, err = ReadEvents(strings.NewReader(tc.events), "events")
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestQuantile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if m, _ := Quantile(d, 0.5); m != 5 {
		t.Errorf("median = %v, want 5", m)
	}
	if p, _ := Quantile(d, 0.9); p != 9 {
		t.Errorf("p90 = %v, want 9", p)
	}
	if _, ok := Quantile(nil, 0.5); ok {
		t.Error("quantile of nothing: ok")
	}
}

// load scores the testdata files.
func load(t *testing.T) *Report {
	t.Helper()
	tf, err := os.Open(filepath.Join("testdata", "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	truth, err := ReadTruth(tf, "truth.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	ef, err := os.Open(filepath.Join("testdata", "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	events, err := ReadEvents(ef, "events.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	return Score(truth, events, DefaultSlack)
}

func TestGoldenMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := load(t).WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("markdown differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
	}
}

func TestSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := load(t).WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.HasPrefix(s, "<svg ") || !strings.HasSuffix(s, "</svg>\n") {
		t.Fatalf("not an SVG document: %.80q", s)
	}
	if n := strings.Count(s, "<circle "); n != 4 {
		t.Errorf("%d dots, want 4 (one per found incident)", n)
	}
	// An empty report still gives a valid plot.
	buf.Reset()
	if err := Score(nil, nil, DefaultSlack).WriteSVG(&buf); err != nil || !strings.Contains(buf.String(), "</svg>") {
		t.Errorf("empty plot: %v", err)
	}
}
