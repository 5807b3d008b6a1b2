package track

import (
	"context"
	"errors"
	"math"
	"runtime"
	"slices"
	"sort"
	"testing"
	"time"

	"straitwatch/internal/geo"
)

// startTable runs a Table until the test ends, and checks that Run
// returns and leaves no goroutine behind.
func startTable(t *testing.T, cfg Config) *Table {
	t.Helper()
	tab, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tab.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("Run did not return after its context ended")
		}
	})
	return tab
}

func fixAt(mmsi uint32, ms int64, lat, lon float64) Fix {
	return Fix{MMSI: mmsi, Time: ms, Lat: lat, Lon: lon, SOG: 10, COG: 90, Heading: 90, Class: ClassA}
}

func TestTableLatestAndOutOfOrder(t *testing.T) {
	tab := startTable(t, Config{Shards: 2})
	const m = 422000001
	tests := []struct {
		name          string
		fix           Fix
		wantTime      int64
		wantCount     uint32
		wantOutOfOrdr uint32
	}{
		{"first", fixAt(m, 1000, 26.5, 56.2), 1000, 1, 0},
		{"newer", fixAt(m, 2000, 26.6, 56.3), 2000, 2, 0},
		{"older is counted, not kept", fixAt(m, 1500, 10, 10), 2000, 3, 1},
		{"same time keeps the first copy", fixAt(m, 2000, 11, 11), 2000, 4, 1},
		{"newer again", fixAt(m, 3000, 26.7, 56.4), 3000, 5, 1},
	}
	for _, tc := range tests {
		tab.Apply([]Fix{tc.fix}, nil)
		tab.Flush()
		v, ok := tab.Get(m)
		if !ok {
			t.Fatalf("%s: Get(%d) found nothing", tc.name, m)
		}
		if v.Last.Time != tc.wantTime || v.Count != tc.wantCount || v.OutOfOrder != tc.wantOutOfOrdr {
			t.Errorf("%s: Get = time %d count %d out-of-order %d, want %d %d %d",
				tc.name, v.Last.Time, v.Count, v.OutOfOrder, tc.wantTime, tc.wantCount, tc.wantOutOfOrdr)
		}
	}
	v, _ := tab.Get(m)
	if v.Last.Lat != 26.7 || v.Last.Lon != 56.4 || v.FirstSeen != 1000 || v.LastSeen != 3000 {
		t.Errorf("Get = %+v, want the 3000 fix at 26.7,56.4, seen 1000-3000", v)
	}
	if v.Kind != KindShip || v.Flag != "IR" || v.Country != "Iran (Islamic Republic of)" {
		t.Errorf("Get kind %v flag %q %q, want ship IR", v.Kind, v.Flag, v.Country)
	}
	st := tab.Stats()
	if st.Fixes != 5 || st.OutOfOrder != 1 || st.Vessels != 1 {
		t.Errorf("Stats = %+v, want 5 fixes, 1 out of order, 1 vessel", st)
	}
}

func TestTableFixValues(t *testing.T) {
	tab := startTable(t, Config{})
	nan := float32(math.NaN())
	tests := []struct {
		name string
		in   Fix
		want Fix
	}{
		{
			name: "AIS resolution survives",
			in:   Fix{MMSI: 461000001, Time: 5, Lat: 15900001.0 / 600000, Lon: -33750001.0 / 600000, SOG: 12.3, COG: 359.9, Heading: 359, Status: 7, Class: ClassB, Source: 9},
			want: Fix{MMSI: 461000001, Time: 5, Lat: 15900001.0 / 600000, Lon: -33750001.0 / 600000, SOG: 12.3, COG: 359.9, Heading: 359, Status: 7, Class: ClassB, Source: 9},
		},
		{
			name: "not available stays not available",
			in:   Fix{MMSI: 461000002, Time: 5, Lat: -90, Lon: 180, SOG: nan, COG: nan, Heading: -1, Status: 15},
			want: Fix{MMSI: 461000002, Time: 5, Lat: -90, Lon: 180, SOG: nan, COG: nan, Heading: -1, Status: 15},
		},
		{
			name: "out of range kinematics become not available",
			in:   Fix{MMSI: 461000003, Time: 5, Lat: 1, Lon: 2, SOG: -1, COG: 400, Heading: 511},
			want: Fix{MMSI: 461000003, Time: 5, Lat: 1, Lon: 2, SOG: nan, COG: nan, Heading: -1},
		},
	}
	for _, tc := range tests {
		tab.Apply([]Fix{tc.in}, nil)
	}
	tab.Flush()
	for _, tc := range tests {
		v, ok := tab.Get(tc.in.MMSI)
		got := v.Last
		same := func(a, b float32) bool { return a == b || a != a && b != b }
		if !ok || got.Lat != tc.want.Lat || got.Lon != tc.want.Lon || !same(got.SOG, tc.want.SOG) ||
			!same(got.COG, tc.want.COG) || got.Heading != tc.want.Heading || got.Status != tc.want.Status ||
			got.Class != tc.want.Class || got.Source != tc.want.Source || got.Time != tc.want.Time {
			t.Errorf("%s: Get(%d).Last = %+v, want %+v", tc.name, tc.in.MMSI, got, tc.want)
		}
	}
}

func TestTableInvalidAndFull(t *testing.T) {
	tab := startTable(t, Config{Shards: 1, MaxVessels: 2})
	tab.Apply([]Fix{
		{MMSI: 1, Lat: math.NaN(), Lon: 0},
		{MMSI: 2, Lat: 91, Lon: 0},
		{MMSI: 3, Lat: 0, Lon: -180.5},
		fixAt(10, 1, 0, 0),
		fixAt(11, 1, 0, 0),
		fixAt(12, 1, 0, 0), // a third vessel: full
		fixAt(10, 2, 0, 0), // known vessels still update
	}, []Static{{MMSI: 13, Time: 1, Has: HasName, Name: "X"}})
	tab.Flush()
	st := tab.Stats()
	want := Stats{Vessels: 2, Fixes: 3, Invalid: 3, Full: 2}
	if st != want {
		t.Errorf("Stats = %+v, want %+v", st, want)
	}
	if tab.Len() != 2 {
		t.Errorf("Len = %d, want 2", tab.Len())
	}
	if _, ok := tab.Get(12); ok {
		t.Errorf("Get(12) found a vessel refused as full")
	}
}

func TestTableStaticMerge(t *testing.T) {
	tab := startTable(t, Config{Shards: 2})
	const m = 461000042
	steps := []struct {
		name string
		st   Static
		want Static // MMSI is filled in
	}{
		{
			name: "24A name",
			st:   Static{Time: 100, Has: HasName, Name: "AL SEEB", Source: 1},
			want: Static{Time: 100, Has: HasName, Name: "AL SEEB", Source: 1},
		},
		{
			name: "24B adds the rest",
			st:   Static{Time: 110, Has: HasCallSign | HasShipType | HasDimensions, CallSign: "A4A1", ShipType: 52, ToBow: 10, ToStern: 20, ToPort: 3, ToStarboard: 4, Source: 2},
			want: Static{Time: 110, Has: HasName | HasCallSign | HasShipType | HasDimensions, Name: "AL SEEB", CallSign: "A4A1", ShipType: 52, ToBow: 10, ToStern: 20, ToPort: 3, ToStarboard: 4, Source: 2},
		},
		{
			name: "a late, older name does not replace the newer",
			st:   Static{Time: 50, Has: HasName | HasIMO, Name: "OLD NAME", IMO: 9000001, Source: 3},
			want: Static{Time: 110, Has: HasName | HasCallSign | HasIMO | HasShipType | HasDimensions, Name: "AL SEEB", CallSign: "A4A1", IMO: 9000001, ShipType: 52, ToBow: 10, ToStern: 20, ToPort: 3, ToStarboard: 4, Source: 2},
		},
		{
			name: "type 5 replaces every group it carries",
			st:   Static{Time: 200, Has: HasName | HasCallSign | HasIMO | HasShipType | HasDimensions | HasVoyage, Name: "AL SEEB 2", CallSign: "A4A2", IMO: 9000002, ShipType: 80, ToBow: 100, ToStern: 50, ToPort: 10, ToStarboard: 10, Draught: 9.5, Destination: "SOHAR", ETA: "01-02T03:04Z", Source: 4},
			want: Static{Time: 200, Has: HasName | HasCallSign | HasIMO | HasShipType | HasDimensions | HasVoyage, Name: "AL SEEB 2", CallSign: "A4A2", IMO: 9000002, ShipType: 80, ToBow: 100, ToStern: 50, ToPort: 10, ToStarboard: 10, Draught: 9.5, Destination: "SOHAR", ETA: "01-02T03:04Z", Source: 4},
		},
		{
			name: "an older 24B keeps only what is newer",
			st:   Static{Time: 150, Has: HasShipType, ShipType: 30, Source: 5},
			want: Static{Time: 200, Has: HasName | HasCallSign | HasIMO | HasShipType | HasDimensions | HasVoyage, Name: "AL SEEB 2", CallSign: "A4A2", IMO: 9000002, ShipType: 80, ToBow: 100, ToStern: 50, ToPort: 10, ToStarboard: 10, Draught: 9.5, Destination: "SOHAR", ETA: "01-02T03:04Z", Source: 4},
		},
	}
	for i, step := range steps {
		step.st.MMSI = m
		tab.Apply(nil, []Static{step.st})
		tab.Flush()
		v, ok := tab.Get(m)
		step.want.MMSI = m
		if !ok || v.Static != step.want {
			t.Errorf("step %d, %s: Get(%d).Static =\n%+v\nwant\n%+v", i, step.name, m, v.Static, step.want)
		}
		if v.Statics != uint32(i+1) || v.Count != 0 || v.Last.Time != 0 {
			t.Errorf("step %d: statics %d count %d last %d, want %d 0 0", i, v.Statics, v.Count, v.Last.Time, i+1)
		}
	}
	v, _ := tab.Get(m)
	if want := []SourceID{1, 2, 3, 4, 5}; !slices.Equal(v.Sources, want) || v.FirstSeen != 50 || v.LastSeen != 200 {
		t.Errorf("Get sources %v seen %d-%d, want %v 50-200", v.Sources, v.FirstSeen, v.LastSeen, want)
	}
	// A vessel with static data but no fix is in no box.
	if got := tab.InBox(geo.World, Filter{}); len(got) != 0 {
		t.Errorf("InBox(World) = %d vessels, want 0 (no fix yet)", len(got))
	}
}

func TestTableSources(t *testing.T) {
	tab := startTable(t, Config{Shards: 3})
	const m = 470000007
	f := fixAt(m, 1, 25, 55)
	f.Source, f.Heard = 2, 1<<2|1<<5|1<<63
	g := fixAt(m, 2, 25, 55)
	g.Source, g.Heard = 300, 0
	h := fixAt(m, 3, 25, 55)
	h.Source = 70
	tab.Apply([]Fix{f, g, h, h}, []Static{{MMSI: m, Time: 4, Has: HasName, Name: "N", Source: 64}})
	tab.Flush()
	v, _ := tab.Get(m)
	if want := []SourceID{2, 5, 63, 64, 70, 300}; !slices.Equal(v.Sources, want) {
		t.Errorf("Get(%d).Sources = %v, want %v", m, v.Sources, want)
	}
	got := tab.InBox(geo.World, Filter{})
	if len(got) != 1 || !slices.Equal(got[0].Sources, v.Sources) {
		t.Errorf("InBox sources = %v, want %v", got, v.Sources)
	}
}

func TestTableInBox(t *testing.T) {
	tab := startTable(t, Config{Shards: 2})
	type vsl struct {
		mmsi     uint32
		lat, lon float64
		sog      float32
		st       *Static
	}
	vessels := []vsl{
		{422000001, 26.5, 56.3, 12, &Static{Has: HasName | HasShipType | HasIMO, Name: "ZAGROS", ShipType: 80, IMO: 9301234}},
		{461000001, 26.4, 56.5, 0.2, &Static{Has: HasName | HasShipType | HasCallSign, Name: "Sohar Star", ShipType: 30, CallSign: "A4DH"}},
		{470000001, 25.3, 55.3, 20, &Static{Has: HasShipType, ShipType: 85}},
		{636000001, 26.0, 56.0, float32(math.NaN()), nil}, // Liberian, no speed
		{211000001, 54.0, 8.0, 10, nil}, // the North Sea
		{403000001, 26.0, 50.0, 5, nil}, // west of the strait box
	}
	var fixes []Fix
	statics := []Static{}
	for i, v := range vessels {
		f := fixAt(v.mmsi, int64(i+1), v.lat, v.lon)
		f.SOG = v.sog
		fixes = append(fixes, f)
		if v.st != nil {
			s := *v.st
			s.MMSI, s.Time = v.mmsi, 1
			statics = append(statics, s)
		}
	}
	tab.Apply(fixes, statics)
	tab.Flush()
	strait := geo.Box{MinLat: 25.0, MinLon: 55.0, MaxLat: 27.0, MaxLon: 57.5}
	tests := []struct {
		name string
		box  geo.Box
		f    Filter
		want []uint32
	}{
		{"world", geo.World, Filter{}, []uint32{211000001, 403000001, 422000001, 461000001, 470000001, 636000001}},
		{"strait", strait, Filter{}, []uint32{422000001, 461000001, 470000001, 636000001}},
		{"edges are inside", geo.Box{MinLat: 26.5, MinLon: 56.3, MaxLat: 26.5, MaxLon: 56.3}, Filter{}, []uint32{422000001}},
		{"empty box", geo.Box{MinLat: -10, MinLon: -10, MaxLat: -5, MaxLon: -5}, Filter{}, nil},
		{"invalid box", geo.Box{MinLat: 10, MaxLat: 5}, Filter{}, nil},
		{"NaN box", geo.Box{MinLat: math.NaN(), MaxLat: 5}, Filter{}, nil},
		{"tankers", strait, Filter{ShipTypes: []uint8{80, 81, 82, 83, 84, 85, 86, 87, 88, 89}}, []uint32{422000001, 470000001}},
		{"flags", geo.World, Filter{Flags: []string{"ir", "OM "}}, []uint32{422000001, 461000001}},
		{"min speed", strait, Filter{MinSOG: 1}, []uint32{422000001, 470000001}},
		{"max speed", strait, Filter{MaxSOG: 15}, []uint32{422000001, 461000001}},
		{"speed range", geo.World, Filter{MinSOG: 6, MaxSOG: 15}, []uint32{211000001, 422000001}},
		{"name", geo.World, Filter{Text: "zag"}, []uint32{422000001}},
		{"name in lower case", geo.World, Filter{Text: "STAR"}, []uint32{461000001}},
		{"call sign", geo.World, Filter{Text: "a4dh"}, []uint32{461000001}},
		{"MMSI digits", geo.World, Filter{Text: "636"}, []uint32{636000001}},
		{"IMO", geo.World, Filter{Text: "9301234"}, []uint32{422000001}},
		{"no match", geo.World, Filter{Text: "NOBODY"}, nil},
		{"all filters", strait, Filter{ShipTypes: []uint8{80}, Flags: []string{"IR"}, MinSOG: 10, MaxSOG: 13, Text: "ZAGROS"}, []uint32{422000001}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mmsis(tab.InBox(tc.box, tc.f))
			if !slices.Equal(got, tc.want) {
				t.Errorf("InBox(%+v, %+v) = %v, want %v", tc.box, tc.f, got, tc.want)
			}
		})
	}
	if got := tab.InBox(geo.World, Filter{Limit: 2}); len(got) != 2 {
		t.Errorf("InBox(World, Limit 2) = %d vessels, want 2", len(got))
	}
	v := tab.InBox(geo.Box{MinLat: 26.5, MinLon: 56.3, MaxLat: 26.5, MaxLon: 56.3}, Filter{})
	if len(v) != 1 || v[0].Static.Name != "ZAGROS" || v[0].Last.SOG != 12 || v[0].Flag != "IR" {
		t.Errorf("InBox found %+v, want ZAGROS at 12 kn under IR", v)
	}
}

func mmsis(vs []Vessel) []uint32 {
	var out []uint32
	for _, v := range vs {
		out = append(out, v.MMSI)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// TestApplyCopies checks the ownership rule: the caller may reuse its
// slices as soon as Apply returns.
func TestApplyCopies(t *testing.T) {
	tab := startTable(t, Config{Shards: 2, BatchSize: 3})
	fixes := make([]Fix, 10)
	statics := make([]Static, 10)
	for i := range fixes {
		fixes[i] = fixAt(uint32(422000000+i), 1, 26, 56)
		statics[i] = Static{MMSI: uint32(422000000 + i), Time: 1, Has: HasName, Name: "KEEP"}
	}
	tab.Apply(fixes, statics)
	for i := range fixes {
		fixes[i] = fixAt(uint32(422000000+i), 9, 0, 0)
		statics[i].Name = "CHANGED"
	}
	tab.Flush()
	for i := range fixes {
		v, ok := tab.Get(uint32(422000000 + i))
		if !ok || v.Last.Time != 1 || v.Static.Name != "KEEP" {
			t.Errorf("Get(%d) = %+v, want the values given to Apply", 422000000+i, v)
		}
	}
}

func TestRunShutdown(t *testing.T) {
	before := runtime.NumGoroutine()
	tab, err := New(Config{Shards: 4, QueueLen: 2, BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tab.Run(ctx) }()
	// Ingest and query from several goroutines while the context ends.
	stop := make(chan struct{})
	finished := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { finished <- struct{}{} }()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				tab.Apply([]Fix{fixAt(uint32(422000000+g*1000+i%100), int64(i), 26, 56)}, nil)
				tab.InBox(geo.World, Filter{Limit: 10})
				tab.Get(422000000)
				tab.Flush()
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	// After Run: nothing blocks, reports are dropped and counted.
	close(stop)
	for range 4 {
		<-finished
	}
	dropped := tab.Stats().Dropped
	tab.Apply([]Fix{fixAt(1, 1, 0, 0), fixAt(2, 1, 0, 0)}, []Static{{MMSI: 1, Has: HasName, Name: "X"}})
	tab.Flush()
	if got := tab.Stats().Dropped; got != dropped+3 {
		t.Errorf("Stats().Dropped = %d after Apply of 3 to a stopped table, want %d", got, dropped+3)
	}
	if got := tab.InBox(geo.World, Filter{}); got != nil {
		t.Errorf("InBox on a stopped table = %d vessels, want nil", len(got))
	}
	if _, ok := tab.Get(422000000); ok {
		t.Errorf("Get on a stopped table found a vessel")
	}
	if err := tab.Run(context.Background()); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run = %v, want ErrRunning", err)
	}
	// Every report is accounted for.
	st := tab.Stats()
	t.Logf("stats after shutdown: %+v", st)
	// No goroutine outlives Run.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Run returned, want at most %d", n, before)
	}
}

// TestAccounting checks that every report handed to Apply ends in one
// counter, including those still queued at shutdown.
func TestAccounting(t *testing.T) {
	tab, err := New(Config{Shards: 2, QueueLen: 4, BatchSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- tab.Run(ctx) }()
	var sent uint64
	for i := range 200 {
		fixes := make([]Fix, 50)
		for j := range fixes {
			fixes[j] = fixAt(uint32(200000000+i*50+j), int64(i), 1, 1)
		}
		tab.Apply(fixes, []Static{{MMSI: uint32(200000000 + i), Time: 1, Has: HasName, Name: "N"}})
		sent += 51
		if i == 100 {
			cancel()
		}
	}
	<-done
	st := tab.Stats()
	if got := st.Fixes + st.Statics + st.Invalid + st.Full + st.Dropped; got != sent {
		t.Errorf("Stats = %+v: %d reports accounted for, want %d", st, got, sent)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg Config
		ok  bool
	}{
		{Config{}, true},
		{Config{Shards: 1024, QueueLen: 1, BatchSize: 1, MaxVessels: 1}, true},
		{Config{Shards: -1}, false},
		{Config{Shards: 1025}, false},
		{Config{QueueLen: -1}, false},
		{Config{BatchSize: -1}, false},
		{Config{MaxVessels: -1}, false},
	}
	for _, tc := range tests {
		err := tc.cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Config%+v.Validate() = %v, want ok %v", tc.cfg, err, tc.ok)
		}
		if _, err := New(tc.cfg); (err == nil) != tc.ok {
			t.Errorf("New(%+v) = %v, want ok %v", tc.cfg, err, tc.ok)
		}
	}
}

func TestShardOfSpreads(t *testing.T) {
	// MMSIs of one MID, consecutive: the shards must still share them.
	for _, n := range []uint32{1, 2, 3, 8} {
		counts := make([]int, n)
		for m := uint32(422000000); m < 422010000; m++ {
			counts[shardOf(m, n)]++
		}
		for i, c := range counts {
			if want := 10000 / int(n); c < want*9/10 || c > want*11/10 {
				t.Errorf("shardOf over %d shards: shard %d holds %d of 10000, want about %d", n, i, c, want)
			}
		}
	}
}

func TestExpire(t *testing.T) {
	tab := startTable(t, Config{Shards: 2})
	var fixes []Fix
	for i := range 10000 {
		// Vessel i was last seen at time i.
		fixes = append(fixes, fixAt(uint32(422000000+i), int64(i), 26, 56))
	}
	tab.Apply(fixes, nil)
	f := fixAt(422000003, 20000, 26, 56)
	f.Source = 100 // a source above 63 too
	tab.Apply([]Fix{f}, nil)
	tab.Flush()
	if got := tab.Expire(5000); got != 4999 {
		t.Errorf("Expire(5000) = %d, want 4999", got)
	}
	if got := tab.Len(); got != 5001 {
		t.Errorf("Len after Expire = %d, want 5001", got)
	}
	for i := range 10000 {
		v, ok := tab.Get(uint32(422000000 + i))
		want := i >= 5000 || i == 3
		if ok != want || ok && v.MMSI != uint32(422000000+i) {
			t.Fatalf("Get(%d) after Expire = %v, %v, want found %v", 422000000+i, v.MMSI, ok, want)
		}
	}
	if got := len(tab.InBox(geo.World, Filter{})); got != 5001 {
		t.Errorf("InBox after Expire = %d vessels, want 5001", got)
	}
	if got := tab.Expire(1 << 62); got != 5001 || tab.Len() != 0 {
		t.Errorf("Expire(all) = %d, Len %d, want 5001 and 0", got, tab.Len())
	}
	// The emptied table takes vessels again.
	tab.Apply([]Fix{fixAt(461000001, 1, 23, 58)}, nil)
	tab.Flush()
	if v, ok := tab.Get(461000001); !ok || v.Last.Lat != 23 {
		t.Errorf("Get after refill = %+v, %v", v, ok)
	}
}

func TestAppendInBox(t *testing.T) {
	tab := startTable(t, Config{Shards: 2})
	tab.Apply([]Fix{fixAt(422000001, 1, 26, 56), fixAt(461000001, 1, 24, 58), fixAt(211000001, 1, 54, 8)}, nil)
	tab.Flush()
	strait := geo.Box{MinLat: 25.5, MinLon: 55.0, MaxLat: 27.5, MaxLon: 57.5}
	buf := tab.AppendInBox(nil, strait, Filter{})
	if got := mmsis(buf); !slices.Equal(got, []uint32{422000001}) {
		t.Fatalf("AppendInBox(nil) = %v, want [422000001]", got)
	}
	prefix := []Vessel{{MMSI: 1}}
	got := tab.AppendInBox(prefix, geo.World, Filter{})
	if len(got) != 4 || got[0].MMSI != 1 {
		t.Errorf("AppendInBox(prefix) = %v, want the prefix and 3 vessels", mmsis(got))
	}
	reused := tab.AppendInBox(got[:0], geo.Box{MinLat: 20, MinLon: 50, MaxLat: 30, MaxLon: 60}, Filter{})
	if len(reused) != 2 || &reused[0] != &got[0] {
		t.Errorf("AppendInBox(got[:0]) = %v, want 2 vessels in got's array", mmsis(reused))
	}
	if got := tab.AppendInBox(reused[:0], geo.Box{MinLat: 10, MaxLat: 5}, Filter{}); len(got) != 0 {
		t.Errorf("AppendInBox(invalid box) = %d vessels, want 0", len(got))
	}
}
