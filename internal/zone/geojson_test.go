package zone

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestMarshalRoundTrip(t *testing.T) {
	def, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	test, err := os.ReadFile("testdata/zones.geojson")
	if err != nil {
		t.Fatal(err)
	}
	tz, err := Parse(test)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Set{def, tz} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("%s: parse own output: %v", s.Name, err)
		}
		if diff := cmp.Diff(s.Zones, back.Zones, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", s.Name, diff)
		}
	}
}
