package detect

import (
	"encoding/json"
	"fmt"
	"math"

	"straitwatch/internal/track"
)

// MarshalText returns the state's name.
func (s State) MarshalText() ([]byte, error) {
	if s < StateOpen || s > StateRetract {
		return nil, fmt.Errorf("invalid event state %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText parses a state's name.
func (s *State) UnmarshalText(b []byte) error {
	for c := StateOpen; c <= StateRetract; c++ {
		if string(b) == c.String() {
			*s = c
			return nil
		}
	}
	return fmt.Errorf("invalid event state %q", b)
}

// evidenceFix is a fix as evidence carries it: what a watch officer reads
// off it, with "not available" values left out.
type evidenceFix struct {
	MMSI    uint32   `json:"mmsi"`
	Time    int64    `json:"time"`
	Lat     float64  `json:"lat"`
	Lon     float64  `json:"lon"`
	SOG     *float32 `json:"sog,omitempty"`
	COG     *float32 `json:"cog,omitempty"`
	Heading *int16   `json:"heading,omitempty"`
	Status  uint8    `json:"status"`
	Class   string   `json:"class"`
	Source  uint16   `json:"source"`
}

type evidenceJSON struct {
	Fixes   []evidenceFix `json:"fixes"`
	Figures []Figure      `json:"figures"`
	Text    string        `json:"text,omitempty"`
	Rule    string        `json:"rule,omitempty"`
	Changes []Change      `json:"changes,omitempty"`
}

// MarshalJSON writes the evidence, {"fixes","figures","text","rule",
// "changes"}, with its fixes in the short form {"mmsi","time","lat","lon",
// "sog","cog","heading","status","class","source"}, leaving out speeds,
// course and heading that were not available.
func (ev Evidence) MarshalJSON() ([]byte, error) {
	w := evidenceJSON{Fixes: make([]evidenceFix, len(ev.Fixes)), Figures: ev.Figures, Text: ev.Text, Rule: ev.Rule, Changes: ev.Changes}
	if w.Figures == nil {
		w.Figures = []Figure{}
	}
	for i := range ev.Fixes {
		f := &ev.Fixes[i]
		e := evidenceFix{MMSI: f.MMSI, Time: f.Time, Lat: f.Lat, Lon: f.Lon, Status: f.Status, Class: f.Class.String(), Source: uint16(f.Source)}
		if !math.IsNaN(float64(f.SOG)) {
			e.SOG = &f.SOG
		}
		if !math.IsNaN(float64(f.COG)) {
			e.COG = &f.COG
		}
		if f.Heading >= 0 {
			e.Heading = &f.Heading
		}
		w.Fixes[i] = e
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (ev *Evidence) UnmarshalJSON(b []byte) error {
	var w evidenceJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*ev = Evidence{Figures: w.Figures, Text: w.Text, Rule: w.Rule, Changes: w.Changes}
	if len(w.Fixes) > 0 {
		ev.Fixes = make([]track.Fix, len(w.Fixes))
	}
	nan := float32(math.NaN())
	for i, e := range w.Fixes {
		f := track.Fix{MMSI: e.MMSI, Time: e.Time, Lat: e.Lat, Lon: e.Lon, SOG: nan, COG: nan, Heading: -1,
			Status: e.Status, Class: classOf(e.Class), Source: track.SourceID(e.Source)}
		if e.SOG != nil {
			f.SOG = *e.SOG
		}
		if e.COG != nil {
			f.COG = *e.COG
		}
		if e.Heading != nil {
			f.Heading = *e.Heading
		}
		ev.Fixes[i] = f
	}
	return nil
}

func classOf(name string) track.Class {
	for c := track.ClassUnknown; c <= track.ClassLongRange; c++ {
		if c.String() == name {
			return c
		}
	}
	return track.ClassUnknown
}
