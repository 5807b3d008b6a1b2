package access

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"straitwatch/internal/events"
	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

// fakeVessels is an in-memory Vessels that records its calls.
type fakeVessels struct {
	all    []track.Vessel // in MMSI order
	limits []int          // the Limit of every InBox call
	calls  int
}

func (f *fakeVessels) InBox(box geo.Box, flt track.Filter) []track.Vessel {
	f.calls++
	f.limits = append(f.limits, flt.Limit)
	var out []track.Vessel
	for _, v := range f.all {
		if !box.Contains(v.Last.Lat, v.Last.Lon) {
			continue
		}
		if flt.Limit > 0 && len(out) == flt.Limit {
			break
		}
		out = append(out, v)
	}
	return out
}

func (f *fakeVessels) Get(mmsi uint32) (track.Vessel, bool) {
	f.calls++
	for _, v := range f.all {
		if v.MMSI == mmsi {
			return v, true
		}
	}
	return track.Vessel{}, false
}

// fakeHistory is an in-memory History.
type fakeHistory struct {
	fixes  []track.Fix
	static []track.Static
	err    error
	calls  int
}

func (f *fakeHistory) Track(_ context.Context, mmsi uint32, from, to int64, limit int) ([]track.Fix, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	var out []track.Fix
	for _, x := range f.fixes {
		if x.MMSI == mmsi && x.Time >= from && x.Time < to {
			if limit > 0 && len(out) == limit {
				break
			}
			out = append(out, x)
		}
	}
	return out, nil
}

func (f *fakeHistory) FixesIn(_ context.Context, box geo.Box, from, to int64, limit int) ([]track.Fix, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	var out []track.Fix
	for _, x := range f.fixes {
		if box.Contains(x.Lat, x.Lon) && x.Time >= from && x.Time < to {
			if limit > 0 && len(out) == limit {
				break
			}
			out = append(out, x)
		}
	}
	return out, nil
}

func (f *fakeHistory) StaticHistory(_ context.Context, mmsi uint32) ([]track.Static, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	var out []track.Static
	for _, s := range f.static {
		if s.MMSI == mmsi {
			out = append(out, s)
		}
	}
	return out, nil
}

// fakeSources is a fixed list of sources.
type fakeSources struct {
	list  []SourceHealth
	calls int
}

func (f *fakeSources) Health() []SourceHealth {
	f.calls++
	return slices.Clone(f.list)
}

// fakeFeed records the subscriptions asked of it.
type fakeFeed struct {
	box   geo.Box
	keep  func(track.Fix) bool
	calls int
}

func (f *fakeFeed) Subscribe(_ context.Context, box geo.Box, keep func(track.Fix) bool) (Subscription, error) {
	f.calls++
	f.box, f.keep = box, keep
	return nopSubscription{}, nil
}

type nopSubscription struct{}

func (nopSubscription) Ready() <-chan struct{}                   { return nil }
func (nopSubscription) Done() <-chan struct{}                    { return nil }
func (nopSubscription) Take(d []track.Fix) ([]track.Fix, uint64) { return d, 0 }
func (nopSubscription) Close()                                   {}

// byOwner is a sharing policy as the coming sharing agreements will have
// it: a view sees what its organisation's sources heard, and viewers may
// not read tracks.
type byOwner struct {
	owner map[track.SourceID]string
}

func (p byOwner) Permit(v View, a Action) error {
	if a == ReadTrack && v.Role == RoleViewer {
		return ErrForbidden
	}
	return nil
}

func (p byOwner) Vessel(v View, x track.Vessel) (track.Vessel, bool) {
	var srcs []track.SourceID
	for _, s := range x.Sources {
		if p.owner[s] == v.Org {
			srcs = append(srcs, s)
		}
	}
	if len(srcs) == 0 {
		return track.Vessel{}, false
	}
	x.Sources = srcs
	return x, true
}

func (p byOwner) Fix(v View, f track.Fix) bool       { return p.owner[f.Source] == v.Org }
func (p byOwner) Static(v View, s track.Static) bool { return p.owner[s.Source] == v.Org }
func (p byOwner) Source(v View, s SourceHealth) bool { return s.Org == v.Org }

// Event lets v see an event when one of its evidence fixes came from v's
// sources.
func (p byOwner) Event(v View, r *events.Record) bool {
	for _, f := range r.Evidence.Fixes {
		if p.owner[f.Source] == v.Org {
			return true
		}
	}
	return false
}

// world returns backends with vessels 1..n; vessel i is heard by source
// i%2 (source 0 is "oman", source 1 "iran") and has fixes and static
// records from its source.
func world(n int) (*fakeVessels, *fakeHistory, *fakeSources, *fakeFeed) {
	vs := &fakeVessels{}
	h := &fakeHistory{}
	for i := 1; i <= n; i++ {
		src := track.SourceID(i % 2)
		vs.all = append(vs.all, track.Vessel{
			MMSI:    uint32(i),
			Last:    track.Fix{MMSI: uint32(i), Time: 1000, Lat: 26, Lon: 56, Source: src},
			Sources: []track.SourceID{src},
		})
		for t := int64(0); t < 3; t++ {
			h.fixes = append(h.fixes, track.Fix{MMSI: uint32(i), Time: 1000 + t, Source: src})
		}
		h.static = append(h.static, track.Static{MMSI: uint32(i), Name: "A", Source: src})
	}
	// Vessel 1 was also heard by source 0 for a while.
	vs.all[0].Sources = []track.SourceID{0, 1}
	h.fixes = append(h.fixes, track.Fix{MMSI: 1, Time: 999, Source: 0})
	h.static = append(h.static, track.Static{MMSI: 1, Name: "B", Source: 0})
	src := &fakeSources{list: []SourceHealth{
		{ID: 0, Name: "muscat", Org: "oman"},
		{ID: 1, Name: "bandar", Org: "iran"},
	}}
	return vs, h, src, &fakeFeed{}
}

func newQuery(t *testing.T, p Policy, n int) (*Query, *fakeVessels, *fakeHistory, *fakeSources, *fakeFeed) {
	t.Helper()
	vs, h, src, feed := world(n)
	q, err := NewQuery(p, Backends{Vessels: vs, History: h, Sources: src, Feed: feed})
	if err != nil {
		t.Fatalf("NewQuery: %v", err)
	}
	return q, vs, h, src, feed
}

func mmsis(vs []track.Vessel) []uint32 {
	var out []uint32
	for _, v := range vs {
		out = append(out, v.MMSI)
	}
	return out
}

func TestViewValidate(t *testing.T) {
	tests := []struct {
		v    View
		want error
	}{
		{Builtin(), nil},
		{View{Org: "oman", Role: RoleViewer}, nil},
		{View{Org: "oman", Role: RoleAnalyst}, nil},
		{View{}, ErrForbidden},
		{View{Org: "oman"}, ErrForbidden},
		{View{Org: "oman", Role: "root"}, ErrForbidden},
		{View{Role: RoleAdmin}, ErrForbidden},
	}
	for _, tt := range tests {
		if err := tt.v.Validate(); !errors.Is(err, tt.want) {
			t.Errorf("%+v.Validate() = %v, want %v", tt.v, err, tt.want)
		}
	}
}

func TestFixed(t *testing.T) {
	r := httptest.NewRequest("GET", "/api/vessels", nil)
	v, err := Fixed{View: Builtin()}.Authenticate(r)
	if err != nil || v != Builtin() {
		t.Errorf("Fixed{Builtin}.Authenticate = %+v, %v, want %+v, nil", v, err, Builtin())
	}
	if v.Org != BuiltinOrg {
		t.Errorf("Builtin().Org = %q, want %q", v.Org, BuiltinOrg)
	}
	if _, err := (Fixed{}).Authenticate(r); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("Fixed{}.Authenticate error = %v, want ErrUnauthenticated", err)
	}
}

func TestNewQueryRequiresEveryBackend(t *testing.T) {
	vs, h, src, feed := world(1)
	full := Backends{Vessels: vs, History: h, Sources: src, Feed: feed}
	tests := []struct {
		name string
		p    Policy
		edit func(*Backends)
	}{
		{"policy", nil, func(*Backends) {}},
		{"vessels", AllowAll{}, func(b *Backends) { b.Vessels = nil }},
		{"history", AllowAll{}, func(b *Backends) { b.History = nil }},
		{"sources", AllowAll{}, func(b *Backends) { b.Sources = nil }},
		{"feed", AllowAll{}, func(b *Backends) { b.Feed = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := full
			tt.edit(&b)
			if q, err := NewQuery(tt.p, b); err == nil {
				t.Errorf("NewQuery without %s = %v, nil; want an error", tt.name, q)
			}
		})
	}
}

func TestQueryAllowAll(t *testing.T) {
	ctx := context.Background()
	q, _, _, _, feed := newQuery(t, AllowAll{}, 5)
	v := Builtin()

	got, truncated, err := q.VesselsInBox(ctx, v, geo.World, track.Filter{Limit: 10})
	if err != nil || truncated {
		t.Fatalf("VesselsInBox = _, %v, %v; want false, nil", truncated, err)
	}
	if diff := cmp.Diff([]uint32{1, 2, 3, 4, 5}, mmsis(got)); diff != "" {
		t.Errorf("VesselsInBox mmsis (-want +got):\n%s", diff)
	}
	x, err := q.Vessel(ctx, v, 1)
	if err != nil || !slices.Equal(x.Sources, []track.SourceID{0, 1}) {
		t.Errorf("Vessel(1) = %+v, %v; want sources [0 1]", x.Sources, err)
	}
	if _, err := q.Vessel(ctx, v, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Vessel(99) error = %v, want ErrNotFound", err)
	}
	fixes, truncated, err := q.Track(ctx, v, 1, 0, 5000, 10)
	if err != nil || truncated || len(fixes) != 4 {
		t.Errorf("Track(1) = %d fixes, %v, %v; want 4, false, nil", len(fixes), truncated, err)
	}
	hist, err := q.StaticHistory(ctx, v, 1)
	if err != nil || len(hist) != 2 {
		t.Errorf("StaticHistory(1) = %d records, %v; want 2, nil", len(hist), err)
	}
	srcs, err := q.Sources(ctx, v)
	if err != nil || len(srcs) != 2 {
		t.Errorf("Sources = %d, %v; want 2, nil", len(srcs), err)
	}
	box := geo.Box{MinLat: 20, MinLon: 50, MaxLat: 30, MaxLon: 60}
	if _, err := q.Subscribe(ctx, v, box); err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	if feed.box != box || feed.keep == nil || !feed.keep(track.Fix{Source: 7}) {
		t.Errorf("Subscribe passed box %+v, keep %v; want %+v and a keep that allows everything", feed.box, feed.keep != nil, box)
	}
}

// TestQueryPolicy shows the seam: with a sharing policy, every kind of
// record is filtered for the view, without the caller doing anything.
func TestQueryPolicy(t *testing.T) {
	ctx := context.Background()
	p := byOwner{owner: map[track.SourceID]string{0: "oman", 1: "iran"}}
	q, _, _, _, feed := newQuery(t, p, 6)
	oman := View{Org: "oman", Role: RoleAnalyst}
	iranViewer := View{Org: "iran", Role: RoleViewer}

	got, _, err := q.VesselsInBox(ctx, oman, geo.World, track.Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// Source 0 heard the even vessels and vessel 1.
	if diff := cmp.Diff([]uint32{1, 2, 4, 6}, mmsis(got)); diff != "" {
		t.Errorf("VesselsInBox(oman) (-want +got):\n%s", diff)
	}
	if !slices.Equal(got[0].Sources, []track.SourceID{0}) {
		t.Errorf("VesselsInBox(oman) vessel 1 sources = %v, want [0] (iran's source redacted)", got[0].Sources)
	}

	if _, err := q.Vessel(ctx, oman, 3); !errors.Is(err, ErrNotFound) {
		t.Errorf("Vessel(oman, 3) error = %v, want ErrNotFound (heard only by iran)", err)
	}
	if x, err := q.Vessel(ctx, iranViewer, 3); err != nil || x.MMSI != 3 {
		t.Errorf("Vessel(iran, 3) = %d, %v; want 3, nil", x.MMSI, err)
	}

	fixes, _, err := q.Track(ctx, oman, 1, 0, 5000, 100)
	if err != nil || len(fixes) != 1 || fixes[0].Time != 999 {
		t.Errorf("Track(oman, 1) = %+v, %v; want only the fix at 999", fixes, err)
	}
	if _, _, err := q.Track(ctx, iranViewer, 1, 0, 5000, 100); !errors.Is(err, ErrForbidden) {
		t.Errorf("Track(iran viewer) error = %v, want ErrForbidden", err)
	}

	hist, err := q.StaticHistory(ctx, oman, 1)
	if err != nil || len(hist) != 1 || hist[0].Name != "B" {
		t.Errorf("StaticHistory(oman, 1) = %+v, %v; want only record B", hist, err)
	}

	srcs, err := q.Sources(ctx, oman)
	if err != nil || len(srcs) != 1 || srcs[0].Name != "muscat" {
		t.Errorf("Sources(oman) = %+v, %v; want only muscat", srcs, err)
	}

	if _, err := q.Subscribe(ctx, oman, geo.World); err != nil {
		t.Fatal(err)
	}
	if !feed.keep(track.Fix{Source: 0}) || feed.keep(track.Fix{Source: 1}) {
		t.Error("Subscribe(oman) keep does not apply the policy to live fixes")
	}
}

// TestQueryInvalidView checks that a view without organisation or role is
// refused before any backend is asked.
func TestQueryInvalidView(t *testing.T) {
	ctx := context.Background()
	q, vs, h, src, feed := newQuery(t, AllowAll{}, 3)
	for _, v := range []View{{}, {Org: "x"}, {Role: RoleAdmin}, {Org: "x", Role: "superuser"}} {
		calls := []struct {
			name string
			err  error
		}{
			{"VesselsInBox", func() error { _, _, err := q.VesselsInBox(ctx, v, geo.World, track.Filter{}); return err }()},
			{"Vessel", func() error { _, err := q.Vessel(ctx, v, 1); return err }()},
			{"StaticHistory", func() error { _, err := q.StaticHistory(ctx, v, 1); return err }()},
			{"Track", func() error { _, _, err := q.Track(ctx, v, 1, 0, 1, 1); return err }()},
			{"Sources", func() error { _, err := q.Sources(ctx, v); return err }()},
			{"Subscribe", func() error { _, err := q.Subscribe(ctx, v, geo.World); return err }()},
		}
		for _, c := range calls {
			if !errors.Is(c.err, ErrForbidden) {
				t.Errorf("%s(%+v) error = %v, want ErrForbidden", c.name, v, c.err)
			}
		}
	}
	if n := vs.calls + h.calls + src.calls + feed.calls; n != 0 {
		t.Errorf("backends were called %d times for invalid views, want 0", n)
	}
}

// denyAll refuses every action with a reason that does not itself wrap
// ErrForbidden.
type denyAll struct{ AllowAll }

func (denyAll) Permit(View, Action) error { return errors.New("no agreement") }

func TestQueryPermitErrorsAreForbidden(t *testing.T) {
	q, _, _, _, _ := newQuery(t, denyAll{}, 1)
	_, err := q.Sources(context.Background(), Builtin())
	if !errors.Is(err, ErrForbidden) {
		t.Errorf("Sources with a refusing policy: error = %v, want ErrForbidden", err)
	}
}

// hideOdd hides vessels with odd MMSIs.
type hideOdd struct{ AllowAll }

func (hideOdd) Vessel(_ View, x track.Vessel) (track.Vessel, bool) { return x, x.MMSI%2 == 0 }

// TestVesselsInBoxLimitWithHiddenRecords checks that records the policy
// hides do not shorten a page: the query looks further.
func TestVesselsInBoxLimitWithHiddenRecords(t *testing.T) {
	tests := []struct {
		limit         int
		wantN         int
		wantTruncated bool
	}{
		{limit: 10, wantN: 10, wantTruncated: true},
		{limit: 49, wantN: 49, wantTruncated: true},
		{limit: 50, wantN: 50, wantTruncated: false},
		{limit: 60, wantN: 50, wantTruncated: false},
		{limit: 0, wantN: 50, wantTruncated: false}, // DefaultLimit
	}
	for _, tt := range tests {
		q, vs, _, _, _ := newQuery(t, hideOdd{}, 100)
		got, truncated, err := q.VesselsInBox(context.Background(), Builtin(), geo.World, track.Filter{Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != tt.wantN || truncated != tt.wantTruncated {
			t.Errorf("VesselsInBox(limit %d) = %d vessels, truncated %v; want %d, %v (backend limits %v)",
				tt.limit, len(got), truncated, tt.wantN, tt.wantTruncated, vs.limits)
		}
		for _, v := range got {
			if v.MMSI%2 != 0 {
				t.Errorf("VesselsInBox(limit %d) returned hidden vessel %d", tt.limit, v.MMSI)
			}
		}
	}
}

func TestTrackBackendError(t *testing.T) {
	q, _, h, _, _ := newQuery(t, AllowAll{}, 1)
	h.err = context.DeadlineExceeded
	if _, _, err := q.Track(context.Background(), Builtin(), 1, 0, 10, 10); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Track with a failing store: error = %v, want DeadlineExceeded", err)
	}
}

func TestSourcesFunc(t *testing.T) {
	var s Sources = SourcesFunc(func() []SourceHealth { return []SourceHealth{{Name: "a"}} })
	if got := s.Health(); len(got) != 1 || got[0].Name != "a" {
		t.Errorf("SourcesFunc.Health() = %+v", got)
	}
}

func TestActionString(t *testing.T) {
	for _, a := range []Action{ReadVessels, ReadTrack, ReadSources, Subscribe, 0} {
		if a.String() == "" {
			t.Errorf("Action(%d).String() is empty", a)
		}
	}
}
