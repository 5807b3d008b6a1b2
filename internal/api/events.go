package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"straitwatch/internal/access"
	"straitwatch/internal/detect"
	"straitwatch/internal/events"
)

// eventTypes are the event types the type parameter accepts.
var eventTypes = []detect.Type{
	detect.TypeDistress, detect.TypeZone, detect.TypeGap, detect.TypeSpeed, detect.TypeLoiter, detect.TypeEncounter,
	detect.TypeIdentity, detect.TypePortVisit, detect.TypeTSS, detect.TypeCollision,
}

// eventFilter parses the filter parameters shared by the event list and
// the event stream: type, bbox, mmsi, zone and state.
func eventFilter(q url.Values) (events.Filter, *Error) {
	var f events.Filter
	if s := q.Get("type"); s != "" {
		for _, t := range strings.Split(s, ",") {
			ok := false
			for _, k := range eventTypes {
				if string(k) == t {
					f.Types, ok = append(f.Types, k), true
				}
			}
			if !ok {
				return f, errorf(CodeBadEventType, "type "+quote(t)+" is not an event type; want a comma-separated list of "+typeList())
			}
		}
	}
	if s := q.Get("bbox"); s != "" {
		box, e := parseBBox(s)
		if e != nil {
			return f, e
		}
		f.Box = &box
	}
	if s := q.Get("mmsi"); s != "" {
		m, e := parseMMSI(s)
		if e != nil {
			return f, e
		}
		f.MMSI = m
	}
	if s := q.Get("zone"); s != "" {
		if len(s) > 255 || strings.ContainsFunc(s, unicode.IsControl) {
			return f, errorf(CodeBadParameter, "zone "+quote(s)+" is not a zone ID")
		}
		f.Zone = s
	}
	if s := q.Get("state"); s != "" {
		for _, name := range strings.Split(s, ",") {
			var st detect.State
			if err := st.UnmarshalText([]byte(name)); err != nil {
				return f, errorf(CodeBadParameter, "state "+quote(name)+" is not one of open, update, close, retract")
			}
			f.States = append(f.States, st)
		}
	}
	return f, nil
}

func typeList() string {
	names := make([]string, len(eventTypes))
	for i, t := range eventTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// listEvents serves GET /api/events: the latest state of the events that
// overlap a time range and match the filters, newest start first.
func (a *API) listEvents(w http.ResponseWriter, r *http.Request, v access.View) {
	q, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes, "type", "from", "to", "bbox", "mmsi", "zone", "state", "limit")
	if e != nil {
		writeError(w, e)
		return
	}
	f, e := eventFilter(q)
	if e != nil {
		writeError(w, e)
		return
	}
	if s := q.Get("to"); s != "" {
		if f.To, e = parseTime("to", s); e != nil {
			writeError(w, e)
			return
		}
	}
	f.From = max(0, a.cfg.Now().Add(-a.cfg.DefaultTrackRange).UnixMilli())
	if s := q.Get("from"); s != "" {
		if f.From, e = parseTime("from", s); e != nil {
			writeError(w, e)
			return
		}
	}
	if f.To != 0 && f.From >= f.To {
		writeError(w, errorf(CodeBadTimeRange, "from ("+formatMillis(f.From)+") is not before to ("+formatMillis(f.To)+")"))
		return
	}
	if f.Limit, e = parseLimit(q.Get("limit"), a.cfg.DefaultLimit, a.cfg.MaxLimit); e != nil {
		writeError(w, e)
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	recs, truncated, err := a.q.Events(ctx, v, f)
	if err != nil {
		a.fail(w, r, err, "list events")
		return
	}
	if recs == nil {
		recs = []events.Record{}
	}
	b, err := json.Marshal(struct {
		Events    []events.Record `json:"events"`
		Truncated bool            `json:"truncated"`
	}{recs, truncated})
	if err != nil {
		a.fail(w, r, err, "list events")
		return
	}
	writeJSON(w, "application/json", append(b, '\n'))
}

// getEvent serves GET /api/events/{id}.
func (a *API) getEvent(w http.ResponseWriter, r *http.Request, v access.View) {
	if _, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes); e != nil {
		writeError(w, e)
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	rec, err := a.q.Event(ctx, v, r.PathValue("id"))
	a.writeEvent(w, r, rec, err)
}

func (a *API) writeEvent(w http.ResponseWriter, r *http.Request, rec events.Record, err error) {
	if errors.Is(err, access.ErrNotFound) || errors.Is(err, events.ErrNotFound) {
		writeError(w, errorf(CodeEventNotFound, "event "+quote(r.PathValue("id"))+": not found"))
		return
	}
	if err != nil {
		a.fail(w, r, err, "event")
		return
	}
	b, err := json.Marshal(&rec)
	if err != nil {
		a.fail(w, r, err, "event")
		return
	}
	writeJSON(w, "application/json", append(b, '\n'))
}

// ackEvent serves POST /api/events/{id}/ack with the body
// {"comment":"..."}: it records the caller's acknowledgement and returns
// the event.
func (a *API) ackEvent(w http.ResponseWriter, r *http.Request, v access.View) {
	if _, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes); e != nil {
		writeError(w, e)
		return
	}
	var body struct {
		Comment string `json:"comment"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			writeError(w, errorf(CodeRequestTooLarge, "request body is larger than the "+strconv.FormatInt(tooLarge.Limit, 10)+" bytes accepted"))
			return
		}
		writeError(w, errorf(CodeBadBody, `want a JSON object {"comment":"..."}: `+err.Error()))
		return
	}
	if dec.More() {
		writeError(w, errorf(CodeBadBody, "data after the JSON object"))
		return
	}
	if len(body.Comment) > events.MaxComment || strings.ContainsFunc(body.Comment, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
		writeError(w, errorf(CodeBadBody, "comment: at most "+strconv.Itoa(events.MaxComment)+" bytes, no control characters but newlines and tabs"))
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	rec, err := a.q.Acknowledge(ctx, v, r.PathValue("id"), body.Comment)
	a.writeEvent(w, r, rec, err)
}

// getZones serves GET /api/zones: the zone set as GeoJSON.
func (a *API) getZones(w http.ResponseWriter, r *http.Request, v access.View) {
	if _, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes); e != nil {
		writeError(w, e)
		return
	}
	ctx, cancel := a.requestContext(r)
	defer cancel()
	zs, err := a.q.Zones(ctx, v)
	if err != nil {
		a.fail(w, r, err, "zones")
		return
	}
	b, err := json.Marshal(zs)
	if err != nil {
		a.fail(w, r, err, "zones")
		return
	}
	writeJSON(w, "application/geo+json", append(b, '\n'))
}

// eventStream serves GET /api/events/stream: the live stream of event
// changes, as Server-Sent Events:
//
//	retry: 5000
//	event: hello
//	data: {"heartbeat_ms":15000}
//
// then, for each change, "event: event" with the event as /api/events
// gives it; "event: dropped" when the client fell behind and changes were
// dropped for it (it should refetch /api/events); heartbeat comments while
// idle; and "event: bye" on shutdown.
func (a *API) eventStream(w http.ResponseWriter, r *http.Request, v access.View) {
	q, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes, "type", "bbox", "mmsi", "zone", "state")
	if e != nil {
		writeError(w, e)
		return
	}
	f, e := eventFilter(q)
	if e != nil {
		writeError(w, e)
		return
	}
	if !canFlush(w) {
		writeError(w, errorf(CodeStreamUnsupported, "this connection cannot carry a live stream"))
		return
	}
	if r.Method == http.MethodHead {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		return
	}
	ctx := r.Context()
	sub, err := a.q.SubscribeEvents(ctx, v, f)
	if err != nil {
		a.fail(w, r, err, "event stream")
		return
	}
	defer sub.Close()
	es := a.startEventStream(w)
	b := []byte("retry: 5000\n\nevent: hello\ndata: {\"heartbeat_ms\":")
	b = strconv.AppendInt(b, a.cfg.Heartbeat.Milliseconds(), 10)
	b = append(b, "}\n\n"...)
	if err := es.send(b); err != nil {
		return
	}
	heartbeat := time.NewTicker(a.cfg.Heartbeat)
	defer heartbeat.Stop()
	var total uint64
	for {
		b = b[:0]
		select {
		case <-ctx.Done():
			es.bye()
			return
		case <-sub.Done():
			es.bye()
			return
		case <-heartbeat.C:
			b = append(b, ": heartbeat "...)
			b = strconv.AppendInt(b, a.cfg.Now().UnixMilli(), 10)
			b = append(b, "\n\n"...)
		case <-sub.Ready():
			recs, dropped := sub.Take()
			if dropped > 0 {
				total += dropped
				b = append(b, "event: dropped\ndata: {\"dropped\":"...)
				b = strconv.AppendUint(b, dropped, 10)
				b = append(b, `,"total":`...)
				b = strconv.AppendUint(b, total, 10)
				b = append(b, "}\n\n"...)
			}
			for i := range recs {
				if !a.q.VisibleEvent(v, &recs[i]) {
					continue
				}
				j, err := json.Marshal(&recs[i])
				if err != nil {
					a.log.Error("event stream: encoding an event", "id", recs[i].ID, "err", err)
					continue
				}
				b = append(b, "event: event\ndata: "...)
				b = append(b, j...)
				b = append(b, "\n\n"...)
			}
		}
		if len(b) == 0 {
			continue
		}
		if err := es.send(b); err != nil {
			return
		}
	}
}
