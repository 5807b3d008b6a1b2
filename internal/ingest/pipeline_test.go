package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/track"
)

func TestDedupTable(t *testing.T) {
	type op struct {
		key     uint64
		t       int64
		wantDup bool
	}
	for _, tc := range []struct {
		name   string
		window int64
		max    int
		ops    []op
		expire int64 // low watermark applied before the last op, if set
	}{
		{"same payload within the window", 2000, 16, []op{{1, 0, false}, {1, 1500, true}, {1, -2000, true}}, 0},
		{"same payload outside the window", 2000, 16, []op{{1, 0, false}, {1, 2001, false}, {1, 2500, true}}, 0},
		{"different payloads", 2000, 16, []op{{1, 0, false}, {2, 0, false}, {3, 0, false}}, 0},
		{"oldest forgotten when full", 2000, 2, []op{{1, 0, false}, {2, 0, false}, {3, 0, false}, {1, 0, false}}, 0},
		{"replaced entry survives its stale slot", 2000, 2, []op{{1, 0, false}, {1, 5000, false}, {2, 5000, false}, {1, 5000, true}}, 0},
		{"expired by the watermark", 2000, 16, []op{{1, 0, false}, {1, 100, false}}, 3000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDedup(tc.window, tc.max)
			for i, o := range tc.ops {
				if i == len(tc.ops)-1 && tc.expire != 0 {
					d.expire(tc.expire, 1<<40) // long after arrival
				}
				if _, dup := d.check(o.key, o.t, 0); dup != o.wantDup {
					t.Errorf("op %d: check(%d, %d) dup = %v, want %v", i, o.key, o.t, dup, o.wantDup)
				}
				if d.fifo.len() > tc.max || d.count > tc.max {
					t.Errorf("op %d: %d entries, %d keys; max %d", i, d.fifo.len(), d.count, tc.max)
				}
			}
		})
	}
}

// TestDedupKeepsRecentArrivals: a key behind the watermark in event time
// is still remembered for the window in arrival time, so a lagging
// receiver's copy, or a late message's, is found.
func TestDedupKeepsRecentArrivals(t *testing.T) {
	d := newDedup(2000, 16)
	d.check(1, 0, 10_000)    // event time 0, arrived at 10 s
	d.expire(60_000, 11_000) // watermark a minute on, 1 s later
	if _, dup := d.check(1, 0, 11_500); !dup {
		t.Error("copy 1.5 s after arrival not found once the watermark passed")
	}
	d.expire(60_000, 12_001)
	if _, dup := d.check(1, 0, 12_500); dup {
		t.Error("copy after both windows found")
	}
}

// refDedup is the reference model of dedup: a map and a slice.
type refDedup struct {
	window int64
	max    int
	seen   map[uint64]int // key -> absolute index of its entry
	fifo   []seenEntry
	base   int // absolute index of fifo[0]
}

func (r *refDedup) drop() {
	if e := r.fifo[0]; e.key != 0 {
		delete(r.seen, e.key)
	}
	r.fifo = r.fifo[1:]
	r.base++
}

func (r *refDedup) check(key uint64, t int64) bool {
	if i, ok := r.seen[key]; ok {
		e := &r.fifo[i-r.base]
		if dt := t - e.time; dt <= r.window && dt >= -r.window {
			return true
		}
		e.key = 0
	}
	if len(r.fifo) >= r.max {
		r.drop()
	}
	r.fifo = append(r.fifo, seenEntry{key: key, time: t})
	r.seen[key] = r.base + len(r.fifo) - 1
	return false
}

func (r *refDedup) expire(low int64) {
	for len(r.fifo) > 0 && r.fifo[0].time+r.window < low {
		r.drop()
	}
}

func TestDedupTableMatchesModel(t *testing.T) {
	// Random operations on a small key space, with keys chosen to
	// collide in the index (same low bits), against the reference model.
	for seed := range uint64(10) {
		rng := rand.New(rand.NewPCG(seed, 1))
		max := 1 + rng.IntN(10000)
		d := newDedup(2000, max)
		ref := &refDedup{window: 2000, max: max, seen: map[uint64]int{}}
		now := int64(0)
		for i := range 50000 {
			now += int64(rng.IntN(3))
			// Keys whose low bits often agree, for long probe runs that
			// wrap around the end of the index.
			key := (uint64(rng.IntN(3000)+1)*0x9E3779B97F4A7C15)&^0x3ff | 0x3fc | uint64(rng.IntN(4))
			if rng.IntN(50) == 0 {
				low := now - int64(rng.IntN(3000))
				d.expire(low, 1<<40) // arrival long past: the event-time rule decides
				ref.expire(low)
			}
			ts := now - int64(rng.IntN(2500))
			_, got := d.check(key, ts, 0)
			if want := ref.check(key, ts); got != want {
				t.Fatalf("seed %d op %d: check(%x, %d) = %v, want %v", seed, i, key, ts, got, want)
			}
			if d.count != len(ref.seen) || d.fifo.len() != len(ref.fifo) {
				t.Fatalf("seed %d op %d: %d keys, %d entries; model %d, %d", seed, i, d.count, d.fifo.len(), len(ref.seen), len(ref.fifo))
			}
		}
	}
}

// tagged returns line with a tag block of receiver src and time t.
func tagged(t *testing.T, line string, src string, at int64) string {
	t.Helper()
	var s ais.Sentence
	if err := ais.ParseSentence([]byte(line), &s); err != nil {
		t.Fatal(err)
	}
	var b ais.Bits
	if err := b.Unarmor(s.Payload, s.Fill); err != nil {
		t.Fatal(err)
	}
	out, err := b.AppendSentences(nil, ais.Framing{Source: src, Time: time.Unix(at, 0), Channel: s.Channel})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestDedupByEventTime(t *testing.T) {
	x := "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
	y := "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42"
	const t0 = 1_700_000_000
	for _, tc := range []struct {
		name       string
		lines      []string
		fixes, dup uint64
	}{
		{"two receivers, same second", []string{tagged(t, x, "r1", t0), tagged(t, x, "r2", t0)}, 1, 1},
		{"two receivers, clocks a second apart", []string{tagged(t, x, "r1", t0), tagged(t, x, "r2", t0+1)}, 1, 1},
		{"same payload 5 s later is a new message", []string{tagged(t, x, "r1", t0), tagged(t, x, "r1", t0+5)}, 2, 0},
		{"different payloads", []string{tagged(t, x, "r1", t0), tagged(t, y, "r1", t0)}, 2, 0},
		{"three copies", []string{tagged(t, x, "r1", t0), tagged(t, y, "r1", t0), tagged(t, x, "r2", t0), tagged(t, x, "r3", t0+2)}, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.nmea")
			if err := os.WriteFile(path, []byte(strings.Join(tc.lines, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			fixes, _, h, err := replay(t, PipelineConfig{}, SourceConfig{Name: "f", Kind: KindFile, Path: path}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if uint64(len(fixes)) != tc.fixes || h.Duplicates != tc.dup {
				t.Errorf("%d fixes, %d duplicates; want %d, %d", len(fixes), h.Duplicates, tc.fixes, tc.dup)
			}
			checkSums(t, h)
		})
	}
}

func TestDedupAcrossReceivers(t *testing.T) {
	// The same sentences reach the pipeline through a TCP receiver (source
	// 1) and a UDP receiver (source 2). Every message is delivered once,
	// and its fix names both receivers.
	lines := bytes.SplitAfter(readTestdata(t, "bench/corpus.nmea"), []byte("\n"))[:1500]
	data := bytes.Join(lines, nil)
	path := filepath.Join(t.TempDir(), "part.nmea")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// One receiver alone: how many distinct messages there are.
	single, singleStatics, one, err := replay(t, PipelineConfig{}, SourceConfig{Name: "f", Kind: KindFile, Path: path}, 0)
	if err != nil {
		t.Fatal(err)
	}

	var sink collector
	r := start(t, PipelineConfig{Clock: fixedClock(testTime), Hold: time.Hour}, &sink,
		SourceConfig{ID: 1, Name: "tcp-rx", Org: "om", Kind: KindTCPServer, Address: "127.0.0.1:0"},
		SourceConfig{ID: 2, Name: "udp-rx", Org: "ir", Kind: KindUDP, Address: "127.0.0.1:0"},
	)
	tcp, udp := r.p.Sources()[0], r.p.Sources()[1]
	c := dial(t, "tcp", tcp.Addr())
	write(t, c, data)
	u := dial(t, "udp", udp.Addr())
	for i := 0; i < len(lines); i += 20 {
		write(t, u, bytes.Join(lines[i:min(i+20, len(lines))], nil))
	}
	waitFor(t, "both receivers' messages", func() bool {
		return tcp.Health().Messages == one.Messages && udp.Health().Messages == one.Messages
	})
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	fixes, statics := sink.snapshot()
	if len(fixes) != len(single) || len(statics) != len(singleStatics) {
		t.Errorf("two receivers: %d fixes, %d statics; one receiver: %d, %d", len(fixes), len(statics), len(single), len(singleStatics))
	}
	for _, f := range fixes {
		if f.Heard != 1<<1|1<<2 || (f.Source != 1 && f.Source != 2) {
			t.Errorf("fix of %d: source %d, heard %b; want 1 or 2, 110", f.MMSI, f.Source, f.Heard)
			break
		}
	}
	ht, hu := tcp.Health(), udp.Health()
	if got, want := ht.Delivered+hu.Delivered, one.Delivered; got != want {
		t.Errorf("delivered %d + %d = %d, want %d", ht.Delivered, hu.Delivered, got, want)
	}
	if got, want := ht.Duplicates+hu.Duplicates, 2*one.Messages-one.Delivered; got != want {
		t.Errorf("duplicates %d + %d = %d, want %d", ht.Duplicates, hu.Duplicates, got, want)
	}
	checkSums(t, ht)
	checkSums(t, hu)
}

// gate is a Sink that blocks until opened, then collects.
type gate struct {
	open chan struct{}
	collector
}

func (g *gate) WriteBatch(ctx context.Context, b *Batch) error {
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.collector.WriteBatch(ctx, b)
}

func TestOverloadShedsAndRecovers(t *testing.T) {
	corpus := readTestdata(t, "bench/corpus.nmea")
	want := readerCounts(t, corpus)
	sink := &gate{open: make(chan struct{})}
	r := start(t, PipelineConfig{Window: -1, BatchSize: 64}, sink,
		SourceConfig{ID: 1, Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0", Queue: 4},
		SourceConfig{ID: 2, Name: "replay", Kind: KindGenerator, Queue: 4, Generate: func(ctx context.Context, w io.Writer) error {
			for ctx.Err() == nil {
				if _, err := w.Write(corpus); err != nil {
					return nil
				}
			}
			return nil
		}},
	)
	rx, gen := r.p.Sources()[0], r.p.Sources()[1]

	// The sink is stuck: the live receiver's queue fills and the rest of
	// the corpus is shed and counted; the replay (overload "block") waits
	// instead of losing anything.
	c := dial(t, "tcp", rx.Addr())
	write(t, c, corpus)
	waitFor(t, "the whole corpus read", func() bool { return rx.Health().Lines == want.Lines })
	h := rx.Health()
	if h.Shed == 0 || h.Messages != want.Messages {
		t.Fatalf("stuck sink: %d messages, %d shed; want %d, some", h.Messages, h.Shed, want.Messages)
	}
	if q := len(rx.q); q > cap(rx.q) || cap(rx.q) != 4 {
		t.Errorf("queue %d of %d", q, cap(rx.q))
	}
	if g := gen.Health(); g.Shed != 0 {
		t.Errorf("blocking source shed %d", g.Shed)
	}
	shed := h.Shed

	// The sink recovers: new input at a pace the pipeline can take is
	// delivered in full, with nothing more shed.
	close(sink.open)
	waitFor(t, "backlog delivered", func() bool { h := rx.Health(); return h.Delivered+h.Shed == h.Messages })
	lines := bytes.SplitAfter(corpus, []byte("\n"))
	for i := 0; i < 2000; i += 100 {
		before := rx.Health().Messages
		n := 0
		for _, l := range lines[i : i+100] {
			if len(l) > 0 && l[0] == '!' {
				n++
			}
		}
		write(t, c, bytes.Join(lines[i:i+100], nil))
		waitFor(t, "a paced write delivered", func() bool {
			h := rx.Health()
			return h.Messages > before && h.Delivered+h.Shed == h.Messages && len(rx.q) == 0
		})
	}
	if h := rx.Health(); h.Shed != shed {
		t.Errorf("shed %d after recovery, want still %d", h.Shed, shed)
	}
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	checkSums(t, rx.Health())
	g := gen.Health()
	if g.Delivered == 0 {
		t.Error("replay delivered nothing")
	}
	// Stopping sheds (and counts) what was still queued or being
	// decoded; the sums still hold.
	checkSums(t, g)
}

func TestShutdown(t *testing.T) {
	fs := newFeedServer(t, func(c net.Conn) { c.Write(readTestdata(t, "gpsd/sample.aivdm")) })
	genDone := make(chan struct{})
	var genOnce sync.Once
	r := start(t, PipelineConfig{}, &collector{},
		SourceConfig{ID: 1, Name: "server", Kind: KindTCPServer, Address: "127.0.0.1:0"},
		SourceConfig{ID: 2, Name: "client", Kind: KindTCPClient, Address: fs.ln.Addr().String()},
		SourceConfig{ID: 3, Name: "udp", Kind: KindUDP, Address: "127.0.0.1:0"},
		SourceConfig{ID: 4, Name: "gen", Kind: KindGenerator, Generate: func(ctx context.Context, w io.Writer) error {
			defer genOnce.Do(func() { close(genDone) })
			<-ctx.Done()
			return ctx.Err()
		}},
		SourceConfig{ID: 5, Name: "file", Kind: KindFile, Path: aisTestdata + "gpsd/sample.aivdm", Loop: true, Rate: 1},
	)
	srcs := r.p.Sources()
	receiver := dial(t, "tcp", srcs[0].Addr())
	write(t, receiver, []byte("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n"))
	waitFor(t, "receiver connected", func() bool { return srcs[0].Health().Messages == 1 })
	waitFor(t, "client connected", func() bool { return srcs[1].Health().Connected })
	udpAddr := srcs[2].Addr().String()

	if err := r.stop(t); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	// The server closed the receiver's connection and the client its
	// connection to the feed.
	receiver.SetReadDeadline(time.Now().Add(hangGuard))
	if _, err := receiver.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("receiver read after shutdown = %v, want EOF", err)
	}
	select {
	case <-fs.closed:
	case <-time.After(hangGuard):
		t.Error("feed connection not closed by the client")
	}
	<-genDone
	// The UDP port is free again.
	pc, err := net.ListenPacket("udp", udpAddr)
	if err != nil {
		t.Errorf("UDP port still bound: %v", err)
	} else {
		pc.Close()
	}
	for _, h := range r.p.Health() {
		if h.Running || h.Connected || h.Connections != 0 {
			t.Errorf("%s after shutdown: running %v, connected %v, %d connections", h.Name, h.Running, h.Connected, h.Connections)
		}
	}
	// Run may not be called twice at once, but again after it returned.
	if err := r.p.Run(canceled()); err != nil {
		t.Errorf("second Run = %v", err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

func TestHoldAndWatermark(t *testing.T) {
	// Messages are held until the low watermark is a window past them; a
	// batch carries the low watermark.
	const t0 = 1_700_000_000
	x := "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
	y := "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42"
	var (
		mu      sync.Mutex
		batches []*Batch
	)
	sink := SinkFunc(func(ctx context.Context, b *Batch) error {
		mu.Lock()
		defer mu.Unlock()
		batches = append(batches, b.Clone())
		return nil
	})
	nbatches := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(batches)
	}
	r := start(t, PipelineConfig{Clock: fixedClock(time.Unix(t0+10, 0)), Hold: time.Hour}, sink,
		SourceConfig{ID: 1, Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0"})
	src := r.p.Sources()[0]
	c := dial(t, "tcp", src.Addr())
	write(t, c, []byte(tagged(t, x, "a", t0)))
	waitFor(t, "first message", func() bool { return src.Health().Delivered == 1 })
	if n := nbatches(); n != 0 {
		t.Fatalf("%d batches before the watermark passed the first message", n)
	}
	write(t, c, []byte(tagged(t, y, "a", t0+3)))
	waitFor(t, "first batch", func() bool { return src.Health().Delivered == 2 && nbatches() == 1 })
	if b := batches[0]; len(b.Fixes) != 1 || b.Fixes[0].Time != t0*1000 || b.Watermark != (t0+3)*1000 || b.Seq != 1 {
		t.Errorf("batch %+v, want the first fix with watermark %d", b, (t0+3)*1000)
	}
	if h := src.Health(); h.Watermark != (t0+3)*1000 {
		t.Errorf("source watermark %d, want %d", h.Watermark, (t0+3)*1000)
	}
	// A late message and one from the future are passed on and counted.
	write(t, c, []byte(tagged(t, x, "a", t0-60)+tagged(t, y, "a", t0+3600)))
	waitFor(t, "late and future", func() bool { h := src.Health(); return h.Late == 1 && h.Future == 1 })
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, b := range batches {
		total += len(b.Fixes)
	}
	if total != 4 {
		t.Errorf("%d fixes in all, want 4", total)
	}
}

func TestSinkError(t *testing.T) {
	boom := errors.New("disk full")
	p, err := NewPipeline(PipelineConfig{}, []SourceConfig{{Name: "f", Kind: KindFile, Path: aisTestdata + "bench/corpus.nmea"}},
		SinkFunc(func(context.Context, *Batch) error { return boom }))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(context.Background()); !errors.Is(err, boom) {
		t.Errorf("Run = %v, want %v", err, boom)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := func(sc SourceConfig) SourceConfig { return sc }
	for _, tc := range []struct {
		name    string
		sources []SourceConfig
		cfg     PipelineConfig
		wantErr string
	}{
		{"valid", []SourceConfig{{ID: 1, Name: "a", Kind: KindTCPServer, Address: ":0"}, {ID: 2, Name: "b", Kind: KindFile, Path: "x"}}, PipelineConfig{}, ""},
		{"no name", []SourceConfig{{Kind: KindUDP, Address: ":1"}}, PipelineConfig{}, "name is empty"},
		{"no kind", []SourceConfig{{Name: "a"}}, PipelineConfig{}, "source a: kind is empty"},
		{"unknown kind", []SourceConfig{{Name: "a", Kind: "nats"}}, PipelineConfig{}, `unknown kind "nats"`},
		{"no address", []SourceConfig{{Name: "a", Kind: KindTCPClient}}, PipelineConfig{}, "needs an address"},
		{"bad address", []SourceConfig{{Name: "a", Kind: KindTCPClient, Address: "localhost"}}, PipelineConfig{}, "source a: address"},
		{"no path", []SourceConfig{{Name: "a", Kind: KindCSV}}, PipelineConfig{}, "needs a path"},
		{"no generator", []SourceConfig{{Name: "a", Kind: KindGenerator}}, PipelineConfig{}, "needs Generate"},
		{"bad overload", []SourceConfig{{Name: "a", Kind: KindFile, Path: "x", Overload: "drop"}}, PipelineConfig{}, "overload"},
		{"negative rate", []SourceConfig{{Name: "a", Kind: KindFile, Path: "x", Rate: -1}}, PipelineConfig{}, "rate"},
		{"rate on udp", []SourceConfig{{Name: "a", Kind: KindUDP, Address: ":1", Rate: 2}}, PipelineConfig{}, "file sources only"},
		{"small max line", []SourceConfig{{Name: "a", Kind: KindUDP, Address: ":1", MaxLine: 10}}, PipelineConfig{}, "max_line"},
		{"backoff", []SourceConfig{{Name: "a", Kind: KindTCPClient, Address: "h:1", BackoffMin: time.Minute, BackoffMax: time.Second}}, PipelineConfig{}, "backoff_min"},
		{"duplicate id", []SourceConfig{ok(SourceConfig{ID: 1, Name: "a", Kind: KindUDP, Address: ":1"}), {ID: 1, Name: "b", Kind: KindUDP, Address: ":2"}}, PipelineConfig{}, "id 1 already used by a"},
		{"duplicate name", []SourceConfig{{ID: 1, Name: "a", Kind: KindUDP, Address: ":1"}, {ID: 2, Name: "a", Kind: KindUDP, Address: ":2"}}, PipelineConfig{}, "name used twice"},
		{"negative batch", nil, PipelineConfig{BatchSize: -1}, "batch_size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewPipeline(tc.cfg, tc.sources, &collector{})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("NewPipeline = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("NewPipeline = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	p, err := NewPipeline(PipelineConfig{}, []SourceConfig{
		{Name: "c", Kind: KindTCPClient, Address: "h:1"},
		{Name: "f", Kind: KindFile, Path: "x", ID: 1},
	}, &collector{})
	if err != nil {
		t.Fatal(err)
	}
	c, f := p.Sources()[0].Config(), p.Sources()[1].Config()
	if c.Overload != OverloadShed || f.Overload != OverloadBlock {
		t.Errorf("overload %q, %q; want shed for network, block for files", c.Overload, f.Overload)
	}
	if c.IdleTimeout != defaultClientIdle || c.BackoffMin != time.Second || c.BackoffMax != time.Minute || c.MaxSentence != ais.MaxSentence {
		t.Errorf("client defaults %+v", c)
	}
}

// FuzzFramer feeds arbitrary bytes, in arbitrary pieces, to a framer:
// nothing panics and every line is counted once.
func FuzzFramer(f *testing.F) {
	for _, s := range []string{
		"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n",
		"\\g:1-2-1604,s:r,c:1418169601*37\\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63\n",
		"\x00\xff\n\n#c\n",
	} {
		f.Add([]byte(s), uint8(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		p, err := NewPipeline(PipelineConfig{}, []SourceConfig{{Name: "z", Kind: KindUDP, Address: ":0", MaxLine: 128}}, &collector{})
		if err != nil {
			t.Fatal(err)
		}
		s := p.sources[0]
		var got []*block
		fr := s.newFramer(func(b *block) { got = append(got, b) })
		fr.setArrival(testTime)
		step := int(split)%17 + 1
		for i := 0; i < len(data); i += step {
			fr.feed(data[i:min(i+step, len(data))])
		}
		fr.finish()
		fr.flush()
		h := s.Health()
		lines := uint64(bytes.Count(data, []byte("\n")))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			lines++
		}
		if h.Lines > lines {
			t.Errorf("%d lines counted in %q, which has at most %d", h.Lines, data, lines)
		}
		if h.Messages > h.Sentences || h.Sentences+h.Skipped+h.RejectsTotal-h.Incomplete > h.Lines {
			t.Errorf("counts do not add up: %+v", h)
		}
		n := 0
		for _, b := range got {
			n += b.msgs
		}
		if uint64(n) != h.Messages {
			t.Errorf("%d messages in blocks, %d counted", n, h.Messages)
		}
	})
}

// syntheticCorpus returns NMEA for n type 1 position reports from vessels
// distinct MMSIs, in time order, vessels each reporting every period,
// with c: times and receiver tags; dupEvery > 0 repeats every dupEvery-th
// message from a second receiver a few lines later.
func syntheticCorpus(tb testing.TB, n, vessels int, dupEvery int) ([]byte, int) {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var out []byte
	var pending [][]byte
	const t0 = 1_700_000_000
	perSecond := max(1, vessels/10) // each vessel every 10 s
	lines := 0
	for i := range n {
		m := ais.Random(r, 1).(*ais.PositionReport)
		m.MMSI = uint32(200_000_000 + i%vessels)
		m.Lat = int32(r.IntN(2*90*600000) - 90*600000)
		m.Lon = int32(r.IntN(2*180*600000) - 180*600000)
		m.Header.Len = 0
		at := time.Unix(int64(t0+i/perSecond), 0)
		var err error
		start := len(out)
		out, err = ais.AppendSentences(out, m, ais.Framing{Source: "r1", Time: at})
		if err != nil {
			tb.Fatal(err)
		}
		lines++
		if dupEvery > 0 && i%dupEvery == 0 {
			dup := bytes.Replace(out[start:], []byte("s:r1"), []byte("s:r2"), 1)
			dup = fixTagChecksum(dup)
			pending = append(pending, dup)
		}
		if len(pending) > 0 && i%7 == 0 {
			for _, d := range pending {
				out = append(out, d...)
				lines++
			}
			pending = pending[:0]
		}
	}
	for _, d := range pending {
		out = append(out, d...)
		lines++
	}
	return out, lines
}

// fixTagChecksum recomputes the checksum of the tag block at the start of
// line.
func fixTagChecksum(line []byte) []byte {
	end := bytes.IndexByte(line[1:], '*') + 1
	var sum byte
	for _, c := range line[1:end] {
		sum ^= c
	}
	copy(line[end+1:end+3], fmt.Sprintf("%02X", sum))
	return line
}

func TestSyntheticCorpus(t *testing.T) {
	// The benchmark's corpus, small: every copy from the second receiver
	// is found, whether one worker or several decode the file.
	data, lines := syntheticCorpus(t, 20000, 2000, 10)
	path := filepath.Join(t.TempDir(), "synthetic.nmea")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		fixes, _, h, err := replay(t, PipelineConfig{}, SourceConfig{Name: "s", Kind: KindFile, Path: path, Workers: workers}, 64<<10)
		if err != nil {
			t.Fatal(err)
		}
		if h.Messages != uint64(lines) || h.Duplicates != 2000 || len(fixes) != 20000 || h.RejectsTotal != 0 {
			t.Errorf("workers %d: %d messages of %d lines, %d duplicates, %d fixes, rejects %v; want all, 2000, 20000, none",
				workers, h.Messages, lines, h.Duplicates, len(fixes), h.Rejects)
		}
		heardTwice := 0
		for _, f := range fixes {
			if f.Heard != 1 {
				heardTwice++
			}
		}
		if heardTwice != 0 {
			t.Errorf("%d fixes with other Heard bits in a one-source replay", heardTwice)
		}
	}
}

func TestRate(t *testing.T) {
	var now atomic.Int64
	now.Store(testTime.UnixMilli())
	clock := func() time.Time { return time.UnixMilli(now.Load()) }
	r := start(t, PipelineConfig{Clock: clock, Tick: time.Millisecond}, &collector{},
		SourceConfig{Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0"})
	src := r.p.Sources()[0]
	data := bytes.SplitAfter(readTestdata(t, "bench/corpus.nmea"), []byte("\n"))[:100]
	n := readerCounts(t, bytes.Join(data, nil)).Messages
	write(t, dial(t, "tcp", src.Addr()), bytes.Join(data, nil))
	waitFor(t, "the messages", func() bool { return src.Health().Messages == n })
	if h := src.Health(); h.MessagesPerSecond != 0 || h.LastMessage != testTime.UnixMilli() {
		t.Errorf("before the clock moved: rate %v, last message %d", h.MessagesPerSecond, h.LastMessage)
	}
	now.Add(2000)
	want := float64(n) / 2 * (1 - math.Exp(-2000.0/5000)) // n messages in 2 s, five-second average
	waitFor(t, "a rate", func() bool { return src.Health().MessagesPerSecond != 0 })
	if got := src.Health().MessagesPerSecond; math.Abs(got-want) > 1e-9 {
		t.Errorf("rate = %v, want %v", got, want)
	}
}

func TestSafetyTextsPassed(t *testing.T) {
	// A SART's text, heard by two receivers, and an addressed text reach
	// the sink once each with sender, destination and event time, among
	// position reports.
	var data []byte
	frame := ais.Framing{Time: testTime}
	var err error
	for _, m := range []ais.Message{
		&ais.PositionReport{Header: ais.Header{Type: 1, MMSI: 970123456}, Lon: 56.5 * 600000, Lat: 26.5 * 600000, Speed: 1023, Course: 3600, Heading: 511},
		&ais.SafetyBroadcast{Header: ais.Header{Type: 14, MMSI: 970123456}, Text: "SART ACTIVE"},
		&ais.SafetyAddressed{Header: ais.Header{Type: 12, MMSI: 422000001}, Dest: 461000002, Text: "MOB TEST"},
	} {
		if data, err = ais.AppendSentences(data, m, frame); err != nil {
			t.Fatal(err)
		}
	}
	var sink collector
	r := start(t, PipelineConfig{Clock: fixedClock(testTime), Hold: time.Hour}, &sink,
		SourceConfig{ID: 1, Name: "rx1", Kind: KindTCPServer, Address: "127.0.0.1:0"},
		SourceConfig{ID: 2, Name: "rx2", Kind: KindTCPServer, Address: "127.0.0.1:0"},
	)
	for _, s := range r.p.Sources() {
		write(t, dial(t, "tcp", s.Addr()), data)
	}
	waitFor(t, "both receivers' messages", func() bool {
		return r.p.Sources()[0].Health().Messages == 3 && r.p.Sources()[1].Health().Messages == 3
	})
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	want := []track.Text{
		{MMSI: 970123456, Time: testTime.UnixMilli(), Text: "SART ACTIVE"},
		{MMSI: 422000001, Time: testTime.UnixMilli(), Dest: 461000002, Text: "MOB TEST"},
	}
	if len(sink.texts) != len(want) {
		t.Fatalf("texts %+v, want %+v", sink.texts, want)
	}
	for i, got := range sink.texts {
		got.Source = 0 // either receiver's copy may be kept
		if got != want[i] {
			t.Errorf("text %d = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestUrgentNotHeld(t *testing.T) {
	// With a long hold, an ordinary fix waits for copies while an
	// AIS-SART's fix and a status-14 report are passed on at once.
	var sink collector
	r := start(t, PipelineConfig{Clock: fixedClock(testTime), Hold: time.Hour}, &sink,
		SourceConfig{ID: 1, Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0"})
	var data []byte
	var err error
	for _, m := range []*ais.PositionReport{
		{Header: ais.Header{Type: 1, MMSI: 422000001}, Lat: 26 * 600000, Lon: 56 * 600000, Speed: 100, Course: 900, Heading: 90},
		{Header: ais.Header{Type: 1, MMSI: 970123456}, Lat: 26 * 600000, Lon: 56 * 600000, Speed: 5, Course: 900, Heading: 511, Status: 14},
		{Header: ais.Header{Type: 1, MMSI: 422000002}, Lat: 26 * 600000, Lon: 56 * 600000, Speed: 5, Course: 900, Heading: 511, Status: 14},
	} {
		if data, err = ais.AppendSentences(data, m, ais.Framing{Time: testTime}); err != nil {
			t.Fatal(err)
		}
	}
	write(t, dial(t, "tcp", r.p.Sources()[0].Addr()), data)
	waitFor(t, "the urgent fixes", func() bool { return sink.count() == 2 })
	fixes, _ := sink.snapshot()
	for _, f := range fixes {
		if f.MMSI == 422000001 {
			t.Error("an ordinary fix was not held")
		}
	}
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	if n := sink.count(); n != 3 {
		t.Errorf("%d fixes after the drain, want 3", n)
	}
}
