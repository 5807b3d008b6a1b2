package track

// SourceID identifies an ingest source (a receiver, feed or file) in this
// server. IDs are small and dense so that they fit in fixed-size records;
// IDs below 64 also fit the Heard bit set of a Fix.
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

// String returns the class's short name ("A", "B", "sar", ...), as the
// API shows it.
func (c Class) String() string {
	switch c {
	case ClassA:
		return "A"
	case ClassB:
		return "B"
	case ClassSAR:
		return "sar"
	case ClassAtoN:
		return "aton"
	case ClassBase:
		return "base"
	case ClassLongRange:
		return "long-range"
	}
	return "unknown"
}

// Fix is one position report, normalised from whichever message carried
// it. Values that were not available are NaN (floats) or -1 (Heading); a
// report without a valid position is not a Fix.
type Fix struct {
	MMSI    uint32
	Time    int64    // event time, UNIX milliseconds
	Lat     float64  // degrees north, -90..90
	Lon     float64  // degrees east, -180..180
	SOG     float32  // speed over ground, knots; NaN = not available
	COG     float32  // course over ground, degrees 0..360; NaN = not available
	Heading int16    // true heading, degrees 0..359; -1 = not available
	Status  uint8    // navigational status 0-15 (15 = not defined, also for classes that send none)
	Class   Class    // which kind of station sent it
	Source  SourceID // the source whose copy was kept (see Heard)
	Heard   uint64   // bit i set: source i also heard this message (de-duplicated copies), for i < 64
}

// Static is static and voyage data for one vessel, merged from types 5,
// 19, 24 (parts A and B) and 21. A message sets only the field groups it
// carries, and only those whose values were available: Has says which.
// Fields of a group that is not in Has are zero and mean nothing.
type Static struct {
	MMSI        uint32
	Time        int64 // event time of the message, UNIX milliseconds; for merged data, of the newest one
	Has         StaticFields
	Name        string  // ship or aid name, trimmed (HasName)
	CallSign    string  // trimmed (HasCallSign)
	IMO         uint32  // IMO ship number (HasIMO)
	ShipType    uint8   // AIS ship and cargo type 1-99 (HasShipType)
	ToBow       uint16  // metres from the reference point (HasDimensions); 511 means 511 or more
	ToStern     uint16  // metres (HasDimensions); 511 means 511 or more
	ToPort      uint8   // metres (HasDimensions); 63 means 63 or more
	ToStarboard uint8   // metres (HasDimensions); 63 means 63 or more
	Draught     float32 // metres (HasVoyage); NaN = not available
	Destination string  // trimmed (HasVoyage); "" = not available
	ETA         string  // "MM-DDTHH:MMZ" as transmitted, no year (HasVoyage); "" = not available or incomplete
	AidType     uint8   // type 21 aid type 1-31 (HasAidType)
	Mothership  uint32  // MMSI of the parent ship of an auxiliary craft, type 24B (HasMothership)
	Source      SourceID
}

// StaticFields says which groups of Static a message carried. A merged
// Static keeps, for each group, the values of the newest message that
// carried it.
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
	HasMothership
)

// numGroups is the number of StaticFields groups.
const numGroups = 8

// Text is a safety-related text (AIS types 12, addressed, and 14,
// broadcast): what an AIS-SART, MOB or EPIRB-AIS device and watch
// officers send ("SART ACTIVE", "MOB TEST").
type Text struct {
	MMSI   uint32 // sender
	Time   int64  // event time, UNIX milliseconds
	Dest   uint32 // destination MMSI of a type 12 message; 0 when broadcast
	Text   string // as decoded, trailing '@' and spaces trimmed
	Source SourceID
}
