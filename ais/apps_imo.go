package ais

// International (DAC 1) applications of IMO SN.1/Circ.236 and 289, besides
// the meteorological and hydrological data of binary.go. Dates and times
// are UTC; months are 1-12 (0 = n/a), days 1-31 (0 = n/a), hours 0-23
// (24 = n/a) and minutes 0-59 (60 = n/a) unless a comment says otherwise.

// DangerousCargo236 is the IMO Circ. 236 dangerous cargo indication: DAC
// 1, FI 12, addressed, 360 bits. Circ. 289 replaced it with FI 25
// (DangerousCargo).
type DangerousCargo236 struct {
	LastPort   string // last port of call, UN/LOCODE, 5 characters
	LastMonth  uint8  // departure from the last port
	LastDay    uint8
	LastHour   uint8
	LastMinute uint8
	NextPort   string // next port of call, UN/LOCODE, 5 characters
	NextMonth  uint8  // ETA at the next port
	NextDay    uint8
	NextHour   uint8
	NextMinute uint8
	Dangerous  string // main dangerous good, 20 characters
	IMDCat     string // IMD category, 4 characters
	UNNumber   uint16 // UN number, 1-3363; 0 = n/a
	Amount     uint16 // amount of cargo in Unit (10 bits); 0 = n/a
	Unit       uint8  // 0 n/a, 1 kg, 2 tonnes, 3 thousands of tonnes
	Spare      uint8  // 3 bits
}

// AppID returns DAC 1, FI 12.
func (m *DangerousCargo236) AppID() (uint16, uint8) { return 1, 12 }

func (m *DangerousCargo236) walk(c *coder) {
	c.text(&m.LastPort, 5)
	c.u8(&m.LastMonth, 4)
	c.u8(&m.LastDay, 5)
	c.u8(&m.LastHour, 5)
	c.u8(&m.LastMinute, 6)
	c.text(&m.NextPort, 5)
	c.u8(&m.NextMonth, 4)
	c.u8(&m.NextDay, 5)
	c.u8(&m.NextHour, 5)
	c.u8(&m.NextMinute, 6)
	c.text(&m.Dangerous, 20)
	c.text(&m.IMDCat, 4)
	c.u16(&m.UNNumber, 13)
	c.u16(&m.Amount, 10)
	c.u8(&m.Unit, 2)
	c.u8(&m.Spare, 3)
}

// Tidal236 is one prediction of a TidalWindow236.
type Tidal236 struct {
	Lat        int32  // 1/10000 minute (27 bits); 91° = n/a
	Lon        int32  // 1/10000 minute (28 bits); 181° = n/a
	FromHour   uint8  // start of the window
	FromMinute uint8  //
	ToHour     uint8  // end of the window
	ToMinute   uint8  //
	CurDir     uint16 // predicted current direction, degrees; 360 = n/a
	CurSpeed   uint8  // predicted current speed, tenths of a knot (7 bits); 127 = n/a
}

func (t *Tidal236) walk(c *coder) {
	c.i32(&t.Lat, 27)
	c.i32(&t.Lon, 28)
	c.u8(&t.FromHour, 5)
	c.u8(&t.FromMinute, 6)
	c.u8(&t.ToHour, 5)
	c.u8(&t.ToMinute, 6)
	c.u16(&t.CurDir, 9)
	c.u8(&t.CurSpeed, 7)
}

// Position returns the prediction's position in degrees.
func (t *Tidal236) Position() (lat, lon float64, ok bool) {
	return position(t.Lat, t.Lon, div4)
}

// TidalWindow236 is the IMO Circ. 236 tidal window: DAC 1, FI 14,
// addressed: up to three predictions of 93 bits for a passage. Circ. 289
// replaced it with FI 32 (TidalWindow).
type TidalWindow236 struct {
	Month  uint8
	Day    uint8
	Tidals []Tidal236
	// Truncated is the number of bits the last element of Tidals lacked,
	// read as zeros (see Complete).
	Truncated int
}

// AppID returns DAC 1, FI 14.
func (m *TidalWindow236) AppID() (uint16, uint8) { return 1, 14 }

// Complete returns the predictions the message carried whole. Tidals
// follows gpsd, which also decodes a last element that the message ends
// inside of or just before.
func (m *TidalWindow236) Complete() []Tidal236 { return completeElems(m.Tidals, m.Truncated) }

func (m *TidalWindow236) walk(c *coder) {
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	walkTail(c, &m.Tidals, &m.Truncated, 97, 93, 10, true)
}

// ExtendedShipData is the IMO Circ. 236 extended ship static and voyage
// related data: DAC 1, FI 15, broadcast, 72 bits. Like gpsd, the package
// also decodes it from addressed messages (type 6, 104 bits), reading the
// air draught after FI (bit 88) where gpsd reads bit 56, inside the
// destination MMSI.
type ExtendedShipData struct {
	AirDraught uint16 // height over keel, tenths of a metre (11 bits); 0 = n/a, 2047 = 204.7 m or more
	Spare      uint8  // 5 bits
}

// AppID returns DAC 1, FI 15.
func (m *ExtendedShipData) AppID() (uint16, uint8) { return 1, 15 }

func (m *ExtendedShipData) walk(c *coder) {
	c.u16(&m.AirDraught, 11)
	c.u8(&m.Spare, 5)
}

// PersonsOnBoard is the number of persons on board: DAC 1, FI 16,
// addressed, 136 bits in IMO Circ. 289. gpsd reads the count at bit 55,
// inside the destination MMSI, unless the message is 224 bits; this
// package reads it after FI, where both circulars put it.
type PersonsOnBoard struct {
	Persons uint16 // 13 bits; 0 = n/a, 8191 = 8191 or more
	Spare   uint64 // 35 bits
}

// AppID returns DAC 1, FI 16.
func (m *PersonsOnBoard) AppID() (uint16, uint8) { return 1, 16 }

func (m *PersonsOnBoard) walk(c *coder) {
	c.u16(&m.Persons, 13)
	c.u64(&m.Spare, 35)
}

// PersonsOnBoardBroadcast is the broadcast number of persons on board:
// DAC 1, FI 16, type 8, decoded (as gpsd does) only from messages of 128
// or 192 bits. The count follows FI as in IMO Circ. 236; gpsd reads it at
// bit 55 or 88 and prints 0 whatever it read.
type PersonsOnBoardBroadcast struct {
	Persons   uint16 // 13 bits; 0 = n/a, 8191 = 8191 or more
	Spare     []byte // the SpareBits bits after the count (59 or 123), most significant first
	SpareBits int
}

// AppID returns DAC 1, FI 16.
func (m *PersonsOnBoardBroadcast) AppID() (uint16, uint8) { return 1, 16 }

func (m *PersonsOnBoardBroadcast) walk(c *coder) {
	c.u16(&m.Persons, 13)
	if c.mode == random {
		m.SpareBits = 128 - 69
		if c.rnd.IntN(2) == 1 {
			m.SpareBits = 192 - 69
		}
		m.Spare = make([]byte, (m.SpareBits+7)/8)
		c.rawBits(m.Spare, m.SpareBits)
		return
	}
	c.data(&m.Spare, &m.SpareBits, 0, 0)
}

// ClearanceTime is the IMO Circ. 289 clearance time to enter port: DAC 1,
// FI 18, addressed, 360 bits.
type ClearanceTime struct {
	Linkage     uint16 // message linkage ID (10 bits)
	Month       uint8  // time cleared to enter
	Day         uint8
	Hour        uint8
	Minute      uint8
	PortName    string // port and berth, 20 characters
	Destination string // UN/LOCODE, 5 characters
	Lon         int32  // 1/1000 minute (25 bits); 181° = n/a
	Lat         int32  // 1/1000 minute (24 bits); 91° = n/a
	Spare       uint64 // 43 bits
}

// AppID returns DAC 1, FI 18.
func (m *ClearanceTime) AppID() (uint16, uint8) { return 1, 18 }

// Position returns the port's position in degrees.
func (m *ClearanceTime) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div3)
}

func (m *ClearanceTime) walk(c *coder) {
	c.u16(&m.Linkage, 10)
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.text(&m.PortName, 20)
	c.text(&m.Destination, 5)
	c.i32(&m.Lon, 25)
	c.i32(&m.Lat, 24)
	c.u64(&m.Spare, 43)
}

// BerthingData is the IMO Circ. 289 berthing data: DAC 1, FI 20,
// addressed, 360 bits. The service fields are 0 not available or
// requested, 1 available, 2 no data or unknown, 3 not used; they are valid
// only when Services is set.
type BerthingData struct {
	Linkage        uint16 // message linkage ID (10 bits)
	BerthLength    uint16 // metres (9 bits); 0 = n/a, 511 = 511 m or more
	BerthDepth     uint8  // tenths of a metre; 0 = n/a, 255 = 25.5 m or more
	Position       uint8  // mooring position: 0 n/a, 1 port side to, 2 starboard side to, 3 Mediterranean, 4 buoy, 5 anchorage
	Month          uint8  // time of berthing, requested or granted
	Day            uint8
	Hour           uint8
	Minute         uint8
	Services       bool // the service fields below are known
	Agent          uint8
	Fuel           uint8 // bunker
	Chandler       uint8
	Stevedore      uint8
	Electrical     uint8
	Water          uint8 // potable water
	Customs        uint8
	Cartage        uint8
	Crane          uint8
	Lift           uint8
	Medical        uint8
	NavRepair      uint8
	Provisions     uint8
	ShipRepair     uint8
	Surveyor       uint8
	Steam          uint8
	Tugs           uint8
	SolidWaste     uint8
	LiquidWaste    uint8
	HazardousWaste uint8
	Ballast        uint8 // reserved ballast exchange
	Additional     uint8
	Regional1      uint8
	Regional2      uint8
	Future1        uint8
	Future2        uint8
	BerthName      string // 20 characters
	BerthLon       int32  // centre of the berth, 1/1000 minute (25 bits); 181° = n/a
	BerthLat       int32  // 1/1000 minute (24 bits); 91° = n/a
}

// AppID returns DAC 1, FI 20.
func (m *BerthingData) AppID() (uint16, uint8) { return 1, 20 }

// BerthPosition returns the berth's position in degrees.
func (m *BerthingData) BerthPosition() (lat, lon float64, ok bool) {
	return position(m.BerthLat, m.BerthLon, div3)
}

// services returns the service fields in transmission order.
func (m *BerthingData) services() [26]*uint8 {
	return [26]*uint8{&m.Agent, &m.Fuel, &m.Chandler, &m.Stevedore,
		&m.Electrical, &m.Water, &m.Customs, &m.Cartage, &m.Crane, &m.Lift,
		&m.Medical, &m.NavRepair, &m.Provisions, &m.ShipRepair, &m.Surveyor,
		&m.Steam, &m.Tugs, &m.SolidWaste, &m.LiquidWaste, &m.HazardousWaste,
		&m.Ballast, &m.Additional, &m.Regional1, &m.Regional2, &m.Future1,
		&m.Future2}
}

func (m *BerthingData) walk(c *coder) {
	c.u16(&m.Linkage, 10)
	c.u16(&m.BerthLength, 9)
	c.u8(&m.BerthDepth, 8)
	c.u8(&m.Position, 3)
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.flag(&m.Services)
	for _, s := range m.services() {
		c.u8(s, 2)
	}
	c.text(&m.BerthName, 20)
	c.i32(&m.BerthLon, 25)
	c.i32(&m.BerthLat, 24)
}

// Cargo is one cargo of a DangerousCargo.
type Cargo struct {
	Code    uint8  // code the cargo is carried under: 0 n/a, 1 IMDG, 2 IGC, 3 BC (IMSBC), 4 MARPOL Annex I, 5 MARPOL Annex II (IBC), 6 regional
	Subtype uint16 // 13 bits, by Code: IMDG class, UN number, ...; 0 = n/a
}

func (g *Cargo) walk(c *coder) {
	c.u8(&g.Code, 4)
	c.u16(&g.Subtype, 13)
}

// DangerousCargo is the IMO Circ. 289 dangerous cargo indication: DAC 1,
// FI 25, addressed: the cargo amount and up to 28 cargoes of 17 bits, as
// many as the message length holds.
type DangerousCargo struct {
	Unit   uint8  // 0 n/a, 1 kg, 2 tonnes, 3 thousands of tonnes
	Amount uint16 // 10 bits; 0 = n/a
	Cargos []Cargo
	// Truncated is the number of bits the last element of Cargos lacked,
	// read as zeros (see Complete).
	Truncated int
}

// AppID returns DAC 1, FI 25.
func (m *DangerousCargo) AppID() (uint16, uint8) { return 1, 25 }

// Complete returns the cargoes the message carried whole. Cargos follows
// gpsd, which also decodes a last element of which the message holds only
// a few bits.
func (m *DangerousCargo) Complete() []Cargo { return completeElems(m.Cargos, m.Truncated) }

func (m *DangerousCargo) walk(c *coder) {
	c.u8(&m.Unit, 2)
	c.u16(&m.Amount, 10)
	walkTail(c, &m.Cargos, &m.Truncated, 100, 17, 54, false)
}

// Waypoint is one point of a RouteInfo.
type Waypoint struct {
	Lon int32 // 1/10000 minute (28 bits); 181° = n/a
	Lat int32 // 1/10000 minute (27 bits); 91° = n/a
}

func (w *Waypoint) walk(c *coder) {
	c.i32(&w.Lon, 28)
	c.i32(&w.Lat, 27)
}

// Position returns the waypoint in degrees.
func (w *Waypoint) Position() (lat, lon float64, ok bool) {
	return position(w.Lat, w.Lon, div4)
}

// RouteInfo is the body of the IMO Circ. 289 route information messages,
// RouteAddressed and RouteBroadcast.
type RouteInfo struct {
	Linkage  uint16 // message linkage ID (10 bits)
	Sender   uint8  // 0 ship, 1 authority (3 bits)
	RType    uint8  // route type: 0 undefined, 1 mandatory, 2 recommended, 3 alternative, 4 through ice, 5 ship route plan, 31 cancel route
	Month    uint8  // start of the route
	Day      uint8
	Hour     uint8
	Minute   uint8
	Duration uint32 // minutes from the start (18 bits); 0 = cancel route, 262143 = n/a
	// Waypoints holds the waypoint count's worth of waypoints (up to 31
	// though 16 are allowed); those past the end of the message read as
	// zeros, as gpsd reads them.
	Waypoints []Waypoint
}

// walkRoute walks the fields; maxN bounds random generation to what fits
// the message.
func (m *RouteInfo) walkRoute(c *coder, maxN int) {
	c.u16(&m.Linkage, 10)
	c.u8(&m.Sender, 3)
	c.u8(&m.RType, 5)
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.u32(&m.Duration, 18)
	n := uint8(len(m.Waypoints))
	switch c.mode {
	case decoding:
		c.u8(&n, 5)
	case encoding:
		if len(m.Waypoints) > 31 {
			c.bad = true
		}
		c.u8(&n, 5)
	case random:
		n = uint8(c.rnd.IntN(maxN + 1))
	}
	if c.mode != encoding {
		m.Waypoints = nil
		if n > 0 {
			m.Waypoints = make([]Waypoint, n)
		}
	}
	for i := range m.Waypoints[:min(len(m.Waypoints), 31)] {
		m.Waypoints[i].walk(c)
	}
}

// RouteAddressed is the IMO Circ. 289 route information, addressed: DAC
// 1, FI 28.
type RouteAddressed struct{ RouteInfo }

// AppID returns DAC 1, FI 28.
func (m *RouteAddressed) AppID() (uint16, uint8) { return 1, 28 }

func (m *RouteAddressed) walk(c *coder) { m.walkRoute(c, (1008-149)/55) }

// RouteBroadcast is the IMO Circ. 289 route information, broadcast: DAC
// 1, FI 27.
type RouteBroadcast struct{ RouteInfo }

// AppID returns DAC 1, FI 27.
func (m *RouteBroadcast) AppID() (uint16, uint8) { return 1, 27 }

func (m *RouteBroadcast) walk(c *coder) { m.walkRoute(c, (1008-117)/55) }

// TextDescription is the body of the IMO Circ. 289 text descriptions,
// TextAddressed and TextBroadcast: free text attached to the messages
// with the same linkage ID.
type TextDescription struct {
	Linkage uint16 // message linkage ID (10 bits)
	Text    string // the whole characters to the end of the message
}

// TextAddressed is the IMO Circ. 289 text description, addressed: DAC 1,
// FI 30.
type TextAddressed struct{ TextDescription }

// AppID returns DAC 1, FI 30.
func (m *TextAddressed) AppID() (uint16, uint8) { return 1, 30 }

func (m *TextAddressed) walk(c *coder) {
	c.u16(&m.Linkage, 10)
	c.textEnd(&m.Text, (1008-98)/6)
}

// TextBroadcast is the IMO Circ. 289 text description, broadcast: DAC 1,
// FI 29.
type TextBroadcast struct{ TextDescription }

// AppID returns DAC 1, FI 29.
func (m *TextBroadcast) AppID() (uint16, uint8) { return 1, 29 }

func (m *TextBroadcast) walk(c *coder) {
	c.u16(&m.Linkage, 10)
	c.textEnd(&m.Text, (1008-66)/6)
}

// Tidal is one prediction of a TidalWindow.
type Tidal struct {
	Lon        int32  // 1/1000 minute (25 bits); 181° = n/a
	Lat        int32  // 1/1000 minute (24 bits); 91° = n/a
	FromHour   uint8  // start of the window
	FromMinute uint8  //
	ToHour     uint8  // end of the window
	ToMinute   uint8  //
	CurDir     uint16 // predicted current direction, degrees; 360 = n/a
	CurSpeed   uint8  // predicted current speed, tenths of a knot; 251 = 25.1 kn or more, 255 = n/a
}

func (t *Tidal) walk(c *coder) {
	c.i32(&t.Lon, 25)
	c.i32(&t.Lat, 24)
	c.u8(&t.FromHour, 5)
	c.u8(&t.FromMinute, 6)
	c.u8(&t.ToHour, 5)
	c.u8(&t.ToMinute, 6)
	c.u16(&t.CurDir, 9)
	c.u8(&t.CurSpeed, 8)
}

// Position returns the prediction's position in degrees.
func (t *Tidal) Position() (lat, lon float64, ok bool) {
	return position(t.Lat, t.Lon, div3)
}

// TidalWindow is the IMO Circ. 289 tidal window: DAC 1, FI 32, addressed:
// up to three predictions of 88 bits for a passage.
type TidalWindow struct {
	Month  uint8
	Day    uint8
	Tidals []Tidal
	// Truncated is the number of bits the last element of Tidals lacked,
	// read as zeros (see Complete).
	Truncated int
}

// AppID returns DAC 1, FI 32.
func (m *TidalWindow) AppID() (uint16, uint8) { return 1, 32 }

// Complete returns the predictions the message carried whole. Tidals
// follows gpsd, which also decodes a last element that the message ends
// inside of or just before.
func (m *TidalWindow) Complete() []Tidal { return completeElems(m.Tidals, m.Truncated) }

func (m *TidalWindow) walk(c *coder) {
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	walkTail(c, &m.Tidals, &m.Truncated, 97, 88, 11, true)
}

// FairwayClosed is the IMO Circ. 236 fairway closed notice: DAC 1, FI 13,
// broadcast, 472 bits.
type FairwayClosed struct {
	Reason     string // reason for closing, 20 characters
	CloseFrom  string // location the closure starts, 20 characters
	CloseTo    string // location the closure ends, 20 characters
	Radius     uint16 // radius of the extension in ExtUnit, 0-1000 (10 bits)
	ExtUnit    uint8  // 0 m, 1 km, 2 nautical miles, 3 cables
	FromDay    uint8  // closed from
	FromMonth  uint8
	FromHour   uint8
	FromMinute uint8
	ToDay      uint8 // closed until
	ToMonth    uint8
	ToHour     uint8
	ToMinute   uint8
	Spare      uint8 // 4 bits
}

// AppID returns DAC 1, FI 13.
func (m *FairwayClosed) AppID() (uint16, uint8) { return 1, 13 }

func (m *FairwayClosed) walk(c *coder) {
	c.text(&m.Reason, 20)
	c.text(&m.CloseFrom, 20)
	c.text(&m.CloseTo, 20)
	c.u16(&m.Radius, 10)
	c.u8(&m.ExtUnit, 2)
	c.u8(&m.FromDay, 5)
	c.u8(&m.FromMonth, 4)
	c.u8(&m.FromHour, 5)
	c.u8(&m.FromMinute, 6)
	c.u8(&m.ToDay, 5)
	c.u8(&m.ToMonth, 4)
	c.u8(&m.ToHour, 5)
	c.u8(&m.ToMinute, 6)
	c.u8(&m.Spare, 4)
}

// Target identifier types of a Target.
const (
	TargetMMSI     = 0
	TargetIMO      = 1
	TargetCallSign = 2
	TargetOther    = 3
)

// Target is one synthetic target of a VTSTargets.
type Target struct {
	IDType uint8 // TargetMMSI, TargetIMO, TargetCallSign or TargetOther
	// ID is the MMSI or IMO number (IDType 0 or 1): the 42-bit field as
	// transmitted.
	ID uint64
	// Name is the call sign or other identifier (IDType 2 or 3): 7
	// characters; an unknown target sends "@@@@@@@", which reads as "".
	Name   string
	Spare  uint8  // 4 bits
	Lat    int32  // 1/1000 minute (24 bits); 91° = n/a
	Lon    int32  // 1/1000 minute (25 bits); 181° = n/a
	Course uint16 // course over ground, degrees (9 bits); 360 = n/a
	Second uint8  // UTC second of the observation
	Speed  uint16 // speed over ground, knots (10 bits); 255 = n/a
}

func (t *Target) walk(c *coder) {
	c.u8(&t.IDType, 2)
	if t.IDType < TargetCallSign {
		c.u64(&t.ID, 42)
	} else {
		c.text(&t.Name, 7)
	}
	c.u8(&t.Spare, 4)
	c.i32(&t.Lat, 24)
	c.i32(&t.Lon, 25)
	c.u16(&t.Course, 9)
	c.u8(&t.Second, 6)
	c.u16(&t.Speed, 10)
}

// Position returns the target's position in degrees.
func (t *Target) Position() (lat, lon float64, ok bool) {
	return position(t.Lat, t.Lon, div3)
}

// VTSTargets is the IMO Circ. 289 VTS-generated (synthetic) targets
// message, "pseudo-AIS targets" in Circ. 236: DAC 1, FI 17, broadcast: up
// to four targets of 122 bits.
type VTSTargets struct {
	Targets []Target
	// Truncated is the number of bits the last element of Targets lacked,
	// read as zeros (see Complete).
	Truncated int
}

// AppID returns DAC 1, FI 17.
func (m *VTSTargets) AppID() (uint16, uint8) { return 1, 17 }

// Complete returns the targets the message carried whole. Targets follows
// gpsd, which also decodes a last element that the message ends inside of
// or just before.
func (m *VTSTargets) Complete() []Target { return completeElems(m.Targets, m.Truncated) }

func (m *VTSTargets) walk(c *coder) {
	walkTail(c, &m.Targets, &m.Truncated, 56, 122, 8, true)
}

// TrafficSignal is the IMO Circ. 289 marine traffic signal: DAC 1, FI 19,
// broadcast, 360 bits. Signal codes: 0 n/a, 1-7 IALA port traffic signals
// 1, 2, 3, 4, 5, 2a and 5a, 8-13 Japanese signals I, O, F, XI, XO and X.
type TrafficSignal struct {
	Linkage    uint16   // message linkage ID (10 bits)
	Station    string   // name of the signal station, 20 characters
	Lon        int32    // 1/1000 minute (25 bits); 181° = n/a
	Lat        int32    // 1/1000 minute (24 bits); 91° = n/a
	Status     uint8    // 0 n/a, 1 in regular service, 2 irregular service
	Signal     uint8    // signal in service (5 bits)
	Hour       uint8    // time of the next signal shift
	Minute     uint8    //
	NextSignal uint8    // expected next signal (5 bits)
	Spare      [13]byte // 102 bits, most significant first
}

// AppID returns DAC 1, FI 19.
func (m *TrafficSignal) AppID() (uint16, uint8) { return 1, 19 }

// Position returns the signal station's position in degrees.
func (m *TrafficSignal) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div3)
}

func (m *TrafficSignal) walk(c *coder) {
	c.u16(&m.Linkage, 10)
	c.text(&m.Station, 20)
	c.i32(&m.Lon, 25)
	c.i32(&m.Lat, 24)
	c.u8(&m.Status, 2)
	c.u8(&m.Signal, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.u8(&m.NextSignal, 5)
	c.rawBits(m.Spare[:], 102)
}
