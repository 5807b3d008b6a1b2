package ais

import "strconv"

// gpsd-compatible JSON for the binary applications: the members that
// gpsd 3.22's json_aivdm_dump prints after "fid", byte for byte, scaled
// (gpsdecode -j) and unscaled (gpsdecode -u -j). Each member is followed
// by a comma. Nothing here allocates beyond growing dst.
//
// gpsd's quirks are reproduced where its output is valid JSON: the scale
// of the IMO Circ. 236 tidal window positions (1/1000 minute, though the
// message sends 1/10000), the unsigned arithmetic of the scaled FI 31
// water level, the EMMA warning date whose day, hour and minute slots get
// the hour, minute and day, the 32-bit synthetic target numbers, the
// marine traffic signal position scaled in both forms, and gpsd's legends
// (its trend legends name 1 "increasing" and 2 "decreasing", the reverse
// of the circulars; its inland legends name loaded status 1 "Unloaded").
// The departures, where gpsd's output is not valid JSON or shows a field
// its decoder misread, are:
//
//   - strings gpsd prints raw (the Inland AIS country, locode, section,
//     terminal and hectometre, the marine traffic signal legends) are
//     escaped as json_stringify escapes the others;
//   - the marine traffic signal (DAC 1 FI 19) gets the comma gpsd omits
//     between "nextsignal" and "nextsignal_text";
//   - DAC 1 FI 15 (addressed) and FI 16 print the fields as decoded here
//     (see apps.go); gpsd prints a header field for the first, and for FI
//     16 a header field (type 6) or 0 (type 8).

// ajS writes a string member, escaped as gpsd's json_stringify escapes
// (quotes, backslashes and control characters; six-bit text has no
// others). Bytes above 0x7F, which only legends hold, pass as they are,
// as gpsd prints legends.
func ajS(dst []byte, key, s string) []byte {
	dst = append(dst, key...)
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	return append(dst, '"', ',')
}

// ajPad appends v in at least two digits, as %02u.
func ajPad(dst []byte, v uint8) []byte {
	if v < 10 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, uint64(v), 10)
}

// ajTime writes key and "MM-DDTHH:MMZ" (%02u-%02uT%02u:%02uZ).
func ajTime(dst []byte, key string, month, day, hour, minute uint8) []byte {
	dst = append(dst, key...)
	dst = append(dst, '"')
	dst = ajPad(dst, month)
	dst = append(dst, '-')
	dst = ajPad(dst, day)
	dst = append(dst, 'T')
	dst = ajPad(dst, hour)
	dst = append(dst, ':')
	dst = ajPad(dst, minute)
	return append(dst, `Z",`...)
}

// ajTimeRaw writes key and "M-DTH:M" unpadded (%u-%uT%u:%u).
func ajTimeRaw(dst []byte, key string, month, day, hour, minute uint8) []byte {
	dst = append(dst, key...)
	dst = append(dst, '"')
	dst = strconv.AppendUint(dst, uint64(month), 10)
	dst = append(dst, '-')
	dst = strconv.AppendUint(dst, uint64(day), 10)
	dst = append(dst, 'T')
	dst = strconv.AppendUint(dst, uint64(hour), 10)
	dst = append(dst, ':')
	dst = strconv.AppendUint(dst, uint64(minute), 10)
	return append(dst, `",`...)
}

// ajPos writes a "lon"/"lat" pair (in the order of the keys): scaled as
// %.<prec>f of value/div, else %d.
func ajPos(dst []byte, k1 string, v1 int32, k2 string, v2 int32, scaled bool, div float64, prec int) []byte {
	if scaled {
		dst = jF(dst, k1, float64(v1)/div, prec)
		return jF(dst, k2, float64(v2)/div, prec)
	}
	dst = jI(dst, k1, int64(v1))
	return jI(dst, k2, int64(v2))
}

// ajTenths writes v/10.0 as %.1f.
func ajTenths(dst []byte, key string, v int64) []byte {
	return jF(dst, key, float64(v)/10.0, 1)
}

// ajOpen and ajClose bracket an array member: gpsd strips the comma after
// the last element.
func ajOpen(dst []byte, key string) []byte { return append(dst, key...) }

func ajClose(dst []byte) []byte {
	if dst[len(dst)-1] == ',' {
		dst = dst[:len(dst)-1]
	}
	return append(dst, "],"...)
}

// ajEnd closes an array element object: its last member's comma becomes
// "},".
func ajEnd(dst []byte) []byte {
	dst[len(dst)-1] = '}'
	return append(dst, ',')
}

// ajLegend returns t[i], or def when i is past the table (gpsd's *_DISPLAY
// macros).
func ajLegend(t []string, i uint64, def string) string {
	if i < uint64(len(t)) {
		return t[i]
	}
	return def
}

var (
	ajTrends      = []string{"steady", "increasing", "decreasing", "N/A"}
	ajPrecipTypes = []string{"reserved", "rain", "thunderstorm", "freezing rain", "mixed/ice", "snow", "reserved", "N/A"}
	ajIce         = []string{"no", "yes", "reserved", "N/A"}
	ajRouteTypes  = func() (t [32]string) {
		copy(t[:], []string{"Undefined (default)", "Mandatory", "Recommended", "Alternative", "Recommended route through ice", "Ship route plan"})
		for i := 6; i < 31; i++ {
			t[i] = "Reserved for future use."
		}
		t[31] = "Cancel route identified by message linkage"
		return t
	}()
	ajIDTypes       = []string{"mmsi", "imo", "callsign", "other"}
	ajRaconStatus   = []string{"No RACON installed", "RACON not monitored", "RACON operational", "RACON ERROR"}
	ajLightStatus   = []string{"No light or no monitoring", "Light ON", "Light OFF", "Light ERROR"}
	ajRTAStatus     = []string{"Operational", "Limited operation", "Out of order", "N/A"}
	ajPositionTypes = []string{"Not available", "Port-side to", "Starboard-side to", "Mediterranean (end-on) mooring", "Mooring buoy", "Anchorage", "Reserved for future use", "Reserved for future use"}
	ajSignals       = []string{
		"N/A",
		"Serious emergency – stop or divert according to instructions.",
		"Vessels shall not proceed.",
		"Vessels may proceed. One way traffic.",
		"Vessels may proceed. Two way traffic.",
		"Vessels shall proceed on specific orders only.",
		"Vessels in main channel shall not proceed.",
		"Vessels in main channel shall proceed on specific orders only.",
		"Vessels in main channel shall proceed on specific orders only.",
		`I = "in-bound" only acceptable.`,
		`O = "out-bound" only acceptable.`,
		`F = both "in- and out-bound" acceptable.`,
		`XI = Code will shift to "I" in due time.`,
		`XO = Code will shift to "O" in due time.`,
		"X = Vessels shall proceed only on direction.",
	}
	ajHazards   = []string{"0 blue cones/lights", "1 blue cone/light", "2 blue cones/lights", "3 blue cones/lights", "4 B-Flag", "Unknown"}
	ajLoaded    = []string{"N/A (default)", "Unloaded", "Loaded"}
	ajEMMATypes = []string{"Not Available", "Wind", "Rain", "Snow and ice", "Thunderstorm", "Fog", "Low temperature", "High temperature", "Flood", "Forest Fire"}
	ajEMMAClass = []string{"Slight", "Medium", "Strong"}
	ajEMMAWinds = []string{"N/A", "North", "North East", "East", "South East", "South", "South West", "West", "North West"}
	ajDirection = []string{"Unknown", "Upstream", "Downstream", "To left bank", "To right bank"}
	ajLights    = []string{"Unknown", "No light", "White", "Yellow", "Green", "Red", "White flashing", "Yellow flashing."}
)

// ajInlandShipTypes is gpsd's table of ERI ship types: the first entry
// whose ERI code or AIS type equals the value names it; the last is the
// default.
var ajInlandShipTypes = []struct {
	code, ais uint16
	legend    string
}{
	{8000, 99, "Vessel, type unknown"},
	{8010, 79, "Motor freighter"},
	{8020, 89, "Motor tanker"},
	{8021, 80, "Motor tanker, liquid cargo, type N"},
	{8022, 80, "Motor tanker, liquid cargo, type C"},
	{8023, 89, "Motor tanker, dry cargo as if liquid (e.g. cement)"},
	{8030, 79, "Container vessel"},
	{8040, 80, "Gas tanker"},
	{8050, 79, "Motor freighter, tug"},
	{8060, 89, "Motor tanker, tug"},
	{8070, 79, "Motor freighter with one or more ships alongside"},
	{8080, 89, "Motor freighter with tanker"},
	{8090, 79, "Motor freighter pushing one or more freighters"},
	{8100, 89, "Motor freighter pushing at least one tank-ship"},
	{8110, 79, "Tug, freighter"},
	{8120, 89, "Tug, tanker"},
	{8130, 31, "Tug freighter, coupled"},
	{8140, 31, "Tug, freighter/tanker, coupled"},
	{8150, 99, "Freightbarge"},
	{8160, 99, "Tankbarge"},
	{8161, 90, "Tankbarge, liquid cargo, type N"},
	{8162, 90, "Tankbarge, liquid cargo, type C"},
	{8163, 99, "Tankbarge, dry cargo as if liquid (e.g. cement)"},
	{8170, 99, "Freightbarge with containers"},
	{8180, 90, "Tankbarge, gas"},
	{8210, 79, "Pushtow, one cargo barge"},
	{8220, 79, "Pushtow, two cargo barges"},
	{8230, 79, "Pushtow, three cargo barges"},
	{8240, 79, "Pushtow, four cargo barges"},
	{8250, 79, "Pushtow, five cargo barges"},
	{8260, 79, "Pushtow, six cargo barges"},
	{8270, 79, "Pushtow, seven cargo barges"},
	{8280, 79, "Pushtow, eigth cargo barges"},
	{8290, 79, "Pushtow, nine or more barges"},
	{8310, 80, "Pushtow, one tank/gas barge"},
	{8320, 80, "Pushtow, two barges at least one tanker or gas barge"},
	{8330, 80, "Pushtow, three barges at least one tanker or gas barge"},
	{8340, 80, "Pushtow, four barges at least one tanker or gas barge"},
	{8350, 80, "Pushtow, five barges at least one tanker or gas barge"},
	{8360, 80, "Pushtow, six barges at least one tanker or gas barge"},
	{8370, 80, "Pushtow, seven barges at least one tanker or gas barg"},
	{0, 0, "Illegal ship type value."},
}

func (m *MetHydro) appendJSON(dst []byte, s bool) []byte {
	dst = ajPos(dst, `"lat":`, m.Lat, `"lon":`, m.Lon, s, div3, 4)
	dst = jB(dst, `"accuracy":`, m.Accuracy)
	dst = ajMetHead(dst, m.Day, m.Hour, m.Minute, m.WindSpeed, m.WindGust, m.WindDir, m.WindGustDir, m.Humidity)
	if s {
		dst = ajTenths(dst, `"airtemp":`, int64(m.AirTemp))
		dst = ajTenths(dst, `"dewpoint":`, int64(m.DewPoint))
		dst = jU(dst, `"pressure":`, uint64(m.Pressure)+799)
		dst = ajS(dst, `"pressuretend":`, ajTrends[m.PressureTend&3])
		dst = jB(dst, `"visgreater":`, m.VisGreater)
		dst = ajTenths(dst, `"visibility":`, int64(m.Visibility))
		// gpsd subtracts the 10 m offset in unsigned arithmetic: levels
		// below it wrap around 2^32.
		dst = jF(dst, `"waterlevel":`, float64(uint32(m.WaterLevel)-1000)/100.0, 1)
		dst = ajS(dst, `"leveltrend":`, ajTrends[m.LevelTrend&3])
	} else {
		dst = jI(dst, `"airtemp":`, int64(m.AirTemp))
		dst = jI(dst, `"dewpoint":`, int64(m.DewPoint))
		dst = jU(dst, `"pressure":`, uint64(m.Pressure))
		dst = jU(dst, `"pressuretend":`, uint64(m.PressureTend))
		dst = jB(dst, `"visgreater":`, m.VisGreater)
		dst = jU(dst, `"visibility":`, uint64(m.Visibility))
		dst = jI(dst, `"waterlevel":`, int64(m.WaterLevel))
		dst = jU(dst, `"leveltrend":`, uint64(m.LevelTrend))
	}
	dst = ajCurrents(dst, s, m.CurSpeed, m.CurDir, m.CurSpeed2, m.CurDir2, m.CurDepth2, m.CurSpeed3, m.CurDir3, m.CurDepth3,
		m.WaveHeight, m.WavePeriod, m.WaveDir, m.SwellHeight, m.SwellPeriod, m.SwellDir, m.SeaState)
	if s {
		dst = ajTenths(dst, `"watertemp":`, int64(m.WaterTemp))
		dst = ajS(dst, `"preciptype":`, ajPrecipTypes[m.Precip&7])
		dst = ajTenths(dst, `"salinity":`, int64(m.Salinity))
		return ajS(dst, `"ice":`, ajIce[m.Ice&3])
	}
	dst = jI(dst, `"watertemp":`, int64(m.WaterTemp))
	dst = jU(dst, `"preciptype":`, uint64(m.Precip))
	dst = jU(dst, `"salinity":`, uint64(m.Salinity))
	return jU(dst, `"ice":`, uint64(m.Ice))
}

// ajMetHead writes the members FI 11 and 31 share after the position.
func ajMetHead(dst []byte, day, hour, minute, wspeed, wgust uint8, wdir, wgustdir uint16, humidity uint8) []byte {
	dst = append(dst, `"timestamp":"`...)
	dst = ajPad(dst, day)
	dst = append(dst, 'T')
	dst = ajPad(dst, hour)
	dst = append(dst, ':')
	dst = ajPad(dst, minute)
	dst = append(dst, `Z",`...)
	dst = jU(dst, `"wspeed":`, uint64(wspeed))
	dst = jU(dst, `"wgust":`, uint64(wgust))
	dst = jU(dst, `"wdir":`, uint64(wdir))
	dst = jU(dst, `"wgustdir":`, uint64(wgustdir))
	return jU(dst, `"humidity":`, uint64(humidity))
}

// ajSpeed writes tenths as %.1f (scaled) or %u.
func ajSpeed(dst []byte, s bool, key string, v uint8) []byte {
	if s {
		return ajTenths(dst, key, int64(v))
	}
	return jU(dst, key, uint64(v))
}

// ajCurrents writes the current, wave and swell members FI 11 and 31
// share.
func ajCurrents(dst []byte, s bool, cs uint8, cd uint16, cs2 uint8, cd2 uint16, cdp2, cs3 uint8, cd3 uint16, cdp3,
	wh, wp uint8, wd uint16, sh, sp uint8, sd uint16, state uint8) []byte {
	dst = ajSpeed(dst, s, `"cspeed":`, cs)
	dst = jU(dst, `"cdir":`, uint64(cd))
	dst = ajSpeed(dst, s, `"cspeed2":`, cs2)
	dst = jU(dst, `"cdir2":`, uint64(cd2))
	dst = jU(dst, `"cdepth2":`, uint64(cdp2))
	dst = ajSpeed(dst, s, `"cspeed3":`, cs3)
	dst = jU(dst, `"cdir3":`, uint64(cd3))
	dst = jU(dst, `"cdepth3":`, uint64(cdp3))
	dst = ajSpeed(dst, s, `"waveheight":`, wh)
	dst = jU(dst, `"waveperiod":`, uint64(wp))
	dst = jU(dst, `"wavedir":`, uint64(wd))
	dst = ajSpeed(dst, s, `"swellheight":`, sh)
	dst = jU(dst, `"swellperiod":`, uint64(sp))
	dst = jU(dst, `"swelldir":`, uint64(sd))
	return jU(dst, `"seastate":`, uint64(state))
}

func (m *MetHydro11) appendJSON(dst []byte, s bool) []byte {
	dst = ajPos(dst, `"lat":`, m.Lat, `"lon":`, m.Lon, s, div3, 4)
	dst = ajMetHead(dst, m.Day, m.Hour, m.Minute, m.WindSpeed, m.WindGust, m.WindDir, m.WindGustDir, m.Humidity)
	if s {
		dst = ajTenths(dst, `"airtemp":`, int64(m.AirTemp)-600)
		dst = ajTenths(dst, `"dewpoint":`, int64(m.DewPoint)-200)
		dst = jU(dst, `"pressure":`, uint64(m.Pressure)+800)
		dst = ajS(dst, `"pressuretend":`, ajTrends[m.PressureTend&3])
		dst = ajTenths(dst, `"visibility":`, int64(m.Visibility))
		dst = ajTenths(dst, `"waterlevel":`, int64(m.WaterLevel)-100)
		dst = ajS(dst, `"leveltrend":`, ajTrends[m.LevelTrend&3])
	} else {
		dst = jU(dst, `"airtemp":`, uint64(m.AirTemp))
		dst = jU(dst, `"dewpoint":`, uint64(m.DewPoint))
		dst = jU(dst, `"pressure":`, uint64(m.Pressure))
		dst = jU(dst, `"pressuretend":`, uint64(m.PressureTend))
		dst = jU(dst, `"visibility":`, uint64(m.Visibility))
		dst = jI(dst, `"waterlevel":`, int64(m.WaterLevel))
		dst = jU(dst, `"leveltrend":`, uint64(m.LevelTrend))
	}
	dst = ajCurrents(dst, s, m.CurSpeed, m.CurDir, m.CurSpeed2, m.CurDir2, m.CurDepth2, m.CurSpeed3, m.CurDir3, m.CurDepth3,
		m.WaveHeight, m.WavePeriod, m.WaveDir, m.SwellHeight, m.SwellPeriod, m.SwellDir, m.SeaState)
	if s {
		dst = ajTenths(dst, `"watertemp":`, int64(m.WaterTemp)-100)
	} else {
		dst = jU(dst, `"watertemp":`, uint64(m.WaterTemp))
	}
	dst = jU(dst, `"preciptype":`, uint64(m.Precip))
	dst = ajS(dst, `"preciptype_text":`, ajPrecipTypes[m.Precip&7])
	if s {
		dst = ajTenths(dst, `"salinity":`, int64(m.Salinity))
	} else {
		dst = jU(dst, `"salinity":`, uint64(m.Salinity))
	}
	dst = jU(dst, `"ice":`, uint64(m.Ice))
	return ajS(dst, `"ice_text":`, ajIce[m.Ice&3])
}

func (m *InlandStaticVoyage) appendJSON(dst []byte, s bool) []byte {
	text := ajInlandShipTypes[len(ajInlandShipTypes)-1].legend
	for _, t := range ajInlandShipTypes {
		if t.code == m.ShipType || t.ais == m.ShipType {
			text = t.legend
			break
		}
	}
	dst = ajS(dst, `"vin":`, m.VIN)
	dst = jU(dst, `"length":`, uint64(m.Length))
	dst = jU(dst, `"beam":`, uint64(m.Beam))
	dst = jU(dst, `"shiptype":`, uint64(m.ShipType))
	dst = ajS(dst, `"shiptype_text":`, text)
	dst = jU(dst, `"hazard":`, uint64(m.Hazard))
	dst = ajS(dst, `"hazard_text":`, ajLegend(ajHazards, uint64(m.Hazard), "INVALID HAZARD TYPE"))
	dst = jU(dst, `"draught":`, uint64(m.Draught))
	dst = jU(dst, `"loaded":`, uint64(m.Loaded))
	dst = ajS(dst, `"loaded_text":`, ajLegend(ajLoaded, uint64(m.Loaded), "INVALID LOAD STATUS"))
	dst = jB(dst, `"speed_q":`, m.SpeedQ)
	dst = jB(dst, `"course_q":`, m.CourseQ)
	return jB(dst, `"heading_q":`, m.HeadingQ)
}

func (m *DangerousCargo236) appendJSON(dst []byte, s bool) []byte {
	dst = ajS(dst, `"lastport":`, m.LastPort)
	dst = ajTime(dst, `"departure":`, m.LastMonth, m.LastDay, m.LastHour, m.LastMinute)
	dst = ajS(dst, `"nextport":`, m.NextPort)
	dst = ajTime(dst, `"eta":`, m.NextMonth, m.NextDay, m.NextHour, m.NextMinute)
	dst = ajS(dst, `"dangerous":`, m.Dangerous)
	dst = ajS(dst, `"imdcat":`, m.IMDCat)
	dst = jU(dst, `"unid":`, uint64(m.UNNumber))
	dst = jU(dst, `"amount":`, uint64(m.Amount))
	return jU(dst, `"unit":`, uint64(m.Unit))
}

// ajTidal writes the members of one tidal window element.
func ajTidal(dst []byte, s bool, lon, lat int32, fh, fm, th, tm uint8, dir uint16, speed uint8) []byte {
	dst = append(dst, '{')
	// gpsd scales both tidal windows by 1/1000 minute, though FI 14 sends
	// 1/10000.
	dst = ajPos(dst, `"lon":`, lon, `"lat":`, lat, s, div3, 4)
	dst = jU(dst, `"from_hour":`, uint64(fh))
	dst = jU(dst, `"from_min":`, uint64(fm))
	dst = jU(dst, `"to_hour":`, uint64(th))
	dst = jU(dst, `"to_min":`, uint64(tm))
	dst = jU(dst, `"cdir":`, uint64(dir))
	if s {
		dst = ajTenths(dst, `"cspeed":`, int64(speed))
	} else {
		dst = jU(dst, `"cspeed":`, uint64(speed))
	}
	return ajEnd(dst)
}

func (m *TidalWindow236) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"month":`, uint64(m.Month))
	dst = jU(dst, `"day":`, uint64(m.Day))
	dst = ajOpen(dst, `"tidals":[`)
	for i := range m.Tidals {
		t := &m.Tidals[i]
		dst = ajTidal(dst, s, t.Lon, t.Lat, t.FromHour, t.FromMinute, t.ToHour, t.ToMinute, t.CurDir, t.CurSpeed)
	}
	return ajClose(dst)
}

func (m *TidalWindow) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"month":`, uint64(m.Month))
	dst = jU(dst, `"day":`, uint64(m.Day))
	dst = ajOpen(dst, `"tidals":[`)
	for i := range m.Tidals {
		t := &m.Tidals[i]
		dst = ajTidal(dst, s, t.Lon, t.Lat, t.FromHour, t.FromMinute, t.ToHour, t.ToMinute, t.CurDir, t.CurSpeed)
	}
	return ajClose(dst)
}

func (m *ExtendedShipData) appendJSON(dst []byte, s bool) []byte {
	return jU(dst, `"airdraught":`, uint64(m.AirDraught))
}

func (m *PersonsOnBoard) appendJSON(dst []byte, s bool) []byte {
	return jU(dst, `"persons":`, uint64(m.Persons))
}

func (m *PersonsOnBoardBroadcast) appendJSON(dst []byte, s bool) []byte {
	return jU(dst, `"persons":`, uint64(m.Persons))
}

func (m *ClearanceTime) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"linkage":`, uint64(m.Linkage))
	dst = ajTime(dst, `"arrival":`, m.Month, m.Day, m.Hour, m.Minute)
	dst = ajS(dst, `"portname":`, m.PortName)
	dst = ajS(dst, `"destination":`, m.Destination)
	return ajPos(dst, `"lon":`, m.Lon, `"lat":`, m.Lat, s, div3, 4)
}

var ajServiceKeys = [26]string{`"agent":`, `"fuel":`, `"chandler":`,
	`"stevedore":`, `"electrical":`, `"water":`, `"customs":`, `"cartage":`,
	`"crane":`, `"lift":`, `"medical":`, `"navrepair":`, `"provisions":`,
	`"shiprepair":`, `"surveyor":`, `"steam":`, `"tugs":`, `"solidwaste":`,
	`"liquidwaste":`, `"hazardouswaste":`, `"ballast":`, `"additional":`,
	`"regional1":`, `"regional2":`, `"future1":`, `"future2":`}

func (m *BerthingData) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"linkage":`, uint64(m.Linkage))
	dst = jU(dst, `"berth_length":`, uint64(m.BerthLength))
	dst = jU(dst, `"position":`, uint64(m.Position))
	dst = ajS(dst, `"position_text":`, ajPositionTypes[m.Position&7])
	dst = ajTimeRaw(dst, `"arrival":`, m.Month, m.Day, m.Hour, m.Minute)
	dst = jU(dst, `"availability":`, b2u(m.Services))
	for i, p := range m.services() {
		dst = jU(dst, ajServiceKeys[i], uint64(*p))
	}
	dst = ajS(dst, `"berth_name":`, m.BerthName)
	dst = ajPos(dst, `"berth_lon":`, m.BerthLon, `"berth_lat":`, m.BerthLat, s, div3, 4)
	if s {
		return ajTenths(dst, `"berth_depth":`, int64(m.BerthDepth))
	}
	return jU(dst, `"berth_depth":`, uint64(m.BerthDepth))
}

func (m *DangerousCargo) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"unit":`, uint64(m.Unit))
	dst = jU(dst, `"amount":`, uint64(m.Amount))
	dst = ajOpen(dst, `"cargos":[`)
	for _, g := range m.Cargos {
		dst = append(dst, '{')
		dst = jU(dst, `"code":`, uint64(g.Code))
		dst = jU(dst, `"subtype":`, uint64(g.Subtype))
		dst = ajEnd(dst)
	}
	return ajClose(dst)
}

func (m *RouteInfo) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"linkage":`, uint64(m.Linkage))
	dst = jU(dst, `"sender":`, uint64(m.Sender))
	dst = jU(dst, `"rtype":`, uint64(m.RType))
	dst = ajS(dst, `"rtype_text":`, ajRouteTypes[m.RType&31])
	dst = ajTime(dst, `"start":`, m.Month, m.Day, m.Hour, m.Minute)
	dst = jU(dst, `"duration":`, uint64(m.Duration))
	dst = ajOpen(dst, `"waypoints":[`)
	for _, w := range m.Waypoints {
		dst = append(dst, '{')
		dst = ajPos(dst, `"lon":`, w.Lon, `"lat":`, w.Lat, s, div4, 6)
		dst = ajEnd(dst)
	}
	return ajClose(dst)
}

func (m *TextDescription) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"linkage":`, uint64(m.Linkage))
	return ajS(dst, `"text":`, m.Text)
}

func (m *FairwayClosed) appendJSON(dst []byte, s bool) []byte {
	dst = ajS(dst, `"reason":`, m.Reason)
	dst = ajS(dst, `"closefrom":`, m.CloseFrom)
	dst = ajS(dst, `"closeto":`, m.CloseTo)
	dst = jU(dst, `"radius":`, uint64(m.Radius))
	dst = jU(dst, `"extunit":`, uint64(m.ExtUnit))
	// %02u-%02uT%02u:%02u: month first, no Z.
	for _, t := range [2]struct {
		key                      string
		month, day, hour, minute uint8
	}{{`"from":"`, m.FromMonth, m.FromDay, m.FromHour, m.FromMinute}, {`"to":"`, m.ToMonth, m.ToDay, m.ToHour, m.ToMinute}} {
		dst = append(dst, t.key...)
		dst = ajPad(dst, t.month)
		dst = append(dst, '-')
		dst = ajPad(dst, t.day)
		dst = append(dst, 'T')
		dst = ajPad(dst, t.hour)
		dst = append(dst, ':')
		dst = ajPad(dst, t.minute)
		dst = append(dst, `",`...)
	}
	return dst
}

func (m *VTSTargets) appendJSON(dst []byte, s bool) []byte {
	dst = ajOpen(dst, `"targets":[`)
	for i := range m.Targets {
		t := &m.Targets[i]
		dst = append(dst, '{')
		dst = jU(dst, `"idtype":`, uint64(t.IDType))
		dst = ajS(dst, `"idtype_text":`, ajIDTypes[t.IDType&3])
		switch t.IDType {
		case TargetMMSI, TargetIMO:
			// gpsd keeps the 42-bit number in 32 bits and quotes it.
			dst = append(dst, '"')
			dst = append(dst, ajIDTypes[t.IDType]...)
			dst = append(dst, `":"`...)
			dst = strconv.AppendUint(dst, uint64(uint32(t.ID)), 10)
			dst = append(dst, `",`...)
		case TargetCallSign:
			dst = ajS(dst, `"callsign":`, t.Name)
		default:
			dst = ajS(dst, `"other":`, t.Name)
		}
		dst = ajPos(dst, `"lat":`, t.Lat, `"lon":`, t.Lon, s, div3, 4)
		dst = jU(dst, `"course":`, uint64(t.Course))
		dst = jU(dst, `"second":`, uint64(t.Second))
		dst = jU(dst, `"speed":`, uint64(t.Speed))
		dst = ajEnd(dst)
	}
	return ajClose(dst)
}

func (m *TrafficSignal) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"linkage":`, uint64(m.Linkage))
	dst = ajS(dst, `"station":`, m.Station)
	// Scaled in both forms, as gpsd prints it.
	dst = ajPos(dst, `"lon":`, m.Lon, `"lat":`, m.Lat, true, div3, 4)
	dst = jU(dst, `"status":`, uint64(m.Status))
	dst = jU(dst, `"signal":`, uint64(m.Signal))
	dst = ajS(dst, `"signal_text":`, ajLegend(ajSignals, uint64(m.Signal), "INVALID SIGNAL TYPE"))
	dst = jU(dst, `"hour":`, uint64(m.Hour))
	dst = jU(dst, `"minute":`, uint64(m.Minute))
	dst = jU(dst, `"nextsignal":`, uint64(m.NextSignal))
	return ajS(dst, `"nextsignal_text":`, ajLegend(ajSignals, uint64(m.NextSignal), "INVALID SIGNAL TYPE"))
}

func (m *InlandETA) appendJSON(dst []byte, s bool) []byte {
	dst = m.InlandPlaceTime.appendJSON(dst)
	dst = jU(dst, `"tugs":`, uint64(m.Tugs))
	return jU(dst, `"airdraught":`, uint64(m.AirDraught))
}

func (m *InlandRTA) appendJSON(dst []byte, s bool) []byte {
	dst = m.InlandPlaceTime.appendJSON(dst)
	dst = jU(dst, `"status":`, uint64(m.Status))
	return ajS(dst, `"status_text":`, ajRTAStatus[m.Status&3])
}

// appendJSON writes the place and the time, which gpsd names "eta" in
// both messages.
func (p *InlandPlaceTime) appendJSON(dst []byte) []byte {
	dst = ajS(dst, `"country":`, p.Country)
	dst = ajS(dst, `"locode":`, p.Locode)
	dst = ajS(dst, `"section":`, p.Section)
	dst = ajS(dst, `"terminal":`, p.Terminal)
	dst = ajS(dst, `"hectometre":`, p.Hectometre)
	return ajTimeRaw(dst, `"eta":`, p.Month, p.Day, p.Hour, p.Minute)
}

func (m *InlandPersons) appendJSON(dst []byte, s bool) []byte {
	dst = jU(dst, `"crew":`, uint64(m.Crew))
	dst = jU(dst, `"passengers":`, uint64(m.Passengers))
	return jU(dst, `"personnel":`, uint64(m.Personnel))
}

func (m *AtoNMonitoring) appendJSON(dst []byte, s bool) []byte {
	dst = jB(dst, `"off_pos":`, m.OffPos)
	dst = jB(dst, `"alarm":`, m.Alarm)
	dst = jU(dst, `"stat_ext":`, uint64(m.StatExt))
	for _, a := range [3]struct {
		key string
		v   uint16
	}{{`"ana_int":`, m.AnaInt}, {`"ana_ext1":`, m.AnaExt1}, {`"ana_ext2":`, m.AnaExt2}} {
		if s && a.v != 0 {
			dst = jF(dst, a.key, float64(a.v)*0.05, 2)
		} else {
			dst = jU(dst, a.key, uint64(a.v))
		}
	}
	dst = jU(dst, `"racon":`, uint64(m.Racon))
	dst = ajS(dst, `"racon_text":`, ajRaconStatus[m.Racon&3])
	dst = jU(dst, `"light":`, uint64(m.Light))
	return ajS(dst, `"light_text":`, ajLightStatus[m.Light&3])
}

func (m *EMMAWarning) appendJSON(dst []byte, s bool) []byte {
	// gpsd's "%4u-%02u-%02uT%02u:%02u" gets the start hour, minute and
	// day in the day, hour and minute slots; the end is in order.
	dst = append(dst, `"start":"`...)
	dst = strconv.AppendUint(dst, uint64(m.StartYear)+2000, 10)
	dst = append(dst, '-')
	dst = ajPad(dst, m.StartMonth)
	dst = append(dst, '-')
	dst = ajPad(dst, m.StartHour)
	dst = append(dst, 'T')
	dst = ajPad(dst, m.StartMinute)
	dst = append(dst, ':')
	dst = ajPad(dst, m.StartDay)
	dst = append(dst, `","end":"`...)
	dst = strconv.AppendUint(dst, uint64(m.EndYear)+2000, 10)
	dst = append(dst, '-')
	dst = ajPad(dst, m.EndMonth)
	dst = append(dst, '-')
	dst = ajPad(dst, m.EndDay)
	dst = append(dst, 'T')
	dst = ajPad(dst, m.EndHour)
	dst = append(dst, ':')
	dst = ajPad(dst, m.EndMinute)
	dst = append(dst, `",`...)
	dst = ajPos(dst, `"start_lon":`, m.StartLon, `"start_lat":`, m.StartLat, s, div4, 6)
	dst = ajPos(dst, `"end_lon":`, m.EndLon, `"end_lat":`, m.EndLat, s, div4, 6)
	dst = jU(dst, `"type":`, uint64(m.Type))
	dst = ajS(dst, `"type_text":`, ajLegend(ajEMMATypes, uint64(m.Type), "INVALID EMMA TYPE"))
	dst = jI(dst, `"min":`, int64(m.Min))
	dst = jI(dst, `"max":`, int64(m.Max))
	dst = jU(dst, `"class":`, uint64(m.Intensity))
	dst = ajS(dst, `"class_text":`, ajLegend(ajEMMAClass, uint64(m.Intensity), "INVALID EMMA TYPE"))
	dst = jU(dst, `"wind":`, uint64(m.Wind))
	return ajS(dst, `"wind_text":`, ajLegend(ajEMMAWinds, uint64(m.Wind), "INVALID EMMA WIND DIRECTION"))
}

func (m *WaterLevels) appendJSON(dst []byte, s bool) []byte {
	dst = ajS(dst, `"country":`, m.Country)
	dst = ajOpen(dst, `"gauges":[`)
	for _, g := range m.Gauges {
		dst = append(dst, '{')
		dst = jU(dst, `"id":`, uint64(g.ID))
		dst = jI(dst, `"level":`, int64(g.Level))
		dst = ajEnd(dst)
	}
	return ajClose(dst)
}

func (m *SignalStatus) appendJSON(dst []byte, s bool) []byte {
	dst = ajPos(dst, `"lon":`, m.Lon, `"lat":`, m.Lat, s, div4, 6)
	dst = jU(dst, `"form":`, uint64(m.Form))
	dst = jU(dst, `"facing":`, uint64(m.Facing))
	dst = jU(dst, `"direction":`, uint64(m.Direction))
	dst = ajS(dst, `"direction_text":`, ajLegend(ajDirection, uint64(m.Direction), "INVALID DIRECTION"))
	dst = jU(dst, `"status":`, uint64(m.Status))
	return ajS(dst, `"status_text":`, ajLegend(ajLights, uint64(m.Status), "INVALID STATUS"))
}
