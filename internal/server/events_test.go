package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/config"
	"straitwatch/internal/events"
	"straitwatch/internal/ingest"
)

// sseReader reads Server-Sent Events: it returns the name and data of
// the next event, skipping comments.
type sseReader struct{ r *bufio.Reader }

func (s *sseReader) next() (name, data string, err error) {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return "", "", err
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "" && (name != "" || data != ""):
			return name, data, nil
		case strings.HasPrefix(line, "event: "):
			name = line[len("event: "):]
		case strings.HasPrefix(line, "data: "):
			data += line[len("data: "):]
		}
	}
}

// subscribeEvents opens the live event stream and reads its hello.
func subscribeEvents(tb testing.TB, ctx context.Context, base, query string) (*sseReader, io.Closer) {
	tb.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/events/stream?"+query, nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	if resp.StatusCode != 200 {
		tb.Fatalf("event stream: %s", resp.Status)
	}
	r := &sseReader{bufio.NewReader(resp.Body)}
	if name, _, err := r.next(); err != nil || name != "hello" {
		tb.Fatalf("event stream starts with %q, %v", name, err)
	}
	return r, resp.Body
}

// sartFeed is what an AIS-SART sends: position reports with status 14
// and a "SART ACTIVE" safety broadcast, timed at t.
func sartFeed(tb testing.TB, mmsi uint32, t time.Time, lat, lon float64) []byte {
	tb.Helper()
	var out []byte
	var err error
	p := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: mmsi}, Status: 14, Speed: 5, Course: 900, Heading: 511, Second: 60,
		Lat: int32(lat * 600000), Lon: int32(lon * 600000)}
	if out, err = ais.AppendSentences(out, p, ais.Framing{Time: t}); err != nil {
		tb.Fatal(err)
	}
	txt := &ais.SafetyBroadcast{Header: ais.Header{Type: 14, MMSI: mmsi}, Text: "SART ACTIVE"}
	if out, err = ais.AppendSentences(out, txt, ais.Framing{Time: t}); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestEventsEndToEnd sends an AIS-SART over a real TCP receiver and
// follows the distress event to the live event stream, the events API,
// an acknowledgement, and the store across a restart.
func TestEventsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	rx := ingest.SourceConfig{ID: 1, Name: "rx-tcp", Org: "local", Kind: ingest.KindTCPServer, Address: "127.0.0.1:0"}
	run := func(s *Server) func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		<-s.Ready()
		<-s.Pipeline().Sources()[0].Ready()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
		}
	}
	s := newQuiet(t, dir, rx)
	stop := run(s)
	base := "http://" + s.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, body := subscribeEvents(t, ctx, base, "type=distress")
	defer body.Close()

	c, err := net.Dial("tcp", s.Pipeline().Sources()[0].Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write(sartFeed(t, 970123456, time.Now(), 26.1, 56.9)); err != nil {
		t.Fatal(err)
	}
	name, data, err := stream.next()
	if err != nil {
		t.Fatal(err)
	}
	var live events.Record
	if err := json.Unmarshal([]byte(data), &live); err != nil {
		t.Fatalf("%s %q: %v", name, data, err)
	}
	if name != "event" || live.Type != "distress" || live.Vessels[0] != 970123456 || live.Severity != "distress" || !live.Alarm {
		t.Fatalf("first event on the stream: %s %+v", name, live)
	}

	var list struct{ Events []events.Record }
	eventually(t, "the distress event in /api/events", func() bool {
		getJSON(t, base+"/api/events?type=distress&mmsi=970123456", &list)
		return len(list.Events) == 1 && list.Events[0].ID == live.ID
	})
	resp, err := http.Post(base+"/api/events/"+live.ID+"/ack", "application/json", strings.NewReader(`{"comment":"MRCC Muscat informed"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("ack: %s", resp.Status)
	}
	var zones struct {
		Type     string
		Features []json.RawMessage
	}
	if getJSON(t, base+"/api/zones", &zones) != 200 || zones.Type != "FeatureCollection" || len(zones.Features) < 20 {
		t.Errorf("zones: %s with %d features", zones.Type, len(zones.Features))
	}
	cancel()
	stop()

	// After a restart the event and its acknowledgement are still there.
	s = newQuiet(t, dir, rx)
	defer run(s)()
	var got events.Record
	if code := getJSON(t, fmt.Sprintf("http://%s/api/events/%s", s.Addr(), live.ID), &got); code != 200 {
		t.Fatalf("event after restart: %d", code)
	}
	if got.Type != "distress" || len(got.Acks) != 1 || got.Acks[0].Comment != "MRCC Muscat informed" || got.Evidence.Text == "" && len(got.Evidence.Fixes) == 0 {
		t.Errorf("event after restart: %+v", got)
	}
}

// TestDemo starts serve as the README's first command does (defaults,
// demo feed) and checks that the live picture fills, the demo's exercise
// lanes are among the zones, and detection raises events from the feed.
func TestDemo(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.HTTP.Addr = t.TempDir(), "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()
	base := "http://" + s.Addr().String()
	var zones struct{ Features []struct{ ID string } }
	getJSON(t, base+"/api/zones", &zones)
	lanes := 0
	for _, f := range zones.Features {
		if strings.HasPrefix(f.ID, "exercise-tss-") {
			lanes++
		}
	}
	if lanes == 0 {
		t.Error("the demo's exercise lanes are not among the zones")
	}
	eventually(t, "demo vessels in the live picture", func() bool { return s.Table().Len() > 50 })
}
