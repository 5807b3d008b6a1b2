package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/sim"
)

const scenario = "../../scenarios/02-all-incidents.yaml"

// countMessages decodes data and fails on any reject.
func countMessages(t *testing.T, data []byte) uint64 {
	t.Helper()
	r := ais.NewReader(bytes.NewReader(data), ais.ReaderConfig{})
	for r.Scan() {
	}
	if st := r.Stats(); st.RejectedTotal() != 0 || st.Messages == 0 {
		t.Fatalf("decode: %d messages, %d rejected", st.Messages, st.RejectedTotal())
	}
	return r.Stats().Messages
}

func TestSimulateFile(t *testing.T) {
	dir := t.TempDir()
	out, truth := filepath.Join(dir, "out.nmea"), filepath.Join(dir, "truth.jsonl")
	code, _, stderr := runCmd(t, "", "simulate", "-o", out, "-truth", truth, "-duration", "2h", scenario)
	if code != 0 {
		t.Fatalf("simulate exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	countMessages(t, data)
	if !regexp.MustCompile(`^\\s:[a-z-]+,c:\d{10}\*[0-9A-F]{2}\\!AIVDM,`).Match(data) {
		t.Errorf("first line %.80q: want a tag block with s: and c:", data)
	}
	tj, err := os.ReadFile(truth)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(tj)), "\n") {
		var tr sim.Truth
		if err := json.Unmarshal([]byte(l), &tr); err != nil {
			t.Fatalf("truth line %q: %v", l, err)
		}
		types[tr.Type] = true
	}
	// Incidents starting within the 2 hours: all but the last two.
	for _, want := range []string{"dark", "sts", "cloned_mmsi", "wrong_way", "collision_course"} {
		if !types[want] {
			t.Errorf("truth has no %s incident (%s)", want, tj)
		}
	}
	// Same scenario and seed, same bytes.
	out2 := filepath.Join(dir, "out2.nmea")
	if code, _, stderr := runCmd(t, "", "simulate", "-o", out2, "-duration", "2h", scenario); code != 0 {
		t.Fatalf("simulate exit %d: %s", code, stderr)
	}
	if data2, _ := os.ReadFile(out2); !bytes.Equal(data, data2) {
		t.Error("two runs differ")
	}
}

func TestSimulateUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"simulate"}, 2, "usage: straitwatch simulate"},
		{[]string{"simulate", "-speed", "-1", scenario}, 2, "usage"},
		{[]string{"simulate", "/nonexistent.yaml"}, 1, "no such file"},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("run(%q) = %d, %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

func TestSimulateTCPClient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		got <- b
	}()
	if code, _, stderr := runCmd(t, "", "simulate", "-tcp", ln.Addr().String(), "-duration", "10m", scenario); code != 0 {
		t.Fatalf("simulate exit %d: %s", code, stderr)
	}
	countMessages(t, <-got)
}

func TestSimulateTCPServer(t *testing.T) {
	// Find a free port, then let simulate listen on it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan int, 1)
	go func() {
		var out, errb bytes.Buffer
		done <- run(ctx, []string{"simulate", "-listen", addr, "-duration", "10m", scenario}, strings.NewReader(""), &out, &errb)
	}()
	var c net.Conn
	for c == nil && ctx.Err() == nil {
		if c, err = net.Dial("tcp", addr); err != nil {
			c = nil
			time.Sleep(20 * time.Millisecond)
		}
	}
	if c == nil {
		t.Fatal("could not connect")
	}
	defer c.Close()
	b, _ := io.ReadAll(bufio.NewReader(c))
	if code := <-done; code != 0 {
		t.Fatalf("simulate exit %d", code)
	}
	countMessages(t, b)
}

func TestSimulateUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	got := make(chan []byte, 1)
	go func() {
		var all []byte
		buf := make([]byte, 65536)
		for {
			pc.SetReadDeadline(time.Now().Add(2 * time.Second))
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				got <- all
				return
			}
			if n > 1400 {
				all = append(all, "datagram too long\n"...)
			}
			all = append(all, buf[:n]...)
		}
	}()
	// One simulated minute at 600x: about 0.1 s, gentle on the socket buffer.
	if code, _, stderr := runCmd(t, "", "simulate", "-udp", pc.LocalAddr().String(), "-duration", "1m", "-speed", "600", scenario); code != 0 {
		t.Fatalf("simulate exit %d: %s", code, stderr)
	}
	data := <-got
	if bytes.Contains(data, []byte("datagram too long")) {
		t.Error("a datagram is longer than 1400 bytes")
	}
	countMessages(t, data)
}
