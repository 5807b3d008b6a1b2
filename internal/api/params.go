package api

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"straitwatch/internal/geo"
)

// Parameter parsing is strict: every value is checked for syntax and
// range, unknown and repeated parameters are refused, and nothing a
// client sends can make a handler panic or do unbounded work.

// queryParams parses the request's query string and checks that it only
// has the allowed parameters, each at most once.
func queryParams(raw string, maxBytes int, allowed ...string) (url.Values, *Error) {
	if len(raw) > maxBytes {
		return nil, errorf(CodeQueryTooLong, "query string is "+strconv.Itoa(len(raw))+
			" bytes; at most "+strconv.Itoa(maxBytes)+" are accepted")
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, errorf(CodeBadParameter, "query string cannot be parsed: "+err.Error())
	}
	for k, v := range vals {
		known := false
		for _, a := range allowed {
			if k == a {
				known = true
				break
			}
		}
		if !known {
			msg := "unknown parameter " + quote(k)
			if len(allowed) > 0 {
				msg += "; this endpoint takes " + strings.Join(allowed, ", ")
			} else {
				msg += "; this endpoint takes none"
			}
			return nil, errorf(CodeUnknownParameter, msg)
		}
		if len(v) > 1 {
			return nil, errorf(CodeBadParameter, "parameter "+quote(k)+" is given "+strconv.Itoa(len(v))+" times")
		}
	}
	return vals, nil
}

// parseBBox parses a bbox parameter; an absent or empty one is the whole
// world.
func parseBBox(s string) (geo.Box, *Error) {
	if s == "" {
		return geo.World, nil
	}
	if len(s) > 200 {
		return geo.Box{}, errorf(CodeBadBBox, "bbox "+quote(s)+" is too long")
	}
	b, err := geo.ParseBox(s)
	if err != nil {
		return geo.Box{}, errorf(CodeBadBBox, err.Error()+" (bbox is minLon,minLat,maxLon,maxLat in degrees)")
	}
	for _, f := range [...]float64{b.MinLat, b.MinLon, b.MaxLat, b.MaxLon} {
		if math.IsNaN(f) {
			return geo.Box{}, errorf(CodeBadBBox, "bbox "+quote(s)+": NaN is not a coordinate")
		}
	}
	return b, nil
}

// parseMMSI parses an MMSI path segment: 1 to 9 decimal digits, not zero.
func parseMMSI(s string) (uint32, *Error) {
	bad := errorf(CodeBadMMSI, "MMSI "+quote(s)+" is not a number from 1 to 999999999")
	if s == "" || len(s) > 9 {
		return 0, bad
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		return 0, bad
	}
	return uint32(n), nil
}

// parseLimit parses a limit parameter: an integer from 1 to max, def
// when absent.
func parseLimit(s string, def, max int) (int, *Error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, errorf(CodeBadLimit, "limit "+quote(s)+" is not an integer from 1 to "+strconv.Itoa(max))
	}
	return n, nil
}

// maxSpeed is the largest speed over ground AIS can report, in knots.
const maxSpeed = 102.2

// parseSpeed parses a speed in knots: a finite number from 0 to maxSpeed.
func parseSpeed(name, s string) (float32, bool, *Error) {
	if s == "" {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > maxSpeed {
		return 0, false, errorf(CodeBadSpeed, name+" "+quote(s)+" is not a number of knots from 0 to 102.2")
	}
	return float32(f), true, nil
}

// shipTypeCategories maps the category names that type accepts to ranges
// of AIS ship and cargo types (ITU-R M.1371, table 53).
func shipTypeCategory(name string) (lo, hi uint8, ok bool) {
	switch name {
	case "wig":
		return 20, 29, true
	case "fishing":
		return 30, 30, true
	case "towing":
		return 31, 32, true
	case "dredging":
		return 33, 33, true
	case "diving":
		return 34, 34, true
	case "military":
		return 35, 35, true
	case "sailing":
		return 36, 36, true
	case "pleasure":
		return 37, 37, true
	case "hsc":
		return 40, 49, true
	case "pilot":
		return 50, 50, true
	case "sar":
		return 51, 51, true
	case "tug":
		return 52, 52, true
	case "port_tender":
		return 53, 53, true
	case "law_enforcement":
		return 55, 55, true
	case "medical":
		return 58, 58, true
	case "passenger":
		return 60, 69, true
	case "cargo":
		return 70, 79, true
	case "tanker":
		return 80, 89, true
	case "other":
		return 90, 99, true
	}
	return 0, 0, false
}

// parseShipTypes parses a type parameter: a comma-separated list of AIS
// ship types (0-255), ranges of them ("80-89") and category names
// ("tanker"). The result has each type at most once.
func parseShipTypes(s string) ([]uint8, *Error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 1024 {
		return nil, errorf(CodeBadType, "type "+quote(s)+" is too long")
	}
	var seen [256]bool
	var out []uint8
	add := func(lo, hi int) {
		for t := lo; t <= hi; t++ {
			if !seen[t] {
				seen[t] = true
				out = append(out, uint8(t))
			}
		}
	}
	for part := range strings.SplitSeq(s, ",") {
		p := strings.ToLower(strings.TrimSpace(part))
		if lo, hi, ok := shipTypeCategory(p); ok {
			add(int(lo), int(hi))
			continue
		}
		los, his, isRange := strings.Cut(p, "-")
		if !isRange {
			his = los
		}
		lo, err1 := strconv.Atoi(los)
		hi, err2 := strconv.Atoi(his)
		if p == "" || err1 != nil || err2 != nil || lo < 0 || hi > 255 || lo > hi {
			return nil, errorf(CodeBadType, "type "+quote(part)+" is not a ship type 0-255, a range such as 80-89, or a category (wig, fishing, towing, dredging, diving, military, sailing, pleasure, hsc, pilot, sar, tug, port_tender, law_enforcement, medical, passenger, cargo, tanker, other)")
		}
		add(lo, hi)
	}
	return out, nil
}

// parseFlags parses a flag parameter: a comma-separated list of ISO 3166
// alpha-2 codes, in either case. The result is upper case.
func parseFlags(s string) ([]string, *Error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 1024 {
		return nil, errorf(CodeBadFlag, "flag "+quote(s)+" is too long")
	}
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		p := strings.ToUpper(strings.TrimSpace(part))
		if len(p) != 2 || p[0] < 'A' || p[0] > 'Z' || p[1] < 'A' || p[1] > 'Z' {
			return nil, errorf(CodeBadFlag, "flag "+quote(part)+" is not an ISO 3166 alpha-2 country code such as IR or OM")
		}
		out = append(out, p)
	}
	return out, nil
}

// maxSearch is the longest search text accepted, in characters.
const maxSearch = 100

// parseSearch checks a q parameter: at most maxSearch characters, no
// control characters. Surrounding spaces are removed.
func parseSearch(s string) (string, *Error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxSearch {
		return "", errorf(CodeBadSearch, "q is longer than "+strconv.Itoa(maxSearch)+" characters")
	}
	if !utf8.ValidString(s) {
		return "", errorf(CodeBadSearch, "q is not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", errorf(CodeBadSearch, "q contains control characters")
		}
	}
	return s, nil
}

// maxMillis is the end of year 9999 in UNIX milliseconds.
const maxMillis = 253402300799999

// parseTime parses a time parameter: RFC 3339 or UNIX milliseconds, from
// 1970 to year 9999. It returns UNIX milliseconds.
func parseTime(name, s string) (int64, *Error) {
	bad := errorf(CodeBadTime, name+" "+quote(s)+" is neither an RFC 3339 time (2026-01-02T15:04:05Z) nor UNIX milliseconds")
	if s == "" {
		return 0, bad
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, "-:T") {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil || ms < 0 || ms > maxMillis {
			return 0, bad
		}
		return ms, nil
	}
	if len(s) > 64 {
		return 0, bad
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, bad
	}
	ms := t.UnixMilli()
	if ms < 0 || ms > maxMillis {
		return 0, errorf(CodeBadTime, name+" "+quote(s)+" is before 1970 or after 9999")
	}
	return ms, nil
}
