package access

import (
	"straitwatch/internal/events"
	"straitwatch/internal/track"
)

// Action is a kind of read that a Policy permits or refuses as a whole,
// before any record is looked at.
type Action uint8

// Actions.
const (
	// ReadVessels covers the live vessel list, one vessel and its static
	// history.
	ReadVessels Action = iota + 1
	// ReadTrack covers a vessel's stored fixes.
	ReadTrack
	// ReadSources covers the ingest sources and their health.
	ReadSources
	// Subscribe covers the live stream of position updates.
	Subscribe
	// ReadEvents covers detected events, their live stream and the zone
	// set they refer to.
	ReadEvents
	// AckEvents covers acknowledging and commenting on events.
	AckEvents
)

// String returns the action's name, as used in error messages.
func (a Action) String() string {
	switch a {
	case ReadVessels:
		return "read vessels"
	case ReadTrack:
		return "read tracks"
	case ReadSources:
		return "read sources"
	case Subscribe:
		return "subscribe"
	case ReadEvents:
		return "read events"
	case AckEvents:
		return "acknowledge events"
	}
	return "unknown action"
}

// Policy decides what a view may see. Query consults it once per action
// and once per record it returns, for every kind of record; this is where
// sharing agreements will decide, from a record's sources and their
// owning organisations, what crosses from one organisation to another.
//
// Implementations are safe for concurrent use and fast: Fix is called on
// the ingest path for every live update offered to a subscriber, so it
// must not block or allocate.
type Policy interface {
	// Permit returns nil if v may perform a, or an error wrapping
	// ErrForbidden.
	Permit(v View, a Action) error
	// Vessel returns what v may see of x (for example with the sources
	// it may not know about removed) and whether it may see x at all.
	// It must not modify x's slices in place; return a copy instead.
	Vessel(v View, x track.Vessel) (track.Vessel, bool)
	// Fix reports whether v may see f.
	Fix(v View, f track.Fix) bool
	// Static reports whether v may see the static record s.
	Static(v View, s track.Static) bool
	// Source reports whether v may see the source s and its health.
	Source(v View, s SourceHealth) bool
	// Event reports whether v may see the event r. It is called on the
	// live event stream for every change offered to a subscriber.
	Event(v View, r *events.Record) bool
}

// AllowAll is the policy of a single organisation: every valid view may
// do and see everything.
type AllowAll struct{}

// Permit returns nil.
func (AllowAll) Permit(View, Action) error { return nil }

// Vessel returns x unchanged.
func (AllowAll) Vessel(_ View, x track.Vessel) (track.Vessel, bool) { return x, true }

// Fix returns true.
func (AllowAll) Fix(View, track.Fix) bool { return true }

// Static returns true.
func (AllowAll) Static(View, track.Static) bool { return true }

// Source returns true.
func (AllowAll) Source(View, SourceHealth) bool { return true }

// Event returns true.
func (AllowAll) Event(View, *events.Record) bool { return true }
