package ais

import "strconv"

// This file writes messages as gpsd's JSON, byte for byte what gpsd 3.22's
// `gpsdecode -j` (scaled) and `gpsdecode -u -j` (unscaled) print, less the
// "\r" of its line ends. Where gpsd prints a value its decoder got wrong,
// the writer reproduces it when the message struct holds what is needed:
// the radio field of short type 1-3 messages, the unsigned scaled rate of
// turn, the reservation a short type 20 cuts, the 7-character type 24
// vendor ID, the radio bits in the padding of type 26 data. The deliberate
// differences that remain are listed in json_test.go.
//
// Every member is written as `"key":value,`; the object is closed by
// replacing the last comma. Nothing here allocates beyond growing dst.

// JSONOptions selects the JSON form.
type JSONOptions struct {
	Scaled bool   // physical units as gpsdecode -j; false is gpsdecode -u -j (raw integers)
	Device string // value of the "device" member; "" omits the member
	// Merged24 marks a *StaticDataReport that holds both parts of a type 24 (part B fields plus ShipName from the matching part A): printed as gpsd prints a merged report, with no "part" member.
	Merged24 bool
}

// AppendJSON appends m as one gpsd-style JSON object followed by "\n" (gpsd writes "\r\n"; we write "\n" only).
func AppendJSON(dst []byte, m Message, o JSONOptions) []byte {
	h := m.Head()
	dst = append(dst, `{"class":"AIS",`...)
	if o.Device != "" {
		dst = jS(dst, `"device":"`, o.Device)
	}
	dst = jU(dst, `"type":`, uint64(h.Type))
	dst = jU(dst, `"repeat":`, uint64(h.Repeat))
	dst = jU(dst, `"mmsi":`, uint64(h.MMSI))
	dst = jB(dst, `"scaled":`, o.Scaled)
	s := o.Scaled
	switch v := m.(type) {
	case *PositionReport:
		dst = jsonPosition(dst, v, s)
	case *BaseStationReport:
		dst = jsonBase(dst, v, s)
	case *StaticVoyageData:
		dst = jsonStatic(dst, v, s)
	case *BinaryAddressed:
		dst = jU(dst, `"seqno":`, uint64(v.Seq))
		dst = jU(dst, `"dest_mmsi":`, uint64(v.Dest))
		dst = jB(dst, `"retransmit":`, v.Retransmit)
		dst = jU(dst, `"dac":`, uint64(v.DAC))
		dst = jU(dst, `"fid":`, uint64(v.FI))
		if v.App != nil {
			dst = v.App.appendJSON(dst, s)
		} else {
			dst = jData(dst, v.Data, v.DataBits, false, 0, 0, 0)
		}
	case *BinaryAck:
		for i := range 4 {
			var x uint32
			if i < v.Count {
				x = v.MMSI[i]
			}
			dst = jU(dst, ackKeys[i], uint64(x))
		}
	case *BinaryBroadcast:
		dst = jU(dst, `"dac":`, uint64(v.DAC))
		dst = jU(dst, `"fid":`, uint64(v.FI))
		if v.App != nil {
			dst = v.App.appendJSON(dst, s)
		} else {
			dst = jData(dst, v.Data, v.DataBits, true, 0, 0, 0)
		}
	case *SARAircraftReport:
		dst = jsonSAR(dst, v, s)
	case *UTCInquiry:
		dst = jU(dst, `"dest_mmsi":`, uint64(v.Dest))
	case *SafetyAddressed:
		dst = jU(dst, `"seqno":`, uint64(v.Seq))
		dst = jU(dst, `"dest_mmsi":`, uint64(v.Dest))
		dst = jB(dst, `"retransmit":`, v.Retransmit)
		dst = jS(dst, `"text":"`, v.Text)
	case *SafetyBroadcast:
		dst = jS(dst, `"text":"`, v.Text)
	case *Interrogation:
		dst = jU(dst, `"mmsi1":`, uint64(v.MMSI1))
		dst = jU(dst, `"type1_1":`, uint64(v.Type1_1))
		dst = jU(dst, `"offset1_1":`, uint64(v.Offset11))
		var t12, o12, m2, t21, o21 uint64
		if v.Count >= 2 {
			t12, o12 = uint64(v.Type1_2), uint64(v.Offset12)
		}
		if v.Count >= 3 {
			m2, t21, o21 = uint64(v.MMSI2), uint64(v.Type2_1), uint64(v.Offset21)
		}
		dst = jU(dst, `"type1_2":`, t12)
		dst = jU(dst, `"offset1_2":`, o12)
		dst = jU(dst, `"mmsi2":`, m2)
		dst = jU(dst, `"type2_1":`, t21)
		dst = jU(dst, `"offset2_1":`, o21)
	case *AssignedModeCommand:
		dst = jU(dst, `"mmsi1":`, uint64(v.MMSI1))
		dst = jU(dst, `"offset1":`, uint64(v.Offset1))
		dst = jU(dst, `"increment1":`, uint64(v.Increment1))
		var m2, o2, i2 uint64
		if v.Count >= 2 {
			m2, o2, i2 = uint64(v.MMSI2), uint64(v.Offset2), uint64(v.Increment2)
		}
		dst = jU(dst, `"mmsi2":`, m2)
		dst = jU(dst, `"offset2":`, o2)
		dst = jU(dst, `"increment2":`, i2)
	case *DGNSSBroadcast:
		if s {
			dst = jF(dst, `"lon":`, float64(v.Lon)/div1, 1)
			dst = jF(dst, `"lat":`, float64(v.Lat)/div1, 1)
		} else {
			dst = jI(dst, `"lon":`, int64(v.Lon))
			dst = jI(dst, `"lat":`, int64(v.Lat))
		}
		dst = jData(dst, v.Data, v.DataBits, false, 0, 0, 0)
	case *ClassBPositionReport:
		dst = jsonClassB(dst, v, s)
	case *ClassBExtendedReport:
		dst = jsonClassBExt(dst, v, s)
	case *DataLinkManagement:
		dst = jsonDLM(dst, v)
	case *AidToNavigationReport:
		dst = jsonAton(dst, v, s)
	case *ChannelManagement:
		dst = jsonChannel(dst, v, s)
	case *GroupAssignment:
		dst = jsonGroup(dst, v, s)
	case *StaticDataReport:
		dst = jsonType24(dst, v, o.Merged24)
	case *SingleSlotBinary:
		dst = jB(dst, `"addressed":`, v.Addressed)
		dst = jB(dst, `"structured":`, v.Structured)
		dst = jU(dst, `"dest_mmsi":`, uint64(v.Dest))
		dst = jU(dst, `"app_id":`, uint64(v.AppID))
		dst = jData(dst, v.Data, v.DataBits, false, 0, 0, 0)
	case *MultiSlotBinary:
		dst = jB(dst, `"addressed":`, v.Addressed)
		dst = jB(dst, `"structured":`, v.Structured)
		dst = jU(dst, `"dest_mmsi":`, uint64(v.Dest))
		dst = jU(dst, `"app_id":`, uint64(v.AppID))
		// gpsd copies the data with the bits that follow it in the
		// message (the radio field) into the last byte's padding; when
		// addressed, only as far as its copy of the payload reached.
		avail := 20
		if v.Addressed {
			avail = (8 - (v.DataBits+30)%8) % 8
		}
		dst = jData(dst, v.Data, v.DataBits, false, v.Radio, 20, avail)
		dst = jU(dst, `"radio":`, uint64(v.Radio))
	case *LongRangeReport:
		if s {
			dst = jL(dst, `"status":"`, navLegends[v.Status&15])
		} else {
			dst = jU(dst, `"status":`, uint64(v.Status))
		}
		dst = jB(dst, `"accuracy":`, v.Accuracy)
		if s {
			dst = jF(dst, `"lon":`, float64(v.Lon)/div1, 1)
			dst = jF(dst, `"lat":`, float64(v.Lat)/div1, 1)
		} else {
			dst = jI(dst, `"lon":`, int64(v.Lon))
			dst = jI(dst, `"lat":`, int64(v.Lat))
		}
		dst = jU(dst, `"speed":`, uint64(v.Speed))
		dst = jU(dst, `"course":`, uint64(v.Course))
		dst = jB(dst, `"raim":`, v.RAIM)
		dst = jB(dst, `"gnss":`, v.GNSS)
	}
	if n := len(dst) - 1; dst[n] == ',' {
		dst[n] = '}'
	} else {
		dst = append(dst, '}')
	}
	return append(dst, '\n')
}

var ackKeys = [4]string{`"mmsi1":`, `"mmsi2":`, `"mmsi3":`, `"mmsi4":`}

func jsonPosition(dst []byte, v *PositionReport, s bool) []byte {
	dst = jU(dst, `"status":`, uint64(v.Status))
	dst = jL(dst, `"status_text":"`, navLegends[v.Status&15])
	// gpsd reads a short message's radio field from the bits present
	// (UBITS(149, bitlen-149)), which shifts the value right.
	radio := v.Radio
	if n := v.Len; n > 149 && n < 168 {
		radio >>= uint(168 - n)
	}
	if s {
		switch v.Turn {
		case -128:
			dst = append(dst, `"turn":"nan",`...)
		case -127:
			dst = append(dst, `"turn":"fastleft",`...)
		case 127:
			dst = append(dst, `"turn":"fastright",`...)
		default:
			dst = append(dst, `"turn":`...)
			dst = append(dst, turnText[uint8(v.Turn)]...)
			dst = append(dst, ',')
		}
		switch v.Speed {
		case 1023:
			dst = append(dst, `"speed":"nan",`...)
		case 1022:
			dst = append(dst, `"speed":"fast",`...)
		default:
			dst = jTenths(dst, `"speed":`, uint64(v.Speed))
		}
		dst = jB(dst, `"accuracy":`, v.Accuracy)
		dst = jDeg6(dst, `"lon":`, v.Lon)
		dst = jDeg6(dst, `"lat":`, v.Lat)
		dst = jTenths(dst, `"course":`, uint64(v.Course))
	} else {
		dst = jI(dst, `"turn":`, int64(v.Turn))
		dst = jU(dst, `"speed":`, uint64(v.Speed))
		dst = jB(dst, `"accuracy":`, v.Accuracy)
		dst = jI(dst, `"lon":`, int64(v.Lon))
		dst = jI(dst, `"lat":`, int64(v.Lat))
		dst = jU(dst, `"course":`, uint64(v.Course))
	}
	dst = jU(dst, `"heading":`, uint64(v.Heading))
	dst = jU(dst, `"second":`, uint64(v.Second))
	dst = jU(dst, `"maneuver":`, uint64(v.Maneuver))
	dst = jB(dst, `"raim":`, v.RAIM)
	return jU(dst, `"radio":`, uint64(radio))
}

func jsonBase(dst []byte, v *BaseStationReport, s bool) []byte {
	dst = append(dst, `"timestamp":"`...)
	dst = pad(dst, uint64(v.Year), 4)
	dst = append(dst, '-')
	dst = pad(dst, uint64(v.Month), 2)
	dst = append(dst, '-')
	dst = pad(dst, uint64(v.Day), 2)
	dst = append(dst, 'T')
	dst = pad(dst, uint64(v.Hour), 2)
	dst = append(dst, ':')
	dst = pad(dst, uint64(v.Minute), 2)
	dst = append(dst, ':')
	dst = pad(dst, uint64(v.Second), 2)
	dst = append(dst, `Z",`...)
	dst = jB(dst, `"accuracy":`, v.Accuracy)
	dst = jLonLat(dst, v.Lon, v.Lat, s)
	dst = jEPFD(dst, v.EPFD)
	dst = jB(dst, `"raim":`, v.RAIM)
	return jU(dst, `"radio":`, uint64(v.Radio))
}

func jsonStatic(dst []byte, v *StaticVoyageData, s bool) []byte {
	dst = jU(dst, `"imo":`, uint64(v.IMO))
	dst = jU(dst, `"ais_version":`, uint64(v.AISVersion))
	dst = jS(dst, `"callsign":"`, v.CallSign)
	dst = jS(dst, `"shipname":"`, v.ShipName)
	dst = jShipType(dst, v.ShipType)
	dst = jDims(dst, v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
	dst = jEPFD(dst, v.EPFD)
	dst = append(dst, `"eta":"`...)
	dst = pad(dst, uint64(v.Month), 2)
	dst = append(dst, '-')
	dst = pad(dst, uint64(v.Day), 2)
	dst = append(dst, 'T')
	dst = pad(dst, uint64(v.Hour), 2)
	dst = append(dst, ':')
	dst = pad(dst, uint64(v.Minute), 2)
	dst = append(dst, `Z",`...)
	if s {
		dst = jTenths(dst, `"draught":`, uint64(v.Draught))
	} else {
		dst = jU(dst, `"draught":`, uint64(v.Draught))
	}
	dst = jS(dst, `"destination":"`, v.Destination)
	return jU(dst, `"dte":`, b2u(v.DTE))
}

func jsonSAR(dst []byte, v *SARAircraftReport, s bool) []byte {
	if s {
		switch v.Altitude {
		case 4095:
			dst = append(dst, `"alt":"nan",`...)
		case 4094:
			dst = append(dst, `"alt":"high",`...)
		default:
			dst = jU(dst, `"alt":`, uint64(v.Altitude))
		}
		switch v.Speed {
		case 1023:
			dst = append(dst, `"speed":"nan",`...)
		case 1022:
			dst = append(dst, `"speed":"fast",`...)
		default:
			dst = jU(dst, `"speed":`, uint64(v.Speed))
		}
		dst = jB(dst, `"accuracy":`, v.Accuracy)
		dst = jDeg6(dst, `"lon":`, v.Lon)
		dst = jDeg6(dst, `"lat":`, v.Lat)
		dst = jTenths(dst, `"course":`, uint64(v.Course))
	} else {
		dst = jU(dst, `"alt":`, uint64(v.Altitude))
		dst = jU(dst, `"speed":`, uint64(v.Speed))
		dst = jB(dst, `"accuracy":`, v.Accuracy)
		dst = jI(dst, `"lon":`, int64(v.Lon))
		dst = jI(dst, `"lat":`, int64(v.Lat))
		dst = jU(dst, `"course":`, uint64(v.Course))
	}
	dst = jU(dst, `"second":`, uint64(v.Second))
	dst = jU(dst, `"regional":`, uint64(v.Regional))
	dst = jU(dst, `"dte":`, b2u(v.DTE))
	dst = jB(dst, `"raim":`, v.RAIM)
	return jU(dst, `"radio":`, uint64(v.Radio))
}

// jClassBHead writes the members types 18 and 19 share.
func jClassBHead(dst []byte, reserved uint8, speed Speed, acc bool, lon, lat int32, course Course, heading Heading, second, regional uint8, s bool) []byte {
	dst = jU(dst, `"reserved":`, uint64(reserved))
	if s {
		dst = jTenths(dst, `"speed":`, uint64(speed))
		dst = jB(dst, `"accuracy":`, acc)
		dst = jDeg6(dst, `"lon":`, lon)
		dst = jDeg6(dst, `"lat":`, lat)
		dst = jTenths(dst, `"course":`, uint64(course))
	} else {
		dst = jU(dst, `"speed":`, uint64(speed))
		dst = jB(dst, `"accuracy":`, acc)
		dst = jI(dst, `"lon":`, int64(lon))
		dst = jI(dst, `"lat":`, int64(lat))
		dst = jU(dst, `"course":`, uint64(course))
	}
	dst = jU(dst, `"heading":`, uint64(heading))
	dst = jU(dst, `"second":`, uint64(second))
	return jU(dst, `"regional":`, uint64(regional))
}

func jsonClassB(dst []byte, v *ClassBPositionReport, s bool) []byte {
	dst = jClassBHead(dst, v.Reserved, v.Speed, v.Accuracy, v.Lon, v.Lat, v.Course, v.Heading, v.Second, v.Regional, s)
	dst = jB(dst, `"cs":`, v.CS)
	dst = jB(dst, `"display":`, v.Display)
	dst = jB(dst, `"dsc":`, v.DSC)
	dst = jB(dst, `"band":`, v.Band)
	dst = jB(dst, `"msg22":`, v.Msg22)
	dst = jB(dst, `"raim":`, v.RAIM)
	return jU(dst, `"radio":`, uint64(v.Radio))
}

func jsonClassBExt(dst []byte, v *ClassBExtendedReport, s bool) []byte {
	dst = jClassBHead(dst, v.Reserved, v.Speed, v.Accuracy, v.Lon, v.Lat, v.Course, v.Heading, v.Second, v.Regional, s)
	dst = jS(dst, `"shipname":"`, v.ShipName)
	dst = jShipType(dst, v.ShipType)
	dst = jDims(dst, v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
	dst = jEPFD(dst, v.EPFD)
	dst = jB(dst, `"raim":`, v.RAIM)
	dst = jU(dst, `"dte":`, b2u(v.DTE))
	return jB(dst, `"assigned":`, v.Assigned)
}

var dlmKeys = [4][4]string{
	{`"offset1":`, `"number1":`, `"timeout1":`, `"increment1":`},
	{`"offset2":`, `"number2":`, `"timeout2":`, `"increment2":`},
	{`"offset3":`, `"number3":`, `"timeout3":`, `"increment3":`},
	{`"offset4":`, `"number4":`, `"timeout4":`, `"increment4":`},
}

func jsonDLM(dst []byte, v *DataLinkManagement) []byte {
	for i := range 4 {
		var r SlotReservation
		if i < v.Count {
			r = v.Reservations[i]
		} else if i == v.Count && v.Spare2Bits > 0 {
			// gpsd reads all four reservations; the bits after the
			// last whole one are the top of the next offset.
			r.Offset = uint16(v.Spare2) << uint(12-v.Spare2Bits)
		}
		k := &dlmKeys[i]
		dst = jU(dst, k[0], uint64(r.Offset))
		dst = jU(dst, k[1], uint64(r.Number))
		dst = jU(dst, k[2], uint64(r.Timeout))
		dst = jU(dst, k[3], uint64(r.Increment))
	}
	return dst
}

func jsonAton(dst []byte, v *AidToNavigationReport, s bool) []byte {
	dst = jU(dst, `"aid_type":`, uint64(v.AidType))
	dst = jL(dst, `"aid_type_text":"`, navaidLegends[v.AidType&31])
	dst = jS(dst, `"name":"`, v.Name)
	if s {
		dst = jDeg6(dst, `"lon":`, v.Lon)
		dst = jDeg6(dst, `"lat":`, v.Lat)
		dst = jB(dst, `"accuracy":`, v.Accuracy)
	} else {
		dst = jB(dst, `"accuracy":`, v.Accuracy)
		dst = jI(dst, `"lon":`, int64(v.Lon))
		dst = jI(dst, `"lat":`, int64(v.Lat))
	}
	dst = jDims(dst, v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
	dst = jEPFD(dst, v.EPFD)
	dst = jU(dst, `"second":`, uint64(v.Second))
	dst = jU(dst, `"regional":`, uint64(v.Regional))
	dst = jB(dst, `"off_position":`, v.OffPosition)
	dst = jB(dst, `"raim":`, v.RAIM)
	return jB(dst, `"virtual_aid":`, v.Virtual)
}

func jsonChannel(dst []byte, v *ChannelManagement, s bool) []byte {
	dst = jU(dst, `"channel_a":`, uint64(v.ChannelA))
	dst = jU(dst, `"channel_b":`, uint64(v.ChannelB))
	dst = jU(dst, `"txrx":`, uint64(v.TxRx))
	dst = jB(dst, `"power":`, v.Power)
	if v.Addressed {
		dst = jU(dst, `"dest1":`, uint64(v.Dest1))
		dst = jU(dst, `"dest2":`, uint64(v.Dest2))
	} else {
		dst = jArea(dst, v.NELon, v.NELat, v.SWLon, v.SWLat, s)
	}
	dst = jB(dst, `"addressed":`, v.Addressed)
	dst = jB(dst, `"band_a":`, v.BandA)
	dst = jB(dst, `"band_b":`, v.BandB)
	return jU(dst, `"zonesize":`, uint64(v.ZoneSize))
}

func jsonGroup(dst []byte, v *GroupAssignment, s bool) []byte {
	dst = jArea(dst, v.NELon, v.NELat, v.SWLon, v.SWLat, s)
	dst = jU(dst, `"stationtype":`, uint64(v.StationType))
	dst = jL(dst, `"stationtype_text":"`, stationLegends[v.StationType&15])
	dst = jShipType(dst, v.ShipType)
	dst = jU(dst, `"interval":`, uint64(v.Interval))
	return jU(dst, `"quiet":`, uint64(v.Quiet))
}

// jArea writes the corners of a type 22 or 23 region; gpsd quotes the
// scaled values.
func jArea(dst []byte, neLon, neLat, swLon, swLat int32, s bool) []byte {
	if !s {
		dst = jI(dst, `"ne_lon":`, int64(neLon))
		dst = jI(dst, `"ne_lat":`, int64(neLat))
		dst = jI(dst, `"sw_lon":`, int64(swLon))
		return jI(dst, `"sw_lat":`, int64(swLat))
	}
	dst = jQF6(dst, `"ne_lon":"`, neLon)
	dst = jQF6(dst, `"ne_lat":"`, neLat)
	dst = jQF6(dst, `"sw_lon":"`, swLon)
	return jQF6(dst, `"sw_lat":"`, swLat)
}

func jQF6(dst []byte, key string, v int32) []byte {
	dst = append(dst, key...)
	dst = strconv.AppendFloat(dst, float64(v)/div1, 'f', 6, 64)
	return append(dst, `",`...)
}

func jsonType24(dst []byte, v *StaticDataReport, merged bool) []byte {
	partB := merged || v.Part == 1
	if !merged {
		if v.Part == 0 {
			dst = append(dst, `"part":"A",`...)
		} else {
			dst = append(dst, `"part":"B",`...)
		}
	}
	if merged || v.Part == 0 {
		dst = jS(dst, `"shipname":"`, v.ShipName)
	}
	if !partB {
		return dst
	}
	dst = jShipType(dst, v.ShipType)
	// gpsd reads the vendor ID as 7 characters, the 3 of ITU-R M.1371-4
	// and the 24 bits of model and serial number after them.
	if len(v.VendorID) != 3 {
		dst = jS(dst, `"vendorid":"`, v.VendorID)
	} else {
		var vid [7]byte
		n := copy(vid[:], v.VendorID)
		ms := uint32(v.Model)<<20 | v.Serial&0xFFFFF
		for i := 3; i >= 0; i-- {
			c := ms >> uint(6*i) & 63
			if c == 0 {
				break
			}
			vid[n] = sixbitChars[c]
			n++
		}
		for n > 0 && vid[n-1] == ' ' {
			n--
		}
		dst = append(dst, `"vendorid":"`...)
		dst = appendEscaped(dst, vid[:n])
		dst = append(dst, `",`...)
	}
	dst = jU(dst, `"model":`, uint64(v.Model))
	dst = jU(dst, `"serial":`, uint64(v.Serial))
	dst = jS(dst, `"callsign":"`, v.CallSign)
	if v.Auxiliary() {
		return jU(dst, `"mothership_mmsi":`, uint64(v.Mothership))
	}
	return jDims(dst, v.ToBow, v.ToStern, v.ToPort, v.ToStarboard)
}

// jData writes gpsd's raw form of binary data, "data":"<bits>:<hex>". The
// padding of the last byte is zero when mask is set; otherwise it holds
// the first avail bits of the tailWidth-bit field tail that follows the
// data in the message, then zeros.
func jData(dst, data []byte, nbits int, mask bool, tail uint32, tailWidth, avail int) []byte {
	dst = append(dst, `"data":"`...)
	dst = appendUint(dst, uint64(nbits))
	dst = append(dst, ':')
	n := (nbits + 7) / 8
	for i := range n {
		var b byte
		if i < len(data) {
			b = data[i]
		}
		if r := nbits % 8; i == n-1 && r != 0 {
			b &= 0xFF << uint(8-r)
			if !mask && avail > 0 {
				t := tail << uint(32-tailWidth) & (^uint32(0) << uint(32-min(avail, tailWidth)))
				b |= byte(t >> uint(24+r))
			}
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
	}
	return append(dst, `",`...)
}

const hexDigits = "0123456789abcdef"

func jDims(dst []byte, bow, stern uint16, port, starboard uint8) []byte {
	dst = jU(dst, `"to_bow":`, uint64(bow))
	dst = jU(dst, `"to_stern":`, uint64(stern))
	dst = jU(dst, `"to_port":`, uint64(port))
	return jU(dst, `"to_starboard":`, uint64(starboard))
}

func jLonLat(dst []byte, lon, lat int32, s bool) []byte {
	if s {
		dst = jDeg6(dst, `"lon":`, lon)
		return jDeg6(dst, `"lat":`, lat)
	}
	dst = jI(dst, `"lon":`, int64(lon))
	return jI(dst, `"lat":`, int64(lat))
}

func jEPFD(dst []byte, e uint8) []byte {
	dst = jU(dst, `"epfd":`, uint64(e))
	t := "INVALID EPFD"
	if int(e) < len(epfdLegends) {
		t = epfdLegends[e]
	}
	return jL(dst, `"epfd_text":"`, t)
}

func jShipType(dst []byte, t uint8) []byte {
	dst = jU(dst, `"shiptype":`, uint64(t))
	l := "INVALID SHIP TYPE"
	if int(t) < len(shipTypeLegends) {
		l = shipTypeLegends[t]
	}
	return jL(dst, `"shiptype_text":"`, l)
}

// jU appends key (`"name":`), v and a comma.
func jU(dst []byte, key string, v uint64) []byte {
	dst = append(dst, key...)
	dst = appendUint(dst, v)
	return append(dst, ',')
}

func jI(dst []byte, key string, v int64) []byte {
	dst = append(dst, key...)
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	dst = appendUint(dst, uint64(v))
	return append(dst, ',')
}

// appendUint appends v in decimal, two digits at a time, in place.
func appendUint(dst []byte, v uint64) []byte {
	if v < 10 {
		return append(dst, byte('0'+v))
	}
	n := 2
	for x := v; x >= 100; x /= 10 {
		n++
	}
	l := len(dst)
	if cap(dst)-l < n {
		dst = append(dst, make([]byte, n)...)[:l]
	}
	dst = dst[:l+n]
	i := l + n
	for v >= 100 {
		q := v / 100
		r := (v - q*100) * 2
		i -= 2
		dst[i], dst[i+1] = digitPairs[r], digitPairs[r+1]
		v = q
	}
	if v >= 10 {
		dst[l], dst[l+1] = digitPairs[v*2], digitPairs[v*2+1]
	} else {
		dst[l] = byte('0' + v)
	}
	return dst
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

func jB(dst []byte, key string, v bool) []byte {
	dst = append(dst, key...)
	if v {
		return append(dst, "true,"...)
	}
	return append(dst, "false,"...)
}

// jF appends v as printf's %.<prec>f does.
func jF(dst []byte, key string, v float64, prec int) []byte {
	dst = append(dst, key...)
	dst = strconv.AppendFloat(dst, v, 'f', prec, 64)
	return append(dst, ',')
}

// jL appends a legend that needs no escaping; key ends in a quote.
func jL(dst []byte, key, v string) []byte {
	dst = append(dst, key...)
	dst = append(dst, v...)
	return append(dst, `",`...)
}

// jS appends a string escaped as gpsd's json_stringify does; key ends in
// a quote.
func jS(dst []byte, key, v string) []byte {
	dst = append(dst, key...)
	dst = appendEscaped(dst, v)
	return append(dst, `",`...)
}

// jTenths appends v/10 with one decimal: %.1f of v/10.0, exactly.
func jTenths(dst []byte, key string, v uint64) []byte {
	dst = append(dst, key...)
	dst = appendUint(dst, v/10)
	return append(dst, '.', byte('0'+v%10), ',')
}

// jDeg6 appends a 1/10000-minute coordinate in degrees with six decimals,
// as %.6f of v/600000.0 prints it. In millionths of a degree the value is
// v*5/3, whose fraction is 0, 1/3 or 2/3: never near a rounding tie, so
// integer arithmetic gives printf's digits.
func jDeg6(dst []byte, key string, v int32) []byte {
	dst = append(dst, key...)
	a := int64(v)
	if a < 0 {
		dst = append(dst, '-')
		a = -a
	}
	q := a * 5 / 3
	if a*5%3 == 2 {
		q++
	}
	dst = appendUint(dst, uint64(q/1000000))
	f := q % 1000000
	var buf [8]byte
	buf[0] = '.'
	for i := 6; i >= 1; i-- {
		buf[i] = byte('0' + f%10)
		f /= 10
	}
	buf[7] = ','
	return append(dst, buf[:]...)
}

// pad appends v in at least width digits, zero-padded (%0<width>u).
func pad(dst []byte, v uint64, width int) []byte {
	n := 1
	for x := v; x >= 10; x /= 10 {
		n++
	}
	for ; n < width; n++ {
		dst = append(dst, '0')
	}
	return appendUint(dst, v)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// appendEscaped appends s escaped as gpsd's json_stringify escapes: a
// backslash before '"' and '\\', C-style escapes for \b \f \n \r \t and
// \u00XX for other control characters and for every byte outside ASCII.
func appendEscaped[S string | []byte](dst []byte, s S) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c >= 0x20 && c != 0x7F:
			dst = append(dst, c) // UTF-8 (legends, file names) passes as it is
		case c == '\b':
			dst = append(dst, '\\', 'b')
		case c == '\f':
			dst = append(dst, '\\', 'f')
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return dst
}

// turnText holds gpsd's scaled rate of turn for each ROT_AIS value, indexed
// by its byte: %.0f of (rot/4.733)², whose square drops the sign.
var turnText = func() (t [256]string) {
	for i := range t {
		r := float64(int8(i)) / 4.733
		t[i] = strconv.FormatFloat(r*r, 'f', 0, 64)
	}
	return t
}()

// Legends, as gpsd 3.22 spells them.

var navLegends = [16]string{
	"Under way using engine",
	"At anchor",
	"Not under command",
	"Restricted manoeuverability",
	"Constrained by her draught",
	"Moored",
	"Aground",
	"Engaged in fishing",
	"Under way sailing",
	"Reserved for HSC",
	"Reserved for WIG",
	"Reserved",
	"Reserved",
	"Reserved",
	"Reserved",
	"Not defined",
}

var epfdLegends = [...]string{
	"Undefined",
	"GPS",
	"GLONASS",
	"Combined GPS/GLONASS",
	"Loran-C",
	"Chayka",
	"Integrated navigation system",
	"Surveyed",
	"Galileo",
}

var stationLegends = [16]string{
	"All types of mobiles",
	"Reserved for future use",
	"All types of Class B mobile stations",
	"SAR airborne mobile station",
	"Aid to Navigation station",
	"Class B shipborne mobile station",
	"Regional use and inland waterways",
	"Regional use and inland waterways",
	"Regional use and inland waterways",
	"Regional use and inland waterways",
	"Reserved for future use",
	"Reserved for future use",
	"Reserved for future use",
	"Reserved for future use",
	"Reserved for future use",
	"Reserved for future use",
}

var navaidLegends = [32]string{
	"Unspecified",
	"Reference point",
	"RACON",
	"Fixed offshore structure",
	"Spare, Reserved for future use.",
	"Light, without sectors",
	"Light, with sectors",
	"Leading Light Front",
	"Leading Light Rear",
	"Beacon, Cardinal N",
	"Beacon, Cardinal E",
	"Beacon, Cardinal S",
	"Beacon, Cardinal W",
	"Beacon, Port hand",
	"Beacon, Starboard hand",
	"Beacon, Preferred Channel port hand",
	"Beacon, Preferred Channel starboard hand",
	"Beacon, Isolated danger",
	"Beacon, Safe water",
	"Beacon, Special mark",
	"Cardinal Mark N",
	"Cardinal Mark E",
	"Cardinal Mark S",
	"Cardinal Mark W",
	"Port hand Mark",
	"Starboard hand Mark",
	"Preferred Channel Port hand",
	"Preferred Channel Starboard hand",
	"Isolated danger",
	"Safe Water",
	"Special Mark",
	"Light Vessel / LANBY / Rigs",
}

var shipTypeLegends = func() (t [100]string) {
	for i := 1; i < 20; i++ {
		t[i] = "Reserved for future use"
	}
	t[0] = "Not available"
	hazard := [10]string{
		" - all ships of this type",
		" - Hazardous category A",
		" - Hazardous category B",
		" - Hazardous category C",
		" - Hazardous category D",
		" - Reserved for future use",
		" - Reserved for future use",
		" - Reserved for future use",
		" - Reserved for future use",
		" - No additional information",
	}
	for i, g := range [...]string{2: "Wing in ground (WIG)", 4: "High speed craft (HSC)", 6: "Passenger", 7: "Cargo", 8: "Tanker", 9: "Other Type"} {
		if g == "" {
			continue
		}
		for j := range 10 {
			t[10*i+j] = g + hazard[j]
		}
	}
	// gpsd's exceptions to the pattern.
	t[29] = "Wing in ground (WIG) - Reserved for future use"
	t[99] = "Other Type - no additional information"
	copy(t[30:40], []string{
		"Fishing",
		"Towing",
		"Towing: length exceeds 200m or breadth exceeds 25m",
		"Dredging or underwater ops",
		"Diving ops",
		"Military ops",
		"Sailing",
		"Pleasure Craft",
		"Reserved",
		"Reserved",
	})
	copy(t[50:60], []string{
		"Pilot Vessel",
		"Search and Rescue vessel",
		"Tug",
		"Port Tender",
		"Anti-pollution equipment",
		"Law Enforcement",
		"Spare - Local Vessel",
		"Spare - Local Vessel",
		"Medical Transport",
		"Ship according to RR Resolution No. 18",
	})
	return t
}()
