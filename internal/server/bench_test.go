package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"straitwatch/internal/benchdata"
	"straitwatch/internal/detect"
	"straitwatch/internal/events"
	"straitwatch/internal/ingest"
	"straitwatch/internal/store"
	"straitwatch/internal/track"
)

// envInt reads a benchmark size from the environment.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkAPILatency measures the API the way a client meets it: over
// loopback HTTP, against the real table and store, with 100k live vessels
// and 24 h of history (the fleet every 10 min, 100 busy vessels every
// 10 s). It reports p50 and p99 of a strait bounding-box query and of a
// busy vessel's 24 h track. Sizes: API_BENCH_VESSELS, API_BENCH_INTERVAL
// (seconds), API_BENCH_BUSY.
//
//	go test -run XXX -bench APILatency -benchtime 300x ./internal/server/
func BenchmarkAPILatency(b *testing.B) {
	vessels := envInt("API_BENCH_VESSELS", 100_000)
	interval := int64(envInt("API_BENCH_INTERVAL", 600)) * 1000
	busy := envInt("API_BENCH_BUSY", 100)
	dir := b.TempDir()
	now := time.Now()
	end := now.UnixMilli()
	start := end - 24*3600*1000

	// History straight into the store, then the server opens it.
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	latest := make([]track.Fix, vessels)
	pos := make([][2]float64, vessels)
	for i := range pos {
		pos[i] = [2]float64{24 + 3*r.Float64(), 54 + 5*r.Float64()}
	}
	batch := make([]track.Fix, 0, 1000)
	flush := func() {
		if err := db.AppendFixes(batch); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	fixes := 0
	for t := start; t < end; t += 10_000 {
		for i := range vessels {
			every := interval
			if i < busy {
				every = 10_000
			}
			if (t-start+int64(i)*997)%every >= 10_000 {
				continue
			}
			pos[i][0] += 0.0005
			f := track.Fix{MMSI: 200000000 + uint32(i), Time: t, Lat: pos[i][0], Lon: pos[i][1], SOG: 12, COG: 90, Heading: 90, Class: track.ClassA, Source: 1}
			latest[i] = f
			batch = append(batch, f)
			fixes++
			if len(batch) == cap(batch) {
				flush()
			}
		}
	}
	flush()
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}

	s := newQuiet(b, dir)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	<-s.Ready()
	s.Table().Apply(latest, nil)
	s.Table().Flush()
	b.Logf("%d vessels live, %d fixes of history", s.Table().Len(), fixes)

	base := "http://" + s.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	get := func(url string) time.Duration {
		t0 := time.Now()
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s: %s", url, resp.Status)
		}
		return time.Since(t0)
	}
	for _, q := range []struct{ name, url string }{
		{"bbox-strait", base + "/api/vessels?bbox=55.5,25.5,57.5,27.2"},
		{"track-24h-busy", base + "/api/vessels/%d/track"},
	} {
		b.Run(q.name, func(b *testing.B) {
			var lat []time.Duration
			i := 0
			for b.Loop() {
				url := q.url
				if q.name == "track-24h-busy" {
					url = fmt.Sprintf(q.url, 200000000+i%busy)
				}
				lat = append(lat, get(url))
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkIngest measures the serve path end to end: file replay, decode,
// de-duplication, the table and the store (closed and synced), with
// 100k distinct vessels; messages/s is per wall second on all cores.
// `straitwatch bench ingest` prints the same with decode alone beside it.
func BenchmarkIngest(b *testing.B) {
	const messages, vessels = 500_000, 100_000
	corpus := b.TempDir() + "/feed.nmea"
	if err := benchdata.WritePositions(corpus, messages, vessels, time.Now()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s := newQuiet(b, b.TempDir(), ingest.SourceConfig{ID: 1, Name: "replay", Kind: ingest.KindFile, Path: corpus})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		src := s.Pipeline().Sources()[0]
		for h := src.Health(); h.Delivered < messages || s.Table().Stats().Fixes < messages; h = src.Health() {
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(messages)*float64(b.N)/b.Elapsed().Seconds(), "messages/s")
}

// BenchmarkEventLatency measures, under full ingest load, the time from
// writing a message to a receiver's TCP socket to its event arriving on
// the live event stream (/api/events/stream) over loopback HTTP. The load
// is the ingest benchmark's corpus (position reports of 100k vessels,
// benchdata.WritePositions) replayed at full speed, which keeps the
// detectors at their limit; each probe is an AIS-SART of a new MMSI, 50 ms
// apart, and raises a distress event. It reports p50, p99 and the worst
// latency, the load's rate during the run, and whether the load was still
// running when the last probe went (load-left > 0).
//
//	go test -run XXX -bench EventLatency -benchtime 300x ./internal/server/
func BenchmarkEventLatency(b *testing.B) {
	const loadMessages = 4_000_000
	corpus := b.TempDir() + "/load.nmea"
	if err := benchdata.WritePositions(corpus, loadMessages, 100_000, time.Now()); err != nil {
		b.Fatal(err)
	}
	s := newQuiet(b, b.TempDir(),
		ingest.SourceConfig{ID: 1, Name: "load", Kind: ingest.KindFile, Path: corpus},
		ingest.SourceConfig{ID: 2, Name: "probe", Kind: ingest.KindTCPServer, Address: "127.0.0.1:0"},
	)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	<-s.Ready()
	load, probe := s.Pipeline().Sources()[0], s.Pipeline().Sources()[1]
	<-probe.Ready()
	stream, body := subscribeEvents(b, ctx, "http://"+s.Addr().String(), "type=distress")
	defer body.Close()
	conn, err := net.Dial("tcp", probe.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(2 * time.Second) // reach full load

	type arrival struct {
		mmsi uint32
		at   time.Time
	}
	arrivals := make(chan arrival, 1024)
	go func() {
		for {
			name, data, err := stream.next()
			if err != nil {
				close(arrivals)
				return
			}
			var r events.Record
			if name == "event" && json.Unmarshal([]byte(data), &r) == nil && r.State == detect.StateOpen {
				arrivals <- arrival{r.Vessels[0], time.Now()}
			}
		}
	}()
	sent := map[uint32]time.Time{}
	var lat []time.Duration
	m0, t0 := load.Health().Messages, time.Now()
	i := 0
	for b.Loop() {
		mmsi := uint32(970_100_000 + i)
		i++
		feed := sartFeed(b, mmsi, time.Now(), 26.0+float64(i%100)*0.01, 56.5)
		sent[mmsi] = time.Now()
		if _, err := conn.Write(feed); err != nil {
			b.Fatal(err)
		}
		deadline := time.After(50 * time.Millisecond)
	drain:
		for {
			select {
			case a, ok := <-arrivals:
				if !ok {
					b.Fatal("event stream ended")
				}
				if t, ok := sent[a.mmsi]; ok {
					lat = append(lat, a.at.Sub(t))
					delete(sent, a.mmsi)
				}
			case <-deadline:
				break drain
			}
		}
	}
	for wait := time.After(5 * time.Second); len(sent) > 0; {
		select {
		case a := <-arrivals:
			if t, ok := sent[a.mmsi]; ok {
				lat = append(lat, a.at.Sub(t))
				delete(sent, a.mmsi)
			}
		case <-wait:
			ph, lh := probe.Health(), load.Health()
			b.Fatalf("%d probes raised no event within 5 s; probe %+v; load shed %d delivered %d; detect queue %d, events %d",
				len(sent), ph, lh.Shed, lh.Delivered, s.detect.queued.Load(), s.detect.book.Len())
		}
	}
	left := loadMessages - int(load.Health().Messages)
	rate := float64(load.Health().Messages-m0) / time.Since(t0).Seconds()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(rate, "load-msg/s")
	b.ReportMetric(float64(load.Health().Shed), "load-shed")
	b.ReportMetric(float64(max(left, 0)), "load-left")
}
