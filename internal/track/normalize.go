package track

import (
	"math"
	"strings"

	"straitwatch/ais"
)

// FromMessage normalises a decoded AIS message heard by src at event time
// t (UNIX milliseconds) into a position fix, static data, both or neither:
//
//   - types 1-3, 4, 9, 18 and 27 give a fix;
//   - types 19 and 21 give a fix and static data;
//   - types 5 and 24 (part A or B) give static data;
//   - every other type gives nothing.
//
// A report whose position is not available or out of range gives no fix;
// static data whose every field is not available gives no Static. The
// fix's Heard has src's bit set when src < 64. FromMessage keeps no
// reference to m, so m may be a Decoder's reused message.
func FromMessage(m ais.Message, t int64, src SourceID) (fix Fix, hasFix bool, st Static, hasStatic bool) {
	if m == nil {
		return Fix{}, false, Static{}, false
	}
	h := m.Head()
	fix = Fix{
		MMSI:    h.MMSI,
		Time:    t,
		SOG:     nan32(),
		COG:     nan32(),
		Heading: -1,
		Status:  15,
		Source:  src,
	}
	if src < 64 {
		fix.Heard = 1 << src
	}
	st = Static{MMSI: h.MMSI, Time: t, Source: src}

	switch v := m.(type) {
	case *ais.PositionReport:
		fix.Class = ClassA
		fix.Lat, fix.Lon, hasFix = v.Position()
		fix.SOG = knots(v.Speed)
		fix.COG = course(v.Course)
		fix.Heading = heading(v.Heading)
		fix.Status = v.Status & 0xF
	case *ais.BaseStationReport:
		if h.Type != 4 {
			return Fix{}, false, Static{}, false // type 11 answers a UTC inquiry
		}
		fix.Class = ClassBase
		fix.Lat, fix.Lon, hasFix = v.Position()
	case *ais.SARAircraftReport:
		fix.Class = ClassSAR
		fix.Lat, fix.Lon, hasFix = v.Position()
		if v.Speed < 1023 {
			fix.SOG = float32(v.Speed)
		}
		fix.COG = course(v.Course)
	case *ais.ClassBPositionReport:
		fix.Class = ClassB
		fix.Lat, fix.Lon, hasFix = v.Position()
		fix.SOG = knots(v.Speed)
		fix.COG = course(v.Course)
		fix.Heading = heading(v.Heading)
	case *ais.ClassBExtendedReport:
		fix.Class = ClassB
		fix.Lat, fix.Lon, hasFix = v.Position()
		fix.SOG = knots(v.Speed)
		fix.COG = course(v.Course)
		fix.Heading = heading(v.Heading)
		st.setName(v.ShipName)
		st.setShipType(v.ShipType)
		st.setDimensions(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
	case *ais.AidToNavigationReport:
		fix.Class = ClassAtoN
		fix.Lat, fix.Lon, hasFix = v.Position()
		st.setName(v.Name)
		st.setDimensions(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
		if v.AidType > 0 && v.AidType < 32 {
			st.AidType = v.AidType
			st.Has |= HasAidType
		}
	case *ais.LongRangeReport:
		fix.Class = ClassLongRange
		fix.Lat, fix.Lon, hasFix = v.Position()
		if v.Speed < 63 {
			fix.SOG = float32(v.Speed)
		}
		if v.Course < 360 {
			fix.COG = float32(v.Course)
		}
		fix.Status = v.Status & 0xF
	case *ais.StaticVoyageData:
		st.setName(v.ShipName)
		st.setCallSign(v.CallSign)
		if v.IMO > 0 && v.IMO <= 999_999_999 {
			st.IMO = v.IMO
			st.Has |= HasIMO
		}
		st.setShipType(v.ShipType)
		st.setDimensions(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
		st.Draught = nan32()
		if v.Draught > 0 {
			st.Draught = float32(v.Draught) / 10
			st.Has |= HasVoyage
		}
		if d := strings.TrimSpace(v.Destination); d != "" {
			st.Destination = d
			st.Has |= HasVoyage
		}
		if eta := formatETA(v.Month, v.Day, v.Hour, v.Minute); eta != "" {
			st.ETA = eta
			st.Has |= HasVoyage
		}
	case *ais.StaticDataReport:
		switch v.Part {
		case 0:
			st.setName(v.ShipName)
		case 1:
			st.setShipType(v.ShipType)
			st.setCallSign(v.CallSign)
			if v.Auxiliary() {
				if v.Mothership != 0 {
					st.Mothership = v.Mothership
					st.Has |= HasMothership
				}
			} else {
				st.setDimensions(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
			}
		}
	default:
		return Fix{}, false, Static{}, false
	}
	if st.Has&HasVoyage == 0 {
		st.Draught = 0
	}
	if !hasFix {
		fix = Fix{}
	}
	hasStatic = st.Has != 0
	if !hasStatic {
		st = Static{}
	}
	return fix, hasFix, st, hasStatic
}

func (s *Static) setName(name string) {
	if name = strings.TrimSpace(name); name != "" {
		s.Name = name
		s.Has |= HasName
	}
}

func (s *Static) setCallSign(cs string) {
	if cs = strings.TrimSpace(cs); cs != "" {
		s.CallSign = cs
		s.Has |= HasCallSign
	}
}

func (s *Static) setShipType(t uint8) {
	if t > 0 && t < 100 {
		s.ShipType = t
		s.Has |= HasShipType
	}
}

// setDimensions records the dimensions unless all four are 0, which means
// not available.
func (s *Static) setDimensions(bow, stern uint16, port, starboard uint8) {
	if bow == 0 && stern == 0 && port == 0 && starboard == 0 {
		return
	}
	s.ToBow, s.ToStern, s.ToPort, s.ToStarboard = bow, stern, port, starboard
	s.Has |= HasDimensions
}

// formatETA formats a type 5 ETA as "MM-DDTHH:MMZ", or returns "" when any
// part is not available or out of range.
func formatETA(month, day, hour, minute uint8) string {
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 {
		return ""
	}
	b := [12]byte{0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, 'Z'}
	for i, v := range [4]uint8{month, day, hour, minute} {
		b[3*i] = '0' + v/10
		b[3*i+1] = '0' + v%10
	}
	return string(b[:])
}

// knots converts an AIS speed to knots, NaN when not available.
func knots(s ais.Speed) float32 {
	if kn, ok := s.Knots(); ok {
		return float32(kn)
	}
	return nan32()
}

// course converts an AIS course to degrees, NaN when not available.
func course(c ais.Course) float32 {
	if deg, ok := c.Degrees(); ok {
		return float32(deg)
	}
	return nan32()
}

// heading converts an AIS heading to degrees, -1 when not available.
func heading(h ais.Heading) int16 {
	if deg, ok := h.Degrees(); ok {
		return int16(deg)
	}
	return -1
}

// nan32 is the float32 "not available" value.
func nan32() float32 { return float32(math.NaN()) }

// TextOf returns the safety text m carries (AIS types 12 and 14) heard by
// src at event time t, and whether it carries one.
func TextOf(m ais.Message, t int64, src SourceID) (Text, bool) {
	switch v := m.(type) {
	case *ais.SafetyBroadcast:
		return Text{MMSI: v.MMSI, Time: t, Text: v.Text, Source: src}, true
	case *ais.SafetyAddressed:
		return Text{MMSI: v.MMSI, Time: t, Dest: v.Dest, Text: v.Text, Source: src}, true
	}
	return Text{}, false
}
