package api

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"straitwatch/internal/access"
	"straitwatch/internal/detect"
	"straitwatch/internal/events"
	"straitwatch/internal/geo"
	"straitwatch/internal/track"
	"straitwatch/internal/zone"
)

// fakeTable is an in-memory access.Vessels with the tracker's filter
// semantics. It records the last query. A large table is indexed by a
// grid of one-degree cells, as a real table would be, so that benchmarks
// measure the handler rather than a scan.
type fakeTable struct {
	mu     sync.Mutex
	all    []track.Vessel // in MMSI order
	box    geo.Box
	filter track.Filter

	indexOnce sync.Once
	grid      map[[2]int][]int32 // cell (floor lat, floor lon) -> indexes into all
	numbers   []string           // per vessel: "MMSI IMO", for text search
}

// candidates returns the indexes of the vessels that may lie in box:
// every one for a small table, those of the overlapping cells for a large
// one.
func (t *fakeTable) candidates(box geo.Box) iter.Seq[int] {
	return func(yield func(int) bool) {
		if len(t.all) < 10000 {
			for i := range t.all {
				if !yield(i) {
					return
				}
			}
			return
		}
		t.indexOnce.Do(func() {
			t.grid = map[[2]int][]int32{}
			t.numbers = make([]string, len(t.all))
			for i := range t.all {
				t.numbers[i] = strconv.FormatUint(uint64(t.all[i].MMSI), 10) + " " + strconv.FormatUint(uint64(t.all[i].Static.IMO), 10)
				c := [2]int{int(math.Floor(t.all[i].Last.Lat)), int(math.Floor(t.all[i].Last.Lon))}
				t.grid[c] = append(t.grid[c], int32(i))
			}
		})
		for lat := int(math.Floor(box.MinLat)); lat <= int(math.Floor(box.MaxLat)); lat++ {
			for lon := int(math.Floor(box.MinLon)); lon <= int(math.Floor(box.MaxLon)); lon++ {
				for _, i := range t.grid[[2]int{lat, lon}] {
					if !yield(int(i)) {
						return
					}
				}
			}
		}
	}
}

func (t *fakeTable) InBox(box geo.Box, f track.Filter) []track.Vessel {
	t.mu.Lock()
	t.box, t.filter = box, f
	t.mu.Unlock()
	text := strings.ToUpper(f.Text)
	out := make([]track.Vessel, 0, min(max(f.Limit, 0), len(t.all)))
	for i := range t.candidates(box) {
		v := &t.all[i]
		if !box.Contains(v.Last.Lat, v.Last.Lon) {
			continue
		}
		if len(f.ShipTypes) > 0 && !slices.Contains(f.ShipTypes, v.Static.ShipType) {
			continue
		}
		if len(f.Flags) > 0 && !slices.Contains(f.Flags, v.Flag) {
			continue
		}
		if f.MinSOG > 0 && !(v.Last.SOG >= f.MinSOG) {
			continue
		}
		if f.MaxSOG > 0 && !(v.Last.SOG <= f.MaxSOG) {
			continue
		}
		if text != "" && !strings.Contains(v.Static.Name, text) && // AIS text is upper case
			!(t.numbers != nil && strings.Contains(t.numbers[i], text)) &&
			!(t.numbers == nil && strings.Contains(strconv.FormatUint(uint64(v.MMSI), 10), text)) &&
			!strings.Contains(v.Static.CallSign, text) &&
			!(t.numbers == nil && v.Static.IMO != 0 && strconv.FormatUint(uint64(v.Static.IMO), 10) == text) {
			continue
		}
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
		out = append(out, *v)
	}
	return out
}

func (t *fakeTable) Get(mmsi uint32) (track.Vessel, bool) {
	i, ok := slices.BinarySearchFunc(t.all, mmsi, func(v track.Vessel, m uint32) int {
		return int(int64(v.MMSI) - int64(m))
	})
	if !ok {
		return track.Vessel{}, false
	}
	return t.all[i], true
}

func (t *fakeTable) last() (geo.Box, track.Filter) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.box, t.filter
}

// fakeStore is an in-memory access.History. It records the last track
// query and fails with err when set.
type fakeStore struct {
	mu     sync.Mutex
	fixes  map[uint32][]track.Fix // in time order
	static map[uint32][]track.Static
	err    error

	mmsi             uint32
	from, to         int64
	limit            int
	trackCalls       int
	staticHistoryErr error
}

func (s *fakeStore) FixesIn(ctx context.Context, box geo.Box, from, to int64, limit int) ([]track.Fix, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []track.Fix
	for _, fs := range s.fixes {
		for _, f := range fs {
			if box.Contains(f.Lat, f.Lon) && f.Time >= from && f.Time < to {
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b track.Fix) int { return int(a.Time - b.Time) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *fakeStore) Track(ctx context.Context, mmsi uint32, from, to int64, limit int) ([]track.Fix, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mmsi, s.from, s.to, s.limit = mmsi, from, to, limit
	s.trackCalls++
	if s.err != nil {
		return nil, s.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	all := s.fixes[mmsi] // in time order
	lo := sort.Search(len(all), func(i int) bool { return all[i].Time >= from })
	hi := sort.Search(len(all), func(i int) bool { return all[i].Time >= to })
	if limit > 0 {
		hi = min(hi, lo+limit)
	}
	return slices.Clone(all[lo:hi]), nil
}

func (s *fakeStore) StaticHistory(_ context.Context, mmsi uint32) ([]track.Static, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	if s.staticHistoryErr != nil {
		return nil, s.staticHistoryErr
	}
	return slices.Clone(s.static[mmsi]), nil
}

// fakeSources is a fixed list of sources.
type fakeSources []access.SourceHealth

func (f fakeSources) Health() []access.SourceHealth { return slices.Clone(f) }

// testNow is the fixed clock of the tests: 2026-11-29T12:00:00Z.
func testNow() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }

// env is an API over fakes.
type env struct {
	table   *fakeTable
	store   *fakeStore
	sources fakeSources
	hub     *Hub
	reg     *prometheus.Registry
	policy  access.Policy
	events  *events.Book // nil: detection off
	zones   *zone.Set
	cfg     Config
	api     *API
}

// vessel returns a test vessel.
func vessel(mmsi uint32, lat, lon float64, sog float32, name string, shipType uint8, flag string) track.Vessel {
	return track.Vessel{
		MMSI: mmsi,
		Kind: track.KindShip,
		Flag: flag,
		Last: track.Fix{
			MMSI: mmsi, Time: testNow().UnixMilli() - 1000, Lat: lat, Lon: lon, SOG: sog, COG: 90,
			Heading: 91, Status: 0, Class: track.ClassA, Source: 1,
		},
		Static: track.Static{
			MMSI: mmsi, Time: testNow().UnixMilli() - 60000, Name: name, CallSign: "CS" + strconv.Itoa(int(mmsi%1000)),
			IMO: 9000000 + mmsi%1000000, ShipType: shipType, ToBow: 100, ToStern: 20, ToPort: 10, ToStarboard: 12,
			Draught: 8.5, Destination: "BANDAR ABBAS", ETA: "12-01T06:00Z", Source: 1,
			Has: track.HasName | track.HasCallSign | track.HasIMO | track.HasShipType | track.HasDimensions | track.HasVoyage,
		},
		Sources: []track.SourceID{1, 2},
		Count:   42,
	}
}

// newEnv returns an API over a small world: five vessels in the Strait of
// Hormuz, a track of ten fixes for the first, two sources.
func newEnv(t testing.TB, edit func(*env)) *env {
	t.Helper()
	now := testNow().UnixMilli()
	e := &env{
		table: &fakeTable{all: []track.Vessel{
			vessel(422000001, 26.5, 56.3, 12.5, "ALPHA STAR", 80, "IR"),
			vessel(422000002, 26.6, 56.4, 0, "BRAVO", 70, "IR"),
			vessel(461000003, 25.2, 57.0, 8, "CHARLIE", 52, "OM"),
			vessel(470000004, 25.0, 55.0, float32(math.NaN()), "DELTA <&> \"Q\"", 30, "AE"),
			vessel(538000005, 10.0, 60.0, 15, "ECHO", 81, "MH"),
		}},
		store: &fakeStore{
			fixes:  map[uint32][]track.Fix{},
			static: map[uint32][]track.Static{},
		},
		sources: fakeSources{
			{ID: 2, Name: "bandar-abbas", Org: access.BuiltinOrg, Kind: "tcp-client", Connected: true,
				LastMessage: now - 500, Messages: 1000, MessagesPerSecond: 12.5, Rejects: map[string]uint64{"checksum": 3},
				Detail: map[string]any{"bytes": 81234, "address": "10.0.0.1:5631"}},
			{ID: 1, Name: "muscat", Org: access.BuiltinOrg, Kind: "udp", MessagesPerSecond: math.NaN(),
				Detail: math.NaN()}, // not an object: left out
		},
		reg:    prometheus.NewRegistry(),
		policy: access.AllowAll{},
	}
	for i := range 10 {
		f := track.Fix{MMSI: 422000001, Time: now - int64(10-i)*60000, Lat: 26 + float64(i)/100, Lon: 56,
			SOG: 10, COG: 45, Heading: -1, Source: 1}
		if i == 3 {
			f.SOG, f.COG = float32(math.NaN()), float32(math.NaN())
		}
		e.store.fixes[422000001] = append(e.store.fixes[422000001], f)
	}
	e.store.static[422000001] = []track.Static{
		{MMSI: 422000001, Time: now - 86400000, Has: track.HasName, Name: "OLD NAME", Source: 1},
		{MMSI: 422000001, Time: now - 60000, Has: track.HasName | track.HasIMO, Name: "ALPHA STAR", IMO: 9000001, Source: 2},
	}
	e.cfg = Config{Registry: e.reg, Now: testNow}
	var err error
	if e.events, err = events.Open(context.Background(), events.Config{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if err := e.events.Apply(testEvents()); err != nil {
		t.Fatal(err)
	}
	if e.zones, err = zone.Parse([]byte(testZones)); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(e)
	}
	if e.hub == nil {
		e.hub, err = NewHub(HubConfig{Registerer: e.reg, Buffer: 64})
		if err != nil {
			t.Fatalf("NewHub: %v", err)
		}
	}
	q, err := access.NewQuery(e.policy, access.Backends{Vessels: e.table, History: e.store, Sources: e.sources, Feed: e.hub,
		Events: e.events, Zones: e.zones})
	if err != nil {
		t.Fatalf("NewQuery: %v", err)
	}
	e.cfg.Query = q
	e.api, err = New(e.cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// manyVessels returns n vessels spread over the region 48..66 E,
// 20..30 N, in MMSI order.
func manyVessels(n int) []track.Vessel {
	out := make([]track.Vessel, n)
	flags := []string{"IR", "OM", "AE", "SA", "PA", "LR", "MH"}
	for i := range out {
		// A simple deterministic spread (a low-discrepancy sequence).
		fx := math.Mod(float64(i)*0.6180339887, 1)
		fy := math.Mod(float64(i)*0.7548776662, 1)
		v := vessel(uint32(200000000+i), 20+10*fy, 48+18*fx, float32(i%25), fmt.Sprintf("VESSEL %d", i),
			uint8(60+i%40), flags[i%len(flags)])
		out[i] = v
	}
	return out
}

// testZones is a zone set of one anchorage.
const testZones = `{"type":"FeatureCollection","name":"test","features":[{"type":"Feature","id":"anch-1",
"properties":{"kind":"anchorage","name":"Test anchorage","source":"test"},
"geometry":{"type":"Polygon","coordinates":[[[56.4,25.1],[56.6,25.1],[56.6,25.3],[56.4,25.3],[56.4,25.1]]]}}]}`

// testEvents are the events of the test book: a closed gap, an open
// distress and an encounter of two vessels.
func testEvents() []detect.Event {
	now := testNow().UnixMilli()
	fix := func(mmsi uint32, t int64, lat, lon float64) track.Fix {
		return track.Fix{MMSI: mmsi, Time: t, Lat: lat, Lon: lon, SOG: 0.2, COG: float32(math.NaN()), Heading: -1, Class: track.ClassA, Source: 1}
	}
	return []detect.Event{
		{ID: "gap:422000001:1", Type: detect.TypeGap, State: detect.StateClose, Start: now - 3*3600000, End: now - 2*3600000,
			Vessels: []uint32{422000001}, Lat: 26, Lon: 56, Confidence: 0.8, Alarm: true,
			Evidence: detect.Evidence{Fixes: []track.Fix{fix(422000001, now-3*3600000, 26, 56), fix(422000001, now-2*3600000, 26.2, 56.1)},
				Figures: []detect.Figure{{Name: "gap", Value: 3600, Op: ">=", Threshold: 1800, Unit: "s"}}}},
		{ID: "distress:970000002:2", Type: detect.TypeDistress, State: detect.StateOpen, Start: now - 600000,
			Vessels: []uint32{970000002}, Lat: 25.2, Lon: 56.5, Zone: "anch-1", Confidence: 1, Alarm: true,
			Evidence: detect.Evidence{Fixes: []track.Fix{fix(970000002, now-600000, 25.2, 56.5)}, Text: "SART ACTIVE"}},
		{ID: "encounter:422000003:3", Type: detect.TypeEncounter, State: detect.StateOpen, Start: now - 3600000,
			Vessels: []uint32{422000003, 636000004}, Lat: 25.8, Lon: 57.1, Confidence: 0.7, Alarm: true,
			Evidence: detect.Evidence{Fixes: []track.Fix{fix(422000003, now-3600000, 25.8, 57.1), fix(636000004, now-3600000, 25.8, 57.1)}}},
	}
}
