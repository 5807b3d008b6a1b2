package geo

import (
	"math"
	"testing"
	"time"
)

func TestDistance(t *testing.T) {
	oneDeg := EarthRadius * math.Pi / 180 // 111195.08 m
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64
	}{
		{"same point", 26.5, 56.3, 26.5, 56.3, 0, 1e-9},
		{"1 deg lat", 0, 0, 1, 0, oneDeg, 1e-6},
		{"1 deg lon at equator", 0, 0, 0, 1, oneDeg, 1e-6},
		// At 60N a degree of longitude is half as long (to first order;
		// the great circle is slightly shorter than the parallel).
		{"1 arc-minute lat is 1 nm (sphere)", 26, 56, 26 + 1.0/60, 56, oneDeg / 60, 1e-6},
		// Bandar Abbas (27.15N 56.2E) to Khasab (26.2N 56.25E):
		// dlat 0.95 deg dominates; hand value 105.7 km.
		{"bandar abbas to khasab", 27.15, 56.2, 26.2, 56.25, 105770, 200},
		{"antipodes", 0, 0, 0, 180, math.Pi * EarthRadius, 1e-3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Distance(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(got-tt.want) > tt.tol {
				t.Errorf("Distance(%v,%v,%v,%v) = %v, want %v ± %v", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want, tt.tol)
			}
		})
	}
}

func TestBearing(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"north", 0, 0, 1, 0, 0},
		{"east", 0, 0, 0, 1, 90},
		{"south", 1, 0, 0, 0, 180},
		{"west", 0, 1, 0, 0, 270},
		// tan(b) = sin(1deg)cos(1deg) / sin(1deg) ... hand value 44.9956.
		{"north-east", 0, 0, 1, 1, 44.99563},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Bearing(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(got-tt.want) > 1e-4 {
				t.Errorf("Bearing(%v,%v,%v,%v) = %v, want %v", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want)
			}
		})
	}
}

func TestDestinationRoundTrip(t *testing.T) {
	for _, b := range []float64{0, 45, 90, 135, 180, 270, 359} {
		lat, lon := Destination(26.5, 56.4, b, 10*NauticalMile)
		if d := Distance(26.5, 56.4, lat, lon); math.Abs(d-10*NauticalMile) > 1e-6 {
			t.Errorf("Destination(bearing %v) distance = %v, want %v", b, d, 10*NauticalMile)
		}
		if got := Bearing(26.5, 56.4, lat, lon); math.Abs(math.Mod(got-b+540, 360)-180) > 1e-6 {
			t.Errorf("Destination(bearing %v) bearing back = %v", b, got)
		}
	}
}

func TestPolygonContains(t *testing.T) {
	sq := Polygon{
		Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}},
		Ring{{0.4, 0.4}, {0.4, 0.6}, {0.6, 0.6}, {0.6, 0.4}},
	}
	tests := []struct {
		name     string
		lat, lon float64
		want     bool
	}{
		{"inside", 0.2, 0.2, true},
		{"just inside east edge", 0.5, 0.999999, true},
		{"just outside east edge", 0.5, 1.000001, false},
		{"just inside south edge", 0.000001, 0.2, true},
		{"just outside south edge", -0.000001, 0.2, false},
		{"in hole", 0.5, 0.5, false},
		{"just outside hole", 0.5, 0.399999, true},
		{"just inside hole", 0.5, 0.400001, false},
		{"far away", 10, 10, false},
		{"NaN", math.NaN(), 0.5, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sq.Contains(tt.lat, tt.lon); got != tt.want {
				t.Errorf("Contains(%v, %v) = %v, want %v", tt.lat, tt.lon, got, tt.want)
			}
		})
	}
	if got, want := sq.Bounds(), (Box{0, 0, 1, 1}); got != want {
		t.Errorf("Bounds() = %v, want %v", got, want)
	}
	if (Polygon{}).Contains(0, 0) {
		t.Errorf("empty polygon contains a point")
	}
}

func TestCPA(t *testing.T) {
	nmLon := 1.0 / 60 // one nautical mile of longitude at the equator
	tests := []struct {
		name    string
		a, b    Motion
		cpa     float64
		tcpa    time.Duration
		tolCPA  float64
		tolTCPA time.Duration
	}{
		// B 1 nm east of A; A north 10 kn, B west 10 kn. Relative position
		// (1, 0), velocity (-10, -10): TCPA = 10/200 h = 3 min, CPA =
		// |(0.5, -0.5)| = 0.7071 nm.
		{"crossing", Motion{0, 0, 10, 0}, Motion{0, nmLon, 10, 270}, math.Sqrt(0.5), 3 * time.Minute, 1e-4, time.Second},
		// Head-on, 2 nm apart, closing at 20 kn: TCPA 6 min, CPA 0.
		{"head-on", Motion{0, 0, 10, 90}, Motion{0, 2 * nmLon, 10, 270}, 0, 6 * time.Minute, 1e-6, time.Second},
		// Same course and speed: CPA is today's distance, TCPA 0.
		{"parallel", Motion{0, 0, 12, 0}, Motion{0, nmLon, 12, 0}, 1, 0, 1e-6, 0},
		// Opening: B ahead and faster on the same course: TCPA negative.
		{"opening", Motion{0, 0, 10, 0}, Motion{1.0 / 60, 0, 12, 0}, 0, -30 * time.Minute, 1e-6, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cpa, tcpa := CPA(tt.a, tt.b)
			if math.Abs(cpa-tt.cpa) > tt.tolCPA || (tcpa-tt.tcpa).Abs() > tt.tolTCPA {
				t.Errorf("CPA(%v, %v) = %v nm, %v; want %v nm, %v", tt.a, tt.b, cpa, tcpa, tt.cpa, tt.tcpa)
			}
		})
	}
	if cpa, _ := CPA(Motion{0, 0, math.NaN(), 0}, Motion{0, 0, 1, 0}); !math.IsNaN(cpa) {
		t.Errorf("CPA with NaN speed = %v, want NaN", cpa)
	}
}
