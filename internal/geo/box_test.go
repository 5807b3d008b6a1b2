package geo

import (
	"strings"
	"testing"
)

func TestParseBox(t *testing.T) {
	tests := []struct {
		in      string
		want    Box
		wantErr string
	}{
		{"55.5,25.5,57.5,27.2", Box{MinLon: 55.5, MinLat: 25.5, MaxLon: 57.5, MaxLat: 27.2}, ""},
		{" -180 , -90 , 180 , 90 ", World, ""},
		{"999,1,2,3", Box{}, "outside"},
		{"1,2,3", Box{}, "want minLon"},
		{"a,1,2,3", Box{}, "not a number"},
		{"NaN,1,2,3", Box{}, "outside"},
		{"3,1,2,3", Box{}, "minimum above maximum"},
	}
	for _, tc := range tests {
		got, err := ParseBox(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseBox(%q) = %v, want error containing %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseBox(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
		if !got.Contains(26, 56) && tc.want != (Box{}) && got == World {
			t.Errorf("%v does not contain 26,56", got)
		}
	}
}
