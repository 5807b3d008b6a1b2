package track

// Kind is what an MMSI's digits say about the station (ITU-R M.585-9).
type Kind uint8

// MMSI kinds.
const (
	KindInvalid     Kind = iota // not 9 digits, or a reserved pattern
	KindShip                    // MIDxxxxxx
	KindGroup                   // 0MIDxxxxx: group of ships
	KindCoast                   // 00MIDxxxx: coast station
	KindSARAircraft             // 111MIDxxx
	KindAtoN                    // 99MIDxxxx
	KindAuxiliary               // 98MIDxxxx: craft associated with a parent ship
	KindSART                    // 970xxyyyy: AIS-SART
	KindMOB                     // 972xxyyyy: man overboard device
	KindEPIRB                   // 974xxyyyy: EPIRB-AIS
	KindDiver                   // 8MIDxxxxx: diver's radio (ITU-R M.585-9)
)

// String returns the kind's short lowercase name, as the API shows it.
func (k Kind) String() string {
	switch k {
	case KindShip:
		return "ship"
	case KindGroup:
		return "group"
	case KindCoast:
		return "coast"
	case KindSARAircraft:
		return "sar-aircraft"
	case KindAtoN:
		return "aton"
	case KindAuxiliary:
		return "auxiliary"
	case KindSART:
		return "sart"
	case KindMOB:
		return "mob"
	case KindEPIRB:
		return "epirb"
	case KindDiver:
		return "diver"
	}
	return "invalid"
}

// Vessel is a snapshot of one vessel's live state, as queries return it.
// It is a copy: the caller owns it and the Table never changes it.
type Vessel struct {
	MMSI    uint32
	Kind    Kind
	Flag    string // ISO 3166 alpha-2 code of the MMSI's MID; "" when unknown
	Country string // the ITU's name of the MID's country or area; "" when unknown
	// Last is the fix with the newest event time; Last.Time == 0 when
	// none yet. Its Heard is 0: Sources holds every source that heard
	// the vessel.
	Last       Fix
	Static     Static     // merged static and voyage data; Static.Has == 0 when none yet
	Sources    []SourceID // every source that heard the vessel, ascending
	Count      uint32     // position reports received, out-of-order ones included
	OutOfOrder uint32     // position reports older than Last when they arrived
	Statics    uint32     // static and voyage reports received
	FirstSeen  int64      // oldest event time of any report, UNIX milliseconds
	LastSeen   int64      // newest event time of any report, UNIX milliseconds
}

// Filter selects vessels in queries. Zero fields do not filter.
type Filter struct {
	ShipTypes []uint8  // AIS ship and cargo types (e.g. 80-89 for tankers); vessels without one do not match
	Flags     []string // ISO 3166 alpha-2 codes, any case
	MinSOG    float32  // knots; 0 = no lower bound; vessels without a speed do not match a bound
	MaxSOG    float32  // knots; 0 = no upper bound
	Text      string   // case-insensitive substring of the name, call sign, MMSI or IMO number
	Limit     int      // at most this many; 0 or less = DefaultLimit
}

// DefaultLimit is the number of vessels a query returns at most when its
// Filter sets no Limit: enough for every vessel of a busy region.
const DefaultLimit = 100_000
