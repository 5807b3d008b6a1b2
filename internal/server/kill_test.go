package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/config"
	"straitwatch/internal/ingest"
	"straitwatch/internal/store"
	"straitwatch/internal/track"
)

// The kill test's feed: message i is vessel killBase + i%killFleet at
// second t0 + i/killFleet, so every (MMSI, time) names one message.
const (
	killBase  = 200000000
	killFleet = 10000
)

func killMessage(i int) (mmsi uint32, sec int64) {
	return killBase + uint32(i%killFleet), int64(i / killFleet)
}

// TestServerKill kills a server with SIGKILL during ingest, ten times at
// random moments, on the same data directory. The server runs in a child
// process (this test binary again) that prints the highest message the
// store has acknowledged; after each kill the store must open cleanly and
// hold every acknowledged message.
func TestServerKill(t *testing.T) {
	if os.Getenv("STRAITWATCH_KILL_CHILD") != "" {
		killChild()
		return
	}
	if testing.Short() {
		t.Skip("runs ten server processes")
	}
	dir := t.TempDir()
	if d := os.Getenv("STRAITWATCH_KILL_KEEPDIR"); d != "" {
		dir = d // to inspect a failure
	}
	r := rand.New(rand.NewPCG(7, 7))
	t0 := time.Now().Add(-30 * time.Hour).Unix()
	type span struct {
		t0    int64
		acked int
	}
	var rounds []span
	for round := range 10 {
		rt0 := t0 + int64(round)*10000 // each round's messages at times of their own (under 1e8 messages a round)
		cmd := exec.Command(os.Args[0], "-test.run=^TestServerKill$")
		cmd.Env = append(os.Environ(), "STRAITWATCH_KILL_CHILD=1", "STRAITWATCH_KILL_DIR="+dir, "STRAITWATCH_KILL_T0="+strconv.FormatInt(rt0, 10))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := -1
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for ingest to start, then kill at a random moment.
		killAt := time.After(time.Duration(300+r.IntN(900)) * time.Millisecond)
		started := false
	wait:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("round %d: child ended before the kill", round)
				}
				if n, err := strconv.Atoi(strings.TrimPrefix(l, "acked ")); err == nil {
					acked, started = n, true
				}
			case <-killAt:
				if !started {
					killAt = time.After(100 * time.Millisecond)
					continue
				}
				cmd.Process.Signal(syscall.SIGKILL)
				break wait
			}
		}
		for l := range lines { // what the child printed before dying
			if n, err := strconv.Atoi(strings.TrimPrefix(l, "acked ")); err == nil {
				acked = n
			}
		}
		cmd.Wait()
		rounds = append(rounds, span{rt0, acked})

		db, err := store.Open(dir, store.Options{})
		if err != nil {
			t.Fatalf("round %d: store does not open after SIGKILL: %v", round, err)
		}
		missing := 0
		for _, sp := range rounds {
			for _, i := range samples(r, sp.acked) {
				mmsi, sec := killMessage(i)
				at := (sp.t0 + sec) * 1000
				fixes, err := db.Track(context.Background(), mmsi, at, at+1, 0)
				if err != nil {
					t.Fatal(err)
				}
				if len(fixes) != 1 {
					if missing < 3 {
						t.Logf("round %d: message %d of the round at %d (MMSI %d, t %d) has %d fixes", round, i, sp.t0, mmsi, at, len(fixes))
					}
					missing++
				}
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d: killed after %d messages acknowledged; %d acknowledged messages missing", round, acked+1, missing)
		if missing > 0 {
			t.Errorf("round %d: %d acknowledged messages lost", round, missing)
		}
	}
}

// samples returns message indexes up to acked to check: the last 200 and
// 300 drawn at random.
func samples(r *rand.Rand, acked int) []int {
	var s []int
	for i := max(0, acked-199); i <= acked; i++ {
		s = append(s, i)
	}
	for range 300 {
		if acked > 0 {
			s = append(s, r.IntN(acked+1))
		}
	}
	return s
}

// killChild is the child side: a server fed by a generator of the kill
// test's messages, printing "acked N" whenever the store acknowledges.
func killChild() {
	t0, _ := strconv.ParseInt(os.Getenv("STRAITWATCH_KILL_T0"), 10, 64)
	off := false
	cfg := config.Default()
	cfg.DataDir, cfg.HTTP.Addr, cfg.Demo = os.Getenv("STRAITWATCH_KILL_DIR"), "127.0.0.1:0", &off
	cfg.Sources = []ingest.SourceConfig{{ID: 1, Name: "gen", Kind: ingest.KindGenerator, Generate: func(ctx context.Context, w io.Writer) error {
		var buf []byte
		for i := 0; ctx.Err() == nil; i++ {
			mmsi, sec := killMessage(i)
			m := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: mmsi}, Speed: 100, Course: 900, Heading: 90,
				Lat: 26 * 600000, Lon: 56 * 600000, Radio: uint32(i)}
			var err error
			if buf, err = ais.AppendSentences(buf, m, ais.Framing{Time: time.Unix(t0+sec, 0)}); err != nil {
				return err
			}
			if len(buf) > 64<<10 {
				if _, err := w.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		return nil
	}}}
	s, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	s.OnStored = func(fixes []track.Fix) {
		last := fixes[len(fixes)-1]
		i := int(last.Time/1000-t0)*killFleet + int(last.MMSI-killBase)
		fmt.Fprintf(out, "acked %d\n", i)
		out.Flush()
	}
	if err := s.Run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
}
