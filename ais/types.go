package ais

import "strings"

// Field widths and layouts follow ITU-R M.1371-5 Annex 8; names follow
// gpsd's AIVDM document, whose JSON keys are the de facto vocabulary.

// PositionReport is a Class A position report: types 1, 2 and 3.
type PositionReport struct {
	Header
	Status   uint8   // navigational status, 0-15 (15: not defined)
	Turn     Turn    // rate of turn indicator
	Speed    Speed   // speed over ground
	Accuracy bool    // position accuracy better than 10 m
	Lon      int32   // longitude in 1/10000 minute; 181° means not available
	Lat      int32   // latitude in 1/10000 minute; 91° means not available
	Course   Course  // course over ground
	Heading  Heading // true heading
	Second   uint8   // UTC second of the report; 60-63 mean not available or degraded
	Maneuver uint8   // special manoeuvre indicator, 0-2
	Spare    uint8   // 3 bits
	RAIM     bool    // RAIM in use
	Radio    uint32  // communication state, 19 bits
}

func (m *PositionReport) walk(c *coder) {
	if c.mode == decoding {
		m.decode(c.b)
		c.pos += 130
		return
	}
	c.u8(&m.Status, 4)
	c.i8((*int8)(&m.Turn), 8)
	c.u16((*uint16)(&m.Speed), 10)
	c.flag(&m.Accuracy)
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u16((*uint16)(&m.Course), 12)
	c.u16((*uint16)(&m.Heading), 9)
	c.u8(&m.Second, 6)
	c.u8(&m.Maneuver, 2)
	c.u8(&m.Spare, 3)
	c.flag(&m.RAIM)
	c.u32(&m.Radio, 19)
}

// decode is walk's decoding, unrolled for the hottest message there is;
// the round-trip tests hold it to walk's layout.
func (m *PositionReport) decode(b *Bits) {
	w0, w1, w2 := b.w[0], b.w[1], b.w[2]
	m.Status = uint8(w0 >> 22 & 0xF)
	m.Turn = Turn(int8(w0 >> 14))
	m.Speed = Speed(w0 >> 4 & 0x3FF)
	m.Accuracy = w0>>3&1 == 1
	m.Lon = int32(int64(w0<<61|w1>>3) >> 36) // bits 61-88
	m.Lat = int32(int64(w1<<25) >> 37)       // bits 89-115
	m.Course = Course(w1 & 0xFFF)
	m.Heading = Heading(w2 >> 55 & 0x1FF)
	m.Second = uint8(w2 >> 49 & 0x3F)
	m.Maneuver = uint8(w2 >> 47 & 3)
	m.Spare = uint8(w2 >> 44 & 7)
	m.RAIM = w2>>43&1 == 1
	m.Radio = uint32(w2 >> 24 & 0x7FFFF)
}

// Position returns the reported position in degrees.
func (m *PositionReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

// BaseStationReport is a base station report (type 4) or a UTC and date
// response (type 11).
type BaseStationReport struct {
	Header
	Year     uint16 // 1-9999; 0 means not available
	Month    uint8  // 1-12; 0 means not available
	Day      uint8  // 1-31; 0 means not available
	Hour     uint8  // 0-23; 24 means not available
	Minute   uint8  // 0-59; 60 means not available
	Second   uint8  // 0-59; 60 means not available
	Accuracy bool
	Lon      int32 // 1/10000 minute; 181° means not available
	Lat      int32 // 1/10000 minute; 91° means not available
	EPFD     uint8 // type of position fixing device, 0-15
	Spare    uint16
	RAIM     bool
	Radio    uint32 // SOTDMA communication state, 19 bits
}

func (m *BaseStationReport) walk(c *coder) {
	c.u16(&m.Year, 14)
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.u8(&m.Second, 6)
	c.flag(&m.Accuracy)
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u8(&m.EPFD, 4)
	c.u16(&m.Spare, 10)
	c.flag(&m.RAIM)
	c.u32(&m.Radio, 19)
}

// Position returns the station's position in degrees.
func (m *BaseStationReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

// StaticVoyageData is a Class A ship's static and voyage related data:
// type 5.
type StaticVoyageData struct {
	Header
	AISVersion  uint8
	IMO         uint32 // IMO number; 0 means not available
	CallSign    string
	ShipName    string
	ShipType    uint8  // ship and cargo type, 0-99
	ToBow       uint16 // metres from the reference point; 511 means 511 m or more
	ToStern     uint16
	ToPort      uint8 // 63 means 63 m or more
	ToStarboard uint8
	EPFD        uint8
	Month       uint8 // ETA month, 0 = not available
	Day         uint8 // ETA day, 0 = not available
	Hour        uint8 // ETA hour, 24 = not available
	Minute      uint8 // ETA minute, 60 = not available
	Draught     uint8 // tenths of a metre; 0 = not available
	Destination string
	DTE         bool // data terminal not ready
	Spare       uint8
}

func (m *StaticVoyageData) walk(c *coder) {
	c.u8(&m.AISVersion, 2)
	c.u32(&m.IMO, 30)
	c.text(&m.CallSign, 7)
	c.text(&m.ShipName, 20)
	c.u8(&m.ShipType, 8)
	c.u16(&m.ToBow, 9)
	c.u16(&m.ToStern, 9)
	c.u8(&m.ToPort, 6)
	c.u8(&m.ToStarboard, 6)
	c.u8(&m.EPFD, 4)
	c.u8(&m.Month, 4)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.u8(&m.Draught, 8)
	c.text(&m.Destination, 20)
	c.flag(&m.DTE)
	c.u8(&m.Spare, 1)
}

// BinaryAddressed is an addressed binary message: type 6.
type BinaryAddressed struct {
	Header
	Seq        uint8  // sequence number, 0-3
	Dest       uint32 // destination MMSI
	Retransmit bool
	Spare      uint8
	DAC        uint16 // designated area code
	FI         uint8  // function identifier
	// App is the decoded application payload when DAC and FI name one this
	// package knows and the payload fits it; Data and DataBits are then
	// empty. Otherwise App is nil and Data holds the DataBits raw bits that
	// follow FI, packed most significant first.
	App      Application
	Data     []byte
	DataBits int
}

func (m *BinaryAddressed) walk(c *coder) {
	c.u8(&m.Seq, 2)
	c.u32(&m.Dest, 30)
	c.flag(&m.Retransmit)
	c.u8(&m.Spare, 1)
	c.u16(&m.DAC, 10)
	c.u8(&m.FI, 6)
	c.app(&m.App, &m.Data, &m.DataBits, false, &m.DAC, &m.FI, 1008-88)
}

// BinaryAck acknowledges binary (type 7) or safety (type 13) messages.
// Count says how many of the up to four destinations are present.
type BinaryAck struct {
	Header
	Spare uint8
	Count int // destinations present, 1-4
	MMSI  [4]uint32
	Seq   [4]uint8
}

func (m *BinaryAck) walk(c *coder) {
	c.u8(&m.Spare, 2)
	switch c.mode {
	case decoding:
		m.Count = min(4, c.left()/32)
	case random:
		m.Count = 1 + c.rnd.IntN(4)
	}
	for i := range m.Count {
		c.u32(&m.MMSI[i], 30)
		c.u8(&m.Seq[i], 2)
	}
}

// BinaryBroadcast is a broadcast binary message: type 8.
type BinaryBroadcast struct {
	Header
	Spare    uint8
	DAC      uint16
	FI       uint8
	App      Application // see BinaryAddressed
	Data     []byte
	DataBits int
}

func (m *BinaryBroadcast) walk(c *coder) {
	c.u8(&m.Spare, 2)
	c.u16(&m.DAC, 10)
	c.u8(&m.FI, 6)
	c.app(&m.App, &m.Data, &m.DataBits, true, &m.DAC, &m.FI, 1008-56)
}

// SARAircraftReport is a search and rescue aircraft position report: type
// 9.
type SARAircraftReport struct {
	Header
	Altitude uint16 // metres; 4095 = not available, 4094 = 4094 m or higher
	Speed    uint16 // knots; 1023 = not available, 1022 = 1022 kn or more
	Accuracy bool
	Lon      int32 // 1/10000 minute
	Lat      int32
	Course   Course
	Second   uint8
	Regional uint8
	DTE      bool
	Spare    uint8
	Assigned bool
	RAIM     bool
	Radio    uint32 // 20 bits
}

func (m *SARAircraftReport) walk(c *coder) {
	c.u16(&m.Altitude, 12)
	c.u16(&m.Speed, 10)
	c.flag(&m.Accuracy)
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u16((*uint16)(&m.Course), 12)
	c.u8(&m.Second, 6)
	c.u8(&m.Regional, 8)
	c.flag(&m.DTE)
	c.u8(&m.Spare, 3)
	c.flag(&m.Assigned)
	c.flag(&m.RAIM)
	c.u32(&m.Radio, 20)
}

// Position returns the aircraft's position in degrees.
func (m *SARAircraftReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

// UTCInquiry asks a station for UTC and date: type 10.
type UTCInquiry struct {
	Header
	Spare  uint8
	Dest   uint32
	Spare2 uint8
}

func (m *UTCInquiry) walk(c *coder) {
	c.u8(&m.Spare, 2)
	c.u32(&m.Dest, 30)
	c.u8(&m.Spare2, 2)
}

// SafetyAddressed is an addressed safety related text: type 12.
type SafetyAddressed struct {
	Header
	Seq        uint8
	Dest       uint32
	Retransmit bool
	Spare      uint8
	Text       string
}

func (m *SafetyAddressed) walk(c *coder) {
	c.u8(&m.Seq, 2)
	c.u32(&m.Dest, 30)
	c.flag(&m.Retransmit)
	c.u8(&m.Spare, 1)
	c.textEnd(&m.Text, (1008-72)/6)
}

// SafetyBroadcast is a broadcast safety related text: type 14. AIS-SART,
// MOB and EPIRB-AIS devices send "SART ACTIVE", "MOB ACTIVE" and the like,
// or "SART TEST" when tested.
type SafetyBroadcast struct {
	Header
	Spare uint8
	Text  string
}

func (m *SafetyBroadcast) walk(c *coder) {
	c.u8(&m.Spare, 2)
	c.textEnd(&m.Text, (1008-40)/6)
}

// Interrogation asks up to two stations for specific messages: type 15.
// Count says how many requests are present: 1 (station 1, first message),
// 2 (station 1, two messages) or 3 (and station 2's message).
type Interrogation struct {
	Header
	Spare    uint8
	MMSI1    uint32
	Type1_1  uint8
	Offset11 uint16
	Spare2   uint8
	Type1_2  uint8
	Offset12 uint16
	Spare3   uint8
	MMSI2    uint32
	Type2_1  uint8
	Offset21 uint16
	Spare4   uint8
	Count    int
}

func (m *Interrogation) walk(c *coder) {
	switch c.mode {
	case decoding:
		switch n := c.b.n; {
		case n > 110:
			m.Count = 3
		case n > 90:
			m.Count = 2
		default:
			m.Count = 1
		}
	case random:
		m.Count = 1 + c.rnd.IntN(3)
	}
	c.u8(&m.Spare, 2)
	c.u32(&m.MMSI1, 30)
	c.u8(&m.Type1_1, 6)
	c.u16(&m.Offset11, 12)
	if m.Count == 1 {
		c.u8(&m.Spare2, 2)
		return
	}
	c.u8(&m.Spare2, 2)
	c.u8(&m.Type1_2, 6)
	c.u16(&m.Offset12, 12)
	c.u8(&m.Spare3, 2)
	if m.Count == 2 {
		return
	}
	c.u32(&m.MMSI2, 30)
	c.u8(&m.Type2_1, 6)
	c.u16(&m.Offset21, 12)
	c.u8(&m.Spare4, 2)
}

// AssignedModeCommand assigns reporting schedules: type 16. Count is 1 or
// 2 assignments.
type AssignedModeCommand struct {
	Header
	Spare      uint8
	MMSI1      uint32
	Offset1    uint16
	Increment1 uint16
	MMSI2      uint32
	Offset2    uint16
	Increment2 uint16
	Spare2     uint8 // 4 bits after a single assignment
	Count      int
}

func (m *AssignedModeCommand) walk(c *coder) {
	switch c.mode {
	case decoding:
		m.Count = 1
		if c.b.n >= 144 {
			m.Count = 2
		}
	case random:
		m.Count = 1 + c.rnd.IntN(2)
	}
	c.u8(&m.Spare, 2)
	c.u32(&m.MMSI1, 30)
	c.u16(&m.Offset1, 12)
	c.u16(&m.Increment1, 10)
	if m.Count == 1 {
		c.u8(&m.Spare2, 4)
		return
	}
	c.u32(&m.MMSI2, 30)
	c.u16(&m.Offset2, 12)
	c.u16(&m.Increment2, 10)
}

// DGNSSBroadcast carries DGNSS corrections: type 17. Data holds the raw
// correction words.
type DGNSSBroadcast struct {
	Header
	Spare    uint8
	Lon      int32 // reference station, 1/10 minute (18 bits)
	Lat      int32 // 17 bits
	Spare2   uint8
	Data     []byte
	DataBits int
}

func (m *DGNSSBroadcast) walk(c *coder) {
	c.u8(&m.Spare, 2)
	c.i32(&m.Lon, 18)
	c.i32(&m.Lat, 17)
	c.u8(&m.Spare2, 5)
	c.data(&m.Data, &m.DataBits, 816-80, 0)
}

// Position returns the reference station's position in degrees.
func (m *DGNSSBroadcast) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div1)
}

// ClassBPositionReport is a standard Class B position report: type 18.
type ClassBPositionReport struct {
	Header
	Reserved uint8
	Speed    Speed
	Accuracy bool
	Lon      int32
	Lat      int32
	Course   Course
	Heading  Heading
	Second   uint8
	Regional uint8
	CS       bool // carrier-sense unit
	Display  bool
	DSC      bool
	Band     bool
	Msg22    bool
	Assigned bool
	RAIM     bool
	Radio    uint32 // 20 bits
}

func (m *ClassBPositionReport) walk(c *coder) {
	c.u8(&m.Reserved, 8)
	c.u16((*uint16)(&m.Speed), 10)
	c.flag(&m.Accuracy)
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u16((*uint16)(&m.Course), 12)
	c.u16((*uint16)(&m.Heading), 9)
	c.u8(&m.Second, 6)
	c.u8(&m.Regional, 2)
	c.flag(&m.CS)
	c.flag(&m.Display)
	c.flag(&m.DSC)
	c.flag(&m.Band)
	c.flag(&m.Msg22)
	c.flag(&m.Assigned)
	c.flag(&m.RAIM)
	c.u32(&m.Radio, 20)
}

// Position returns the reported position in degrees.
func (m *ClassBPositionReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

// ClassBExtendedReport is an extended Class B position report: type 19.
type ClassBExtendedReport struct {
	Header
	Reserved    uint8
	Speed       Speed
	Accuracy    bool
	Lon         int32
	Lat         int32
	Course      Course
	Heading     Heading
	Second      uint8
	Regional    uint8
	ShipName    string
	ShipType    uint8
	ToBow       uint16
	ToStern     uint16
	ToPort      uint8
	ToStarboard uint8
	EPFD        uint8
	RAIM        bool
	DTE         bool
	Assigned    bool
	Spare       uint8
}

func (m *ClassBExtendedReport) walk(c *coder) {
	c.u8(&m.Reserved, 8)
	c.u16((*uint16)(&m.Speed), 10)
	c.flag(&m.Accuracy)
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u16((*uint16)(&m.Course), 12)
	c.u16((*uint16)(&m.Heading), 9)
	c.u8(&m.Second, 6)
	c.u8(&m.Regional, 4)
	c.text(&m.ShipName, 20)
	c.u8(&m.ShipType, 8)
	c.u16(&m.ToBow, 9)
	c.u16(&m.ToStern, 9)
	c.u8(&m.ToPort, 6)
	c.u8(&m.ToStarboard, 6)
	c.u8(&m.EPFD, 4)
	c.flag(&m.RAIM)
	c.flag(&m.DTE)
	c.flag(&m.Assigned)
	c.u8(&m.Spare, 4)
}

// Position returns the reported position in degrees.
func (m *ClassBExtendedReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

// SlotReservation is one reservation of a data link management message.
type SlotReservation struct {
	Offset    uint16 // 12 bits
	Number    uint8  // 4 bits
	Timeout   uint8  // 3 bits
	Increment uint16 // 11 bits
}

// DataLinkManagement reserves slots for base stations: type 20. Count is
// the number of reservations present, 1-4.
type DataLinkManagement struct {
	Header
	Spare        uint8
	Reservations [4]SlotReservation
	Count        int
	Spare2       uint8 // up to 6 bits of padding after the last reservation
	Spare2Bits   int
}

func (m *DataLinkManagement) walk(c *coder) {
	c.u8(&m.Spare, 2)
	switch c.mode {
	case decoding:
		m.Count = min(4, max(1, c.left()/30))
	case random:
		m.Count = 1 + c.rnd.IntN(4)
	}
	for i := range m.Count {
		r := &m.Reservations[i]
		c.u16(&r.Offset, 12)
		c.u8(&r.Number, 4)
		c.u8(&r.Timeout, 3)
		c.u16(&r.Increment, 11)
	}
	switch c.mode {
	case decoding:
		m.Spare2Bits = max(0, min(6, c.left()))
	case random:
		m.Spare2Bits = (8 - (40+30*m.Count)%8) % 8
	}
	c.u8(&m.Spare2, m.Spare2Bits)
}

// AidToNavigationReport is an aid to navigation's report: type 21.
type AidToNavigationReport struct {
	Header
	AidType     uint8  // 0-31
	Name        string // up to 34 characters, the name extension included
	Accuracy    bool
	Lon         int32
	Lat         int32
	ToBow       uint16
	ToStern     uint16
	ToPort      uint8
	ToStarboard uint8
	EPFD        uint8
	Second      uint8
	OffPosition bool
	Regional    uint8
	RAIM        bool
	Virtual     bool
	Assigned    bool
	Spare       uint8
}

func (m *AidToNavigationReport) walk(c *coder) {
	c.u8(&m.AidType, 5)
	// The first 20 characters sit here; an extension of up to 14 follows
	// the fixed fields when all 20 are used.
	var name, ext string
	switch c.mode {
	case decoding:
		name = decodeRawText(c.b, c.pos, 20)
		c.pos += 120
	case encoding:
		name = m.Name
		if len(name) > 20 {
			name, ext = name[:20], name[20:]
		}
		c.text(&name, 20)
	case random:
		m.Name = randomText(c.rnd, 34)
		if len(m.Name) > 20 {
			ext = m.Name[20:]
		}
	}
	c.flag(&m.Accuracy)
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u16(&m.ToBow, 9)
	c.u16(&m.ToStern, 9)
	c.u8(&m.ToPort, 6)
	c.u8(&m.ToStarboard, 6)
	c.u8(&m.EPFD, 4)
	c.u8(&m.Second, 6)
	c.flag(&m.OffPosition)
	c.u8(&m.Regional, 8)
	c.flag(&m.RAIM)
	c.flag(&m.Virtual)
	c.flag(&m.Assigned)
	c.u8(&m.Spare, 1)
	switch c.mode {
	case decoding:
		if len(name) == 20 {
			c.textEnd(&ext, 14)
		}
		m.Name = strings.TrimRight(name+ext, " ")
	case encoding:
		if ext != "" {
			c.textEnd(&ext, 14)
		}
	}
}

// Position returns the aid's position in degrees.
func (m *AidToNavigationReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

// ChannelManagement sets channels and transmit modes for a region or for
// two addressed stations: type 22.
type ChannelManagement struct {
	Header
	Spare     uint8
	ChannelA  uint16
	ChannelB  uint16
	TxRx      uint8
	Power     bool
	NELon     int32  // region, 1/10 minute (18 bits), when not Addressed
	NELat     int32  // 17 bits
	SWLon     int32  // 18 bits
	SWLat     int32  // 17 bits
	Dest1     uint32 // addressed stations, when Addressed
	Spare1    uint8  // 5 bits after Dest1
	Dest2     uint32
	Spare2    uint8 // 5 bits after Dest2
	Addressed bool
	BandA     bool
	BandB     bool
	ZoneSize  uint8
	Spare3    uint32 // 23 bits
}

func (m *ChannelManagement) walk(c *coder) {
	c.u8(&m.Spare, 2)
	c.u16(&m.ChannelA, 12)
	c.u16(&m.ChannelB, 12)
	c.u8(&m.TxRx, 4)
	c.flag(&m.Power)
	switch c.mode {
	case decoding:
		m.Addressed = c.b.Uint(139, 1) == 1
	case random:
		m.Addressed = c.rnd.IntN(2) == 1
	}
	if m.Addressed {
		c.u32(&m.Dest1, 30)
		c.u8(&m.Spare1, 5)
		c.u32(&m.Dest2, 30)
		c.u8(&m.Spare2, 5)
	} else {
		c.i32(&m.NELon, 18)
		c.i32(&m.NELat, 17)
		c.i32(&m.SWLon, 18)
		c.i32(&m.SWLat, 17)
	}
	addressed := m.Addressed // walked above: bit 139 decides the layout
	c.flag(&addressed)
	c.flag(&m.BandA)
	c.flag(&m.BandB)
	c.u8(&m.ZoneSize, 3)
	c.u32(&m.Spare3, 23)
}

// GroupAssignment assigns reporting behaviour to the stations in a region:
// type 23.
type GroupAssignment struct {
	Header
	Spare       uint8
	NELon       int32 // 1/10 minute (18 bits)
	NELat       int32 // 17 bits
	SWLon       int32
	SWLat       int32
	StationType uint8
	ShipType    uint8
	Spare2      uint32 // 22 bits
	TxRx        uint8
	Interval    uint8
	Quiet       uint8
	Spare3      uint8 // 6 bits
}

func (m *GroupAssignment) walk(c *coder) {
	c.u8(&m.Spare, 2)
	c.i32(&m.NELon, 18)
	c.i32(&m.NELat, 17)
	c.i32(&m.SWLon, 18)
	c.i32(&m.SWLat, 17)
	c.u8(&m.StationType, 4)
	c.u8(&m.ShipType, 8)
	c.u32(&m.Spare2, 22)
	c.u8(&m.TxRx, 2)
	c.u8(&m.Interval, 4)
	c.u8(&m.Quiet, 4)
	c.u8(&m.Spare3, 6)
}

// StaticDataReport is one part of a Class B static data report: type 24.
// Part 0 (A) carries the name; part 1 (B) the rest. Parts arrive as
// separate messages: pair them by MMSI.
type StaticDataReport struct {
	Header
	Part        uint8  // 0 = A, 1 = B
	ShipName    string // part A
	Spare       uint8  // part A: 8 bits; part B: 6 bits
	ShipType    uint8  // part B from here
	VendorID    string // 3 characters (ITU-R M.1371-4 and later)
	Model       uint8  // 4 bits
	Serial      uint32 // 20 bits
	CallSign    string
	ToBow       uint16
	ToStern     uint16
	ToPort      uint8
	ToStarboard uint8
	Mothership  uint32 // instead of dimensions, for auxiliary craft (MMSI 98xxxxxxx)
}

// Auxiliary reports whether the MMSI is a craft associated with a parent
// ship (98MIDxxxx), whose part B names the mothership instead of
// dimensions.
func (m *StaticDataReport) Auxiliary() bool { return m.MMSI/10000000 == 98 }

func (m *StaticDataReport) walk(c *coder) {
	part := m.Part
	c.u8(&part, 2)
	if c.mode == random {
		part = uint8(c.rnd.IntN(2))
	}
	m.Part = part
	if c.mode == decoding && (part == 0 && c.b.n > 168 || part == 1 && c.b.n < 168) {
		c.badLen = true // as gpsd: part A is 160-168 bits, part B at least 168
	}
	switch m.Part {
	case 0:
		c.text(&m.ShipName, 20)
		c.u8(&m.Spare, 8)
	case 1:
		c.u8(&m.ShipType, 8)
		c.text(&m.VendorID, 3)
		c.u8(&m.Model, 4)
		c.u32(&m.Serial, 20)
		c.text(&m.CallSign, 7)
		if m.Auxiliary() {
			c.u32(&m.Mothership, 30)
		} else {
			c.u16(&m.ToBow, 9)
			c.u16(&m.ToStern, 9)
			c.u8(&m.ToPort, 6)
			c.u8(&m.ToStarboard, 6)
		}
		c.u8(&m.Spare, 6)
	default:
		c.bad = true
	}
}

// SingleSlotBinary is a single-slot binary message: type 25.
type SingleSlotBinary struct {
	Header
	Addressed  bool
	Structured bool
	Dest       uint32 // when Addressed
	AppID      uint16 // when Structured: DAC (10 bits) and FI (6 bits)
	Data       []byte
	DataBits   int
}

func (m *SingleSlotBinary) walk(c *coder) {
	c.flag(&m.Addressed)
	c.flag(&m.Structured)
	if m.Addressed {
		c.u32(&m.Dest, 30)
	}
	if m.Structured {
		c.u16(&m.AppID, 16)
	}
	limit := 168 - 40
	if m.Addressed {
		limit -= 30
	}
	if m.Structured {
		limit -= 16
	}
	if c.mode == decoding && c.b.n < 168-limit {
		c.badLen = true // too short for its own addressing mode (gpsd's rule too)
	}
	c.data(&m.Data, &m.DataBits, limit, 0)
}

// MultiSlotBinary is a multiple-slot binary message with a communication
// state: type 26.
type MultiSlotBinary struct {
	Header
	Addressed  bool
	Structured bool
	Dest       uint32
	AppID      uint16
	Data       []byte
	DataBits   int
	Radio      uint32 // 20 bits, the last in the message
}

func (m *MultiSlotBinary) walk(c *coder) {
	c.flag(&m.Addressed)
	c.flag(&m.Structured)
	if m.Addressed {
		c.u32(&m.Dest, 30)
	}
	if m.Structured {
		c.u16(&m.AppID, 16)
	}
	limit := 1004 - 60
	if m.Addressed {
		limit -= 30
	}
	if m.Structured {
		limit -= 16
	}
	if c.mode == decoding && c.b.n < 1004-limit {
		c.badLen = true // too short for its addressing mode and radio field (gpsd's rule too)
	}
	c.data(&m.Data, &m.DataBits, limit, 20)
	c.u32(&m.Radio, 20)
}

// LongRangeReport is a long-range (satellite) position report: type 27.
type LongRangeReport struct {
	Header
	Accuracy bool
	RAIM     bool
	Status   uint8
	Lon      int32 // 1/10 minute (18 bits); 181° = not available
	Lat      int32 // 17 bits; 91° = not available
	Speed    uint8 // knots; 63 = not available
	Course   uint16
	GNSS     bool // false: current GNSS position; true: not GNSS position
	Spare    uint8
}

func (m *LongRangeReport) walk(c *coder) {
	if c.mode == decoding && c.b.n != 96 && c.b.n != 168 {
		c.badLen = true // 96 bits, or a whole slot from some transmitters; as gpsd
	}
	c.flag(&m.Accuracy)
	c.flag(&m.RAIM)
	c.u8(&m.Status, 4)
	c.i32(&m.Lon, 18)
	c.i32(&m.Lat, 17)
	c.u8(&m.Speed, 6)
	c.u16(&m.Course, 9)
	c.flag(&m.GNSS)
	c.u8(&m.Spare, 1)
}

// Position returns the reported position in degrees.
func (m *LongRangeReport) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div1)
}
