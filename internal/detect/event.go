// Package detect turns the stream of normalised fixes, static reports and
// safety texts into events a watch officer can trust: each event carries
// the fixes and the figures that crossed each threshold, with the
// threshold values, and a confidence in [0, 1].
//
// # Event time and ownership
//
// Detection runs on event time (UNIX milliseconds carried by the data),
// never on the wall clock, so replay and live give the same events.
// Per-vessel work is sharded by MMSI: each [Shard] owns its vessels and is
// driven by one goroutine, so per-vessel detectors take no locks. An
// [Engine] runs several shards and offers [Engine.Process], the entry
// point a pipeline sink calls once per batch.
//
// # Lifecycle
//
// An event opens, may be updated, closes, and may be retracted when late
// data shows it did not happen (a gap closed by a late fix). Every
// message about one event carries the same ID; each is a full copy of
// the event as now known.
//
// # Detectors
//
// Distress (AIS-SART, MOB, EPIRB-AIS, navigational status 14, "ACTIVE"
// safety texts), zone entry and exit, AIS gaps (going dark), speed
// against per-zone limits, loitering, port visits and anchorage stays,
// traffic separation scheme rules (idle where the zone set has no
// lanes), and, over a grid of current positions, encounters between
// pairs of vessels ([Encounters]) and collision risk by CPA/TCPA
// ([Collisions]). Their thresholds come from a
// [Config]; [Preset] returns the gfw, skylight and strait presets.
// Identity anomalies (invalid MMSIs and MIDs, one MMSI in two places at
// once, jumps, static identity changes, class A/B mixing) are judged on
// track segments from package segment ([IdentityConfig]).
//
// # Wiring
//
// The engine is not wired into the pipeline yet. A sink would be:
//
//	ingest.SinkFunc(func(ctx context.Context, b *ingest.Batch) error {
//		evs, err := eng.Process(ctx, &detect.Input{Fixes: b.Fixes, Statics: b.Statics, Safety: b.Texts, Watermark: b.Watermark})
//		if err != nil {
//			return err
//		}
//		return publish(ctx, evs) // store, alert rules, live stream
//	})
//
// with eng.Run(ctx) started beside the pipeline; serve's detection stage
// (internal/server) is this, on its own goroutine, publishing to an
// events.Book. Safety texts (AIS types 12 and 14) arrive as track.Text
// for the text rules of the distress detector.
package detect

import (
	"fmt"

	"straitwatch/internal/track"
)

// Type is the kind of an event.
type Type string

// Event types.
const (
	TypeDistress Type = "distress"
	TypeZone     Type = "zone" // a stay in a zone: opens on entry, closes on exit
	TypeGap      Type = "gap"  // AIS gap, going dark
	TypeSpeed    Type = "speed"
	TypeLoiter   Type = "loitering"
	// TypeEncounter is two vessels staying close together.
	TypeEncounter Type = "encounter"
	// TypePortVisit is a stay at a port or anchorage: entry, stop,
	// resume, exit.
	TypePortVisit Type = "port_visit"
	// TypeTSS is a breach of a traffic separation scheme; the rule
	// broken is in Evidence.Rule.
	TypeTSS Type = "tss"
	// TypeIdentity is an MMSI whose identity is not sound: invalid,
	// heard in two places at once, jumping, changing its static
	// identity or mixing classes; the rule (IdentityJump, ...) is in
	// Evidence.Rule.
	TypeIdentity Type = "identity"
)

// State is where an event is in its lifecycle.
type State uint8

// Event states.
const (
	StateOpen    State = iota + 1 // the event has begun and goes on
	StateUpdate                   // what is known of the event changed
	StateClose                    // the event has ended (End is set)
	StateRetract                  // late data shows the event did not happen
)

// String returns the state's lowercase name.
func (s State) String() string {
	switch s {
	case StateOpen:
		return "open"
	case StateUpdate:
		return "update"
	case StateClose:
		return "close"
	case StateRetract:
		return "retract"
	}
	return "invalid"
}

// Figure is one measured quantity of an event's evidence and the
// threshold it was judged against.
type Figure struct {
	Name      string  `json:"name"`      // what was measured, e.g. "gap"
	Value     float64 `json:"value"`     // the measured value, in Unit
	Op        string  `json:"op"`        // how Value compares with Threshold to fire: ">=", ">", "<", "<=", "=="
	Threshold float64 `json:"threshold"` // the threshold value, in Unit
	Unit      string  `json:"unit"`      // "s", "kn", "m", ...
}

// Evidence is what an event rests on.
type Evidence struct {
	Fixes   []track.Fix // the fixes that made the event, oldest first
	Figures []Figure
	Text    string // a safety text that raised or changed the event; "" if none
	// Rule names the rule an event of a rule-based detector (TypeTSS,
	// TypeIdentity) breaks, e.g. "against_lane"; "" for other events.
	Rule string
	// Changes lists the identity fields that changed, for identity
	// events of rule IdentityChange; nil for others.
	Changes []Change
}

// Event is one detected event, as of one state change.
//
// Its JSON form (the API's, the store's and `replay -events`') has
// lowercase members, the state by name and "end" absent while open; see
// [Evidence] for the fixes.
type Event struct {
	ID      string   `json:"id"` // stable over the event's life: type, MMSI, start and zone
	Type    Type     `json:"type"`
	State   State    `json:"state"`
	Start   int64    `json:"start"`         // event time the event began, UNIX ms
	End     int64    `json:"end,omitempty"` // event time it ended, UNIX ms; 0 while open
	Vessels []uint32 `json:"vessels"`       // MMSIs involved, the subject first
	Lat     float64  `json:"lat"`           // representative position, degrees
	Lon     float64  `json:"lon"`
	Zone    string   `json:"zone,omitempty"` // zone ID, "" when none
	// Confidence is how sure the detector is, in [0, 1].
	Confidence float64 `json:"confidence"`
	// Alarm says whether the event should alert a watch officer; false
	// for events that are only recorded, such as a SART test.
	Alarm    bool     `json:"alarm"`
	Evidence Evidence `json:"evidence"`
}

// Severity is how urgently an event needs a watch officer: "distress"
// for an alarming distress event, "alarm" for any other alarming event,
// "info" for the rest.
func (e *Event) Severity() string {
	switch {
	case e.Alarm && e.Type == TypeDistress:
		return "distress"
	case e.Alarm:
		return "alarm"
	}
	return "info"
}

func eventID(t Type, mmsi uint32, start int64, zone string) string {
	if zone != "" {
		return fmt.Sprintf("%s:%d:%d:%s", t, mmsi, start, zone)
	}
	return fmt.Sprintf("%s:%d:%d", t, mmsi, start)
}

// clamp01 limits c to [0, 1].
func clamp01(c float64) float64 {
	return min(max(c, 0), 1)
}
