// Package config is straitwatch's server configuration: one typed struct,
// loaded once from a YAML file (strictly: unknown keys are errors), filled
// with defaults, validated, and passed down. Flags override it in main.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"time"

	"go.yaml.in/yaml/v3"

	"straitwatch/internal/detect"
	"straitwatch/internal/ingest"
)

// Config is the whole server configuration.
type Config struct {
	// DataDir holds the store. The default value is "straitwatch-data" in
	// the working directory.
	DataDir string `yaml:"data_dir"`
	// HTTP configures the API server.
	HTTP HTTP `yaml:"http"`
	// Org is the built-in organisation every caller belongs to until
	// accounts and sharing agreements arrive. The default value is
	// "local".
	Org string `yaml:"org"`
	// Demo adds the built-in demo feed as a source: the simulator's demo
	// scenario of the default region (internal/sim), played in real time.
	// The default is on when no sources are configured, off otherwise.
	Demo *bool `yaml:"demo"`
	// Sources are the feeds, receivers and files to ingest.
	Sources []ingest.SourceConfig `yaml:"sources"`
	// Pipeline tunes de-duplication, batching and watermarks.
	Pipeline ingest.PipelineConfig `yaml:"pipeline"`
	// Store tunes persistence.
	Store Store `yaml:"store"`
	// Detect configures behaviour detection.
	Detect Detect `yaml:"detect"`
	// VesselTTL drops a vessel from the live picture when nothing has been
	// heard from it for this long (its history stays in the store). The
	// default value is 24 hours.
	VesselTTL time.Duration `yaml:"vessel_ttl"`
	// LogLevel is "debug", "info", "warn" or "error". The default value
	// is "info".
	LogLevel string `yaml:"log_level"`
}

// HTTP configures the API server.
type HTTP struct {
	// Addr is the listen address. The default value is "127.0.0.1:8080";
	// use ":8080" to serve other machines.
	Addr string `yaml:"addr"`
}

// Detect configures behaviour detection: zones, detector thresholds and
// the detection stage beside ingest.
type Detect struct {
	// Enabled runs the detectors. The default is on.
	Enabled *bool `yaml:"enabled"`
	// Preset names the detector thresholds: "strait" (the default, tuned
	// for narrow, busy waters), "gfw" or "skylight" (those systems'
	// published definitions).
	Preset string `yaml:"preset"`
	// Zones is a GeoJSON zone set to use instead of the embedded default
	// region (the Strait of Hormuz); empty uses the default.
	Zones string `yaml:"zones"`
	// ExtraZones are GeoJSON zone sets added to the zones above, such as
	// an exercise's restricted areas (`straitwatch simulate -zones`).
	ExtraZones []string `yaml:"extra_zones"`
	// Shards is the number of goroutines the per-vessel detectors run on.
	// The default value is the number of CPUs, at most 8.
	Shards int `yaml:"shards"`
	// Queue is how many ingest batches detection may fall behind before
	// ingest waits for it; it bounds the delay of events under overload. The default value is 4.
	Queue int `yaml:"queue"`
}

// Store configures persistence.
type Store struct {
	// Retention is how long fixes are kept. The default value is 30 days
	// (720h).
	Retention time.Duration `yaml:"retention"`
	// SyncInterval is the longest an appended fix waits to be fsynced.
	// The default value is 200 milliseconds.
	SyncInterval time.Duration `yaml:"sync_interval"`
}

// Default returns the configuration used when there is no file.
func Default() Config {
	var c Config
	c.fill()
	return c
}

// fill sets defaults on zero fields.
func (c *Config) fill() {
	if c.DataDir == "" {
		c.DataDir = "straitwatch-data"
	}
	if c.HTTP.Addr == "" {
		c.HTTP.Addr = "127.0.0.1:8080"
	}
	if c.Org == "" {
		c.Org = "local"
	}
	if c.Demo == nil {
		on := len(c.Sources) == 0
		c.Demo = &on
	}
	if c.Store.Retention == 0 {
		c.Store.Retention = 30 * 24 * time.Hour
	}
	if c.Store.SyncInterval == 0 {
		c.Store.SyncInterval = 200 * time.Millisecond
	}
	if c.VesselTTL == 0 {
		c.VesselTTL = 24 * time.Hour
	}
	if c.LogLevel == "" {
		c.LogLevel = "info"
	}
	if c.Detect.Enabled == nil {
		on := true
		c.Detect.Enabled = &on
	}
	if c.Detect.Preset == "" {
		c.Detect.Preset = "strait"
	}
	if c.Detect.Shards == 0 {
		c.Detect.Shards = min(runtime.NumCPU(), 8)
	}
	if c.Detect.Queue == 0 {
		c.Detect.Queue = 4
	}
}

// Load reads the file at path, strictly, and returns it with defaults
// filled in and validated.
func Load(path string) (Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return Parse(raw)
}

// Parse is Load on bytes.
func Parse(raw []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // empty file: all defaults
		return Config{}, fmt.Errorf("config: %w", err)
	}
	c.fill()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate reports the first problem with c.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		return fmt.Errorf("config: http.addr %q: %w", c.HTTP.Addr, err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	if c.Store.Retention < time.Hour {
		return fmt.Errorf("config: store.retention %v: want at least 1h", c.Store.Retention)
	}
	if c.Store.SyncInterval < 0 {
		return fmt.Errorf("config: store.sync_interval %v is negative", c.Store.SyncInterval)
	}
	if c.VesselTTL < time.Minute {
		return fmt.Errorf("config: vessel_ttl %v: want at least 1m", c.VesselTTL)
	}
	names := map[string]bool{}
	ids := map[uint16]bool{}
	for i := range c.Sources {
		s := &c.Sources[i]
		if err := s.Validate(); err != nil {
			return fmt.Errorf("config: sources[%d]: %w", i, err)
		}
		if names[s.Name] {
			return fmt.Errorf("config: sources[%d]: name %q used twice", i, s.Name)
		}
		if ids[uint16(s.ID)] {
			return fmt.Errorf("config: sources[%d]: id %d used twice", i, s.ID)
		}
		names[s.Name], ids[uint16(s.ID)] = true, true
	}
	if err := c.Pipeline.Validate(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if _, err := detect.Preset(c.Detect.Preset); err != nil {
		return fmt.Errorf("config: detect.preset: %w", err)
	}
	if c.Detect.Shards < 1 || c.Detect.Shards > 256 {
		return fmt.Errorf("config: detect.shards %d: want 1 to 256", c.Detect.Shards)
	}
	if c.Detect.Queue < 1 {
		return fmt.Errorf("config: detect.queue %d: want at least 1", c.Detect.Queue)
	}
	return nil
}
