package main

import (
	"strconv"
	"strings"
	"time"

	"straitwatch/ais"
)

// csvColumns are the columns of decode --format csv: the fields analysts
// ask for, in physical units, empty where a message has no such field or
// the value is "not available".
var csvColumns = []string{
	"time", "type", "repeat", "mmsi", "lat", "lon", "speed_kn", "course_deg", "heading_deg",
	"status", "turn_deg_min", "imo", "callsign", "shipname", "shiptype",
	"to_bow", "to_stern", "to_port", "to_starboard", "draught_m", "destination", "eta", "text",
}

func appendCSVHeader(dst []byte) []byte {
	return append(append(dst, strings.Join(csvColumns, ",")...), '\n')
}

// csvRow collects one message's cells.
type csvRow [23]string

const (
	cTime = iota
	cType
	cRepeat
	cMMSI
	cLat
	cLon
	cSpeed
	cCourse
	cHeading
	cStatus
	cTurn
	cIMO
	cCallsign
	cShipname
	cShiptype
	cBow
	cStern
	cPort
	cStarboard
	cDraught
	cDestination
	cETA
	cText
)

func appendCSV(dst []byte, m ais.Message, t time.Time) []byte {
	var r csvRow
	h := m.Head()
	if !t.IsZero() {
		r[cTime] = t.UTC().Format(time.RFC3339Nano)
	}
	r[cType] = strconv.Itoa(int(h.Type))
	r[cRepeat] = strconv.Itoa(int(h.Repeat))
	r[cMMSI] = strconv.FormatUint(uint64(h.MMSI), 10)
	if p, ok := m.(ais.Positioner); ok {
		if lat, lon, ok := p.Position(); ok {
			r[cLat] = strconv.FormatFloat(lat, 'f', 6, 64)
			r[cLon] = strconv.FormatFloat(lon, 'f', 6, 64)
		}
	}
	speed := func(s ais.Speed) {
		if kn, ok := s.Knots(); ok {
			r[cSpeed] = strconv.FormatFloat(kn, 'f', 1, 64)
		}
	}
	course := func(c ais.Course) {
		if d, ok := c.Degrees(); ok {
			r[cCourse] = strconv.FormatFloat(d, 'f', 1, 64)
		}
	}
	heading := func(hd ais.Heading) {
		if d, ok := hd.Degrees(); ok {
			r[cHeading] = strconv.Itoa(d)
		}
	}
	dims := func(bow, stern uint16, port, starboard uint8) {
		r[cBow], r[cStern] = strconv.Itoa(int(bow)), strconv.Itoa(int(stern))
		r[cPort], r[cStarboard] = strconv.Itoa(int(port)), strconv.Itoa(int(starboard))
	}
	switch v := m.(type) {
	case *ais.PositionReport:
		speed(v.Speed)
		course(v.Course)
		heading(v.Heading)
		r[cStatus] = strconv.Itoa(int(v.Status))
		if rate, ok := v.Turn.DegreesPerMinute(); ok {
			r[cTurn] = strconv.FormatFloat(rate, 'f', 1, 64)
		}
	case *ais.ClassBPositionReport:
		speed(v.Speed)
		course(v.Course)
		heading(v.Heading)
	case *ais.ClassBExtendedReport:
		speed(v.Speed)
		course(v.Course)
		heading(v.Heading)
		r[cShipname] = v.ShipName
		r[cShiptype] = strconv.Itoa(int(v.ShipType))
		dims(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
	case *ais.StaticVoyageData:
		if v.IMO != 0 {
			r[cIMO] = strconv.FormatUint(uint64(v.IMO), 10)
		}
		r[cCallsign], r[cShipname], r[cDestination] = v.CallSign, v.ShipName, v.Destination
		r[cShiptype] = strconv.Itoa(int(v.ShipType))
		dims(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
		if v.Draught != 0 {
			r[cDraught] = strconv.FormatFloat(float64(v.Draught)/10, 'f', 1, 64)
		}
		if v.Month != 0 && v.Day != 0 && v.Hour < 24 && v.Minute < 60 {
			r[cETA] = pad2(v.Month) + "-" + pad2(v.Day) + "T" + pad2(v.Hour) + ":" + pad2(v.Minute) + "Z"
		}
	case *ais.StaticDataReport:
		r[cShipname], r[cCallsign] = v.ShipName, v.CallSign
		if v.Part == 1 {
			r[cShiptype] = strconv.Itoa(int(v.ShipType))
			if !v.Auxiliary() {
				dims(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
			}
		}
	case *ais.AidToNavigationReport:
		r[cShipname] = v.Name
		dims(v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
	case *ais.LongRangeReport:
		r[cStatus] = strconv.Itoa(int(v.Status))
		if v.Speed != 63 {
			r[cSpeed] = strconv.Itoa(int(v.Speed))
		}
		if v.Course != 511 {
			r[cCourse] = strconv.Itoa(int(v.Course))
		}
	case *ais.SafetyBroadcast:
		r[cText] = v.Text
	case *ais.SafetyAddressed:
		r[cText] = v.Text
	}
	for i, cell := range r {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendCSVCell(dst, cell)
	}
	return append(dst, '\n')
}

func pad2(v uint8) string {
	if v < 10 {
		return "0" + strconv.Itoa(int(v))
	}
	return strconv.Itoa(int(v))
}

// appendCSVCell quotes a cell as RFC 4180 asks when it holds a comma,
// quote or line break (AIS text may hold commas and quotes).
func appendCSVCell(dst []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	dst = append(dst, strings.ReplaceAll(s, `"`, `""`)...)
	return append(dst, '"')
}
