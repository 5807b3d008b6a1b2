package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"straitwatch/internal/access"
	"straitwatch/internal/track"
)

// minMaxSpeed is the smallest upper speed bound passed on, in knots: the
// resolution of AIS speeds.
const minMaxSpeed = 0.1

// listVessels serves GET /api/vessels: the vessels in a bounding box that
// match the filters.
func (a *API) listVessels(w http.ResponseWriter, r *http.Request, v access.View) {
	q, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes,
		"bbox", "type", "flag", "min_speed", "max_speed", "q", "limit", "format")
	if e != nil {
		writeError(w, e)
		return
	}
	box, e := parseBBox(q.Get("bbox"))
	if e != nil {
		writeError(w, e)
		return
	}
	var f track.Filter
	if f.ShipTypes, e = parseShipTypes(q.Get("type")); e != nil {
		writeError(w, e)
		return
	}
	if f.Flags, e = parseFlags(q.Get("flag")); e != nil {
		writeError(w, e)
		return
	}
	minS, _, e := parseSpeed("min_speed", q.Get("min_speed"))
	if e != nil {
		writeError(w, e)
		return
	}
	maxS, hasMax, e := parseSpeed("max_speed", q.Get("max_speed"))
	if e != nil {
		writeError(w, e)
		return
	}
	if hasMax && minS > maxS {
		writeError(w, errorf(CodeBadSpeed, "min_speed "+quote(q.Get("min_speed"))+" is above max_speed "+quote(q.Get("max_speed"))))
		return
	}
	f.MinSOG, f.MaxSOG = minS, maxS
	if hasMax && maxS < minMaxSpeed {
		// Speeds are compared at the AIS resolution of 0.1 knot, and in
		// track.Filter a zero MaxSOG means no bound: a client asking for
		// max_speed=0 wants the vessels that are not moving.
		f.MaxSOG = minMaxSpeed
	}
	if f.Text, e = parseSearch(q.Get("q")); e != nil {
		writeError(w, e)
		return
	}
	if f.Limit, e = parseLimit(q.Get("limit"), a.cfg.DefaultLimit, a.cfg.MaxLimit); e != nil {
		writeError(w, e)
		return
	}
	compact := false
	switch q.Get("format") {
	case "", "full":
	case "compact":
		compact = true
	default:
		writeError(w, errorf(CodeBadParameter, "format "+quote(q.Get("format"))+" is neither full nor compact"))
		return
	}

	ctx, cancel := a.requestContext(r)
	defer cancel()
	vessels, truncated, err := a.q.VesselsInBox(ctx, v, box, f)
	if err != nil {
		a.fail(w, r, err, "list vessels")
		return
	}
	p := a.buffer()
	defer a.release(p)
	// One allocation for the whole response rather than a series of
	// growths: a vessel takes about 450 bytes.
	b := slices.Grow(*p, len(vessels)*512+64)
	b = append(b, `{"count":`...)
	b = strconv.AppendInt(b, int64(len(vessels)), 10)
	b = append(b, `,"truncated":`...)
	b = strconv.AppendBool(b, truncated)
	if compact {
		b = append(b, `,"fields":`...)
		b = append(b, compactFields...)
	}
	b = append(b, `,"vessels":[`...)
	for i := range vessels {
		if i > 0 {
			b = append(b, ',')
		}
		if compact {
			b = appendVesselCompact(b, &vessels[i])
		} else {
			b = appendVessel(b, &vessels[i])
		}
	}
	b = append(b, "]}\n"...)
	*p = b
	writeJSON(w, "application/json", b)
}

// getVessel serves GET /api/vessels/{mmsi}: the vessel's live state, the
// sources that heard it and its static history.
func (a *API) getVessel(w http.ResponseWriter, r *http.Request, v access.View) {
	if _, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes); e != nil {
		writeError(w, e)
		return
	}
	mmsi, e := parseMMSI(r.PathValue("mmsi"))
	if e != nil {
		writeError(w, e)
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	what := "vessel " + strconv.FormatUint(uint64(mmsi), 10)
	vessel, err := a.q.Vessel(ctx, v, mmsi)
	if err != nil {
		a.fail(w, r, err, what)
		return
	}
	history, err := a.q.StaticHistory(ctx, v, mmsi)
	if err != nil {
		a.fail(w, r, err, what)
		return
	}
	sources, err := a.q.Sources(ctx, v)
	if err != nil && !errors.Is(err, access.ErrForbidden) {
		a.fail(w, r, err, what)
		return
	}
	byID := make(map[track.SourceID]access.SourceHealth, len(sources))
	for _, s := range sources {
		byID[s.ID] = s
	}

	p := a.buffer()
	defer a.release(p)
	b := appendVessel(*p, &vessel)
	b = b[:len(b)-1] // reopen the vessel object
	b = append(b, `,"heard_by":[`...)
	first := true
	for _, id := range vessel.Sources {
		s, ok := byID[id]
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"id":`...)
		b = strconv.AppendUint(b, uint64(id), 10)
		b = appendKey(b, "name", false)
		b = appendString(b, s.Name)
		b = appendKey(b, "org", false)
		b = appendString(b, s.Org)
		b = append(b, '}')
	}
	b = append(b, `],"static_history":[`...)
	for i := range history {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStatic(b, &history[i])
	}
	b = append(b, "]}\n"...)
	*p = b
	writeJSON(w, "application/json", b)
}

// getTrack serves GET /api/vessels/{mmsi}/track: the vessel's fixes
// between two times as a GeoJSON Feature.
func (a *API) getTrack(w http.ResponseWriter, r *http.Request, v access.View) {
	q, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes, "from", "to", "limit")
	if e != nil {
		writeError(w, e)
		return
	}
	mmsi, e := parseMMSI(r.PathValue("mmsi"))
	if e != nil {
		writeError(w, e)
		return
	}
	from, to, e := a.timeRange(q, a.cfg.DefaultTrackRange, a.cfg.MaxTrackRange, "a track")
	if e != nil {
		writeError(w, e)
		return
	}
	limit, e := parseLimit(q.Get("limit"), a.cfg.DefaultTrackLimit, a.cfg.MaxTrackLimit)
	if e != nil {
		writeError(w, e)
		return
	}

	ctx, cancel := a.requestContext(r)
	defer cancel()
	fixes, truncated, err := a.q.Track(ctx, v, mmsi, from, to, limit)
	if err != nil {
		a.fail(w, r, err, "track of vessel "+strconv.FormatUint(uint64(mmsi), 10))
		return
	}
	p := a.buffer()
	defer a.release(p)
	// A position takes about 50 bytes over its six arrays.
	b := appendTrack(slices.Grow(*p, len(fixes)*64+256), mmsi, from, to, fixes, truncated)
	*p = b
	writeJSON(w, "application/geo+json", b)
}

// formatMillis formats UNIX milliseconds as RFC 3339 for messages.
func formatMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
}

// appendTrack appends a track as a GeoJSON Feature. Its geometry is a
// LineString of [lon, lat] positions when there are two fixes or more, a
// Point for one, and null for none. Its properties hold, per position and
// in the same order, the times (UNIX ms), speeds and courses over ground
// (knots, degrees; null when not available), headings (null when not
// available) and sources.
func appendTrack(b []byte, mmsi uint32, from, to int64, fixes []track.Fix, truncated bool) []byte {
	b = append(b, `{"type":"Feature","geometry":`...)
	switch len(fixes) {
	case 0:
		b = append(b, "null"...)
	case 1:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = appendPosition(b, &fixes[0])
		b = append(b, '}')
	default:
		b = append(b, `{"type":"LineString","coordinates":[`...)
		for i := range fixes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPosition(b, &fixes[i])
		}
		b = append(b, "]}"...)
	}
	b = append(b, `,"properties":{"mmsi":`...)
	b = strconv.AppendUint(b, uint64(mmsi), 10)
	b = append(b, `,"from":`...)
	b = strconv.AppendInt(b, from, 10)
	b = append(b, `,"to":`...)
	b = strconv.AppendInt(b, to, 10)
	b = append(b, `,"count":`...)
	b = strconv.AppendInt(b, int64(len(fixes)), 10)
	b = append(b, `,"truncated":`...)
	b = strconv.AppendBool(b, truncated)
	b = append(b, `,"times":[`...)
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, fixes[i].Time, 10)
	}
	b = append(b, `],"sog":[`...)
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTenths(b, fixes[i].SOG)
	}
	b = append(b, `],"cog":[`...)
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTenths(b, fixes[i].COG)
	}
	b = append(b, `],"heading":[`...)
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		if h := fixes[i].Heading; h >= 0 {
			b = strconv.AppendInt(b, int64(h), 10)
		} else {
			b = append(b, "null"...)
		}
	}
	b = append(b, `],"sources":[`...)
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(fixes[i].Source), 10)
	}
	return append(b, "]}}\n"...)
}

// appendPosition appends [lon, lat].
func appendPosition(b []byte, f *track.Fix) []byte {
	b = append(b, '[')
	b = appendDegrees(b, f.Lon)
	b = append(b, ',')
	b = appendDegrees(b, f.Lat)
	return append(b, ']')
}

// sourceJSON is a source as /api/sources returns it.
type sourceJSON struct {
	ID                uint16            `json:"id"`
	Name              string            `json:"name"`
	Org               string            `json:"org"`
	Kind              string            `json:"kind"`
	Connected         bool              `json:"connected"`
	LastMessage       *int64            `json:"last_message"`
	Messages          uint64            `json:"messages"`
	MessagesPerSecond float64           `json:"messages_per_second"`
	Rejects           map[string]uint64 `json:"rejects"`
	LastError         string            `json:"last_error,omitempty"`
	Detail            json.RawMessage   `json:"detail,omitempty"`
}

// listSources serves GET /api/sources: the sources and their health.
func (a *API) listSources(w http.ResponseWriter, r *http.Request, v access.View) {
	if _, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes); e != nil {
		writeError(w, e)
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	sources, err := a.q.Sources(ctx, v)
	if err != nil {
		a.fail(w, r, err, "list sources")
		return
	}
	slices.SortFunc(sources, func(x, y access.SourceHealth) int { return cmp.Compare(x.ID, y.ID) })
	out := struct {
		Sources []sourceJSON `json:"sources"`
	}{Sources: make([]sourceJSON, 0, len(sources))}
	for _, s := range sources {
		j := sourceJSON{
			ID: uint16(s.ID), Name: s.Name, Org: s.Org, Kind: s.Kind, Connected: s.Connected,
			Messages: s.Messages, MessagesPerSecond: s.MessagesPerSecond, Rejects: s.Rejects,
			LastError: s.LastError,
		}
		if s.LastMessage != 0 {
			j.LastMessage = &s.LastMessage
		}
		if math.IsNaN(j.MessagesPerSecond) || math.IsInf(j.MessagesPerSecond, 0) {
			j.MessagesPerSecond = 0
		}
		if j.Rejects == nil {
			j.Rejects = map[string]uint64{}
		}
		if s.Detail != nil {
			d, err := json.Marshal(s.Detail)
			if err == nil && len(d) > 0 && d[0] == '{' {
				j.Detail = d
			} else {
				a.log.Warn("source health detail is not a JSON object; left out", "source", s.ID, "err", err)
			}
		}
		out.Sources = append(out.Sources, j)
	}
	b, err := json.Marshal(out)
	if err != nil {
		a.fail(w, r, err, "list sources")
		return
	}
	writeJSON(w, "application/json", append(b, '\n'))
}

// getHistory serves GET /api/history: the stored fixes of every vessel in
// a box between two times, in time order, for replaying the past picture.
func (a *API) getHistory(w http.ResponseWriter, r *http.Request, v access.View) {
	q, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes, "bbox", "from", "to", "limit")
	if e != nil {
		writeError(w, e)
		return
	}
	box, e := parseBBox(q.Get("bbox"))
	if e != nil {
		writeError(w, e)
		return
	}
	from, to, e := a.timeRange(q, time.Hour, a.cfg.DefaultTrackRange, "a history query")
	if e != nil {
		writeError(w, e)
		return
	}
	limit, e := parseLimit(q.Get("limit"), a.cfg.DefaultTrackLimit, a.cfg.MaxTrackLimit)
	if e != nil {
		writeError(w, e)
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	fixes, truncated, err := a.q.History(ctx, v, box, from, to, limit)
	if err != nil {
		a.fail(w, r, err, "history")
		return
	}
	p := a.buffer()
	defer a.release(p)
	b := slices.Grow(*p, len(fixes)*96+128)
	b = append(b, `{"from":`...)
	b = strconv.AppendInt(b, from, 10)
	b = append(b, `,"to":`...)
	b = strconv.AppendInt(b, to, 10)
	b = append(b, `,"truncated":`...)
	b = strconv.AppendBool(b, truncated)
	b = append(b, `,"fixes":[`...)
	for i := range fixes {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFix(b, &fixes[i], true)
	}
	b = append(b, "]}\n"...)
	*p = b
	writeJSON(w, "application/json", b)
}

// timeRange parses the from and to parameters: to defaults to now and
// from to span before to; from must be before to and the range at most
// longest (what names the query in the error).
func (a *API) timeRange(q url.Values, span, longest time.Duration, what string) (from, to int64, e *Error) {
	to = a.cfg.Now().UnixMilli()
	if s := q.Get("to"); s != "" {
		if to, e = parseTime("to", s); e != nil {
			return 0, 0, e
		}
	}
	from = max(0, to-span.Milliseconds())
	if s := q.Get("from"); s != "" {
		if from, e = parseTime("from", s); e != nil {
			return 0, 0, e
		}
	}
	if from >= to {
		return 0, 0, errorf(CodeBadTimeRange, "from ("+formatMillis(from)+") is not before to ("+formatMillis(to)+")")
	}
	if to-from > longest.Milliseconds() {
		return 0, 0, errorf(CodeBadTimeRange, "from "+formatMillis(from)+" to "+formatMillis(to)+
			" is longer than the "+longest.String()+" "+what+" may span")
	}
	return from, to, nil
}
