package ais

import (
	"cmp"
	"slices"
)

// Application is a decoded binary application payload of a type 6 or 8
// message, identified by its DAC and FI.
type Application interface {
	// AppID returns the designated area code and function identifier.
	AppID() (dac uint16, fi uint8)
	walk(c *coder)                             // walks the payload fields after DAC and FI
	appendJSON(dst []byte, scaled bool) []byte // appends "key":value, members, each followed by a comma
}

// appKey identifies an application: addressed (type 6) or broadcast
// (type 8), DAC, FI.
type appKey struct {
	broadcast bool
	dac       uint16
	fi        uint8
}

// appSpec describes one application this package decodes.
type appSpec struct {
	new func() Application
	// fits reports whether a message of n bits (whole message) can hold
	// the application; nil accepts any length.
	fits func(n int) bool
}

// apps lists the applications decoded into structs, following gpsd's
// choice (and its length rules) so that its users see the same fields. The
// registrations are here and in apps.go, which lists the departures from
// gpsd.
var apps = map[appKey]appSpec{}

func register(broadcast bool, dac uint16, fi uint8, new func() Application, fits func(n int) bool) {
	apps[appKey{broadcast, dac, fi}] = appSpec{new: new, fits: fits}
}

// exactly returns a length rule accepting only n bits.
func exactly(n int) func(int) bool { return func(m int) bool { return m == n } }

// app walks the application payload of a type 6 or 8 message: a known
// application into *a, anything else as raw bits into data.
func (c *coder) app(a *Application, data *[]byte, nbits *int, broadcast bool, dac *uint16, fi *uint8, max int) {
	switch c.mode {
	case decoding:
		if spec, ok := apps[appKey{broadcast, *dac, *fi}]; ok && (spec.fits == nil || spec.fits(c.b.n)) {
			start := c.pos
			v := spec.new()
			v.walk(c)
			if !c.reject {
				*a = v
				return
			}
			c.reject = false
			c.pos = start
		}
		c.data(data, nbits, max, 0)
	case encoding:
		if *a != nil {
			(*a).walk(c)
			return
		}
		c.data(data, nbits, max, 0)
	case random:
		if keys := appKeys(broadcast); len(keys) > 0 && c.rnd.IntN(2) == 0 {
			k := keys[c.rnd.IntN(len(keys))]
			*dac, *fi = k.dac, k.fi
			v := apps[k].new()
			v.walk(c)
			*a = v
			return
		}
		for {
			if _, known := apps[appKey{broadcast, *dac, *fi}]; !known {
				break
			}
			*fi++
			*fi &= 63
		}
		c.data(data, nbits, max, 0)
	}
}

// appKeys returns the registered applications of one kind, in a fixed
// order so that random generation is reproducible.
func appKeys(broadcast bool) []appKey {
	var ks []appKey
	for k := range apps {
		if k.broadcast == broadcast {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(a, b appKey) int {
		return cmp.Or(cmp.Compare(a.dac, b.dac), cmp.Compare(a.fi, b.fi))
	})
	return ks
}

func init() {
	register(true, 1, 31, func() Application { return new(MetHydro) }, nil)
	register(true, 1, 11, func() Application { return new(MetHydro11) }, nil)
	register(true, 200, 10, func() Application { return new(InlandStaticVoyage) }, exactly(168))
}

// MetHydro is the IMO Circular 289 meteorological and hydrographic data
// message: DAC 1, FI 31, broadcast, 360 bits. Values are as transmitted;
// each field has a "not available" value given in its comment.
type MetHydro struct {
	Lon          int32 // 1/1000 minute (25 bits); 181° = n/a
	Lat          int32 // 1/1000 minute (24 bits); 91° = n/a
	Accuracy     bool
	Day          uint8  // 0 = n/a
	Hour         uint8  // 24 = n/a
	Minute       uint8  // 60 = n/a
	WindSpeed    uint8  // average wind speed, knots; 127 = n/a
	WindGust     uint8  // knots; 127 = n/a
	WindDir      uint16 // degrees; 360 = n/a
	WindGustDir  uint16 // degrees; 360 = n/a
	AirTemp      int16  // tenths of °C; -1024 = n/a
	Humidity     uint8  // percent; 101 = n/a
	DewPoint     int16  // tenths of °C; 501 = n/a
	Pressure     uint16 // hPa offset: 0 = 799 hPa or less, 1-401 = 800-1200 hPa; 511 = n/a
	PressureTend uint8  // 0 steady, 1 decreasing, 2 increasing, 3 n/a
	VisGreater   bool   // visibility greater than the value
	Visibility   uint8  // tenths of a nautical mile; 127 = n/a
	WaterLevel   uint16 // hundredths of a metre + 10 m; 4001 = n/a
	LevelTrend   uint8  // 0 steady, 1 decreasing, 2 increasing, 3 n/a
	CurSpeed     uint8  // surface current, tenths of a knot; 255 = n/a
	CurDir       uint16 // degrees; 360 = n/a
	CurSpeed2    uint8  // current at CurDepth2, tenths of a knot; 255 = n/a
	CurDir2      uint16 // degrees; 360 = n/a
	CurDepth2    uint8  // metres; 31 = n/a
	CurSpeed3    uint8  // current at CurDepth3, tenths of a knot; 255 = n/a
	CurDir3      uint16 // degrees; 360 = n/a
	CurDepth3    uint8  // metres; 31 = n/a
	WaveHeight   uint8  // tenths of a metre; 255 = n/a
	WavePeriod   uint8  // seconds; 63 = n/a
	WaveDir      uint16 // degrees; 360 = n/a
	SwellHeight  uint8  // tenths of a metre; 255 = n/a
	SwellPeriod  uint8  // seconds; 63 = n/a
	SwellDir     uint16 // degrees; 360 = n/a
	SeaState     uint8  // Beaufort scale; 13 = n/a
	WaterTemp    int16  // tenths of °C; 501 = n/a
	Precip       uint8  // precipitation type (WMO 4.201); 7 = n/a
	Salinity     uint16 // tenths of ‰; 510 = n/a, 511 = sensor fault
	Ice          uint8  // 0 no, 1 yes, 3 n/a
	Spare        uint16 // 10 bits
}

// AppID returns DAC 1, FI 31.
func (m *MetHydro) AppID() (uint16, uint8) { return 1, 31 }

// Position returns the station's position in degrees.
func (m *MetHydro) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div3)
}

func (m *MetHydro) walk(c *coder) {
	c.i32(&m.Lon, 25)
	c.i32(&m.Lat, 24)
	c.flag(&m.Accuracy)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.u8(&m.WindSpeed, 7)
	c.u8(&m.WindGust, 7)
	c.u16(&m.WindDir, 9)
	c.u16(&m.WindGustDir, 9)
	c.i16(&m.AirTemp, 11)
	c.u8(&m.Humidity, 7)
	c.i16(&m.DewPoint, 10)
	c.u16(&m.Pressure, 9)
	c.u8(&m.PressureTend, 2)
	c.flag(&m.VisGreater)
	c.u8(&m.Visibility, 7)
	c.u16(&m.WaterLevel, 12)
	c.u8(&m.LevelTrend, 2)
	c.u8(&m.CurSpeed, 8)
	c.u16(&m.CurDir, 9)
	c.u8(&m.CurSpeed2, 8)
	c.u16(&m.CurDir2, 9)
	c.u8(&m.CurDepth2, 5)
	c.u8(&m.CurSpeed3, 8)
	c.u16(&m.CurDir3, 9)
	c.u8(&m.CurDepth3, 5)
	c.u8(&m.WaveHeight, 8)
	c.u8(&m.WavePeriod, 6)
	c.u16(&m.WaveDir, 9)
	c.u8(&m.SwellHeight, 8)
	c.u8(&m.SwellPeriod, 6)
	c.u16(&m.SwellDir, 9)
	c.u8(&m.SeaState, 4)
	c.i16(&m.WaterTemp, 10)
	c.u8(&m.Precip, 3)
	c.u16(&m.Salinity, 9)
	c.u8(&m.Ice, 2)
	c.u16(&m.Spare, 10)
}

// MetHydro11 is the older IMO Circ. 236 meteorological and hydrographic
// data message: DAC 1, FI 11, broadcast, 352 bits. Its layout is close to
// MetHydro's; temperatures, pressure and water level are offset rather
// than signed, and the "not available" values differ.
type MetHydro11 struct {
	Lat          int32  // 1/1000 minute (24 bits); 91° = n/a
	Lon          int32  // 1/1000 minute (25 bits); 181° = n/a
	Day          uint8  // 0 = n/a
	Hour         uint8  // 24 = n/a
	Minute       uint8  // 60 = n/a
	WindSpeed    uint8  // average wind speed, knots; 127 = n/a
	WindGust     uint8  // knots; 127 = n/a
	WindDir      uint16 // degrees; 511 = n/a
	WindGustDir  uint16 // degrees; 511 = n/a
	AirTemp      uint16 // tenths of °C + 600; 2047 = n/a
	Humidity     uint8  // percent; 127 = n/a
	DewPoint     uint16 // tenths of °C + 200; 1023 = n/a
	Pressure     uint16 // hPa - 800; 511 = n/a
	PressureTend uint8  // 0 steady, 1 decreasing, 2 increasing, 3 n/a
	Visibility   uint8  // tenths of a nautical mile; 255 = n/a
	WaterLevel   uint16 // tenths of a metre + 10 m; 511 = n/a
	LevelTrend   uint8  // 0 steady, 1 decreasing, 2 increasing, 3 n/a
	CurSpeed     uint8  // surface current, tenths of a knot; 255 = n/a
	CurDir       uint16 // degrees; 511 = n/a
	CurSpeed2    uint8  // current at CurDepth2, tenths of a knot; 255 = n/a
	CurDir2      uint16 // degrees; 511 = n/a
	CurDepth2    uint8  // metres; 31 = n/a
	CurSpeed3    uint8  // current at CurDepth3, tenths of a knot; 255 = n/a
	CurDir3      uint16 // degrees; 511 = n/a
	CurDepth3    uint8  // metres; 31 = n/a
	WaveHeight   uint8  // tenths of a metre; 255 = n/a
	WavePeriod   uint8  // seconds; 63 = n/a
	WaveDir      uint16 // degrees; 511 = n/a
	SwellHeight  uint8  // tenths of a metre; 255 = n/a
	SwellPeriod  uint8  // seconds; 63 = n/a
	SwellDir     uint16 // degrees; 511 = n/a
	SeaState     uint8  // Beaufort scale; 15 = n/a
	WaterTemp    uint16 // tenths of °C + 100; 1023 = n/a
	Precip       uint8  // precipitation type (WMO 4.201); 7 = n/a
	Salinity     uint16 // tenths of ‰; 511 = n/a
	Ice          uint8  // 0 no, 1 yes, 3 n/a
	Spare        uint8  // 6 bits
}

// AppID returns DAC 1, FI 11.
func (m *MetHydro11) AppID() (uint16, uint8) { return 1, 11 }

// Position returns the station's position in degrees.
func (m *MetHydro11) Position() (lat, lon float64, ok bool) {
	return position(m.Lat, m.Lon, div3)
}

func (m *MetHydro11) walk(c *coder) {
	c.i32(&m.Lat, 24)
	c.i32(&m.Lon, 25)
	c.u8(&m.Day, 5)
	c.u8(&m.Hour, 5)
	c.u8(&m.Minute, 6)
	c.u8(&m.WindSpeed, 7)
	c.u8(&m.WindGust, 7)
	c.u16(&m.WindDir, 9)
	c.u16(&m.WindGustDir, 9)
	c.u16(&m.AirTemp, 11)
	c.u8(&m.Humidity, 7)
	c.u16(&m.DewPoint, 10)
	c.u16(&m.Pressure, 9)
	c.u8(&m.PressureTend, 2)
	c.u8(&m.Visibility, 8)
	c.u16(&m.WaterLevel, 9)
	c.u8(&m.LevelTrend, 2)
	c.u8(&m.CurSpeed, 8)
	c.u16(&m.CurDir, 9)
	c.u8(&m.CurSpeed2, 8)
	c.u16(&m.CurDir2, 9)
	c.u8(&m.CurDepth2, 5)
	c.u8(&m.CurSpeed3, 8)
	c.u16(&m.CurDir3, 9)
	c.u8(&m.CurDepth3, 5)
	c.u8(&m.WaveHeight, 8)
	c.u8(&m.WavePeriod, 6)
	c.u16(&m.WaveDir, 9)
	c.u8(&m.SwellHeight, 8)
	c.u8(&m.SwellPeriod, 6)
	c.u16(&m.SwellDir, 9)
	c.u8(&m.SeaState, 4)
	c.u16(&m.WaterTemp, 10)
	c.u8(&m.Precip, 3)
	c.u16(&m.Salinity, 9)
	c.u8(&m.Ice, 2)
	c.u8(&m.Spare, 6)
}

// InlandStaticVoyage is the inland waterways ship static and voyage
// related data message: DAC 200, FI 10, broadcast, 168 bits (other lengths
// stay raw, as in gpsd).
type InlandStaticVoyage struct {
	VIN      string // European vessel identification number, 8 characters
	Length   uint16 // tenths of a metre
	Beam     uint16 // tenths of a metre
	ShipType uint16 // ERI ship or combination type
	Hazard   uint8  // number of blue cones: 0-3, 4 = B-flag, 5 = unknown
	Draught  uint16 // hundredths of a metre
	Loaded   uint8  // 0 n/a, 1 loaded, 2 unloaded (gpsd's legends name 1 "Unloaded" and 2 "Loaded")
	SpeedQ   bool   // speed from a certified device
	CourseQ  bool   // course from a certified device
	HeadingQ bool   // heading from a certified device
	Spare    uint8  // 8 bits
}

// AppID returns DAC 200, FI 10.
func (m *InlandStaticVoyage) AppID() (uint16, uint8) { return 200, 10 }

func (m *InlandStaticVoyage) walk(c *coder) {
	c.text(&m.VIN, 8)
	c.u16(&m.Length, 13)
	c.u16(&m.Beam, 10)
	c.u16(&m.ShipType, 14)
	c.u8(&m.Hazard, 3)
	switch {
	case c.mode == random:
		m.Hazard %= 6
	case c.mode == decoding && m.Hazard > 5:
		c.reject = true // not this application: gpsd's guard against false matches
	}
	c.u16(&m.Draught, 11)
	c.u8(&m.Loaded, 2)
	c.flag(&m.SpeedQ)
	c.flag(&m.CourseQ)
	c.flag(&m.HeadingQ)
	c.u8(&m.Spare, 8)
}
