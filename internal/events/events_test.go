package events

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"straitwatch/internal/detect"
	"straitwatch/internal/geo"
	"straitwatch/internal/store"
	"straitwatch/internal/track"
)

var t0 = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func ev(id string, typ detect.Type, st detect.State, start, end time.Duration, lat, lon float64, vessels ...uint32) detect.Event {
	e := detect.Event{ID: id, Type: typ, State: st, Start: t0.Add(start).UnixMilli(), Vessels: vessels, Lat: lat, Lon: lon,
		Confidence: 0.9, Alarm: typ == detect.TypeDistress,
		Evidence: detect.Evidence{
			Fixes:   []track.Fix{{MMSI: vessels[0], Time: t0.Add(start).UnixMilli(), Lat: lat, Lon: lon, SOG: 0.3, COG: float32(nan()), Heading: -1, Class: track.ClassA}},
			Figures: []detect.Figure{{Name: "gap", Value: 3600, Op: ">=", Threshold: 1800, Unit: "s"}},
		}}
	if end != 0 {
		e.End = t0.Add(end).UnixMilli()
	}
	return e
}

func nan() float64 { var z float64; return z / z }

func openStore(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(dir, store.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestBookQueryAckReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openStore(t, dir)
	now := func() time.Time { return t0.Add(5 * time.Hour) }
	b, err := Open(ctx, Config{Store: db, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.Apply([]detect.Event{
		ev("gap:1", detect.TypeGap, detect.StateOpen, 0, 0, 26.5, 56.3, 422000001),
		ev("distress:2", detect.TypeDistress, detect.StateOpen, time.Hour, 0, 26.0, 56.8, 970000002),
		ev("enc:3", detect.TypeEncounter, detect.StateOpen, 2*time.Hour, 0, 25.2, 56.5, 422000003, 636000004),
	}))
	// A later change of the gap replaces its state, keeping one record.
	must(b.Apply([]detect.Event{ev("gap:1", detect.TypeGap, detect.StateClose, 0, 90*time.Minute, 26.5, 56.3, 422000001)}))
	if _, err := b.Acknowledge(ctx, "distress:2", Ack{By: "oman-mss", Comment: "SAR unit tasked"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Acknowledge(ctx, "nope", Ack{By: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("ack of an unknown event: %v, want ErrNotFound", err)
	}
	// The distress event changes after the ack: the ack stays.
	must(b.Apply([]detect.Event{ev("distress:2", detect.TypeDistress, detect.StateUpdate, time.Hour, 0, 26.01, 56.81, 970000002)}))

	box := geo.Box{MinLat: 25.5, MinLon: 56, MaxLat: 27, MaxLon: 57}
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all, newest first", Filter{}, []string{"enc:3", "distress:2", "gap:1"}},
		{"type", Filter{Types: []detect.Type{detect.TypeGap, detect.TypeEncounter}}, []string{"enc:3", "gap:1"}},
		{"bbox", Filter{Box: &box}, []string{"distress:2", "gap:1"}},
		{"second vessel", Filter{MMSI: 636000004}, []string{"enc:3"}},
		{"closed before from", Filter{From: t0.Add(2 * time.Hour).UnixMilli()}, []string{"enc:3", "distress:2"}},
		{"started before to", Filter{To: t0.Add(time.Hour).UnixMilli()}, []string{"gap:1"}},
		{"state", Filter{States: []detect.State{detect.StateClose}}, []string{"gap:1"}},
		{"limit", Filter{Limit: 1}, []string{"enc:3"}},
	}
	check := func(b *Book) {
		t.Helper()
		for _, tc := range tests {
			recs, err := b.Query(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r.ID)
			}
			if !cmp.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		r, err := b.Get(ctx, "distress:2")
		if err != nil {
			t.Fatal(err)
		}
		if r.State != detect.StateUpdate || r.Severity != "distress" || len(r.Acks) != 1 || r.Acks[0].Comment != "SAR unit tasked" ||
			r.Acks[0].Time != now().UnixMilli() || r.Acks[0].By != "oman-mss" {
			t.Errorf("distress record %+v", r)
		}
	}
	check(b)
	// Reopened from the store, the book holds the same.
	must(db.Close())
	db = openStore(t, dir)
	defer db.Close()
	b2, err := Open(ctx, Config{Store: db, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if b2.Len() != 3 {
		t.Errorf("reopened book holds %d events, want 3", b2.Len())
	}
	check(b2)
}

func TestRecordJSON(t *testing.T) {
	r := Record{Event: ev("gap:1", detect.TypeGap, detect.StateClose, 0, time.Hour, 26.5, 56.3, 422000001), Severity: "info",
		Acks: []Ack{{Time: 5, By: "local", Comment: "seen"}}}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"gap:1","type":"gap","state":"close","start":1795953600000,"end":1795957200000,"vessels":[422000001],` +
		`"lat":26.5,"lon":56.3,"confidence":0.9,"alarm":false,"evidence":{"fixes":[{"mmsi":422000001,"time":1795953600000,` +
		`"lat":26.5,"lon":56.3,"sog":0.3,"status":0,"class":"A","source":0}],"figures":[{"name":"gap","value":3600,"op":"\u003e=",` +
		`"threshold":1800,"unit":"s"}]},"severity":"info","acks":[{"time":5,"by":"local","comment":"seen"}]}`
	if string(b) != want {
		t.Errorf("JSON:\n%s\nwant\n%s", b, want)
	}
	var back Record
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestSubscription(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b, err := Open(ctx, Config{Buffer: 2})
	if err != nil {
		t.Fatal(err)
	}
	gaps := b.Subscribe(ctx, Filter{Types: []detect.Type{detect.TypeGap, detect.TypeDistress}})
	if err := b.Apply([]detect.Event{
		ev("gap:1", detect.TypeGap, detect.StateOpen, 0, 0, 26, 56, 1),
		ev("zone:1", detect.TypeZone, detect.StateOpen, 0, 0, 26, 56, 1),
		ev("gap:2", detect.TypeGap, detect.StateOpen, 0, 0, 26, 56, 2),
		ev("gap:3", detect.TypeGap, detect.StateOpen, 0, 0, 26, 56, 3),           // the buffer is full: dropped
		ev("distress:4", detect.TypeDistress, detect.StateOpen, 0, 0, 26, 56, 4), // never dropped: gap:1 goes
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gaps.Ready():
	default:
		t.Fatal("not ready after matching changes")
	}
	recs, dropped := gaps.Take()
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	if want := []string{"gap:2", "distress:4"}; !cmp.Equal(ids, want) || dropped != 2 {
		t.Errorf("took %v, dropped %d; want %v, 2", ids, dropped, want)
	}
	cancel()
	select {
	case <-gaps.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("subscription did not end with its context")
	}
	if n := b.Subscribers(); n != 0 {
		t.Errorf("%d subscribers after the end", n)
	}
}
