package api

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

func TestAppendFixed(t *testing.T) {
	tests := []struct {
		v      float64
		tenths bool
		want   string
	}{
		{0, false, "0"},
		{56, false, "56"},
		{-180, false, "-180"},
		{26.03, false, "26.03"},
		{26.5000004, false, "26.5"},
		{-0.0000004, false, "0"},
		{-0.0000005, false, "-0.000001"},
		{0.000001, false, "0.000001"},
		{25.123456789, false, "25.123457"},
		{-33.8567844, false, "-33.856784"},
		{1e13, false, "10000000000000.000000"},
		{math.NaN(), false, "null"},
		{math.Inf(-1), false, "null"},
		{float64(float32(12.3)), true, "12.3"},
		{float64(float32(102.2)), true, "102.2"},
		{float64(float32(359.9)), true, "359.9"},
		{float64(float32(0.05)), true, "0.1"},
		{float64(float32(8)), true, "8"},
	}
	for _, tt := range tests {
		var got string
		if tt.tenths {
			got = string(appendTenths(nil, float32(tt.v)))
		} else {
			got = string(appendDegrees(nil, tt.v))
		}
		if got != tt.want {
			t.Errorf("appendFixed(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// FuzzAppendDegrees checks that a position is valid JSON within half a
// millionth of a degree.
func FuzzAppendDegrees(f *testing.F) {
	for _, v := range []float64{0, -0.0000005, 26.03, -180, 90, 1e11, 1e13, math.NaN()} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		b := appendDegrees(nil, v)
		if !json.Valid(b) {
			t.Fatalf("appendDegrees(%v) = %s, not JSON", v, b)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		got, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			t.Fatal(err)
		}
		if d := math.Abs(got - v); d > 0.5e-6*(1+math.Abs(v)*1e-9) && d > math.Abs(v)*1e-15 {
			t.Errorf("appendDegrees(%v) = %s, off by %g", v, b, d)
		}
	})
}
