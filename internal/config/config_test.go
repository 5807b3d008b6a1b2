package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantErr    string
		check      func(t *testing.T, c Config)
	}{
		{name: "empty file is all defaults", yaml: "", check: func(t *testing.T, c Config) {
			if c.HTTP.Addr != "127.0.0.1:8080" || !*c.Demo || c.Store.Retention != 720*time.Hour {
				t.Errorf("defaults = %+v", c)
			}
		}},
		{name: "sources turn the demo off", yaml: "sources:\n  - {name: rx1, kind: udp, address: '127.0.0.1:0'}\n", check: func(t *testing.T, c Config) {
			if *c.Demo || len(c.Sources) != 1 {
				t.Errorf("demo %v, sources %d", *c.Demo, len(c.Sources))
			}
		}},
		{name: "durations", yaml: "store: {retention: 48h, sync_interval: 50ms}\npipeline: {window: 3s}\n", check: func(t *testing.T, c Config) {
			if c.Store.Retention != 48*time.Hour || c.Store.SyncInterval != 50*time.Millisecond || c.Pipeline.Window != 3*time.Second {
				t.Errorf("durations = %v %v %v", c.Store.Retention, c.Store.SyncInterval, c.Pipeline.Window)
			}
		}},
		{name: "unknown key", yaml: "htp: {addr: ':1'}\n", wantErr: "field htp not found"},
		{name: "bad addr", yaml: "http: {addr: 'nohost'}\n", wantErr: "http.addr"},
		{name: "bad level", yaml: "log_level: loud\n", wantErr: "log_level"},
		{name: "short retention", yaml: "store: {retention: 10m}\n", wantErr: "retention"},
		{name: "duplicate source", yaml: "sources:\n  - {id: 1, name: a, kind: udp, address: ':0'}\n  - {id: 2, name: a, kind: udp, address: ':0'}\n", wantErr: "used twice"},
		{name: "bad source", yaml: "sources:\n  - {name: a, kind: carrier-pigeon}\n", wantErr: "sources[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.yaml))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse(%q) = %v, want error containing %q", tc.yaml, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tc.yaml, err)
			}
			tc.check(t, c)
		})
	}
}

// TestREADMEExample keeps the README's example configurations valid.
func TestREADMEExample(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for rest := string(raw); ; {
		start := strings.Index(rest, "```yaml\n")
		if start < 0 {
			break
		}
		rest = rest[start+8:]
		end := strings.Index(rest, "```")
		if end < 0 {
			t.Fatal("README: unterminated yaml block")
		}
		blocks, rest = append(blocks, rest[:end]), rest[end:]
	}
	if len(blocks) < 2 {
		t.Fatalf("README has %d yaml examples, want the configuration and the detect section", len(blocks))
	}
	for i, b := range blocks {
		c, err := Parse([]byte(b))
		if err != nil {
			t.Fatalf("README example %d: %v", i+1, err)
		}
		if i == 0 && (len(c.Sources) != 4 || *c.Demo) {
			t.Errorf("README example: %d sources, demo %v", len(c.Sources), *c.Demo)
		}
	}
}
