package track

// Kind is what an MMSI's digits say about the station (ITU-R M.585).
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
	KindSART                    // 970xxxxxx: AIS-SART
	KindMOB                     // 972xxxxxx: man overboard device
	KindEPIRB                   // 974xxxxxx: EPIRB-AIS
	KindDiver                   // 8MIDxxxxx: diver's radio (ITU-R M.585-9)
)

// Vessel is a snapshot of one vessel's live state, as queries return it.
type Vessel struct {
	MMSI    uint32
	Kind    Kind
	Flag    string // ISO 3166 alpha-2 country of the MMSI's MID; "" when unknown
	Last    Fix    // latest position; Last.Time == 0 when none yet
	Static  Static // merged static and voyage data
	Sources []SourceID
	Count   uint32 // position reports received
}

// Filter selects vessels in queries. Zero fields do not filter.
type Filter struct {
	ShipTypes []uint8 // AIS ship and cargo types (e.g. 80-89 for tankers)
	Flags     []string
	MinSOG    float32 // knots; 0 = no lower bound
	MaxSOG    float32 // knots; 0 = no upper bound
	Text      string  // case-insensitive match of name, call sign, MMSI or IMO
	Limit     int     // at most this many; 0 = the query's default
}
