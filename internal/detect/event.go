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
// against per-zone limits, loitering, and, over a grid of current
// positions, encounters between pairs of vessels ([Encounters]). Their thresholds come from a
// [Config]; [Preset] returns the gfw, skylight and strait presets.
//
// # Wiring
//
// The engine is not wired into the pipeline yet. A sink would be:
//
//	ingest.SinkFunc(func(ctx context.Context, b *ingest.Batch) error {
//		evs, err := eng.Process(ctx, &detect.Input{Fixes: b.Fixes, Statics: b.Statics, Watermark: b.Watermark})
//		if err != nil {
//			return err
//		}
//		return publish(ctx, evs) // store, alert rules, live stream
//	})
//
// with eng.Run(ctx) started beside the pipeline. Safety texts (AIS types
// 12 and 14) are not in ingest.Batch today: the pipeline must pass them as
// [SafetyText] (sender MMSI, event time, text) for the text rules of the
// distress detector to fire.
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
	Name      string  // what was measured, e.g. "gap"
	Value     float64 // the measured value, in Unit
	Op        string  // how Value compares with Threshold to fire: ">=", ">", "<", "<=", "=="
	Threshold float64 // the threshold value, in Unit
	Unit      string  // "s", "kn", "m", ...
}

// Evidence is what an event rests on.
type Evidence struct {
	Fixes   []track.Fix // the fixes that made the event, oldest first
	Figures []Figure
	Text    string // a safety text that raised or changed the event; "" if none
}

// Event is one detected event, as of one state change.
type Event struct {
	ID      string // stable over the event's life: type, MMSI, start and zone
	Type    Type
	State   State
	Start   int64    // event time the event began, UNIX ms
	End     int64    // event time it ended, UNIX ms; 0 while open
	Vessels []uint32 // MMSIs involved, the subject first
	Lat     float64  // representative position, degrees
	Lon     float64
	Zone    string // zone ID, "" when none
	// Confidence is how sure the detector is, in [0, 1].
	Confidence float64
	// Alarm says whether the event should alert a watch officer; false
	// for events that are only recorded, such as a SART test.
	Alarm    bool
	Evidence Evidence
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
