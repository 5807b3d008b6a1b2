package sim

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"straitwatch/ais"
)

// run plays sc and returns its output and truth.
func run(t testing.TB, sc *Scenario) ([]byte, []Truth) {
	t.Helper()
	s, err := New(sc)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var out bytes.Buffer
	var truth []Truth
	err = s.Run(context.Background(), Output{
		AIS:   func(_ time.Time, b []byte) error { out.Write(b); return nil },
		Truth: func(tr Truth) error { truth = append(truth, tr); return nil },
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.Bytes(), truth
}

func mustLoad(t testing.TB, yaml string) *Scenario {
	t.Helper()
	sc, err := LoadScenario(strings.NewReader(yaml))
	if err != nil {
		t.Fatalf("LoadScenario: %v", err)
	}
	return sc
}

func TestLoadScenarioErrors(t *testing.T) {
	base := "start: 2026-03-01T00:00:00Z\nduration: 1h\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"empty", "", "empty document"},
		{"unknown field", base + "trafic: {}\n", "field trafic not found"},
		{"no start", "duration: 1h\n", "start is required"},
		{"no duration", "start: 2026-03-01T00:00:00Z\n", "duration must be positive"},
		{"bad duration", base[:len(base)-3] + "xx\n", "invalid scenario"},
		{"negative count", base + "traffic: {transits: -1}\n", "traffic.transits is negative"},
		{"receiver name", base + "receivers: [{name: 'a b', lat: 1, lon: 1}]\n", "name \"a b\""},
		{"receiver loss", base + "receivers: [{name: a, lat: 1, lon: 1, loss: 2}]\n", "loss 2 out of range"},
		{"duplicate receiver", base + "receivers: [{name: a, lat: 1, lon: 1}, {name: a, lat: 1, lon: 1}]\n", "duplicate name"},
		{"unknown incident", base + "incidents: [{type: piracy, place: jask}]\n", "unknown type \"piracy\""},
		{"incident after end", base + "incidents: [{type: sts, at: 2h, place: jask}]\n", "outside the run"},
		{"unknown place", base + "incidents: [{type: sts, place: atlantis}]\n", "unknown place \"atlantis\""},
		{"bad position", base + "incidents: [{type: sts, place: '95,56'}]\n", "bad position"},
		{"NaN position", base + "incidents: [{type: sts, place: 'NaN,56'}]\n", "bad position"},
		{"NaN density", base + "traffic: {density: .nan}\n", "traffic.density"},
		{"dark needs to", base + "incidents: [{type: dark, place: jask}]\n", "to: missing"},
		{"to not used", base + "incidents: [{type: sts, place: jask, to: jask}]\n", "to is only used"},
		{"sts dark", base + "incidents: [{type: sts, place: jask, dark: maybe}]\n", "dark \"maybe\""},
		{"wrong way place", base + "incidents: [{type: wrong_way, place: jask}]\n", "tss-inbound or tss-outbound"},
		{"vessel mmsi", base + "incidents: [{type: sts, place: jask, vessels: [{mmsi: 12}]}]\n", "not 9 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadScenario(strings.NewReader(tt.yaml))
			if err == nil || !errors.Is(err, ErrScenario) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadScenario(%q) = %v, want an ErrScenario containing %q", tt.yaml, err, tt.want)
			}
		})
	}
}

func TestShippedScenarios(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("scenarios: %v, %d files", err, len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := LoadScenarioFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if sc.Name == "" || sc.Description == "" {
				t.Errorf("%s: name and description are wanted", f)
			}
			sc.Duration = min(sc.Duration, 10*time.Minute)
			for i := range sc.Incidents {
				sc.Incidents[i].At = min(sc.Incidents[i].At, 5*time.Minute)
			}
			sc.Traffic.Density = min(sc.Traffic.Density, 0.2)
			out, _ := run(t, sc)
			decodeAll(t, out)
		})
	}
}

// decodeAll decodes out with straitwatch's reader and fails on any reject.
func decodeAll(t *testing.T, out []byte) *ais.Stats {
	t.Helper()
	r := ais.NewReader(bytes.NewReader(out), ais.ReaderConfig{
		OnReject: func(line uint64, text []byte, reason ais.Reason) {
			t.Errorf("line %d %q: %v", line, text, reason)
		},
	})
	for r.Scan() {
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if st.RejectedTotal() != 0 || st.Incomplete != 0 || st.Messages == 0 {
		t.Errorf("decode: %d messages, %d rejected, %d incomplete", st.Messages, st.RejectedTotal(), st.Incomplete)
	}
	return st
}

const allIncidents = `
name: test
seed: 7
start: 2026-03-02T06:00:00Z
duration: 3h
traffic: {transits: 20, port_calls: 4, anchored: 6, ferries: 2, dhows: 10, fast_craft: 3}
incidents:
  - {type: dark, at: 30m, duration: 1h, place: off-jask, to: gulf-of-oman}
  - {type: sts, at: 40m, duration: 1h, place: "25.90,57.20", dark: small}
  - {type: cloned_mmsi, at: 45m, duration: 1h, place: off-musandam, to: "25.30,59.50"}
  - {type: wrong_way, at: 20m, place: tss-inbound}
  - {type: collision_course, at: 1h, duration: 12m, place: "25.80,56.95"}
  - {type: man_overboard, at: 1h, duration: 1h, place: "26.45,56.65"}
  - {type: disabled_sart, at: 1h, duration: 80m, place: "25.60,57.40"}
  - {type: loitering, at: 50m, duration: 1h, place: "26.30,56.90"}
  - {type: restricted_area, at: 1h10m, duration: 30m, place: "26.10,56.60"}
  - {type: spoof_circle, at: 40m, duration: 1h, place: off-jask, to: "25.00,55.80"}
  - {type: spoof_offset, at: 1h20m, duration: 1h, place: gulf-of-oman, to: "25.40,56.20"}
  - {type: spoof_teleport, at: 1h40m, duration: 20m, place: off-musandam, to: "24.00,59.00"}
`

func TestDeterminism(t *testing.T) {
	a, ta := run(t, mustLoad(t, allIncidents))
	b, tb := run(t, mustLoad(t, allIncidents))
	if !bytes.Equal(a, b) {
		t.Errorf("two runs of one scenario differ (%d and %d bytes)", len(a), len(b))
	}
	if len(ta) != len(tb) || len(ta) != len(IncidentTypes) {
		t.Errorf("truth: %d and %d incidents, want %d", len(ta), len(tb), len(IncidentTypes))
	}
	other := mustLoad(t, strings.Replace(allIncidents, "seed: 7", "seed: 8", 1))
	if c, _ := run(t, other); bytes.Equal(a, c) {
		t.Error("another seed gave the same output")
	}
}

func TestDecodes(t *testing.T) {
	out, _ := run(t, mustLoad(t, allIncidents))
	st := decodeAll(t, out)
	for _, typ := range []int{1, 5, 14, 18, 24} {
		if st.ByType[typ] == 0 {
			t.Errorf("no messages of type %d", typ)
		}
	}
	if _, err := os.Stat("/usr/bin/gpsdecode"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("gpsdecode not installed: .ci/run installs Debian's gpsd-clients")
		}
		t.Skip("gpsdecode not installed (Debian package gpsd-clients)")
	}
	cmd := exec.Command("/usr/bin/gpsdecode", "-j")
	cmd.Stdin = bytes.NewReader(out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("gpsdecode: %v: %s", err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("gpsdecode stderr: %.500s", stderr.Bytes())
	}
	// gpsdecode pairs type 24 parts A and B into one object: compare the
	// other types.
	var objects uint64
	for _, l := range bytes.Split(stdout.Bytes(), []byte("\n")) {
		if len(l) > 0 && !bytes.Contains(l, []byte(`"type":24,`)) {
			objects++
		}
	}
	if want := st.Messages - st.ByType[24]; objects != want {
		t.Errorf("gpsdecode printed %d objects of types other than 24, want %d", objects, want)
	}
}

type report struct {
	t   int64 // seconds
	msg ais.Message
}

func TestReportIntervals(t *testing.T) {
	sc := mustLoad(t, `
seed: 3
start: 2026-03-03T00:00:00Z
duration: 90m
traffic: {transits: 30, port_calls: 6, anchored: 10, ferries: 4, dhows: 20, fast_craft: 6}
receivers: [{name: all, lat: 26, lon: 57, range_nm: 100000}]
`)
	out, _ := run(t, sc)
	r := ais.NewReader(bytes.NewReader(out), ais.ReaderConfig{})
	pos := map[uint32][]report{}
	stat := map[uint32][]int64{}
	for r.Scan() {
		m := ais.Clone(r.Message())
		ts := r.Time().Unix()
		switch m := m.(type) {
		case *ais.PositionReport, *ais.ClassBPositionReport:
			pos[m.Head().MMSI] = append(pos[m.Head().MMSI], report{ts, m})
		case *ais.StaticVoyageData:
			stat[m.MMSI] = append(stat[m.MMSI], ts)
		case *ais.StaticDataReport:
			if m.Part == 0 {
				stat[m.MMSI] = append(stat[m.MMSI], ts)
			}
		}
	}
	seen := map[int64]int{}
	for mmsi, reps := range pos {
		for i := 1; i < len(reps); i++ {
			var want int64
			switch m := reps[i-1].msg.(type) {
			case *ais.PositionReport:
				want = ReportInterval(false, m.Status, int(m.Speed), m.Turn != 0)
			case *ais.ClassBPositionReport:
				want = ReportInterval(true, 0, int(m.Speed), false)
			}
			got := (reps[i].t - reps[i-1].t) * 1000
			if got < want-1000 || got > want+1000 {
				t.Errorf("MMSI %d: report at %d after %d ms, want %d ms (after %+v)", mmsi, reps[i].t, got, want, reps[i-1].msg)
			}
			seen[want]++
		}
	}
	t.Logf("intervals (ms) seen: %v", seen)
	for _, want := range []int64{2000, 10000 / 3, 6000, 10000, 30000, 180000} {
		if seen[want] == 0 {
			t.Errorf("no interval of %d ms seen (seen %v)", want, seen)
		}
	}
	for mmsi, ts := range stat {
		for i := 1; i < len(ts); i++ {
			if d := ts[i] - ts[i-1]; d < 359 || d > 361 {
				t.Errorf("MMSI %d: static data after %d s, want 360 s", mmsi, d)
			}
		}
	}
}

func TestReportIntervalRules(t *testing.T) {
	tests := []struct {
		classB  bool
		status  uint8
		sog10   int
		turning bool
		want    int64
	}{
		{false, 1, 0, false, 180000},
		{false, 5, 30, false, 180000},
		{false, 1, 31, false, 10000},
		{false, 0, 0, false, 10000},
		{false, 0, 140, false, 10000},
		{false, 0, 140, true, 3333},
		{false, 0, 141, false, 6000},
		{false, 0, 200, true, 2000},
		{false, 0, 231, false, 2000},
		{true, 0, 20, false, 180000},
		{true, 0, 21, false, 30000},
	}
	for _, tt := range tests {
		if got := ReportInterval(tt.classB, tt.status, tt.sog10, tt.turning); got != tt.want {
			t.Errorf("ReportInterval(%v, %d, %d, %v) = %d, want %d", tt.classB, tt.status, tt.sog10, tt.turning, got, tt.want)
		}
	}
}

func TestIncidents(t *testing.T) {
	tests := []struct {
		incident string
		check    func(t *testing.T, tr Truth, msgs map[uint32][]report)
	}{
		{"{type: dark, at: 30m, duration: 1h, place: off-jask, to: gulf-of-oman}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			gapAcross(t, msgs[tr.Vessels[0]], tr.Start.Unix(), tr.End.Unix())
		}},
		{"{type: sts, at: 1h, duration: 1h, place: '25.90,57.20', dark: small}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			gapAcross(t, msgs[tr.Vessels[1]], tr.Start.Unix(), tr.End.Unix())
			if len(msgs[tr.Vessels[0]]) == 0 {
				t.Error("the tanker does not report")
			}
		}},
		{"{type: cloned_mmsi, at: 30m, duration: 1h, place: off-musandam, to: '25.30,59.50'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			far := 0
			for _, r := range msgs[tr.Vessels[0]] {
				p, ok := r.msg.(ais.Positioner)
				if !ok {
					continue
				}
				if lat, lon, _ := p.Position(); distNM(Point{lat, lon}, Point{tr.To.Lat, tr.To.Lon}) < 20 {
					far++
				}
			}
			if far == 0 {
				t.Error("no report of the MMSI near the clone's place")
			}
		}},
		{"{type: wrong_way, at: 10m, place: tss-outbound}", nil},
		{"{type: collision_course, at: 30m, duration: 12m, place: '25.80,56.95'}", nil},
		{"{type: man_overboard, at: 30m, duration: 1h, place: '26.45,56.65'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			beacon(t, tr.Vessels[0], 972, "MOB ACTIVE", msgs)
		}},
		{"{type: disabled_sart, at: 30m, duration: 1h, place: '25.60,57.40'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			beacon(t, tr.Vessels[1], 970, "SART ACTIVE", msgs)
			for _, r := range msgs[tr.Vessels[0]] {
				if r.t > tr.Start.Unix()+60 {
					if m, ok := r.msg.(*ais.PositionReport); ok && m.Status != 2 {
						t.Errorf("disabled vessel status %d, want 2", m.Status)
						break
					}
				}
			}
		}},
		{"{type: loitering, at: 30m, duration: 1h, place: '26.30,56.90'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			near(t, msgs[tr.Vessels[0]], tr.Start.Unix()+300, tr.End.Unix(), Point{tr.Place.Lat, tr.Place.Lon}, 2.5)
		}},
		{"{type: restricted_area, at: 30m, duration: 30m, place: '26.10,56.60'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			near(t, msgs[tr.Vessels[0]], tr.Start.Unix()+300, tr.End.Unix(), Point{tr.Place.Lat, tr.Place.Lon}, 1.5)
		}},
		{"{type: spoof_circle, at: 30m, duration: 1h, place: off-jask, to: '25.00,55.80'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			near(t, msgs[tr.Vessels[0]], tr.Start.Unix(), tr.End.Unix(), Point{tr.To.Lat, tr.To.Lon}, 1.1)
		}},
		{"{type: spoof_teleport, at: 30m, duration: 20m, place: off-jask, to: '25.00,55.80'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			near(t, msgs[tr.Vessels[0]], tr.Start.Unix(), tr.End.Unix(), Point{tr.To.Lat, tr.To.Lon}, 0.01)
		}},
		{"{type: spoof_offset, at: 30m, duration: 1h, place: off-jask, to: '25.00,55.80'}", func(t *testing.T, tr Truth, msgs map[uint32][]report) {
			near(t, msgs[tr.Vessels[0]], tr.Start.Unix(), tr.Start.Unix()+60, Point{tr.To.Lat, tr.To.Lon}, 1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.incident, func(t *testing.T) {
			sc := mustLoad(t, "seed: 5\nstart: 2026-03-04T00:00:00Z\nduration: 3h\nreceivers: [{name: all, lat: 26, lon: 57, range_nm: 100000}]\nincidents: ["+tt.incident+"]\n")
			out, truth := run(t, sc)
			if len(truth) != 1 {
				t.Fatalf("truth: %d incidents, want 1", len(truth))
			}
			tr := truth[0]
			if tr.Type != sc.Incidents[0].Type || len(tr.Vessels) == 0 || !tr.End.After(tr.Start) {
				t.Errorf("truth %+v: want type %s, vessels, end after start", tr, sc.Incidents[0].Type)
			}
			msgs := map[uint32][]report{}
			r := ais.NewReader(bytes.NewReader(out), ais.ReaderConfig{})
			for r.Scan() {
				m := ais.Clone(r.Message())
				msgs[m.Head().MMSI] = append(msgs[m.Head().MMSI], report{r.Time().Unix(), m})
			}
			for _, v := range tr.Vessels {
				if len(msgs[v]) == 0 {
					t.Errorf("vessel %d never transmits", v)
				}
			}
			if tt.check != nil {
				tt.check(t, tr, msgs)
			}
		})
	}
}

// near checks that every position report in [from, to) is within nm of p,
// and that there is at least one.
func near(t *testing.T, reps []report, from, to int64, p Point, nm float64) {
	t.Helper()
	n := 0
	for _, r := range reps {
		pos, ok := r.msg.(ais.Positioner)
		if !ok || r.t < from || r.t >= to {
			continue
		}
		n++
		if lat, lon, _ := pos.Position(); distNM(Point{lat, lon}, p) > nm {
			t.Errorf("report at %d: %.4f,%.4f is %.2f nm from %v, want at most %.2f", r.t, lat, lon, distNM(Point{lat, lon}, p), p, nm)
			return
		}
	}
	if n == 0 {
		t.Errorf("no report in %d-%d", from, to)
	}
}

// gapAcross checks that reps have nothing in [from, to) but some before and
// after.
func gapAcross(t *testing.T, reps []report, from, to int64) {
	t.Helper()
	before, after := false, false
	for _, r := range reps {
		switch {
		case r.t >= from && r.t < to:
			t.Errorf("report at %d inside the dark period %d-%d", r.t, from, to)
			return
		case r.t < from:
			before = true
		default:
			after = true
		}
	}
	if !before || !after {
		t.Errorf("reports before the dark period: %v, after: %v", before, after)
	}
}

// beacon checks a MOB or SART device's MMSI prefix, status and text.
func beacon(t *testing.T, mmsi, prefix uint32, text string, msgs map[uint32][]report) {
	t.Helper()
	if mmsi/1000000 != prefix {
		t.Errorf("beacon MMSI %d, want prefix %d", mmsi, prefix)
	}
	texts, status := 0, 0
	for _, r := range msgs[mmsi] {
		switch m := r.msg.(type) {
		case *ais.SafetyBroadcast:
			if m.Text == text {
				texts++
			}
		case *ais.PositionReport:
			if m.Status == 14 {
				status++
			}
		}
	}
	if texts == 0 || status < 8 {
		t.Errorf("beacon %d: %d %q messages, %d reports with status 14", mmsi, texts, text, status)
	}
}

func TestRunCancel(t *testing.T) {
	s, err := New(mustLoad(t, allIncidents))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err = s.Run(ctx, Output{AIS: func(time.Time, []byte) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel = %v, want context.Canceled", err)
	}
}

// BenchmarkSimulate plays 100,000 vessels (the scale) for 2
// simulated minutes and reports vessel-seconds simulated per second and the
// real-time factor for that fleet.
func BenchmarkSimulate(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		b.Run(strconv.Itoa(n)+"-vessels", func(b *testing.B) {
			sc := mustLoad(b, `
seed: 9
start: 2026-03-05T00:00:00Z
duration: 2m
traffic: {transits: 1, port_calls: 0, anchored: 0, ferries: 0, dhows: 0, fast_craft: 0}
`)
			// Mix of the issue: mostly transits, some anchored and small craft.
			sc.Traffic = Traffic{Density: float64(n) / 1000, Transits: 500, Anchored: 200, PortCalls: 50, Ferries: 10, Dhows: 200, FastCraft: 40}
			var bytesOut int64
			b.ResetTimer()
			for range b.N {
				s, err := New(sc)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Run(context.Background(), Output{AIS: func(_ time.Time, p []byte) error {
					bytesOut += int64(len(p))
					return nil
				}}); err != nil {
					b.Fatal(err)
				}
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(n)*sc.Duration.Seconds()/sec, "vessel-s/s")
			b.ReportMetric(sc.Duration.Seconds()/sec, "x-realtime")
			b.SetBytes(bytesOut / int64(b.N))
		})
	}
}

func FuzzLoadScenario(f *testing.F) {
	f.Add(allIncidents)
	f.Add("start: 2026-03-01T00:00:00Z\nduration: 1h\nreceivers: [{name: s, satellite: true}]\n")
	f.Add("start: 2026-03-01T00:00:00Z\nduration: 1m\ntraffic: {density: 0.01, dhows: 100}\nincidents: [{type: spoof_circle, place: '1,2', to: jask}]\n")
	f.Fuzz(func(t *testing.T, yaml string) {
		sc, err := LoadScenario(strings.NewReader(yaml))
		if err != nil {
			return
		}
		if sc.VesselCount() > 2000 || sc.Duration > 2*time.Hour {
			return
		}
		sc.Duration = min(sc.Duration, 2*time.Minute)
		s, err := New(sc)
		if err != nil {
			return
		}
		_ = s.Run(context.Background(), Output{AIS: func(time.Time, []byte) error { return nil }})
	})
}

// TestLaneDirection checks that background Class A traffic in the traffic
// separation scheme keeps to its lane's direction, so that it gives no
// wrong-way alarms of its own, and that both lanes are used.
func TestLaneDirection(t *testing.T) {
	sc := mustLoad(t, `
seed: 11
start: 2026-03-12T00:00:00Z
duration: 12h
traffic: {transits: 80, port_calls: 0, anchored: 0, ferries: 0, dhows: 0, fast_craft: 0}
receivers: [{name: all, lat: 26, lon: 57, range_nm: 100000}]
`)
	out, _ := run(t, sc)
	r := ais.NewReader(bytes.NewReader(out), ais.ReaderConfig{})
	used := map[string]int{}
	for r.Scan() {
		m, ok := r.Message().(*ais.PositionReport)
		if !ok {
			continue
		}
		lat, lon, _ := m.Position()
		p := Point{lat, lon}
		course, _ := m.Course.Degrees()
		for name, lane := range map[string][]Point{"inbound": tssInbound, "outbound": tssOutbound} {
			for i := 1; i < len(lane); i++ {
				if segDistNM(p, lane[i-1], lane[i]) > 1 {
					continue
				}
				used[name]++
				if d := angleDiff(course, bearing(lane[i-1], lane[i])); d > 90 || d < -90 {
					t.Errorf("MMSI %d at %.4f,%.4f in the %s lane: course %.1f against the lane's %.1f",
						m.MMSI, lat, lon, name, course, bearing(lane[i-1], lane[i]))
				}
			}
		}
	}
	if used["inbound"] == 0 || used["outbound"] == 0 {
		t.Errorf("reports in the lanes: %v, want both used", used)
	}
}

// segDistNM returns the distance in nm from p to the segment a-b, on a
// local flat projection.
func segDistNM(p, a, b Point) float64 {
	c := math.Cos(a.Lat * deg)
	px, py := (p.Lon-a.Lon)*60*c, (p.Lat-a.Lat)*60
	bx, by := (b.Lon-a.Lon)*60*c, (b.Lat-a.Lat)*60
	u := math.Max(0, math.Min(1, (px*bx+py*by)/(bx*bx+by*by)))
	return math.Hypot(px-u*bx, py-u*by)
}

// TestPlayer checks pacing with a fake clock: at speed 60, 3 simulated
// hours take 3 minutes, and the bytes equal an unpaced run.
func TestPlayer(t *testing.T) {
	sc := mustLoad(t, allIncidents)
	want, _ := run(t, sc) // 3 simulated hours
	clock := sc.Start
	var slept time.Duration
	var got, truth bytes.Buffer
	s, err := New(sc)
	if err != nil {
		t.Fatal(err)
	}
	p := Player{AIS: &got, Truth: &truth, Speed: 60, Now: func() time.Time { return clock },
		Sleep: func(_ context.Context, d time.Duration) error { clock = clock.Add(d); slept += d; return nil }}
	if err := p.Run(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Error("paced output differs from unpaced output")
	}
	if slept < 179*time.Second || slept > 180*time.Second {
		t.Errorf("slept %v for 3 simulated hours at speed 60, want about 180 s", slept)
	}
	if n := bytes.Count(truth.Bytes(), []byte("\n")); n == 0 {
		t.Error("no truth written")
	}
}

func TestDemoScenario(t *testing.T) {
	start := time.Date(2026, 5, 1, 12, 0, 0, 500, time.UTC)
	sc, err := DemoScenario(start)
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Start.Equal(start.Truncate(time.Second)) {
		t.Errorf("start %v, want %v", sc.Start, start)
	}
	sc.Duration = 30 * time.Minute
	sc.Incidents = sc.Incidents[:2]
	out, _ := run(t, sc)
	decodeAll(t, out)
}

func TestReception(t *testing.T) {
	const scn = `
seed: 12
start: 2026-03-13T00:00:00Z
duration: 1h
traffic: {transits: 60, port_calls: 10, anchored: 20, ferries: 4, dhows: 30, fast_craft: 6}
receivers: [RX]
`
	count := func(rx string) (lines int, out []byte) {
		out, _ = run(t, mustLoad(t, strings.Replace(scn, "RX", rx, 1)))
		return bytes.Count(out, []byte("\n")), out
	}
	all, _ := count("{name: rx, lat: 26.2, lon: 56.25, range_nm: 20}")
	lossy, out := count("{name: rx, lat: 26.2, lon: 56.25, range_nm: 20, loss: 0.3}")
	if f := float64(lossy) / float64(all); f < 0.55 || f > 0.75 {
		t.Errorf("loss 0.3 kept %.2f of the lines, want about 0.65-0.7", f)
	}
	r := ais.NewReader(bytes.NewReader(out), ais.ReaderConfig{})
	for r.Scan() {
		if p, ok := r.Message().(ais.Positioner); ok {
			lat, lon, _ := p.Position()
			if d := distNM(Point{26.2, 56.25}, Point{lat, lon}); d > 20.1 {
				t.Errorf("heard at %.1f nm, beyond the 20 nm range", d)
				break
			}
		}
	}
	_, sat := count("{name: sat, satellite: true, pass_every: 20m, pass_length: 4m}")
	r = ais.NewReader(bytes.NewReader(sat), ais.ReaderConfig{})
	for r.Scan() {
		if off := r.Time().Sub(time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)) % (20 * time.Minute); off >= 4*time.Minute {
			t.Errorf("satellite line at %v, outside its passes", r.Time())
			break
		}
	}
	if r.Stats().Messages == 0 {
		t.Error("the satellite heard nothing")
	}
}
