package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"straitwatch/internal/access"
	"straitwatch/internal/track"
)

// The live stream is Server-Sent Events (text/event-stream). A client
// receives, in order:
//
//	retry: 5000
//	event: hello
//	data: {"bbox":[minLon,minLat,maxLon,maxLat],"heartbeat_ms":15000}
//
// then any number of
//
//	event: fixes
//	data: [{"mmsi":...,"time":...,"lat":...,"lon":...,...}, ...]
//
// with, when it fell behind and updates were dropped for it, first
//
//	: dropped 120
//	event: dropped
//	data: {"dropped":120,"total":480}
//
// and ": heartbeat" comments while idle. When the server shuts down it
// sends "event: bye" before closing. A client that has been told of drops
// should refetch /api/vessels for the box to resynchronise.

// stream serves GET /api/stream.
func (a *API) stream(w http.ResponseWriter, r *http.Request, v access.View) {
	q, e := queryParams(r.URL.RawQuery, a.cfg.MaxQueryBytes, "bbox")
	if e != nil {
		writeError(w, e)
		return
	}
	box, e := parseBBox(q.Get("bbox"))
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
	sub, err := a.q.Subscribe(ctx, v, box)
	if err != nil {
		a.fail(w, r, err, "live stream")
		return
	}
	defer sub.Close()

	es := a.startEventStream(w)
	send, bye := es.send, es.bye

	p := a.buffer()
	b := (*p)[:0]
	defer func() {
		*p = b
		a.release(p)
	}()
	b = append(b, "retry: 5000\n\nevent: hello\ndata: {\"bbox\":["...)
	b = appendFloat(b, box.MinLon, 64)
	b = append(b, ',')
	b = appendFloat(b, box.MinLat, 64)
	b = append(b, ',')
	b = appendFloat(b, box.MaxLon, 64)
	b = append(b, ',')
	b = appendFloat(b, box.MaxLat, 64)
	b = append(b, `],"heartbeat_ms":`...)
	b = strconv.AppendInt(b, a.cfg.Heartbeat.Milliseconds(), 10)
	b = append(b, "}\n\n"...)
	if err := send(b); err != nil {
		return
	}

	heartbeat := time.NewTicker(a.cfg.Heartbeat)
	defer heartbeat.Stop()
	var fixes []track.Fix
	var total uint64
	for {
		b = b[:0]
		select {
		case <-ctx.Done():
			bye() // best effort: the client may be gone
			return
		case <-sub.Done():
			bye()
			return
		case <-heartbeat.C:
			b = append(b, ": heartbeat "...)
			b = strconv.AppendInt(b, a.cfg.Now().UnixMilli(), 10)
			b = append(b, "\n\n"...)
		case <-sub.Ready():
			var dropped uint64
			fixes, dropped = sub.Take(fixes[:0])
			if dropped > 0 {
				total += dropped
				b = append(b, ": dropped "...)
				b = strconv.AppendUint(b, dropped, 10)
				b = append(b, "\nevent: dropped\ndata: {\"dropped\":"...)
				b = strconv.AppendUint(b, dropped, 10)
				b = append(b, `,"total":`...)
				b = strconv.AppendUint(b, total, 10)
				b = append(b, "}\n\n"...)
			}
			for start := 0; start < len(fixes); start += a.cfg.StreamBatch {
				end := min(start+a.cfg.StreamBatch, len(fixes))
				b = append(b, "event: fixes\ndata: ["...)
				for i := start; i < end; i++ {
					if i > start {
						b = append(b, ',')
					}
					b = appendFix(b, &fixes[i], true)
				}
				b = append(b, "]\n\n"...)
			}
			if cap(fixes) > 1<<16 {
				fixes = nil // do not keep a burst's worth of memory
			}
		}
		if err := send(b); err != nil {
			if !errors.Is(err, ctx.Err()) {
				a.log.Debug("live stream ended", "err", err)
			}
			return
		}
	}
}

// canFlush reports whether w, or a writer it wraps, can flush.
func canFlush(w http.ResponseWriter) bool {
	for {
		switch t := w.(type) {
		case http.Flusher:
			return true
		case interface{ FlushError() error }:
			return true
		case interface{ Unwrap() http.ResponseWriter }:
			w = t.Unwrap()
		default:
			return false
		}
	}
}

// eventStream is an open Server-Sent Events response.
type eventStream struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

// startEventStream writes the headers of a live stream. The request has
// been read: a server ReadTimeout must not end the stream (net/http
// cancels the request's context when its background read times out).
func (a *API) startEventStream(w http.ResponseWriter) *eventStream {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	return &eventStream{w: w, rc: rc, timeout: a.cfg.StreamWriteTimeout}
}

// send writes one chunk and flushes it. The write deadline is wall time,
// whatever the configured clock: it is the network's.
func (s *eventStream) send(b []byte) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.timeout))
	if _, err := s.w.Write(b); err != nil {
		return err
	}
	return s.rc.Flush()
}

// bye tells the client the stream ends, without holding up a shutdown for
// a client that does not read.
func (s *eventStream) bye() {
	_ = s.rc.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := io.WriteString(s.w, "event: bye\ndata: {\"reason\":\"shutdown\"}\n\n"); err == nil {
		_ = s.rc.Flush()
	}
}
