package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address with a port that was free a moment
// ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestExercise runs an exercise the way the partners would: serve with a
// TCP receiver, simulate writing the scenario to it over loopback TCP,
// then score the server's events (read from its API) against the
// scenario's ground truth. Every incident type of the scenario that has
// a detector is found.
func TestExercise(t *testing.T) {
	dir := t.TempDir()
	httpAddr, rxAddr := freeAddr(t), freeAddr(t)
	// The exercise's own zones first (its restricted area), for serve.
	zones := filepath.Join(dir, "exercise-zones.geojson")
	if code, _, errs := runCmd(t, "", "simulate", "-zones", zones, "-o", os.DevNull, "testdata/exercise.yaml"); code != 0 {
		t.Fatalf("simulate -zones: exit %d: %s", code, errs)
	}
	cfg := filepath.Join(dir, "serve.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, `http: {addr: %q}
data_dir: %q
demo: false
sources:
  - {id: 1, name: exercise-rx, org: local, kind: tcp-server, address: %q}
detect: {extra_zones: [%q]}
`, httpAddr, filepath.Join(dir, "data"), rxAddr, zones), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan int, 1)
	var serveErr bytes.Buffer
	go func() {
		devnull, _ := os.Open(os.DevNull)
		defer devnull.Close()
		served <- run(ctx, []string{"serve", "-config", cfg}, devnull, &bytes.Buffer{}, &serveErr)
	}()
	defer func() {
		cancel()
		if code := <-served; code != 0 {
			t.Errorf("serve: exit %d: %s", code, serveErr.String())
		}
	}()
	base := "http://" + httpAddr
	waitUntil(t, "serve to answer", func() bool {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	truth := filepath.Join(dir, "truth.jsonl")
	if code, _, errs := runCmd(t, "", "simulate", "-tcp", rxAddr, "-speed", "0", "-truth", truth, "testdata/exercise.yaml"); code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errs)
	}
	// The server has taken everything when its receiver's count stops
	// moving and the detectors have caught up.
	var last string
	waitUntil(t, "ingest and detection to settle", func() bool {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		var now []string
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(l, "straitwatch_source_messages_total") || strings.HasPrefix(l, "straitwatch_detect_queue_batches") ||
				strings.HasPrefix(l, "straitwatch_source_shed_total") {
				now = append(now, l)
			}
		}
		cur := strings.Join(now, "\n")
		settled := cur == last && strings.Contains(cur, "straitwatch_detect_queue_batches 0")
		last = cur
		return settled
	})
	if !strings.Contains(last, `straitwatch_source_shed_total{source="exercise-rx"} 0`) {
		t.Errorf("the receiver shed messages:\n%s", last)
	}

	code, report, errs := runCmd(t, "", "score", "-truth", truth, "-server", base)
	if code != 0 {
		t.Fatalf("score: exit %d: %s", code, errs)
	}
	t.Logf("debrief:\n%s", report)
	for _, row := range []string{"| distress | disabled_sart, man_overboard | 2 |", "| gap | dark | "} {
		if !strings.Contains(report, row) {
			t.Errorf("debrief lacks %q", row)
		}
	}
	// Recall per incident type: every incident found.
	for _, typ := range []string{"man_overboard", "disabled_sart", "dark", "restricted_area"} {
		found := false
		for _, l := range strings.Split(report, "\n") {
			if strings.HasPrefix(l, "| "+typ+" | ") && strings.Contains(l, " | 1 | 1 | 0 | 1.000 | ") {
				found = true
			}
		}
		if !found {
			t.Errorf("incident %s not found in the debrief", typ)
		}
	}
}

// waitUntil polls cond every 200 ms for up to a minute.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
