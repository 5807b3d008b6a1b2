package ais

// Regional applications: Inland AIS (DAC 200, besides the ship static and
// voyage data of binary.go) and the GLA AtoN monitoring data of the UK and
// Ireland (DAC 235 and 250). Each has a fixed length; a message of another
// length is kept raw, as gpsd does.

// InlandPlaceTime is the lock, bridge or terminal and the time that the
// Inland AIS ETA and RTA messages share.
type InlandPlaceTime struct {
	Country    string // UN country code, 2 characters
	Locode     string // UN/LOCODE, 3 characters
	Section    string // fairway section, 5 characters
	Terminal   string // terminal code, 5 characters
	Hectometre string // fairway hectometre, 5 characters
	Month      uint8  // 1-12; 0 = n/a
	Day        uint8  // 1-31; 0 = n/a
	Hour       uint8  // 0-23; 24 = n/a
	Minute     uint8  // 0-59; 60 = n/a
}

func (p *InlandPlaceTime) walk(c *coder) {
	c.text(&p.Country, 2)
	c.text(&p.Locode, 3)
	c.text(&p.Section, 5)
	c.text(&p.Terminal, 5)
	c.text(&p.Hectometre, 5)
	c.u8(&p.Month, 4)
	c.u8(&p.Day, 5)
	c.u8(&p.Hour, 5)
	c.u8(&p.Minute, 6)
}

// InlandETA is the Inland AIS ETA at a lock, bridge or terminal: DAC 200,
// FI 21, addressed, 248 bits. The standard does not say whether the time
// is UTC or local.
type InlandETA struct {
	InlandPlaceTime
	Tugs       uint8  // assisting tugs, 0-6; 7 = unknown
	AirDraught uint16 // hundredths of a metre, 0-4000 (12 bits); 0 = unknown
	Spare      uint8  // 5 bits
}

// AppID returns DAC 200, FI 21.
func (m *InlandETA) AppID() (uint16, uint8) { return 200, 21 }

func (m *InlandETA) walk(c *coder) {
	m.InlandPlaceTime.walk(c)
	c.u8(&m.Tugs, 3)
	c.u16(&m.AirDraught, 12)
	c.u8(&m.Spare, 5)
}

// InlandRTA is the Inland AIS RTA (requested time of arrival) at a lock,
// bridge or terminal, the answer to an InlandETA: DAC 200, FI 22,
// addressed, 232 bits.
type InlandRTA struct {
	InlandPlaceTime
	Status uint8 // lock, bridge or terminal: 0 operational, 1 limited operation, 2 out of order, 3 n/a
	Spare  uint8 // 2 bits
}

// AppID returns DAC 200, FI 22.
func (m *InlandRTA) AppID() (uint16, uint8) { return 200, 22 }

func (m *InlandRTA) walk(c *coder) {
	m.InlandPlaceTime.walk(c)
	c.u8(&m.Status, 2)
	c.u8(&m.Spare, 2)
}

// InlandPersons is the Inland AIS number of persons on board: DAC 200, FI
// 55, addressed, 168 bits.
type InlandPersons struct {
	Crew       uint8  // 0-254; 255 = unknown
	Passengers uint16 // 0-8190 (13 bits); 8191 = unknown
	Personnel  uint8  // shipboard personnel, 0-254; 255 = unknown
	Spare      uint64 // 51 bits
}

// AppID returns DAC 200, FI 55.
func (m *InlandPersons) AppID() (uint16, uint8) { return 200, 55 }

func (m *InlandPersons) walk(c *coder) {
	c.u8(&m.Crew, 8)
	c.u16(&m.Passengers, 13)
	c.u8(&m.Personnel, 8)
	c.u64(&m.Spare, 51)
}

// AtoNMonitoring is the GLA aid to navigation monitoring data (IALA
// DAC 235 (UK) or 250 (Ireland), FI 10, addressed, 136 bits.
type AtoNMonitoring struct {
	// DAC is the message's DAC, 235 or 250: not part of the payload.
	DAC     uint16
	AnaInt  uint16 // supply voltage of the AIS unit, 0.05 V steps (10 bits); 0 = not used
	AnaExt1 uint16 // external analogue input 1, 0.05 V steps; 0 = not used
	AnaExt2 uint16 // external analogue input 2, 0.05 V steps; 0 = not used
	Racon   uint8  // 0 no RACON, 1 not monitored, 2 operational, 3 error
	Light   uint8  // 0 no light or not monitored, 1 on, 2 off, 3 error
	Alarm   bool   // health alarm (false: good health)
	StatExt uint8  // external digital inputs 7 to 0, one bit each
	OffPos  bool   // off position
	Spare   uint8  // 4 bits
}

// AppID returns DAC 235 or 250 (as in the DAC field), FI 10.
func (m *AtoNMonitoring) AppID() (uint16, uint8) {
	if m.DAC == 250 {
		return 250, 10
	}
	return 235, 10
}

func (m *AtoNMonitoring) walk(c *coder) {
	c.u16(&m.AnaInt, 10)
	c.u16(&m.AnaExt1, 10)
	c.u16(&m.AnaExt2, 10)
	c.u8(&m.Racon, 2)
	c.u8(&m.Light, 2)
	c.flag(&m.Alarm)
	c.u8(&m.StatExt, 8)
	c.flag(&m.OffPos)
	c.u8(&m.Spare, 4)
}

// EMMAWarning is the Inland AIS EMMA weather warning: DAC 200, FI 23,
// broadcast, 256 bits. Min and Max are 8 bits with a ninth sign bit: 0-253,
// ±254 beyond ±253, ±255 unknown; what they measure depends on Type.
type EMMAWarning struct {
	StartYear   uint8 // years since 2000; 0 = n/a
	StartMonth  uint8 // 1-12; 0 = n/a
	StartDay    uint8 // 1-31; 0 = n/a
	EndYear     uint8
	EndMonth    uint8
	EndDay      uint8
	StartHour   uint8 // 0-23; 24 = n/a
	StartMinute uint8 // 0-59; 60 = n/a
	EndHour     uint8
	EndMinute   uint8
	StartLon    int32 // 1/10000 minute (28 bits); 181° = n/a
	StartLat    int32 // 1/10000 minute (27 bits); 91° = n/a
	EndLon      int32
	EndLat      int32
	Type        uint8 // 0 n/a, 1 wind, 2 rain, 3 snow and ice, 4 thunderstorm, 5 fog, 6 low temperature, 7 high temperature, 8 flood, 9 forest fire
	Min         int16 // 9 bits, signed
	Max         int16 // 9 bits, signed
	Intensity   uint8 // classification: 1 slight, 2 medium, 3 strong; 0 = n/a
	Wind        uint8 // wind direction: 0 n/a, 1 N, 2 NE, 3 E, 4 SE, 5 S, 6 SW, 7 W, 8 NW
	Spare       uint8 // 6 bits
}

// AppID returns DAC 200, FI 23.
func (m *EMMAWarning) AppID() (uint16, uint8) { return 200, 23 }

func (m *EMMAWarning) walk(c *coder) {
	c.u8(&m.StartYear, 8)
	c.u8(&m.StartMonth, 4)
	c.u8(&m.StartDay, 5)
	c.u8(&m.EndYear, 8)
	c.u8(&m.EndMonth, 4)
	c.u8(&m.EndDay, 5)
	c.u8(&m.StartHour, 5)
	c.u8(&m.StartMinute, 6)
	c.u8(&m.EndHour, 5)
	c.u8(&m.EndMinute, 6)
	c.i32(&m.StartLon, 28)
	c.i32(&m.StartLat, 27)
	c.i32(&m.EndLon, 28)
	c.i32(&m.EndLat, 27)
	c.u8(&m.Type, 4)
	c.i16(&m.Min, 9)
	c.i16(&m.Max, 9)
	c.u8(&m.Intensity, 2)
	c.u8(&m.Wind, 4)
	c.u8(&m.Spare, 6)
}

// Gauge is one water level of a WaterLevels.
type Gauge struct {
	ID    uint16 // gauge ID (11 bits); 0 = unknown
	Level int16  // centimetres relative to the local reference (14 bits, signed); 0 = unknown
}

// WaterLevels is the Inland AIS water levels message: DAC 200, FI 24,
// broadcast, 168 bits: four gauges.
type WaterLevels struct {
	Country string // UN country code, 2 characters
	Gauges  [4]Gauge
}

// AppID returns DAC 200, FI 24.
func (m *WaterLevels) AppID() (uint16, uint8) { return 200, 24 }

func (m *WaterLevels) walk(c *coder) {
	c.text(&m.Country, 2)
	for i := range m.Gauges {
		c.u16(&m.Gauges[i].ID, 11)
		c.i16(&m.Gauges[i].Level, 14)
	}
}

// SignalStatus is the Inland AIS signal status: DAC 200, FI 40,
// broadcast, 168 bits: the lights a signal shows. gpsd calls it "signal
// strength".
type SignalStatus struct {
	Lon       int32  // 1/10000 minute (28 bits); 181° = n/a
	Lat       int32  // 1/10000 minute (27 bits); 91° = n/a
	Form      uint8  // signal form, Inland AIS Annex C (4 bits); 0 and 15 = unknown
	Facing    uint16 // orientation of the signal, degrees (9 bits); 511 = n/a
	Direction uint8  // direction of impact: 0 unknown, 1 upstream, 2 downstream, 3 to left bank, 4 to right bank
	// Status is the light status (30 bits), nine decimal digits, one per
	// light of the signal form: 0 unknown, 1 no light, 2 white, 3 yellow,
	// 4 green, 5 red, 6 white flashing, 7 yellow flashing.
	Status uint32
	Spare  uint16 // 11 bits
}

// AppID returns DAC 200, FI 40.
func (m *SignalStatus) AppID() (uint16, uint8) { return 200, 40 }

// Position returns the signal's position in degrees.
func (m *SignalStatus) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div4)
}

func (m *SignalStatus) walk(c *coder) {
	c.i32(&m.Lon, 28)
	c.i32(&m.Lat, 27)
	c.u8(&m.Form, 4)
	c.u16(&m.Facing, 9)
	c.u8(&m.Direction, 3)
	c.u32(&m.Status, 30)
	c.u16(&m.Spare, 11)
}
