package segment

import (
	"math"
	"testing"
	"time"

	"straitwatch/internal/geo"
	"straitwatch/internal/track"
)

const (
	sec = int64(1000)
	mn  = 60 * sec
	hr  = 60 * mn
)

// t0 is an arbitrary event time origin: 2026-01-01T00:00:00Z.
const t0 = int64(1767225600000)

const mmsi = 422123456

func fix(t int64, lat, lon float64) track.Fix {
	return track.Fix{MMSI: mmsi, Time: t0 + t, Lat: lat, Lon: lon, SOG: float32(math.NaN()), COG: float32(math.NaN()), Heading: -1, Class: track.ClassA}
}

// east returns the position dist metres due east of (lat, lon).
func east(lat, lon, dist float64) (float64, float64) { return geo.Destination(lat, lon, 90, dist) }

// at returns a fix dist metres east of 26N 56E at time t.
func at(t int64, dist float64) track.Fix {
	lat, lon := east(26, 56, dist)
	return fix(t, lat, lon)
}

// knotsApart returns the distance in metres that implies kn knots over
// dt ms with the default 1-minute slack.
func knotsApart(kn float64, dt int64) float64 {
	return kn * geo.NauticalMile * float64(dt+mn) / float64(hr)
}

func TestAdd(t *testing.T) {
	cfg := DefaultConfig()
	type want struct {
		out Outcome
		seg ID
	}
	tests := []struct {
		name  string
		fixes []track.Fix
		want  []want
	}{
		{"one vessel", []track.Fix{at(0, 0), at(10*sec, 100), at(20*sec, 200)},
			[]want{{Opened, 1}, {Joined, 1}, {Joined, 1}}},
		{"just inside MaxSpeed", []track.Fix{at(0, 0), at(10*mn, knotsApart(49.9, 10*mn))},
			[]want{{Opened, 1}, {Joined, 1}}},
		{"just outside MaxSpeed", []track.Fix{at(0, 0), at(10*mn, knotsApart(50.1, 10*mn))},
			[]want{{Opened, 1}, {Opened, 2}}},
		{"within NoiseDistance at the same instant", []track.Fix{at(0, 0), at(0, 499)},
			[]want{{Opened, 1}, {Joined, 1}}},
		{"beyond NoiseDistance at the same instant", []track.Fix{at(0, 0), at(0, 2000)},
			[]want{{Opened, 1}, {Opened, 2}}},
		{"two transmitters taking turns", []track.Fix{at(0, 0), at(10*sec, 50_000), at(20*sec, 100), at(30*sec, 50_100), at(40*sec, 200)},
			[]want{{Opened, 1}, {Opened, 2}, {Joined, 1}, {Joined, 2}, {Joined, 1}}},
		{"not available positions are skipped", []track.Fix{at(0, 0), fix(sec, 91, 181), fix(2*sec, 26, 181), fix(3*sec, math.NaN(), 56), at(4*sec, 10)},
			[]want{{Opened, 1}, {Skipped, 0}, {Skipped, 0}, {Skipped, 0}, {Joined, 1}}},
		{"silence just under MaxGap keeps the segment", []track.Fix{at(0, 0), at(6*hr, 1000)},
			[]want{{Opened, 1}, {Joined, 1}}},
		{"silence over MaxGap closes it", []track.Fix{at(0, 0), at(6*hr+1, 1000)},
			[]want{{Opened, 1}, {Opened, 2}}},
		{"late fix joins its segment", []track.Fix{at(0, 0), at(20*mn, 10_000), at(10*mn, 5_000)},
			[]want{{Opened, 1}, {Joined, 1}, {Joined, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMMSI(&cfg)
			for i := range tt.fixes {
				r := m.Add(&tt.fixes[i])
				if got := (want{r.Outcome, r.Seg}); got != tt.want[i] {
					t.Errorf("Add(fix %d) = %v seg %d, want %v seg %d (speed %.1f kn)", i, r.Outcome, r.Seg, tt.want[i].out, tt.want[i].seg, r.Speed)
				}
			}
		})
	}
}

// TestNoiseDistance checks NoiseDistance alone: with no time slack, two
// fixes at the same instant imply an infinite speed unless within it.
func TestNoiseDistance(t *testing.T) {
	cfg := DefaultConfig()
	cfg.TimeSlack = 0
	for _, tt := range []struct {
		dist float64
		want Outcome
	}{{499, Joined}, {501, Opened}} {
		m := NewMMSI(&cfg)
		a, b := at(0, 0), at(0, tt.dist)
		m.Add(&a)
		if r := m.Add(&b); r.Outcome != tt.want {
			t.Errorf("fix %v m away at the same instant: %v, want %v", tt.dist, r.Outcome, tt.want)
		}
	}
}

func TestMaxOpen(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxOpen = 2
	m := NewMMSI(&cfg)
	// Three places 100 km apart, heard in turn: the third evicts the
	// segment with the oldest last fix.
	fs := []track.Fix{at(0, 0), at(sec, 100_000), at(2*sec, 200_000), at(3*sec, 10)}
	var rs []Result
	for i := range fs {
		rs = append(rs, m.Add(&fs[i]))
	}
	if len(m.Open()) != 2 {
		t.Fatalf("open segments = %d, want 2", len(m.Open()))
	}
	if rs[2].Closed != 1 || rs[2].Seg != 3 {
		t.Errorf("third place: %+v, want segment 3 closing 1", rs[2])
	}
	if rs[3].Outcome != Opened || rs[3].Seg != 4 {
		t.Errorf("back at the first place after its eviction: %+v, want a new segment 4", rs[3])
	}
	if m.Segments() != 4 {
		t.Errorf("Segments() = %d, want 4", m.Segments())
	}
}

func TestExpireAndCounts(t *testing.T) {
	s, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	f := at(0, 0)
	s.Add(&f)
	na := fix(sec, 91, 181)
	s.Add(&na)
	m := s.MMSI(mmsi)
	if n := m.Expire(t0 + 6*hr); n != 0 {
		t.Errorf("Expire at MaxGap closed %d, want 0", n)
	}
	if n := m.Expire(t0 + 6*hr + 1); n != 1 {
		t.Errorf("Expire after MaxGap closed %d, want 1", n)
	}
	if m.Skipped() != 1 || s.Len() != 1 {
		t.Errorf("Skipped() = %d, Len() = %d, want 1, 1", m.Skipped(), s.Len())
	}
}

func TestValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.MaxSpeed = 0 },
		func(c *Config) { c.MaxSpeed = math.NaN() },
		func(c *Config) { c.NoiseDistance = -1 },
		func(c *Config) { c.TimeSlack = -time.Second },
		func(c *Config) { c.MaxGap = 0 },
		func(c *Config) { c.MaxOpen = 0 },
		func(c *Config) { c.MaxOpen = 65 },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("bad config %d: Validate() = nil, want an error", i)
		}
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Errorf("DefaultConfig().Validate() = %v", err)
	}
}

// BenchmarkSegmenter measures one fix through Segmenter.Add for 10,000
// MMSIs, each with two transmitters taking turns 50 km apart (two open
// segments to judge at every fix).
func BenchmarkSegmenter(b *testing.B) {
	s, _ := New(DefaultConfig())
	const n = 10_000
	fs := make([]track.Fix, 2*n)
	for i := range fs {
		lat, lon := east(24+float64(i%n)*3.5/n, 55, float64(i/n)*50_000)
		fs[i] = track.Fix{MMSI: 422000000 + uint32(i%n), Lat: lat, Lon: lon, Class: track.ClassA}
	}
	b.ReportAllocs()
	b.ResetTimer()
	t := t0
	for i := range b.N {
		f := &fs[i%len(fs)]
		if i%len(fs) == 0 {
			t += 10 * sec
		}
		f.Time = t
		f.Lon += 1e-5
		s.Add(f)
	}
}

// FuzzAdd feeds arbitrary fixes, not-available, out of range and out of
// order ones included, and checks the invariants: at most MaxOpen open
// segments, each joined or opened fix in an open segment, IDs never
// reused.
func FuzzAdd(f *testing.F) {
	f.Add(int64(0), 26.0, 56.0, int64(10_000), 26.001, 56.0, int64(-5_000), 91.0, 181.0)
	f.Add(int64(0), 0.0, 0.0, int64(0), 0.0, 179.9, int64(1), -90.0, -180.0)
	f.Fuzz(func(t *testing.T, t1 int64, lat1, lon1 float64, t2 int64, lat2, lon2 float64, t3 int64, lat3, lon3 float64) {
		cfg := DefaultConfig()
		cfg.MaxOpen = 2
		m := NewMMSI(&cfg)
		var last ID
		for _, fx := range []track.Fix{fix(t1, lat1, lon1), fix(t2, lat2, lon2), fix(t3, lat3, lon3), fix(t1, lat2, lon3)} {
			r := m.Add(&fx)
			if len(m.Open()) > cfg.MaxOpen {
				t.Fatalf("%d open segments, MaxOpen %d", len(m.Open()), cfg.MaxOpen)
			}
			switch r.Outcome {
			case Skipped:
				if Available(&fx) {
					t.Fatalf("Add(%v) skipped an available position", fx)
				}
			case Opened:
				if r.Seg <= last {
					t.Fatalf("Add(%v) opened segment %d after %d", fx, r.Seg, last)
				}
				last = r.Seg
				fallthrough
			case Joined:
				if _, ok := m.Segment(r.Seg); !ok {
					t.Fatalf("Add(%v) = segment %d, not open", fx, r.Seg)
				}
			default:
				t.Fatalf("Add(%v) = outcome %v", fx, r.Outcome)
			}
		}
	})
}

// TestShortMoveDistance holds the flat-earth distance of short moves to
// the great circle within 0.01 %.
func TestShortMoveDistance(t *testing.T) {
	cfg := DefaultConfig()
	m := NewMMSI(&cfg)
	for _, lat := range []float64{0, 26, 45, 60, 79.9, -70} {
		for _, bearing := range []float64{0, 45, 90, 135, 270} {
			for _, d := range []float64{100, 5_000, 20_000} {
				a := fix(0, lat, 179.95)
				b := a
				b.Time += mn
				b.Lat, b.Lon = geo.Destination(lat, 179.95, bearing, d)
				_, got, _ := m.impliedSpeed(&a, &b)
				_, want := ImpliedSpeed(&a, &b, cfg.TimeSlack, cfg.NoiseDistance)
				if math.Abs(got-want) > 1e-4*want {
					t.Errorf("lat %v bearing %v %v m: distance %.3f, want %.3f", lat, bearing, d, got, want)
				}
			}
		}
	}
}

// TestFarMoveDistance holds the flat-earth distance impliedSpeed uses to
// reject far moves within 15 % of the great circle over the range it is
// used in (latitudes to 70 degrees, longitudes 90 degrees apart), so a
// speed over twice MaxSpeed by it is over MaxSpeed for sure.
func TestFarMoveDistance(t *testing.T) {
	for lat1 := -70.0; lat1 <= 70; lat1 += 10 {
		for lat2 := -70.0; lat2 <= 70; lat2 += 10 {
			for dlon := -90.0; dlon <= 90; dlon += 7.5 {
				lon1 := 170.0
				lon2 := lon1 + dlon
				if lon2 > 180 {
					lon2 -= 360
				}
				x := dlon * rad * math.Cos((lat1+lat2)/2*rad)
				y := (lat2 - lat1) * rad
				flat := geo.EarthRadius * math.Sqrt(x*x+y*y)
				gc := geo.Distance(lat1, lon1, lat2, lon2)
				if gc > 1 && (flat/gc > 1.15 || flat/gc < 0.85) {
					t.Errorf("(%v, %v) to (%v, %v): flat %.0f m, great circle %.0f m", lat1, lon1, lat2, lon2, flat, gc)
				}
			}
		}
	}
}
