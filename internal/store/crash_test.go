package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"straitwatch/internal/track"
)

// The crash test's child appends fixes of round r for vessels
// crashVessel(r, 0..crashFleet-1); fix k goes to vessel k%crashFleet at
// time t0+k ms, so the acknowledged count alone says which fixes must be
// there.
const (
	crashFleet  = 100
	crashRounds = 10
	crashBatch  = 1000
)

func crashVessel(round, i int) uint32 { return uint32(1000*(round+1) + i) }

func crashFix(round, k int) track.Fix {
	f := aisFix(crashVessel(round, k%crashFleet), k/crashFleet, t0, 1000)
	f.Time = t0 + int64(k)
	return f
}

// TestCrashChild is the process that TestCrashDurability kills; it does
// nothing unless started by it.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv("STORE_CRASH_DIR")
	if dir == "" {
		t.Skip("only run as the child of TestCrashDurability")
	}
	round, err := strconv.Atoi(os.Getenv("STORE_CRASH_ROUND"))
	if err != nil {
		t.Fatal(err)
	}
	// Small memtables, so that kills also land in flushes and
	// compactions.
	db, err := Open(dir, Options{MemtableSize: memFixBytes * 50_000, CompactionThreshold: 3, SegmentDuration: 10 * time.Second})
	if err != nil {
		fmt.Printf("open error: %v\n", err)
		os.Exit(2)
	}
	batch := make([]track.Fix, crashBatch)
	for k := 0; ; {
		for i := range batch {
			batch[i] = crashFix(round, k+i)
		}
		if err := db.AppendFixes(batch); err != nil {
			fmt.Printf("append error: %v\n", err)
			os.Exit(2)
		}
		k += crashBatch
		if k%(10*crashBatch) == 0 {
			if err := db.Sync(); err != nil {
				fmt.Printf("sync error: %v\n", err)
				os.Exit(2)
			}
			fmt.Printf("acked %d\n", k)
		}
	}
}

// TestCrashDurability kills a process appending fixes with SIGKILL at a
// random moment, ten times on the same directory, and checks after each
// kill that the store opens cleanly and holds every fix acknowledged by a
// completed Sync, in this round and all earlier ones.
func TestCrashDurability(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("needs SIGKILL")
	}
	if os.Getenv("STORE_CRASH_DIR") != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	acked := make([]int, crashRounds)
	for round := range crashRounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STORE_CRASH_DIR="+dir, "STORE_CRASH_ROUND="+strconv.Itoa(round))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		// Kill at a random moment after the first acknowledgement.
		kill := time.After(time.Duration(50+rng.IntN(600)) * time.Millisecond)
		first := true
		var killed bool
		for line := range lines {
			n, ok := strings.CutPrefix(line, "acked ")
			if !ok {
				t.Errorf("round %d: child says %q", round, line)
				continue
			}
			if v, err := strconv.Atoi(n); err == nil {
				acked[round] = v
			}
			if first {
				first = false
				go func() {
					<-kill
					cmd.Process.Kill()
				}()
				killed = true
			}
		}
		err = cmd.Wait()
		if !killed {
			t.Fatalf("round %d: child ended before acknowledging anything: %v", round, err)
		}
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child ended with %v, want killed", round, err)
		}
		t.Logf("round %d: killed after %d acknowledged fixes", round, acked[round])

		db, err := Open(dir, Options{SegmentDuration: 10 * time.Second})
		if err != nil {
			t.Fatalf("round %d: Open after SIGKILL = %v", round, err)
		}
		for r := 0; r <= round; r++ {
			checkCrashRound(t, db, r, acked[r])
		}
		if err := db.Close(); err != nil {
			t.Fatalf("round %d: Close = %v", round, err)
		}
	}
}

func checkCrashRound(t *testing.T, db *DB, round, acked int) {
	t.Helper()
	for i := range crashFleet {
		m := crashVessel(round, i)
		got, err := db.Track(context.Background(), m, t0, t0+int64(acked), 0)
		if err != nil {
			t.Fatalf("round %d: Track(%d) = %v", round, m, err)
		}
		want := (acked - i + crashFleet - 1) / crashFleet
		if len(got) != want {
			t.Fatalf("round %d: vessel %d has %d fixes below the acknowledged %d, want %d", round, m, len(got), acked, want)
		}
		for j, f := range got {
			if w := crashFix(round, i+j*crashFleet); f != w {
				t.Fatalf("round %d: vessel %d fix %d = %+v, want %+v", round, m, j, f, w)
			}
		}
	}
}
