package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/config"
	"straitwatch/internal/ingest"
)

// testVessels are the vessels the end-to-end test sends.
var testVessels = []struct {
	mmsi     uint32
	name     string
	lat, lon float64
}{
	{422123456, "PERSIAN TEST", 26.55, 56.35},
	{461987654, "OMAN TEST", 26.30, 56.60},
	{470111222, "GULF TEST", 25.90, 56.80},
}

// testFeed builds NMEA for the test vessels: static data and five
// position reports each, ten seconds apart, ending at now.
func testFeed(t *testing.T, now time.Time) []byte {
	t.Helper()
	var out []byte
	for i, v := range testVessels {
		var err error
		st := &ais.StaticVoyageData{Header: ais.Header{Type: 5, MMSI: v.mmsi}, IMO: 9000001 + uint32(i), CallSign: fmt.Sprintf("TST%d", i),
			ShipName: v.name, ShipType: 80, ToBow: 100, ToStern: 20, ToPort: 10, ToStarboard: 10, Hour: 24, Minute: 60, Destination: "FUJAIRAH"}
		if out, err = ais.AppendSentences(out, st, ais.Framing{Time: now.Add(-50 * time.Second), Seq: i, GroupID: 100 + i}); err != nil {
			t.Fatal(err)
		}
		for k := range 5 {
			p := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: v.mmsi}, Speed: 120, Course: 900, Heading: 90, Second: uint8(k),
				Lat: int32((v.lat + float64(k)*0.001) * 600000), Lon: int32((v.lon + float64(k)*0.002) * 600000), Radio: uint32(k)}
			if out, err = ais.AppendSentences(out, p, ais.Framing{Time: now.Add(time.Duration(k-4) * 10 * time.Second)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// newQuiet builds a server on loopback with no demo feed, a store in dir,
// the given sources and a silent log.
func newQuiet(tb testing.TB, dir string, sources ...ingest.SourceConfig) *Server {
	tb.Helper()
	off := false
	cfg := config.Default()
	cfg.DataDir, cfg.HTTP.Addr, cfg.Demo, cfg.Sources = dir, "127.0.0.1:0", &off, sources
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// startServer runs a server with a TCP and a UDP receiver on loopback.
func startServer(t *testing.T) (*Server, func()) {
	t.Helper()
	s := newQuiet(t, t.TempDir(),
		ingest.SourceConfig{ID: 1, Name: "rx-tcp", Org: "local", Kind: ingest.KindTCPServer, Address: "127.0.0.1:0"},
		ingest.SourceConfig{ID: 2, Name: "rx-udp", Org: "local", Kind: ingest.KindUDP, Address: "127.0.0.1:0"},
	)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-s.Ready()
	for _, src := range s.Pipeline().Sources() {
		select {
		case <-src.Ready():
		case <-time.After(5 * time.Second):
			t.Fatalf("source %s not ready", src.Name())
		}
	}
	return s, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run = %v", err)
		}
	}
}

func sourceAddr(t *testing.T, s *Server, name string) string {
	for _, src := range s.Pipeline().Sources() {
		if src.Name() == name {
			return src.Addr().String()
		}
	}
	t.Fatalf("no source %s", name)
	return ""
}

// getJSON fetches url into v and returns the status.
func getJSON(t *testing.T, url string, v any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestEndToEnd sends the same NMEA through two receivers, over real TCP
// and UDP sockets, and reads the vessels, their static data and tracks
// back from the HTTP API: each message is kept once, and every vessel is
// known to have been heard by both receivers.
func TestEndToEnd(t *testing.T) {
	s, stop := startServer(t)
	defer stop()
	base := "http://" + s.Addr().String()
	feed := testFeed(t, time.Now())

	tcp, err := net.Dial("tcp", sourceAddr(t, s, "rx-tcp"))
	if err != nil {
		t.Fatal(err)
	}
	defer tcp.Close()
	udp, err := net.Dial("udp", sourceAddr(t, s, "rx-udp"))
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	if _, err := tcp.Write(feed); err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(string(feed)), "\r\n") {
		if _, err := udp.Write([]byte(line + "\r\n")); err != nil {
			t.Fatal(err)
		}
	}

	type vessel struct {
		MMSI    uint32   `json:"mmsi"`
		Sources []uint16 `json:"sources"`
		Static  struct {
			Name     string `json:"name"`
			CallSign string `json:"callsign"`
		} `json:"static"`
	}
	var list struct {
		Count   int      `json:"count"`
		Vessels []vessel `json:"vessels"`
	}
	eventually(t, "three vessels heard by both receivers", func() bool {
		getJSON(t, base+"/api/vessels?bbox=55,25,58,27", &list)
		if list.Count != 3 {
			return false
		}
		for _, v := range list.Vessels {
			if !slices.Contains(v.Sources, 1) || !slices.Contains(v.Sources, 2) {
				return false
			}
		}
		return true
	})

	for _, want := range testVessels {
		var v vessel
		eventually(t, fmt.Sprintf("static data of %d", want.mmsi), func() bool {
			return getJSON(t, fmt.Sprintf("%s/api/vessels/%d", base, want.mmsi), &v) == 200 && v.Static.Name == want.name
		})
		var track struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string       `json:"type"`
				Coordinates [][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		}
		eventually(t, fmt.Sprintf("track of %d", want.mmsi), func() bool {
			getJSON(t, fmt.Sprintf("%s/api/vessels/%d/track", base, want.mmsi), &track)
			if n := len(track.Geometry.Coordinates); n > 5 {
				t.Fatalf("track of %d has %d points, want 5: a copy was not de-duplicated", want.mmsi, n)
			}
			return len(track.Geometry.Coordinates) == 5
		})
		if track.Type != "Feature" || track.Geometry.Type != "LineString" {
			t.Errorf("track of %d: %s %s, want a LineString Feature", want.mmsi, track.Type, track.Geometry.Type)
		}
		if c := track.Geometry.Coordinates[0]; c[0] < want.lon-0.001 || c[0] > want.lon+0.001 || c[1] < want.lat-0.001 || c[1] > want.lat+0.001 {
			t.Errorf("track of %d starts at %v, want near %v,%v", want.mmsi, c, want.lon, want.lat)
		}
	}

	// Each message was kept once: the other copy is a counted duplicate.
	var sources struct {
		Sources []struct {
			Name   string `json:"name"`
			Detail struct {
				Messages   uint64 `json:"messages"`
				Duplicates uint64 `json:"duplicates"`
				Delivered  uint64 `json:"delivered"`
			} `json:"detail"`
		} `json:"sources"`
	}
	const messages = 3 * 6
	eventually(t, "duplicates counted", func() bool {
		getJSON(t, base+"/api/sources", &sources)
		var dup, del uint64
		for _, src := range sources.Sources {
			dup += src.Detail.Duplicates
			del += src.Detail.Delivered
		}
		return dup == messages && del == messages
	})

	// The landing page serve prints responds.
	if resp, err := http.Get(base + "/"); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET / = %v, %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// The same counters, and the table's, in the Prometheus metrics.
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`straitwatch_vessels 3`,
		`straitwatch_source_shed_total{source="rx-tcp"} 0`,
		`straitwatch_source_shed_total{source="rx-udp"} 0`,
		`straitwatch_source_duplicates_total{source=`,
		`straitwatch_table_reports_total{outcome="fix"} 15`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
