package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Scenario is one exercise: background traffic, receivers and incidents.
// It is decoded strictly from YAML by [LoadScenario]; scenarios/README.md
// documents every field.
type Scenario struct {
	// Name identifies the scenario in logs and ground truth.
	Name string `yaml:"name"`
	// Description says what the scenario exercises.
	Description string `yaml:"description"`
	// Seed makes the run reproducible: the same scenario and seed give
	// byte-identical output. The default value is 1.
	Seed uint64 `yaml:"seed"`
	// Start is the simulated start time (UTC). It is required.
	Start time.Time `yaml:"start"`
	// Duration is the simulated length of the run. It is required.
	Duration time.Duration `yaml:"duration"`
	// Traffic sets the background traffic.
	Traffic Traffic `yaml:"traffic"`
	// Receivers are the stations that hear the traffic. When empty, the
	// default coastal receivers of the region are used.
	Receivers []Receiver `yaml:"receivers"`
	// Incidents are the scripted incidents.
	Incidents []Incident `yaml:"incidents"`
}

// Traffic is the background traffic: counts of vessels of each kind,
// multiplied by Density.
type Traffic struct {
	// Density multiplies every count below. The default value is 1.
	Density float64 `yaml:"density"`
	// Transits are merchant ships (tankers, LNG carriers, container and
	// bulk ships) transiting the Strait of Hormuz in either lane.
	Transits int `yaml:"transits"`
	// PortCalls are ships waiting at an anchorage, then calling at a port.
	PortCalls int `yaml:"port_calls"`
	// Anchored are ships at anchor for the whole run.
	Anchored int `yaml:"anchored"`
	// Ferries shuttle between Bandar Abbas, Qeshm and Hormoz island.
	Ferries int `yaml:"ferries"`
	// Dhows are fishing dhows (Class B) working near the coasts.
	Dhows int `yaml:"dhows"`
	// FastCraft are fast small craft (Class B) crossing the strait.
	FastCraft int `yaml:"fast_craft"`
}

// Receiver is a named AIS receiving station.
type Receiver struct {
	// Name is the tag-block s: source written on every line it hears.
	Name string `yaml:"name"`
	// Lat is the station's latitude in degrees.
	Lat float64 `yaml:"lat"`
	// Lon is the station's longitude in degrees.
	Lon float64 `yaml:"lon"`
	// RangeNM is the reception range in nautical miles. The default
	// value is 40.
	RangeNM float64 `yaml:"range_nm"`
	// Loss is the probability, 0-1, that a transmission in range is lost
	// at short range; loss grows towards the edge of the range. The
	// default value is 0.
	Loss float64 `yaml:"loss"`
	// Satellite makes the receiver hear the whole region, but only during
	// passes of PassLength every PassEvery, with Loss applied.
	Satellite bool `yaml:"satellite"`
	// PassEvery is the time between satellite passes. The default value
	// is 95 minutes.
	PassEvery time.Duration `yaml:"pass_every"`
	// PassLength is the length of a satellite pass. The default value is
	// 10 minutes.
	PassLength time.Duration `yaml:"pass_length"`
}

// Incident is one scripted incident. Which fields apply depends on Type;
// scenarios/README.md lists them per type.
type Incident struct {
	// Type is one of the IncidentTypes.
	Type string `yaml:"type"`
	// At is the incident's start as an offset from the scenario start.
	At time.Duration `yaml:"at"`
	// Duration is how long the incident lasts. Each type has a default.
	Duration time.Duration `yaml:"duration"`
	// Place is where it happens: a named place of the region (see
	// [Places]) or "lat,lon" in degrees.
	Place string `yaml:"place"`
	// To is the second place: where a dark vessel reappears, where a
	// cloned MMSI is used, or where a spoofed vessel appears to be.
	To string `yaml:"to"`
	// Dark says which vessels of a ship-to-ship transfer switch AIS off:
	// none, tanker, small or both. The default value is small.
	Dark string `yaml:"dark"`
	// Vessels optionally fix the identities of the incident's vessels, in
	// the order the type uses them; missing ones are generated.
	Vessels []VesselSpec `yaml:"vessels"`
}

// VesselSpec fixes the identity of an incident vessel.
type VesselSpec struct {
	// MMSI is the vessel's 9-digit MMSI.
	MMSI uint32 `yaml:"mmsi"`
	// Name is the vessel's name, at most 20 characters; generated when
	// empty.
	Name string `yaml:"name"`
}

// Incident types.
const (
	IncidentDark      = "dark"             // goes dark, reappears far away
	IncidentSTS       = "sts"              // ship-to-ship transfer
	IncidentClone     = "cloned_mmsi"      // two transmitters, one MMSI
	IncidentWrongWay  = "wrong_way"        // against the lane direction
	IncidentCollision = "collision_course" // two vessels, CPA near zero
	IncidentMOB       = "man_overboard"    // MOB beacon
	IncidentDisabled  = "disabled_sart"    // drifting, then AIS-SART
	IncidentLoiter    = "loitering"        // slow wandering in a small area
	IncidentRestrict  = "restricted_area"  // enters an area and stays
	IncidentCircle    = "spoof_circle"     // reports a circle around another place
	IncidentOffset    = "spoof_offset"     // reports shifted by a constant offset
	IncidentTeleport  = "spoof_teleport"   // reports a far place, then back
)

// IncidentTypes lists the incident types the simulator knows.
var IncidentTypes = []string{IncidentDark, IncidentSTS, IncidentClone, IncidentWrongWay, IncidentCollision, IncidentMOB,
	IncidentDisabled, IncidentLoiter, IncidentRestrict, IncidentCircle, IncidentOffset, IncidentTeleport}

// ErrScenario is wrapped by every scenario validation error.
var ErrScenario = errors.New("invalid scenario")

// LoadScenarioFile reads and validates the scenario in the named file.
func LoadScenarioFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	s, err := LoadScenario(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", path, err)
	}
	return s, nil
}

// LoadScenario decodes a scenario strictly (unknown fields are errors),
// applies defaults and validates it.
func LoadScenario(r io.Reader) (*Scenario, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: empty document", ErrScenario)
		}
		return nil, fmt.Errorf("%w: %w", ErrScenario, err)
	}
	s.setDefaults()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *Scenario) setDefaults() {
	if s.Seed == 0 {
		s.Seed = 1
	}
	if s.Traffic.Density == 0 {
		s.Traffic.Density = 1
	}
	if len(s.Receivers) == 0 {
		s.Receivers = append([]Receiver(nil), defaultReceivers...)
	}
	for i := range s.Receivers {
		r := &s.Receivers[i]
		if r.RangeNM == 0 {
			r.RangeNM = 40
		}
		if r.Satellite {
			if r.PassEvery == 0 {
				r.PassEvery = 95 * time.Minute
			}
			if r.PassLength == 0 {
				r.PassLength = 10 * time.Minute
			}
		}
	}
	for i := range s.Incidents {
		in := &s.Incidents[i]
		if in.Duration == 0 {
			in.Duration = defaultDurations[in.Type]
		}
		if in.Type == IncidentSTS && in.Dark == "" {
			in.Dark = "small"
		}
	}
}

var defaultDurations = map[string]time.Duration{
	IncidentDark: 3 * time.Hour, IncidentSTS: 2 * time.Hour, IncidentClone: 2 * time.Hour,
	IncidentWrongWay: time.Hour, IncidentCollision: 15 * time.Minute, IncidentMOB: time.Hour,
	IncidentDisabled: 2 * time.Hour, IncidentLoiter: 3 * time.Hour, IncidentRestrict: 30 * time.Minute,
	IncidentCircle: time.Hour, IncidentOffset: time.Hour, IncidentTeleport: 20 * time.Minute,
}

// Validate reports the first problem of the scenario, wrapping
// ErrScenario.
func (s *Scenario) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrScenario, fmt.Sprintf(format, a...))
	}
	if s.Start.IsZero() {
		return bad("start is required")
	}
	if s.Duration <= 0 {
		return bad("duration must be positive, got %v", s.Duration)
	}
	if s.Duration > 31*24*time.Hour {
		return bad("duration %v is longer than 31 days", s.Duration)
	}
	t := s.Traffic
	if !(t.Density >= 0 && t.Density <= 10000) {
		return bad("traffic.density %v out of range 0-10000", t.Density)
	}
	for name, n := range map[string]int{"transits": t.Transits, "port_calls": t.PortCalls, "anchored": t.Anchored,
		"ferries": t.Ferries, "dhows": t.Dhows, "fast_craft": t.FastCraft} {
		if n < 0 {
			return bad("traffic.%s is negative (%d)", name, n)
		}
	}
	if s.VesselCount() > 2_000_000 {
		return bad("background traffic of %d vessels is more than 2,000,000", s.VesselCount())
	}
	names := map[string]bool{}
	for i, r := range s.Receivers {
		switch {
		case r.Name == "" || strings.ContainsAny(r.Name, ",*\\! \t"):
			return bad("receivers[%d]: name %q must be non-empty without spaces, commas, '*', '!' or '\\'", i, r.Name)
		case names[r.Name]:
			return bad("receivers[%d]: duplicate name %q", i, r.Name)
		case !(r.Lat >= -90 && r.Lat <= 90 && r.Lon >= -180 && r.Lon <= 180):
			return bad("receivers[%d] %s: position %v,%v out of range", i, r.Name, r.Lat, r.Lon)
		case !(r.RangeNM >= 0):
			return bad("receivers[%d] %s: range_nm is negative", i, r.Name)
		case !(r.Loss >= 0 && r.Loss <= 1):
			return bad("receivers[%d] %s: loss %v out of range 0-1", i, r.Name, r.Loss)
		case r.Satellite && (r.PassLength <= 0 || r.PassEvery < r.PassLength):
			return bad("receivers[%d] %s: pass_length must be positive and at most pass_every", i, r.Name)
		}
		names[r.Name] = true
	}
	for i, in := range s.Incidents {
		if err := in.validate(s.Duration); err != nil {
			return fmt.Errorf("%w: incidents[%d] (%s): %w", ErrScenario, i, in.Type, err)
		}
	}
	return nil
}

func (in *Incident) validate(total time.Duration) error {
	known := false
	for _, t := range IncidentTypes {
		known = known || t == in.Type
	}
	if !known {
		return fmt.Errorf("unknown type %q (want one of %s)", in.Type, strings.Join(IncidentTypes, ", "))
	}
	if in.At < 0 || in.At >= total {
		return fmt.Errorf("at %v is outside the run (0 to %v)", in.At, total)
	}
	if in.Duration <= 0 {
		return fmt.Errorf("duration must be positive, got %v", in.Duration)
	}
	if _, err := ResolvePlace(in.Place); err != nil {
		return fmt.Errorf("place: %w", err)
	}
	needTo := in.Type == IncidentDark || in.Type == IncidentClone || strings.HasPrefix(in.Type, "spoof_")
	if needTo {
		if _, err := ResolvePlace(in.To); err != nil {
			return fmt.Errorf("to: %w", err)
		}
	} else if in.To != "" {
		return fmt.Errorf("to is only used by %s, %s and spoof_*", IncidentDark, IncidentClone)
	}
	if in.Type == IncidentSTS {
		switch in.Dark {
		case "none", "tanker", "small", "both":
		default:
			return fmt.Errorf("dark %q: want none, tanker, small or both", in.Dark)
		}
	} else if in.Dark != "" {
		return fmt.Errorf("dark is only used by %s", IncidentSTS)
	}
	if in.Type == IncidentWrongWay && in.Place != "tss-inbound" && in.Place != "tss-outbound" {
		return fmt.Errorf("place must be tss-inbound or tss-outbound, got %q", in.Place)
	}
	for j, v := range in.Vessels {
		if v.MMSI < 100000000 || v.MMSI > 999999999 {
			return fmt.Errorf("vessels[%d]: mmsi %d is not 9 digits", j, v.MMSI)
		}
		if len(v.Name) > 20 {
			return fmt.Errorf("vessels[%d]: name %q is longer than 20 characters", j, v.Name)
		}
	}
	return nil
}

// VesselCount returns the number of background vessels after Density.
func (s *Scenario) VesselCount() int {
	t := s.Traffic
	n := 0
	for _, c := range []int{t.Transits, t.PortCalls, t.Anchored, t.Ferries, t.Dhows, t.FastCraft} {
		n += scaled(c, t.Density)
	}
	return n
}

func scaled(n int, density float64) int {
	if density <= 0 {
		return 0
	}
	return int(float64(n)*density + 0.5)
}

// ResolvePlace returns the position of a named place of the region (see
// [Places]) or of "lat,lon" in degrees.
func ResolvePlace(s string) (Point, error) {
	if s == "" {
		return Point{}, errors.New("missing")
	}
	if p, ok := places[s]; ok {
		return p.Point, nil
	}
	lat, lon, ok := strings.Cut(s, ",")
	if !ok {
		return Point{}, fmt.Errorf("unknown place %q (a name from the region or \"lat,lon\")", s)
	}
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil || !(la >= -90 && la <= 90 && lo >= -180 && lo <= 180) {
		return Point{}, fmt.Errorf("bad position %q (want \"lat,lon\" in degrees)", s)
	}
	return Point{la, lo}, nil
}
