// Package track holds the live state of every vessel: the latest position
// and kinematics, static and voyage data merged from every message type
// that carries it, the flag derived from the MMSI, and the receivers that
// heard it. The Table is sharded by MMSI; each shard is owned by one
// goroutine, so per-vessel updates take no locks.
package track

import "math"

// SourceID identifies an ingest source (a receiver, feed or file) in this
// server. IDs are small and dense so that they fit in fixed-size records.
type SourceID uint16

// Class says which kind of station sent a report.
type Class uint8

// Station classes.
const (
	ClassUnknown   Class = iota
	ClassA               // Class A shipborne (types 1-3, 5)
	ClassB               // Class B shipborne (types 18, 19, 24)
	ClassSAR             // SAR aircraft (type 9)
	ClassAtoN            // aid to navigation (type 21)
	ClassBase            // base station (type 4)
	ClassLongRange       // long-range broadcast (type 27)
)

// Fix is one position report, normalised from whichever message carried
// it. Values that were not available are NaN (floats) or -1 (Heading).
type Fix struct {
	MMSI    uint32
	Time    int64   // event time, UNIX milliseconds
	Lat     float64 // degrees north
	Lon     float64 // degrees east
	SOG     float32 // speed over ground, knots; NaN = not available
	COG     float32 // course over ground, degrees; NaN = not available
	Heading int16   // true heading, degrees; -1 = not available
	Status  uint8   // navigational status 0-15 (15 = not defined)
	Class   Class
	Source  SourceID // the source whose copy was kept (see Heard)
	Heard   uint64   // bit i set: source i also heard this message (de-duplicated copies), for i < 64
}

// NA is the float32 "not available" value.
var NA = float32(math.NaN())

// Static is static and voyage data for one vessel, merged from types 5,
// 19, 24 (parts A and B) and 21. Empty strings and zero numbers are "not
// known"; a message sets only the fields it carries (see the Has bits).
type Static struct {
	MMSI        uint32
	Time        int64 // UNIX milliseconds of the message
	Has         StaticFields
	Name        string
	CallSign    string
	IMO         uint32
	ShipType    uint8
	ToBow       uint16
	ToStern     uint16
	ToPort      uint8
	ToStarboard uint8
	Draught     float32 // metres
	Destination string
	ETA         string // "MM-DDTHH:MMZ" as transmitted, no year
	AidType     uint8  // type 21
	Source      SourceID
}

// StaticFields says which groups of Static a message carried.
type StaticFields uint8

// Static field groups.
const (
	HasName StaticFields = 1 << iota
	HasCallSign
	HasIMO
	HasShipType
	HasDimensions
	HasVoyage // draught, destination, ETA
	HasAidType
)
