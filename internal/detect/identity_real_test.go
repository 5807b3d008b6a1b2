package detect

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"straitwatch/internal/segment"
	"straitwatch/internal/track"
)

var (
	identityUpdate = flag.Bool("identity.update", false, "rewrite testdata/identity_segments.golden")
	identityDoc    = flag.Bool("identity.doc", false, "rewrite the identity section of docs/detection-real-data.md")
)

// identityRecords is what readJSONL leaves out of a gpsdio-segment
// track: its static reports and its fixes whose position is not
// available (lat 91 / lon 181, or null), each in file order.
type identityRecords struct {
	statics []track.Static
	na      []track.Fix // MMSI and Time set; Lat 91, Lon 181
}

// readIdentityRecords reads the statics and not-available positions of
// a track read by readJSONL. Ship types are named in the files ("Cargo,
// all ships of this type"); names map to codes 1, 2, ... in the order
// first seen, through types, so that a change of name is a change of
// code: several AIS codes share a name ("Reserved"), so a change among
// them is not seen.
func readIdentityRecords(path string, types map[string]uint8) (identityRecords, error) {
	var out identityRecords
	f, err := os.Open(path)
	if err != nil {
		return out, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return out, fmt.Errorf("%s: %w", path, err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct {
			SSVID     json.Number `json:"ssvid"`
			Lat, Lon  *float64
			Timestamp string
			Shipname  *string
			Callsign  *string
			IMO       *string
			Shiptype  *string
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		ts, err := time.Parse(time.RFC3339Nano, r.Timestamp)
		if err != nil {
			ts, err = time.Parse("2006-01-02 15:04:05.999999", r.Timestamp)
		}
		if err != nil {
			return out, fmt.Errorf("%s: %w", path, err)
		}
		mmsi, _ := strconv.ParseUint(strings.Trim(r.SSVID.String(), `"`), 10, 32)
		if r.Lat != nil && r.Lon != nil && (math.Abs(*r.Lat) > 90 || math.Abs(*r.Lon) > 180) {
			out.na = append(out.na, track.Fix{MMSI: uint32(mmsi), Time: ts.UnixMilli(), Lat: 91, Lon: 181,
				SOG: float32(math.NaN()), COG: float32(math.NaN()), Heading: -1, Status: 15})
		}
		s := track.Static{MMSI: uint32(mmsi), Time: ts.UnixMilli()}
		if r.Shipname != nil && strings.TrimSpace(*r.Shipname) != "" {
			s.Has, s.Name = s.Has|track.HasName, strings.TrimSpace(*r.Shipname)
		}
		if r.Callsign != nil && strings.TrimSpace(*r.Callsign) != "" {
			s.Has, s.CallSign = s.Has|track.HasCallSign, strings.TrimSpace(*r.Callsign)
		}
		if r.IMO != nil {
			if n, err := strconv.ParseUint(*r.IMO, 10, 32); err == nil && n != 0 {
				s.Has, s.IMO = s.Has|track.HasIMO, uint32(n)
			}
		}
		if r.Shiptype != nil && *r.Shiptype != "Not available" && *r.Shiptype != "" {
			code, ok := types[*r.Shiptype]
			if !ok {
				code = uint8(len(types) + 1)
				types[*r.Shiptype] = code
			}
			s.Has, s.ShipType = s.Has|track.HasShipType, code
		}
		if s.Has != 0 {
			out.statics = append(out.statics, s)
		}
	}
	return out, sc.Err()
}

// realRecord is one input of a real track: a fix (possibly with no
// position) or a static report.
type realRecord struct {
	fix    *track.Fix
	static *track.Static
}

// mergeRecords interleaves fixes (file order, from readJSONL) with
// statics and not-available positions (file order): a record from the
// second list goes before the next fix when it is not newer. Each list
// keeps its own order, late records included.
func mergeRecords(fixes []track.Fix, rec identityRecords) []realRecord {
	var other []realRecord
	for i := range rec.statics {
		other = append(other, realRecord{static: &rec.statics[i]})
	}
	for i := range rec.na {
		other = append(other, realRecord{fix: &rec.na[i]})
	}
	timeOf := func(r realRecord) int64 {
		if r.fix != nil {
			return r.fix.Time
		}
		return r.static.Time
	}
	sort.SliceStable(other, func(i, j int) bool { return timeOf(other[i]) < timeOf(other[j]) })
	out := make([]realRecord, 0, len(fixes)+len(other))
	j := 0
	for i := range fixes {
		for j < len(other) && timeOf(other[j]) <= fixes[i].Time {
			out = append(out, other[j])
			j++
		}
		out = append(out, realRecord{fix: &fixes[i]})
	}
	return append(out, other[j:]...)
}

// segStats is what segmentation made of one track.
type segStats struct {
	fixes, skipped      int
	segments            int // segments opened
	afterSilence        int // opened with no segment open (the first, or after MaxGap)
	bySpeed             int // opened because no open segment was plausible
	multi               int // segments that got 2 fixes or more
	maxOpen             int
	worstSpeed, worstKm float64 // the fastest rejection, kn and km
	worstAt             track.Fix
}

func segmentTrack(cfg segment.Config, recs []realRecord) segStats {
	var st segStats
	m := segment.NewMMSI(&cfg)
	counts := map[segment.ID]int{}
	for _, r := range recs {
		if r.fix == nil {
			continue
		}
		st.fixes++
		res := m.Add(r.fix)
		switch res.Outcome {
		case segment.Skipped:
			st.skipped++
			continue
		case segment.Opened:
			st.segments++
			if res.Nearest == 0 {
				st.afterSilence++
			} else {
				st.bySpeed++
				if res.Speed > st.worstSpeed && !math.IsInf(res.Speed, 1) {
					st.worstSpeed, st.worstKm, st.worstAt = res.Speed, res.Distance/1000, *r.fix
				}
			}
		}
		counts[res.Seg]++
		if counts[res.Seg] == 2 {
			st.multi++
		}
		st.maxOpen = max(st.maxOpen, len(m.Open()))
	}
	return st
}

// realTrack is one real track file, read.
type realTrack struct {
	name string
	mmsi uint32
	recs []realRecord
}

func readRealTracks(t *testing.T) ([]realTrack, map[string]uint8) {
	t.Helper()
	paths, _ := filepath.Glob("testdata/tracks/*.jsonl.gz")
	if len(paths) < 2 {
		t.Fatalf("no real tracks in testdata/tracks")
	}
	types := map[string]uint8{}
	var out []realTrack
	for _, p := range paths {
		fixes, err := readJSONL(p)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := readIdentityRecords(p, types)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".jsonl.gz")
		mmsi, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(name, "regr_"), "_2014"), 10, 32)
		out = append(out, realTrack{name: name, mmsi: uint32(mmsi), recs: mergeRecords(fixes, rec)})
	}
	return out, types
}

// TestIdentityRealTracks segments the GFW segmenter regression tracks
// and runs the identity detector on them, under the strait and gfw
// presets. The segment counts per track are held to
// testdata/identity_segments.golden (-identity.update rewrites it);
// -identity.doc rewrites the "Identity and segmentation" section of
// docs/detection-real-data.md from this run.
func TestIdentityRealTracks(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 59 real tracks")
	}
	tracks, types := readRealTracks(t)
	typeNames := map[string]string{}
	for name, code := range types {
		typeNames[strconv.Itoa(int(code))] = name
	}
	strait, _ := Preset("strait")
	gfw, _ := Preset("gfw")

	var golden, table bytes.Buffer
	fmt.Fprintf(&golden, "# track fixes not_available segments_strait segments_gfw multi_fix_strait multi_fix_gfw max_open_strait\n")
	type split struct {
		name      string
		st, gf    segStats
		totalSegs int
	}
	var splits []split
	totals := map[string]int{}
	for _, tr := range tracks {
		s := segmentTrack(strait.Identity.Segment, tr.recs)
		g := segmentTrack(gfw.Identity.Segment, tr.recs)
		fmt.Fprintf(&golden, "%s %d %d %d %d %d %d %d\n", tr.name, s.fixes-s.skipped, s.skipped, s.segments, g.segments, s.multi, g.multi, s.maxOpen)
		totals["fixes"] += s.fixes - s.skipped
		totals["na"] += s.skipped
		totals["segs_strait"] += s.segments
		totals["segs_gfw"] += g.segments
		if s.segments > 1 || g.segments > 1 {
			splits = append(splits, split{tr.name, s, g, s.segments})
		}
	}
	checkGolden(t, "testdata/identity_segments.golden", golden.Bytes())

	fmt.Fprintf(&table, "| track | fixes | n/a | segments strait (after silence / by speed / with ≥ 2 fixes) | segments gfw (same) | fastest rejected move (strait) |\n|---|---|---|---|---|---|\n")
	sort.Slice(splits, func(i, j int) bool { return splits[i].st.segments > splits[j].st.segments })
	for _, sp := range splits {
		worst := "—"
		if sp.st.worstSpeed > 0 {
			worst = fmt.Sprintf("%.0f kn over %.1f km, %s at %.4f, %.4f", sp.st.worstSpeed, sp.st.worstKm,
				time.UnixMilli(sp.st.worstAt.Time).UTC().Format("2006-01-02 15:04:05"), sp.st.worstAt.Lat, sp.st.worstAt.Lon)
		}
		fmt.Fprintf(&table, "| %s | %d | %d | %d (%d / %d / %d) | %d (%d / %d / %d) | %s |\n", sp.name, sp.st.fixes-sp.st.skipped, sp.st.skipped,
			sp.st.segments, sp.st.afterSilence, sp.st.bySpeed, sp.st.multi, sp.gf.segments, sp.gf.afterSilence, sp.gf.bySpeed, sp.gf.multi, worst)
	}

	// The identity detector, per preset: counts by rule and state, and
	// examples.
	var evText bytes.Buffer
	for _, preset := range []string{"strait", "gfw"} {
		cfg := identityOnly(t)
		if preset == "gfw" {
			cfg.Identity = gfw.Identity
		}
		counts := map[string]int{}
		tracksWith := map[string]map[string]bool{}
		examples := map[string][]string{}
		featured := map[string]string{} // track/rule: the first example
		for _, tr := range tracks {
			s := newShard(t, cfg, nil)
			var last int64
			for _, r := range tr.recs {
				if r.fix != nil {
					s.Fix(r.fix)
					last = max(last, r.fix.Time)
				} else {
					s.Static(r.static)
					last = max(last, r.static.Time)
				}
				s.Advance(last)
			}
			s.Advance(last + 365*24*hr) // the end of the data: close what is open
			seen := map[string]bool{}
			for _, e := range s.Drain() {
				checkIdentityEvent(t, e)
				if (e.State == StateUpdate || e.State == StateRetract || e.State == StateClose) && !seen[e.ID] && e.Evidence.Rule != IdentityJump {
					t.Errorf("%s %s: %s of %s before its open", preset, tr.name, e.State, e.ID)
				}
				if (e.State == StateOpen || e.Evidence.Rule == IdentityJump && e.State == StateClose) && seen[e.ID] {
					t.Errorf("%s %s: %s of %s, an ID already used", preset, tr.name, e.State, e.ID)
				}
				seen[e.ID] = true
				k := e.Evidence.Rule + "/" + e.State.String()
				counts[k]++
				if tracksWith[e.Evidence.Rule] == nil {
					tracksWith[e.Evidence.Rule] = map[string]bool{}
				}
				tracksWith[e.Evidence.Rule][tr.name] = true
				first := e.State == StateOpen || (e.State == StateClose && e.Evidence.Rule == IdentityJump)
				if preset == "strait" && first && len(examples[k]) < 1 {
					examples[k] = append(examples[k], describeIdentity(tr.name, &e, typeNames))
				}
				if fk := tr.name + " " + e.Evidence.Rule; preset == "strait" && first && featured[fk] == "" {
					featured[fk] = describeIdentity(tr.name, &e, typeNames)
				}
			}
		}
		var keys []string
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&evText, "\nPreset `%s`:\n\n| rule/state | events | tracks |\n|---|---|---|\n", preset)
		for _, k := range keys {
			rule := k[:strings.Index(k, "/")]
			fmt.Fprintf(&evText, "| %s | %d | %d |\n", k, counts[k], len(tracksWith[rule]))
			t.Logf("%s %-28s %5d", preset, k, counts[k])
		}
		if preset == "strait" {
			fmt.Fprintf(&evText, "\nExamples (strait preset):\n\n")
			for _, k := range keys {
				for _, ex := range examples[k] {
					fmt.Fprintf(&evText, "- %s\n", ex)
				}
			}
			// The tracks the doc discusses: the first event of each rule.
			fmt.Fprintf(&evText, "\nFirst event of each rule on the tracks discussed above (strait preset):\n\n")
			var fks []string
			for fk := range featured {
				for _, name := range featuredTracks {
					if strings.HasPrefix(fk, name+" ") {
						fks = append(fks, fk)
					}
				}
			}
			sort.Strings(fks)
			for _, fk := range fks {
				fmt.Fprintf(&evText, "- %s\n", featured[fk])
			}
		}
	}
	t.Logf("%d tracks, %d fixes, %d not available; segments: strait %d, gfw %d", len(tracks), totals["fixes"], totals["na"], totals["segs_strait"], totals["segs_gfw"])

	if *identityDoc {
		section := fmt.Sprintf("%d tracks, %d fixes with a position, %d fixes whose position was not available (lat 91 / lon 181; skipped and counted).\n"+
			"Segments opened in all: %d under the strait preset, %d under gfw.\n\n"+
			"### Tracks that split\n\n%s\n### Identity events\n%s", len(tracks), totals["fixes"], totals["na"], totals["segs_strait"], totals["segs_gfw"], table.String(), evText.String())
		if err := writeDocSection("../../docs/detection-real-data.md", section); err != nil {
			t.Fatal(err)
		}
	}
}

// featuredTracks are the tracks docs/detection-real-data.md discusses.
var featuredTracks = []string{"regr_412331088", "416000000_2014", "regr_567000000", "regr_666000001", "regr_412421086"}

// describeIdentity is a one-line account of an identity event.
func describeIdentity(track string, e *Event, typeNames map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s `%s` %s, %s", track, e.Evidence.Rule, e.State, time.UnixMilli(e.Start).UTC().Format("2006-01-02 15:04:05"))
	if e.End != 0 {
		fmt.Fprintf(&b, " to %s", time.UnixMilli(e.End).UTC().Format("2006-01-02 15:04:05"))
	}
	for _, f := range e.Evidence.Fixes {
		fmt.Fprintf(&b, "; fix %s %.4f, %.4f (%s)", time.UnixMilli(f.Time).UTC().Format("01-02 15:04:05"), f.Lat, f.Lon, f.Class)
	}
	for _, f := range e.Evidence.Figures {
		if f.Op != "" {
			fmt.Fprintf(&b, "; %s %.1f %s %s %.1f", f.Name, f.Value, f.Unit, f.Op, f.Threshold)
		}
	}
	for _, c := range e.Evidence.Changes {
		if c.Field == "ship_type" {
			c.Old, c.New = typeNames[c.Old], typeNames[c.New]
		}
		fmt.Fprintf(&b, "; %s %q → %q", c.Field, c.Old, c.New)
		if c.Reverted {
			b.WriteString(" (reverted)")
		}
	}
	fmt.Fprintf(&b, "; confidence %.2f", e.Confidence)
	return b.String()
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *identityUpdate {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -identity.update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("segment counts differ from %s (run with -identity.update if the change is meant):\ngot:\n%s", path, got)
	}
}

const (
	docBegin = "<!-- identity-segmentation:begin (generated by TestIdentityRealTracks -identity.doc) -->\n"
	docEnd   = "<!-- identity-segmentation:end -->\n"
)

// writeDocSection replaces the generated part of the identity section
// of the doc at path, or appends the section when there is none; the
// rest of the doc is left as it is.
func writeDocSection(path, body string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	doc := string(old)
	gen := docBegin + body + docEnd
	i, j := strings.Index(doc, docBegin), strings.Index(doc, docEnd)
	if i >= 0 && j > i {
		doc = doc[:i] + gen + doc[j+len(docEnd):]
	} else {
		doc += "\n## Identity and segmentation\n\n" + gen
	}
	return os.WriteFile(path, []byte(doc), 0o644)
}
