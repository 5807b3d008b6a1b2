package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"time"

	"straitwatch/ais"
	"straitwatch/internal/track"
)

// Source kinds, the values of SourceConfig.Kind.
const (
	// KindTCPClient dials a feed (host:port) and reads NMEA lines from it,
	// reconnecting with exponential backoff and jitter.
	KindTCPClient = "tcp-client"
	// KindTCPServer listens on host:port for receivers that push NMEA
	// lines; every connection has its own framing state.
	KindTCPServer = "tcp-server"
	// KindUDP listens on host:port for datagrams of one or more NMEA
	// lines.
	KindUDP = "udp"
	// KindFile replays a file or a directory of files (.nmea, .aivdm,
	// .txt, .log, each optionally gzip-compressed) in name order.
	KindFile = "file"
	// KindCSV imports an archive of decoded positions: a CSV file, a
	// gzip-compressed CSV, a zip of CSVs, or a directory of those, in the
	// NOAA Marine Cadastre or Danish Maritime Authority layout.
	KindCSV = "csv"
	// KindGenerator reads the NMEA lines that SourceConfig.Generate
	// writes, such as the built-in demo feed.
	KindGenerator = "generator"
)

// Overload policies, the values of SourceConfig.Overload.
const (
	// OverloadShed drops (and counts) a source's messages when its queue
	// is full: a live feed must not wait for a slow consumer.
	OverloadShed = "shed"
	// OverloadBlock makes the source wait for room in its queue: a replay
	// or import slows down instead of losing data.
	OverloadBlock = "block"
)

// SourceConfig configures one source. It is plain data, meant to be
// embedded in the server's configuration file; zero fields take the
// defaults stated on them.
type SourceConfig struct {
	// ID identifies the source in every fix it produces (track.Fix.Source
	// and Heard). It must be unique among the pipeline's sources; IDs
	// below 64 can be recorded in track.Fix.Heard. The default value is 0.
	ID track.SourceID `yaml:"id"`
	// Name is a short unique name, shown in health and logs. Required.
	Name string `yaml:"name"`
	// Org is the organisation that owns the source; sharing agreements
	// are decided on it.
	Org string `yaml:"org"`
	// Kind is one of "tcp-client", "tcp-server", "udp", "file", "csv" or
	// "generator". Required.
	Kind string `yaml:"kind"`
	// Address is host:port to dial (tcp-client) or to listen on
	// (tcp-server, udp; port 0 picks a free port).
	Address string `yaml:"address"`
	// Path is the file or directory to read (file, csv).
	Path string `yaml:"path"`

	// Rate replays a file at this multiple of its recorded speed, using
	// the tag-block c: times; lines without times are not delayed. The
	// default value, 0, replays as fast as possible.
	Rate float64 `yaml:"rate"`
	// Loop replays a file or directory again from the start when it ends,
	// until the pipeline stops. The default is false.
	Loop bool `yaml:"loop"`
	// Retime gives every replayed message its arrival time as event time,
	// ignoring tag-block times, so that a replay looks live (together with
	// Rate 1 and Loop). The default is false.
	Retime bool `yaml:"retime"`
	// Workers is how many goroutines decode a file replayed as fast as
	// possible, each taking 1 MiB chunks cut at message boundaries; the
	// output keeps the file's order. The default value is GOMAXPROCS.
	Workers int `yaml:"workers"`

	// Overload is "shed" (drop and count messages when the queue is full)
	// or "block" (wait for room). The default is "block" for file, csv
	// and generator sources and "shed" for network sources.
	Overload string `yaml:"overload"`
	// Queue is how many blocks of decoded messages (up to 1024 messages
	// each; a block is handed on after every read, so under light load
	// they are smaller) may wait for the pipeline. The default value is
	// 64.
	Queue int `yaml:"queue"`
	// MaxLine is the longest line accepted, in bytes, tag block and
	// prefix included; longer lines are discarded as they arrive and
	// counted as too long. The default value is 1024.
	MaxLine int `yaml:"max_line"`
	// MaxSentence is the longest sentence accepted, in characters from '!'
	// to the checksum. The default value is ais.MaxSentence (82); a
	// negative value accepts any length up to MaxLine.
	MaxSentence int `yaml:"max_sentence"`

	// MaxConns bounds the connections a tcp-server holds at once; more
	// are closed as they arrive and counted. The default value is 256.
	MaxConns int `yaml:"max_conns"`
	// IdleTimeout closes a connection that has sent nothing for this
	// long: a tcp-client then reconnects. The default value is 2 minutes
	// for tcp-client and 10 minutes for tcp-server; a negative value
	// disables it.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// KeepAlive is the TCP keep-alive idle time and probe interval, which
	// finds half-open connections. The default value is 30 seconds; a
	// negative value disables keep-alive.
	KeepAlive time.Duration `yaml:"keep_alive"`
	// DialTimeout bounds one connection attempt of a tcp-client. The
	// default value is 10 seconds.
	DialTimeout time.Duration `yaml:"dial_timeout"`
	// BackoffMin is a tcp-client's first wait before reconnecting; each
	// failure doubles it up to BackoffMax, with random jitter of up to
	// half. The default value is 1 second.
	BackoffMin time.Duration `yaml:"backoff_min"`
	// BackoffMax is the longest wait between reconnections. The default
	// value is 1 minute.
	BackoffMax time.Duration `yaml:"backoff_max"`
	// ReadBuffer is the UDP socket receive buffer, in bytes, which absorbs
	// bursts. The default value is 4 MiB (the kernel may cap it).
	ReadBuffer int `yaml:"read_buffer"`

	// Generate writes NMEA lines to w until ctx ends (generator sources;
	// not from the configuration file).
	Generate func(ctx context.Context, w io.Writer) error `yaml:"-"`
}

// Defaults of SourceConfig and PipelineConfig.
const (
	defaultQueue         = 64
	defaultMaxLine       = 1024
	defaultMaxConns      = 256
	defaultClientIdle    = 2 * time.Minute
	defaultServerIdle    = 10 * time.Minute
	defaultKeepAlive     = 30 * time.Second
	defaultDialTimeout   = 10 * time.Second
	defaultBackoffMin    = time.Second
	defaultBackoffMax    = time.Minute
	defaultReadBuffer    = 4 << 20
	defaultWindow        = 2 * time.Second
	defaultHold          = 500 * time.Millisecond
	defaultDedupEntries  = 1 << 18
	defaultPending       = 1 << 16
	defaultBatchSize     = 4096
	defaultTick          = 100 * time.Millisecond
	defaultIdleSource    = 10 * time.Second
	defaultDrainTimeout  = 5 * time.Second
	defaultFutureLimit   = time.Minute
	blockSize            = 1024 // messages per block
	minMaxLine           = 128
	maxMaxLine           = 1 << 20
	maxQueue             = 4096
	chunkSize            = 1 << 20 // file replay chunk
	maxFragmentsLookback = 16
)

// Validate reports the first problem with c, wrapped with the source's
// name.
func (c *SourceConfig) Validate() error {
	if c.Name == "" {
		return errors.New("source: name is empty")
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("source %s: %s", c.Name, fmt.Sprintf(format, args...))
	}
	switch c.Kind {
	case KindTCPClient, KindTCPServer, KindUDP:
		if c.Address == "" {
			return fail("kind %s needs an address", c.Kind)
		}
		if _, _, err := net.SplitHostPort(c.Address); err != nil {
			return fmt.Errorf("source %s: address: %w", c.Name, err)
		}
	case KindFile, KindCSV:
		if c.Path == "" {
			return fail("kind %s needs a path", c.Kind)
		}
	case KindGenerator:
		if c.Generate == nil {
			return fail("kind generator needs Generate")
		}
	case "":
		return fail("kind is empty")
	default:
		return fail("unknown kind %q", c.Kind)
	}
	switch c.Overload {
	case "", OverloadShed, OverloadBlock:
	default:
		return fail("overload %q: want shed or block", c.Overload)
	}
	if c.Rate < 0 || c.Rate != c.Rate {
		return fail("rate %v: want 0 (as fast as possible) or more", c.Rate)
	}
	if c.Rate > 0 && c.Kind != KindFile {
		return fail("rate applies to file sources only")
	}
	if c.Queue < 0 || c.Queue > maxQueue {
		return fail("queue %d: want 0 (default) to %d", c.Queue, maxQueue)
	}
	if c.MaxLine != 0 && (c.MaxLine < minMaxLine || c.MaxLine > maxMaxLine) {
		return fail("max_line %d: want %d to %d bytes", c.MaxLine, minMaxLine, maxMaxLine)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"workers", c.Workers}, {"max_conns", c.MaxConns}, {"read_buffer", c.ReadBuffer}} {
		if f.v < 0 {
			return fail("%s %d is negative", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"dial_timeout", c.DialTimeout}, {"backoff_min", c.BackoffMin}, {"backoff_max", c.BackoffMax}} {
		if f.v < 0 {
			return fail("%s %v is negative", f.name, f.v)
		}
	}
	if c.BackoffMin > 0 && c.BackoffMax > 0 && c.BackoffMin > c.BackoffMax {
		return fail("backoff_min %v exceeds backoff_max %v", c.BackoffMin, c.BackoffMax)
	}
	return nil
}

// withDefaults returns c with every zero field set to its default.
func (c SourceConfig) withDefaults() SourceConfig {
	if c.Overload == "" {
		c.Overload = OverloadShed
		if c.Kind == KindFile || c.Kind == KindCSV || c.Kind == KindGenerator {
			c.Overload = OverloadBlock
		}
	}
	if c.Queue == 0 {
		c.Queue = defaultQueue
	}
	if c.MaxLine == 0 {
		c.MaxLine = defaultMaxLine
	}
	if c.MaxSentence == 0 {
		c.MaxSentence = ais.MaxSentence
	}
	if c.MaxConns == 0 {
		c.MaxConns = defaultMaxConns
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = defaultServerIdle
		if c.Kind == KindTCPClient {
			c.IdleTimeout = defaultClientIdle
		}
	}
	if c.KeepAlive == 0 {
		c.KeepAlive = defaultKeepAlive
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = defaultDialTimeout
	}
	if c.BackoffMin == 0 {
		c.BackoffMin = defaultBackoffMin
		if c.BackoffMax > 0 && c.BackoffMax < c.BackoffMin {
			c.BackoffMin = c.BackoffMax
		}
	}
	if c.BackoffMax == 0 {
		c.BackoffMax = max(defaultBackoffMax, c.BackoffMin)
	}
	if c.ReadBuffer == 0 {
		c.ReadBuffer = defaultReadBuffer
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// PipelineConfig configures the pipeline that joins the sources. Zero
// fields take the defaults stated on them.
type PipelineConfig struct {
	// Window is the de-duplication window in event time: a message whose
	// payload equals one seen less than Window earlier or later is a
	// duplicate. The default value is 2 seconds; a negative value turns
	// de-duplication off.
	Window time.Duration `yaml:"window"`
	// Hold is the longest a message waits, in arrival (clock) time, for
	// copies from other receivers before it is passed on, so that its
	// fix can name every receiver that heard it. A message is passed on
	// sooner once every active source's watermark is Window past it. The
	// default value is 500 milliseconds; a negative value passes messages
	// on at once (copies are still dropped, but not recorded in Heard).
	// Fixes of distress devices (AIS-SART, MOB, EPIRB-AIS) and of status
	// 14 are never held: their alarm must not wait.
	Hold time.Duration `yaml:"hold"`
	// DedupEntries bounds the payloads remembered for de-duplication
	// (about 40 bytes each); the oldest are forgotten first. The default
	// value is 262144.
	DedupEntries int `yaml:"dedup_entries"`
	// Pending bounds the messages held for copies (see Hold); when it is
	// full the oldest is passed on. The default value is 65536.
	Pending int `yaml:"pending"`
	// BatchSize is the most fixes plus static records in one Batch. The
	// default value is 4096.
	BatchSize int `yaml:"batch_size"`
	// Tick is how often held messages are checked and rates updated. The
	// default value is 100 milliseconds.
	Tick time.Duration `yaml:"tick"`
	// IdleSource leaves a source that has delivered nothing for this long
	// (clock time) out of the pipeline watermark, so a silent receiver
	// does not hold the others back. The default value is 10 seconds.
	IdleSource time.Duration `yaml:"idle_source"`
	// FutureLimit is how far ahead of the clock an event time may be and
	// still advance its source's watermark; later times (a receiver with a
	// wrong clock) pass through but are counted. The default value is 1
	// minute.
	FutureLimit time.Duration `yaml:"future_limit"`
	// DrainTimeout bounds how long Run spends handing the last batches to
	// the sink after its context is cancelled. The default value is 5
	// seconds.
	DrainTimeout time.Duration `yaml:"drain_timeout"`

	// Clock returns the current time: arrival times, idle and hold
	// decisions and rates all use it. The default is time.Now.
	Clock func() time.Time `yaml:"-"`
	// Logger receives connection events (accepted, closed, reconnecting)
	// at debug and info level. The default discards them.
	Logger *slog.Logger `yaml:"-"`
}

// Validate reports the first problem with c.
func (c *PipelineConfig) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"dedup_entries", c.DedupEntries}, {"pending", c.Pending}, {"batch_size", c.BatchSize}} {
		if f.v < 0 {
			return fmt.Errorf("pipeline: %s %d is negative", f.name, f.v)
		}
	}
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"tick", c.Tick}, {"idle_source", c.IdleSource}, {"future_limit", c.FutureLimit}, {"drain_timeout", c.DrainTimeout}} {
		if f.v < 0 {
			return fmt.Errorf("pipeline: %s %v is negative", f.name, f.v)
		}
	}
	return nil
}

func (c PipelineConfig) withDefaults() PipelineConfig {
	if c.Window == 0 {
		c.Window = defaultWindow
	}
	if c.Hold == 0 {
		c.Hold = defaultHold
	}
	if c.DedupEntries == 0 {
		c.DedupEntries = defaultDedupEntries
	}
	if c.Pending == 0 {
		c.Pending = defaultPending
	}
	if c.BatchSize == 0 {
		c.BatchSize = defaultBatchSize
	}
	if c.Tick == 0 {
		c.Tick = defaultTick
	}
	if c.IdleSource == 0 {
		c.IdleSource = defaultIdleSource
	}
	if c.FutureLimit == 0 {
		c.FutureLimit = defaultFutureLimit
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = defaultDrainTimeout
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
