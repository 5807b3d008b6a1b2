package ingest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"straitwatch/ais"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(aisTestdata + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func dial(t *testing.T, network string, addr net.Addr) net.Conn {
	t.Helper()
	c, err := net.Dial(network, addr.String())
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func write(t *testing.T, c net.Conn, data []byte) {
	t.Helper()
	if _, err := c.Write(data); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// resequence rewrites a sentence with another sequential message id.
func resequence(t *testing.T, line string, seq int) string {
	t.Helper()
	var s ais.Sentence
	if err := ais.ParseSentence([]byte(line), &s); err != nil {
		t.Fatalf("ParseSentence(%q) = %v", line, err)
	}
	return string(ais.AppendSentence(nil, string(s.Talker[:]), s.Own, s.Total, s.Num, seq, s.Channel, s.Payload, s.Fill)) + "\r\n"
}

// twoPartMessages returns the first n two-sentence messages of the
// benchmark corpus, as pairs of lines.
func twoPartMessages(t *testing.T, n int) [][2]string {
	t.Helper()
	lines := strings.Split(string(readTestdata(t, "bench/corpus.nmea")), "\n")
	var out [][2]string
	for i := 0; i+1 < len(lines) && len(out) < n; i++ {
		if strings.HasPrefix(lines[i], "!AIVDM,2,1,") && strings.HasPrefix(lines[i+1], "!AIVDM,2,2,") {
			out = append(out, [2]string{lines[i], lines[i+1]})
			i++
		}
	}
	if len(out) < n {
		t.Fatalf("corpus has %d two-part messages, want %d", len(out), n)
	}
	return out
}

func TestTCPServerReceivers(t *testing.T) {
	sample := readTestdata(t, "gpsd/sample.aivdm")
	want := readerCounts(t, sample)
	var sink collector
	r := start(t, PipelineConfig{Window: -1, Clock: fixedClock(testTime)}, &sink,
		SourceConfig{Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0"})
	src := r.p.Sources()[0]

	// Each connection has its own framing state: two receivers send the
	// fragments of two different messages with the same sequence id,
	// interleaved. One shared assembler would mix them up.
	msgs := twoPartMessages(t, 2)
	a, b := dial(t, "tcp", src.Addr()), dial(t, "tcp", src.Addr())
	steps := []struct {
		c    net.Conn
		line string
	}{
		{a, resequence(t, msgs[0][0], 3)},
		{b, resequence(t, msgs[1][0], 3)},
		{a, resequence(t, msgs[0][1], 3)},
		{b, resequence(t, msgs[1][1], 3)},
	}
	for i, st := range steps {
		write(t, st.c, []byte(st.line))
		waitFor(t, "sentence read", func() bool { return src.Health().Sentences == uint64(i+1) })
	}
	h := src.Health()
	if h.Messages != 2 || h.RejectsTotal != 0 {
		t.Errorf("interleaved receivers: %d messages, rejects %v; want 2, none", h.Messages, h.Rejects)
	}

	// Many receivers at once, each sending the whole sample in odd-sized
	// writes.
	const receivers = 4
	var wg sync.WaitGroup
	for i := range receivers {
		c := dial(t, "tcp", src.Addr())
		wg.Go(func() {
			for rest := sample; len(rest) > 0; {
				n := min(len(rest), 97+i*31)
				c.Write(rest[:n])
				rest = rest[n:]
			}
		})
	}
	wg.Wait()
	waitFor(t, "all lines", func() bool { return src.Health().Lines == 4+receivers*want.Lines })
	h = src.Health()
	if h.Messages != 2+receivers*want.Messages {
		t.Errorf("messages = %d, want %d", h.Messages, 2+receivers*want.Messages)
	}
	for _, rs := range ais.Reasons() {
		if got := h.Rejects[rs.Key()]; got != receivers*want.Rejected[rs] {
			t.Errorf("rejects[%s] = %d, want %d", rs.Key(), got, receivers*want.Rejected[rs])
		}
	}
	if h.ConnectionsTotal != 2+receivers || !h.Connected {
		t.Errorf("connections total %d, connected %v; want %d, true", h.ConnectionsTotal, h.Connected, 2+receivers)
	}
	if err := r.stop(t); err != nil {
		t.Fatal(err)
	}
	checkSums(t, src.Health())
	if n := sink.count(); uint64(n) != src.Health().Fixes+src.Health().Statics {
		t.Errorf("sink got %d records, health says %d fixes + %d statics", n, src.Health().Fixes, src.Health().Statics)
	}
}

// sentence returns a sentence line with a correct checksum.
func sentence(total, num, seq int, payload string, fill int) []byte {
	return append(ais.AppendSentence(nil, "AI", false, total, num, seq, 'A', []byte(payload), fill), '\n')
}

func TestTCPServerBadInput(t *testing.T) {
	valid := "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n"
	longSentence := string(ais.AppendSentence(nil, "AI", false, 1, 1, -1, 'A', bytes.Repeat([]byte("1"), 120), 0)) + "\n"
	var sink collector
	r := start(t, PipelineConfig{Window: -1}, &sink,
		SourceConfig{Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0", MaxLine: 512})
	src := r.p.Sources()[0]
	for _, tc := range []struct {
		name  string
		input []byte
		want  map[string]uint64 // reject deltas
	}{
		{"binary", []byte{0x00, 0x01, 0xff, 0xfe, 0x80, '\n'}, map[string]uint64{"nul": 1}},
		{"high bytes", []byte("!AIVDM,1,1,,A,\xff\xfe\xfd,0*00\n"), map[string]uint64{"not_ascii": 1}},
		{"http", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), map[string]uint64{"not_ais": 2}},
		{"over-long line", append(bytes.Repeat([]byte("A"), 5000), '\n'), map[string]uint64{"too_long_line": 1}},
		{"over-long binary", append(bytes.Repeat([]byte{0, 0xff, 7}, 100000), '\n'), map[string]uint64{"too_long_line": 1}},
		{"over-long sentence", []byte(longSentence), map[string]uint64{"too_long_line": 1}},
		{"bad checksum", []byte("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\n"), map[string]uint64{"checksum": 1}},
		{"stray fragment", sentence(2, 2, 7, "00000000008", 2), map[string]uint64{"stray_fragment": 1}},
		{"bad payload", sentence(1, 1, -1, "15RTgt0PAso;90TKcjM8h6g208CQ~~", 0), map[string]uint64{"payload_char": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := src.Health()
			c := dial(t, "tcp", src.Addr())
			write(t, c, tc.input)
			write(t, c, []byte(valid))
			waitFor(t, "the valid line after the junk", func() bool { return src.Health().Messages == before.Messages+1 })
			after := src.Health()
			for key, n := range tc.want {
				if got := after.Rejects[key] - before.Rejects[key]; got != n {
					t.Errorf("rejects[%s] += %d, want %d (all: %v)", key, got, n, after.Rejects)
				}
			}
			if !after.Running || after.Connections < 1 {
				t.Errorf("server running %v with %d connections after junk", after.Running, after.Connections)
			}
		})
	}
	checkSums(t, src.Health())
}

func TestSlowConnectionsDoNotBlockOthers(t *testing.T) {
	sample := readTestdata(t, "gpsd/sample.aivdm")
	want := readerCounts(t, sample)
	var sink collector
	r := start(t, PipelineConfig{Window: -1}, &sink,
		SourceConfig{ID: 1, Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0"},
		SourceConfig{ID: 2, Name: "udp", Kind: KindUDP, Address: "127.0.0.1:0"},
		SourceConfig{ID: 3, Name: "idle", Kind: KindTCPServer, Address: "127.0.0.1:0", IdleTimeout: 50 * time.Millisecond},
	)
	rx, udp, idle := r.p.Sources()[0], r.p.Sources()[1], r.p.Sources()[2]

	// A half-open receiver (half a line, then silence) and a trickling
	// one (a byte at a time, never finishing) on the same server...
	half := dial(t, "tcp", rx.Addr())
	write(t, half, []byte("!AIVDM,1,1,,A,15RTgt0P"))
	trickle := dial(t, "tcp", rx.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for i := 0; ctx.Err() == nil; i++ {
			if _, err := trickle.Write([]byte{"!AIVDM,1,1,"[i%11]}); err != nil {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	// ...while a fast receiver on the same server and a UDP feed get
	// everything through.
	fast := dial(t, "tcp", rx.Addr())
	write(t, fast, sample)
	u := dial(t, "udp", udp.Addr())
	for line := range bytes.Lines(sample) {
		write(t, u, line)
	}
	waitFor(t, "the fast receiver's messages", func() bool { return rx.Health().Messages == want.Messages })
	waitFor(t, "the UDP messages", func() bool { return udp.Health().Messages == want.Messages })
	if n := rx.Health().Connections; n != 3 {
		t.Errorf("server holds %d connections, want 3 (half-open and trickling still open)", n)
	}

	// A connection idle past the server's IdleTimeout is closed and
	// counted.
	c := dial(t, "tcp", idle.Addr())
	write(t, c, []byte("!AIVDM,1,1,,A,15RTgt0P"))
	c.SetReadDeadline(time.Now().Add(hangGuard))
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("idle connection not closed by the server")
	}
	waitFor(t, "idle close counted", func() bool { h := idle.Health(); return h.Errors == 1 && h.Connections == 0 })
	if h := idle.Health(); !strings.Contains(h.LastError, "no data for") {
		t.Errorf("last error %q, want an idle timeout", h.LastError)
	}
}

func TestTCPServerMaxConns(t *testing.T) {
	r := start(t, PipelineConfig{}, &collector{}, SourceConfig{Name: "rx", Kind: KindTCPServer, Address: "127.0.0.1:0", MaxConns: 2})
	src := r.p.Sources()[0]
	dial(t, "tcp", src.Addr())
	dial(t, "tcp", src.Addr())
	waitFor(t, "two connections", func() bool { return src.Health().Connections == 2 })
	third := dial(t, "tcp", src.Addr())
	third.SetReadDeadline(time.Now().Add(hangGuard))
	if _, err := third.Read(make([]byte, 1)); !errors.Is(err, io.EOF) {
		t.Errorf("third connection: read = %v, want EOF (closed by the server)", err)
	}
	if h := src.Health(); h.ConnectionsRefused != 1 || h.Connections != 2 {
		t.Errorf("refused %d, open %d; want 1, 2", h.ConnectionsRefused, h.Connections)
	}
}

// feedServer is a test feed that a tcp-client dials. Each accepted
// connection is handled by the next function of script; connections past
// the script are held open without data.
type feedServer struct {
	ln     net.Listener
	mu     sync.Mutex
	conns  []net.Conn
	closed chan struct{} // a connection's peer closed it
}

func newFeedServer(t *testing.T, script ...func(net.Conn)) *feedServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fs := &feedServer{ln: ln, closed: make(chan struct{}, 100)}
	t.Cleanup(func() {
		ln.Close()
		fs.mu.Lock()
		for _, c := range fs.conns {
			c.Close()
		}
		fs.mu.Unlock()
	})
	go func() {
		for i := 0; ; i++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fs.mu.Lock()
			fs.conns = append(fs.conns, c)
			fs.mu.Unlock()
			if i < len(script) {
				go script[i](c)
			}
			go func() {
				// Notice when the client closes its end.
				io.Copy(io.Discard, c)
				fs.closed <- struct{}{}
			}()
		}
	}()
	return fs
}

func TestTCPClient(t *testing.T) {
	sample := readTestdata(t, "gpsd/sample.aivdm")
	want := readerCounts(t, sample)
	tag := readTestdata(t, "libais/tagblock.nmea")
	wantTag := readerCounts(t, tag)
	sendAndClose := func(data []byte) func(net.Conn) {
		return func(c net.Conn) { c.Write(data); c.Close() }
	}
	send := func(data []byte) func(net.Conn) { return func(c net.Conn) { c.Write(data) } }
	silent := func(net.Conn) {}
	for _, tc := range []struct {
		name      string
		script    []func(net.Conn)
		idle      time.Duration
		messages  uint64
		conns     uint64
		lastError string
	}{
		{"peer closes, client reconnects", []func(net.Conn){sendAndClose(sample), send(tag)}, 0, want.Messages + wantTag.Messages, 2, "closed by peer"},
		{"silent feed hits the read deadline", []func(net.Conn){silent, send(tag)}, 50 * time.Millisecond, wantTag.Messages, 2, "no data for"},
		{"refused then served", []func(net.Conn){sendAndClose(nil), sendAndClose(nil), send(sample)}, 0, want.Messages, 3, "closed by peer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFeedServer(t, tc.script...)
			var sink collector
			r := start(t, PipelineConfig{Window: -1}, &sink, SourceConfig{
				Name: "feed", Kind: KindTCPClient, Address: fs.ln.Addr().String(),
				BackoffMin: time.Millisecond, BackoffMax: 5 * time.Millisecond, IdleTimeout: tc.idle,
			})
			src := r.p.Sources()[0]
			waitFor(t, "messages of every connection", func() bool {
				h := src.Health()
				return h.Messages == tc.messages && h.ConnectionsTotal == tc.conns
			})
			waitFor(t, "connected", func() bool { return src.Health().Connected })
			if h := src.Health(); !strings.Contains(h.LastError, tc.lastError) || h.Errors == 0 {
				t.Errorf("errors %d, last %q; want some, %q", h.Errors, h.LastError, tc.lastError)
			}
			if err := r.stop(t); err != nil {
				t.Errorf("Run = %v", err)
			}
			if h := src.Health(); h.Connected || h.Connections != 0 || h.Running {
				t.Errorf("after stop: connected %v, %d connections, running %v", h.Connected, h.Connections, h.Running)
			}
		})
	}
}

func TestTCPClientDialFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	r := start(t, PipelineConfig{}, &collector{}, SourceConfig{
		Name: "feed", Kind: KindTCPClient, Address: addr, BackoffMin: time.Millisecond, BackoffMax: 2 * time.Millisecond,
	})
	src := r.p.Sources()[0]
	waitFor(t, "several failed dials", func() bool { return src.Health().Errors >= 3 })
	if h := src.Health(); h.Connected || !h.Running {
		t.Errorf("connected %v, running %v; want false, true", h.Connected, h.Running)
	}
	if err := r.stop(t); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

func TestUDP(t *testing.T) {
	msgs := twoPartMessages(t, 1)
	one := "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
	two := "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42"
	for _, tc := range []struct {
		name      string
		datagrams []string
		messages  uint64
		rejects   map[string]uint64
	}{
		{"one sentence", []string{one + "\r\n"}, 1, nil},
		{"no line end", []string{one}, 1, nil},
		{"several sentences", []string{one + "\r\n" + two + "\n" + one}, 3, nil},
		{"multi-sentence across datagrams", []string{msgs[0][0] + "\n", msgs[0][1] + "\n"}, 1, nil},
		{"multi-sentence in one datagram", []string{msgs[0][0] + "\n" + msgs[0][1]}, 1, nil},
		{"junk", []string{"\x00\x01junk", one}, 1, map[string]uint64{"nul": 1}},
		{"over-long", []string{strings.Repeat("x", 3000), one}, 1, map[string]uint64{"too_long_line": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sink collector
			r := start(t, PipelineConfig{Window: -1}, &sink, SourceConfig{Name: "udp", Kind: KindUDP, Address: "127.0.0.1:0"})
			src := r.p.Sources()[0]
			c := dial(t, "udp", src.Addr())
			for _, d := range tc.datagrams {
				write(t, c, []byte(d))
			}
			waitFor(t, "datagrams read", func() bool { return src.Health().Bytes == uint64(len(strings.Join(tc.datagrams, ""))) })
			waitFor(t, "messages", func() bool { return src.Health().Messages >= tc.messages })
			if err := r.stop(t); err != nil {
				t.Fatal(err)
			}
			h := src.Health()
			if h.Messages != tc.messages {
				t.Errorf("messages = %d, want %d", h.Messages, tc.messages)
			}
			for k, v := range tc.rejects {
				if h.Rejects[k] != v {
					t.Errorf("rejects[%s] = %d, want %d", k, h.Rejects[k], v)
				}
			}
			if h.RejectsTotal != uint64(len(tc.rejects)) {
				t.Errorf("rejects %v, want %v", h.Rejects, tc.rejects)
			}
			if uint64(sink.count()) != h.Fixes+h.Statics || h.Delivered != h.Messages {
				t.Errorf("sink %d, fixes %d, statics %d, delivered %d", sink.count(), h.Fixes, h.Statics, h.Delivered)
			}
		})
	}
}

func TestGenerator(t *testing.T) {
	sample := readTestdata(t, "gpsd/sample.aivdm")
	want := readerCounts(t, sample)
	boom := errors.New("boom")
	for _, tc := range []struct {
		name    string
		gen     func(ctx context.Context, w io.Writer) error
		wantErr error
	}{
		{"writes and ends", func(ctx context.Context, w io.Writer) error {
			for line := range bytes.Lines(sample) {
				if _, err := w.Write(line); err != nil {
					return err
				}
			}
			return nil
		}, nil},
		{"fails", func(ctx context.Context, w io.Writer) error {
			w.Write(sample)
			return boom
		}, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var sink collector
			r := start(t, PipelineConfig{Window: -1}, &sink, SourceConfig{Name: "gen", Kind: KindGenerator, Generate: tc.gen})
			err := r.wait(t)
			if !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Errorf("Run = %v, want %v", err, tc.wantErr)
			}
			if h := r.p.Health()[0]; h.Messages != want.Messages {
				t.Errorf("messages = %d, want %d", h.Messages, want.Messages)
			}
		})
	}
}
