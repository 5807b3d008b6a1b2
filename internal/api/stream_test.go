package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"straitwatch/internal/track"
)

// sseEvent is one block of a Server-Sent Events stream.
type sseEvent struct {
	name     string
	data     string
	comments []string
}

// sseReader reads a Server-Sent Events stream.
type sseReader struct{ r *bufio.Reader }

// next returns the next block: an event, comments, or both.
func (s *sseReader) next() (sseEvent, error) {
	var ev sseEvent
	seen := false
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return ev, err
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if seen {
				return ev, nil
			}
		case strings.HasPrefix(line, ":"):
			ev.comments = append(ev.comments, strings.TrimSpace(line[1:]))
			seen = true
		case strings.HasPrefix(line, "event: "):
			ev.name = line[len("event: "):]
			seen = true
		case strings.HasPrefix(line, "data: "):
			ev.data += line[len("data: "):]
			seen = true
		case strings.HasPrefix(line, "retry: "):
		default:
			return ev, errors.New("unexpected line " + line)
		}
	}
}

// openStream opens /api/stream on base with the query q.
func openStream(t *testing.T, ctx context.Context, base, q string) (*http.Response, *sseReader) {
	t.Helper()
	return openSSE(t, ctx, base+"/api/stream?"+q)
}

// openSSE opens a live stream at url and reads its hello.
func openSSE(t *testing.T, ctx context.Context, url string) (*http.Response, *sseReader) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("GET %s = %d %s", url, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type = %q, want text/event-stream", ct)
	}
	r := &sseReader{r: bufio.NewReader(resp.Body)}
	hello, err := r.next()
	if err != nil || hello.name != "hello" {
		t.Fatalf("first event = %+v, %v; want hello", hello, err)
	}
	return resp, r
}

// streamFix is a live update as the stream sends it.
type streamFix struct {
	MMSI uint32  `json:"mmsi"`
	Time int64   `json:"time"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

func TestStream(t *testing.T) {
	e := newEnv(t, func(e *env) { e.cfg.Heartbeat = 20 * time.Millisecond })
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	resp, r := openStream(t, ctx, srv.URL, "bbox=55,25,57.5,27")
	defer resp.Body.Close()
	if n := e.hub.Subscribers(); n != 1 {
		t.Fatalf("Subscribers = %d after hello, want 1", n)
	}

	e.hub.Publish([]track.Fix{
		{MMSI: 1, Time: 10, Lat: 26, Lon: 56, Heading: -1},
		{MMSI: 2, Time: 11, Lat: 40, Lon: 56, Heading: -1}, // outside
		{MMSI: 3, Time: 12, Lat: 25.5, Lon: 57, Heading: -1},
	})
	var got []streamFix
	sawHeartbeat := false
	for len(got) < 2 || !sawHeartbeat {
		ev, err := r.next()
		if err != nil {
			t.Fatalf("reading stream: %v", err)
		}
		for _, c := range ev.comments {
			if strings.HasPrefix(c, "heartbeat") {
				sawHeartbeat = true
			}
		}
		if ev.name == "fixes" {
			var fs []streamFix
			if err := json.Unmarshal([]byte(ev.data), &fs); err != nil {
				t.Fatalf("fixes data %q: %v", ev.data, err)
			}
			got = append(got, fs...)
		}
	}
	want := []streamFix{{MMSI: 1, Time: 10, Lat: 26, Lon: 56}, {MMSI: 3, Time: 12, Lat: 25.5, Lon: 57}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("stream fixes = %+v, want %+v", got, want)
	}

	// The client goes away: the subscription is cleaned up.
	cancel()
	resp.Body.Close()
	waitFor(t, "the subscription to end after the client left", func() bool { return e.hub.Subscribers() == 0 })
}

// TestStreamSlowClient publishes far more than a client reads while it is
// not reading, then checks that the client was told of every update it
// lost: what it received plus what it was told was dropped is what was
// queued for it.
func TestStreamSlowClient(t *testing.T) {
	e := newEnv(t, func(e *env) {
		var err error
		e.hub, err = NewHub(HubConfig{Buffer: 16, Registerer: e.reg})
		if err != nil {
			t.Fatal(err)
		}
		e.cfg.StreamBatch = 50
	})
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, r := openStream(t, ctx, srv.URL, "bbox=55,25,57.5,27")
	defer resp.Body.Close()

	// The client does not read while 20,000 updates are published.
	for i := range 200 {
		e.hub.Publish(fixesAt(100, int64(i*100)))
	}
	queued := gather(t, e.reg, "straitwatch_stream_queued_fixes_total")
	if queued != 20000 {
		t.Fatalf("queued = %v, want 20000", queued)
	}

	var received, dropped, lastTotal uint64
	for float64(received+dropped) < queued {
		ev, err := r.next()
		if err != nil {
			t.Fatalf("reading stream after %d received, %d dropped: %v", received, dropped, err)
		}
		switch ev.name {
		case "fixes":
			var fs []streamFix
			if err := json.Unmarshal([]byte(ev.data), &fs); err != nil {
				t.Fatalf("fixes data: %v", err)
			}
			if len(fs) > 50 {
				t.Errorf("a fixes event has %d updates, want at most StreamBatch 50", len(fs))
			}
			received += uint64(len(fs))
		case "dropped":
			var d struct{ Dropped, Total uint64 }
			if err := json.Unmarshal([]byte(ev.data), &d); err != nil {
				t.Fatalf("dropped data %q: %v", ev.data, err)
			}
			if len(ev.comments) == 0 || !strings.HasPrefix(ev.comments[0], "dropped ") {
				t.Errorf("dropped event without a dropped comment: %+v", ev)
			}
			dropped += d.Dropped
			lastTotal = d.Total
		}
	}
	if dropped == 0 || lastTotal != dropped {
		t.Errorf("client told of %d dropped (last total %d); want more than 0 and equal", dropped, lastTotal)
	}
	if m := gather(t, e.reg, "straitwatch_stream_dropped_fixes_total"); m != float64(dropped) {
		t.Errorf("dropped metric = %v, client was told %d", m, dropped)
	}
	t.Logf("received %d, dropped %d of %v", received, dropped, queued)
}

// TestStreamShutdown runs the API in a Server with a short ReadTimeout:
// the stream outlives it, and ends with a bye event when the server's
// context ends.
func TestStreamShutdown(t *testing.T) {
	e := newEnv(t, func(e *env) { e.cfg.Heartbeat = 5 * time.Millisecond })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer("", e.api.Handler(), Timeouts{Read: 50 * time.Millisecond, Shutdown: 5 * time.Second}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- s.Run(ctx, ln) }()

	resp, r := openStream(t, context.Background(), "http://"+ln.Addr().String(), "")
	defer resp.Body.Close()
	// Forty heartbeats take longer than the server's ReadTimeout.
	for beats := 0; beats < 40; {
		ev, err := r.next()
		if err != nil {
			t.Fatalf("stream ended after %d heartbeats: %v", beats, err)
		}
		if len(ev.comments) > 0 && strings.HasPrefix(ev.comments[0], "heartbeat") {
			beats++
		}
	}
	cancel()
	for {
		ev, err := r.next()
		if err != nil {
			t.Fatalf("stream ended without bye: %v", err)
		}
		if ev.name == "bye" {
			break
		}
	}
	if _, err := r.next(); !errors.Is(err, io.EOF) {
		t.Errorf("after bye: %v, want EOF", err)
	}
	if err := <-ran; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	waitFor(t, "no subscribers", func() bool { return e.hub.Subscribers() == 0 })
}

// TestStreamHubRun checks that ending the hub's Run ends open streams.
func TestStreamHubRun(t *testing.T) {
	e := newEnv(t, nil)
	srv := httptest.NewServer(e.api.Handler())
	defer srv.Close()
	resp, r := openStream(t, context.Background(), srv.URL, "bbox=0,0,1,1")
	defer resp.Body.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- e.hub.Run(ctx) }()
	cancel()
	ev, err := r.next()
	if err != nil || ev.name != "bye" {
		t.Errorf("after hub Run ended: %+v, %v; want bye", ev, err)
	}
	if err := <-ran; err != nil {
		t.Errorf("Run = %v", err)
	}
}
