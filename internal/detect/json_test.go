package detect

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"straitwatch/internal/track"
)

func TestEventJSONRoundTrip(t *testing.T) {
	nan := float32(math.NaN())
	e := Event{ID: "identity:1:2", Type: TypeIdentity, State: StateUpdate, Start: 2, End: 9, Vessels: []uint32{1, 2}, Lat: 26, Lon: 56,
		Zone: "z", Confidence: 0.75, Alarm: true, Evidence: Evidence{
			Fixes: []track.Fix{
				{MMSI: 1, Time: 2, Lat: 26, Lon: 56, SOG: 12.5, COG: 90, Heading: 91, Status: 0, Class: track.ClassA, Source: 3},
				{MMSI: 1, Time: 3, Lat: 26.1, Lon: 56.1, SOG: nan, COG: nan, Heading: -1, Status: 15, Class: track.ClassB},
			},
			Figures: []Figure{{Name: "speed", Value: 80, Op: ">", Threshold: 50, Unit: "kn"}},
			Text:    "x", Rule: "jump",
			Changes: []Change{{Time: 5, Field: "name", Old: "A", New: "B"}},
		}}
	b, err := json.Marshal(&e)
	if err != nil {
		t.Fatal(err)
	}
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(e, back, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("round trip of %s (-want +got):\n%s", b, diff)
	}
	var st State
	if err := st.UnmarshalText([]byte("opened")); err == nil {
		t.Error("state opened accepted")
	}
	if _, err := State(0).MarshalText(); err == nil {
		t.Error("state 0 marshalled")
	}
}
