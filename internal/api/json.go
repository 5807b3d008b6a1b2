package api

import (
	"math"
	"strconv"
	"unicode/utf8"

	"straitwatch/internal/track"
)

// The hot responses (vessel lists, tracks, live updates) are written by
// the append functions below rather than encoding/json: they are several
// times faster, allocate only the output buffer, and write "not
// available" values (NaN speeds, heading -1) as absent fields or null
// instead of failing.

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// <, > and & are escaped as encoding/json does, so a response is safe to
// embed in HTML.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendFloat appends f in its shortest form for the given bit size, or
// null when it is not finite.
func appendFloat(b []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, bits)
}

// Positions are written with 6 decimals (about 0.1 m; AIS resolves
// 1/600000 degree) and speeds, courses and draughts with 1 (the AIS
// resolution), trailing zeros dropped. Integer arithmetic makes this
// several times faster than shortest-form float formatting, which matters
// for tracks of tens of thousands of positions.

// appendFixed appends v rounded to digits decimals (scale is 10^digits),
// without trailing zeros, or null when v is not finite.
func appendFixed(b []byte, v float64, scale int64, digits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "null"...)
	}
	if math.Abs(v) >= 1e12 {
		return strconv.AppendFloat(b, v, 'f', digits, 64)
	}
	n := int64(math.Round(v * float64(scale)))
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/scale, 10)
	frac := n % scale
	if frac == 0 {
		return b
	}
	var tmp [18]byte
	for i := digits - 1; i >= 0; i-- {
		tmp[i] = byte('0' + frac%10)
		frac /= 10
	}
	end := digits
	for tmp[end-1] == '0' {
		end--
	}
	b = append(b, '.')
	return append(b, tmp[:end]...)
}

// appendDegrees appends a latitude or longitude, or null.
func appendDegrees(b []byte, v float64) []byte { return appendFixed(b, v, 1e6, 6) }

// appendTenths appends a speed, course or draught, or null.
func appendTenths(b []byte, v float32) []byte { return appendFixed(b, float64(v), 10, 1) }

// appendKey appends a comma unless first, then "key":.
func appendKey(b []byte, key string, first bool) []byte {
	if !first {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// finite32 reports whether f is a number.
func finite32(f float32) bool {
	return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0)
}

// appendFix appends a position report as a JSON object. With withMMSI it
// starts with the vessel's MMSI (live updates); without, it is the "last"
// object of a vessel. Values that are not available are left out.
func appendFix(b []byte, f *track.Fix, withMMSI bool) []byte {
	b = append(b, '{')
	if withMMSI {
		b = append(b, `"mmsi":`...)
		b = strconv.AppendUint(b, uint64(f.MMSI), 10)
		b = append(b, ',')
	}
	b = append(b, `"time":`...)
	b = strconv.AppendInt(b, f.Time, 10)
	b = appendKey(b, "lat", false)
	b = appendDegrees(b, f.Lat)
	b = appendKey(b, "lon", false)
	b = appendDegrees(b, f.Lon)
	if finite32(f.SOG) {
		b = appendKey(b, "sog", false)
		b = appendTenths(b, f.SOG)
	}
	if finite32(f.COG) {
		b = appendKey(b, "cog", false)
		b = appendTenths(b, f.COG)
	}
	if f.Heading >= 0 {
		b = appendKey(b, "heading", false)
		b = strconv.AppendInt(b, int64(f.Heading), 10)
	}
	b = appendKey(b, "status", false)
	b = strconv.AppendUint(b, uint64(f.Status), 10)
	b = appendKey(b, "class", false)
	b = appendString(b, f.Class.String())
	b = appendKey(b, "source", false)
	b = strconv.AppendUint(b, uint64(f.Source), 10)
	return append(b, '}')
}

// appendStatic appends static and voyage data as a JSON object. Only the
// groups in s.Has are written, and of those only the values that are
// available.
func appendStatic(b []byte, s *track.Static) []byte {
	b = append(b, `{"time":`...)
	b = strconv.AppendInt(b, s.Time, 10)
	if s.Has&track.HasName != 0 {
		b = appendKey(b, "name", false)
		b = appendString(b, s.Name)
	}
	if s.Has&track.HasCallSign != 0 {
		b = appendKey(b, "call_sign", false)
		b = appendString(b, s.CallSign)
	}
	if s.Has&track.HasIMO != 0 {
		b = appendKey(b, "imo", false)
		b = strconv.AppendUint(b, uint64(s.IMO), 10)
	}
	if s.Has&track.HasShipType != 0 {
		b = appendKey(b, "ship_type", false)
		b = strconv.AppendUint(b, uint64(s.ShipType), 10)
	}
	if s.Has&track.HasDimensions != 0 {
		b = appendKey(b, "to_bow", false)
		b = strconv.AppendUint(b, uint64(s.ToBow), 10)
		b = appendKey(b, "to_stern", false)
		b = strconv.AppendUint(b, uint64(s.ToStern), 10)
		b = appendKey(b, "to_port", false)
		b = strconv.AppendUint(b, uint64(s.ToPort), 10)
		b = appendKey(b, "to_starboard", false)
		b = strconv.AppendUint(b, uint64(s.ToStarboard), 10)
	}
	if s.Has&track.HasVoyage != 0 {
		if finite32(s.Draught) {
			b = appendKey(b, "draught", false)
			b = appendTenths(b, s.Draught)
		}
		if s.Destination != "" {
			b = appendKey(b, "destination", false)
			b = appendString(b, s.Destination)
		}
		if s.ETA != "" {
			b = appendKey(b, "eta", false)
			b = appendString(b, s.ETA)
		}
	}
	if s.Has&track.HasAidType != 0 {
		b = appendKey(b, "aid_type", false)
		b = strconv.AppendUint(b, uint64(s.AidType), 10)
	}
	if s.Has&track.HasMothership != 0 {
		b = appendKey(b, "mothership", false)
		b = strconv.AppendUint(b, uint64(s.Mothership), 10)
	}
	b = appendKey(b, "source", false)
	b = strconv.AppendUint(b, uint64(s.Source), 10)
	return append(b, '}')
}

// appendVessel appends a vessel as a JSON object: identity, the latest
// fix ("last", absent before the first position), static data ("static",
// absent when none is known), the sources that heard it, the number of
// position reports and when it was first and last heard.
func appendVessel(b []byte, v *track.Vessel) []byte {
	b = append(b, `{"mmsi":`...)
	b = strconv.AppendUint(b, uint64(v.MMSI), 10)
	b = appendKey(b, "kind", false)
	b = appendString(b, v.Kind.String())
	if v.Flag != "" {
		b = appendKey(b, "flag", false)
		b = appendString(b, v.Flag)
	}
	if v.Country != "" {
		b = appendKey(b, "country", false)
		b = appendString(b, v.Country)
	}
	if v.Last.Time != 0 {
		b = appendKey(b, "last", false)
		b = appendFix(b, &v.Last, false)
	}
	if v.Static.Has != 0 {
		b = appendKey(b, "static", false)
		b = appendStatic(b, &v.Static)
	}
	b = appendKey(b, "sources", false)
	b = append(b, '[')
	for i, s := range v.Sources {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(s), 10)
	}
	b = append(b, ']')
	b = appendKey(b, "count", false)
	b = strconv.AppendUint(b, uint64(v.Count), 10)
	if v.FirstSeen != 0 {
		b = appendKey(b, "first_seen", false)
		b = strconv.AppendInt(b, v.FirstSeen, 10)
	}
	if v.LastSeen != 0 {
		b = appendKey(b, "last_seen", false)
		b = strconv.AppendInt(b, v.LastSeen, 10)
	}
	return append(b, '}')
}

// compactFields names the members of a vessel in the compact form, in
// order.
const compactFields = `["mmsi","kind","name","ship_type","flag","time","lat","lon","sog","cog","heading","status"]`

// appendVesselCompact appends a vessel as an array of compactFields: the
// live picture at a fifth of the size, for clients that draw many
// vessels and fetch the details of one on demand. Values that are not
// available are null ("" for name and flag); time is that of the last
// position, else when the vessel was last heard.
func appendVesselCompact(b []byte, v *track.Vessel) []byte {
	b = append(b, '[')
	b = strconv.AppendUint(b, uint64(v.MMSI), 10)
	b = append(b, ',')
	b = appendString(b, v.Kind.String())
	b = append(b, ',')
	name := ""
	if v.Static.Has&track.HasName != 0 {
		name = v.Static.Name
	}
	b = appendString(b, name)
	b = append(b, ',')
	if v.Static.Has&track.HasShipType != 0 {
		b = strconv.AppendUint(b, uint64(v.Static.ShipType), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	b = appendString(b, v.Flag)
	b = append(b, ',')
	f := &v.Last
	if f.Time == 0 {
		b = strconv.AppendInt(b, v.LastSeen, 10)
		return append(b, ",null,null,null,null,null,null]"...)
	}
	b = strconv.AppendInt(b, f.Time, 10)
	b = append(b, ',')
	b = appendDegrees(b, f.Lat)
	b = append(b, ',')
	b = appendDegrees(b, f.Lon)
	b = append(b, ',')
	if finite32(f.SOG) {
		b = appendTenths(b, f.SOG)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	if finite32(f.COG) {
		b = appendTenths(b, f.COG)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	if f.Heading >= 0 {
		b = strconv.AppendInt(b, int64(f.Heading), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(f.Status), 10)
	return append(b, ']')
}
