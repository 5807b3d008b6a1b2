package ingest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"sync"
	"sync/atomic"

	"straitwatch/ais"
	"straitwatch/internal/track"
)

// ErrRunning is returned by Run when the source or pipeline is already
// running.
var ErrRunning = errors.New("already running")

// Reject classes beyond ais.Reason: problems of CSV archive rows. Reject
// counters are indexed by ais.Reason below numAISReasons and by these
// above it.
const (
	numAISReasons = 32 // room for every ais.Reason
	csvSyntax     = numAISReasons + iota
	csvFields
	csvMMSI
	csvTime
	csvPosition
	numRejects
)

var csvRejectKeys = [...]string{
	csvSyntax - numAISReasons:   "csv_syntax",
	csvFields - numAISReasons:   "csv_fields",
	csvMMSI - numAISReasons:     "csv_mmsi",
	csvTime - numAISReasons:     "csv_time",
	csvPosition - numAISReasons: "csv_position",
}

func rejectKey(i int) string {
	if i >= numAISReasons {
		return csvRejectKeys[i-numAISReasons]
	}
	return ais.Reason(i).Key()
}

// SourceHealth is a snapshot of one source's state and counters, for the
// API and metrics. Counters run from the pipeline's creation. Times are
// UNIX milliseconds, 0 when there is none yet.
//
// The counters add up: every line ends in Skipped, Rejects or a message
// (a fragment of a multi-sentence message is a line of Sentences that
// ends in a later message or in Incomplete); every message ends in Shed,
// Duplicates or Delivered, once the pipeline has taken it.
type SourceHealth struct {
	ID   track.SourceID `json:"id"`
	Name string         `json:"name"`
	Org  string         `json:"org"`
	Kind string         `json:"kind"`
	// Address is the listening address (as bound), the dialled address
	// or the path.
	Address string `json:"address,omitempty"`
	// Running reports whether the source's Run is active.
	Running bool `json:"running"`
	// Connected reports whether a tcp-client has a connection, a
	// tcp-server holds at least one, a UDP socket is listening or a file
	// is being read.
	Connected bool `json:"connected"`
	// Connections is the number of connections open now.
	Connections int64 `json:"connections"`
	// ConnectionsTotal counts the connections made or accepted.
	ConnectionsTotal uint64 `json:"connections_total"`
	// ConnectionsRefused counts connections closed at once because the
	// server held MaxConns already.
	ConnectionsRefused uint64 `json:"connections_refused"`
	// Errors counts connection, dial and read errors (including idle
	// timeouts and truncated files).
	Errors uint64 `json:"errors"`
	// LastError is the most recent of them; empty when none.
	LastError string `json:"last_error,omitempty"`

	// Bytes counts the bytes read from the network or from disk (before
	// decompression, so that Bytes / SizeBytes is a file's progress).
	Bytes uint64 `json:"bytes"`
	// SizeBytes is the total size of the files a file or csv source
	// reads, for progress; 0 for other sources.
	SizeBytes int64 `json:"size_bytes,omitempty"`
	// Lines counts lines read, or CSV rows after the header.
	Lines uint64 `json:"lines"`
	// Skipped counts blank lines and '#' comments.
	Skipped uint64 `json:"skipped"`
	// Sentences counts lines that parsed as AIS sentences.
	Sentences uint64 `json:"sentences"`
	// Messages counts messages decoded, or CSV rows accepted.
	Messages uint64 `json:"messages"`
	// MessagesPerSecond is a moving rate of Messages, over about the last
	// five seconds.
	MessagesPerSecond float64 `json:"messages_per_second"`
	// LastMessage is the arrival time of the latest message.
	LastMessage int64 `json:"last_message"`
	// Incomplete counts multi-sentence messages that never completed
	// (also in Rejects as "expired").
	Incomplete uint64 `json:"incomplete"`
	// Rejects counts rejected lines and messages by reason: the
	// ais.Reason keys ("checksum", "too_long_line", ...) and CSV problems
	// ("csv_syntax", "csv_fields", "csv_mmsi", "csv_time",
	// "csv_position"). Reasons with no rejects are left out.
	Rejects map[string]uint64 `json:"rejects"`
	// RejectsTotal is the sum of Rejects.
	RejectsTotal uint64 `json:"rejects_total"`

	// Shed counts messages dropped because the source's queue was full
	// (or the pipeline was stopping).
	Shed uint64 `json:"shed"`
	// Duplicates counts messages dropped as copies of one already heard
	// (for CSV: rows whose static data repeat the previous row's).
	Duplicates uint64 `json:"duplicates"`
	// Delivered counts messages passed on: Fixes and Statics are what
	// they carried; the rest (safety, binary, base station without
	// position, ...) are decoded and counted but not forwarded.
	Delivered uint64 `json:"delivered"`
	// Fixes counts the position fixes passed on.
	Fixes uint64 `json:"fixes"`
	// Statics counts the static-data records passed on.
	Statics uint64 `json:"statics"`
	// Watermark is the latest event time of this source's messages
	// (excluding those beyond the future limit).
	Watermark int64 `json:"watermark"`
	// Late counts messages whose event time was more than the pipeline's
	// window behind the watermark when they arrived; they are passed on.
	Late uint64 `json:"late"`
	// Future counts messages whose event time was beyond the pipeline's
	// future limit; they are passed on but do not move the watermark.
	Future uint64 `json:"future"`
}

// counts are a framer's or importer's local counters, added to the
// source's shared ones at every flush.
type counts struct {
	lines, skipped, sentences, messages, incomplete uint64
	rejects                                         [numRejects]uint64
	anyReject                                       bool
	lastMsg                                         int64 // arrival of the latest message, UNIX ms
}

func (c *counts) reject(i int) {
	c.rejects[i]++
	c.anyReject = true
}

// sourceCounters are a source's shared counters.
type sourceCounters struct {
	bytes, lines, skipped, sentences, messages, incomplete atomic.Uint64
	rejects                                                [numRejects]atomic.Uint64
	lastMsg                                                atomic.Int64
	conns                                                  atomic.Int64
	connsTotal, connsRefused, errors                       atomic.Uint64
	connected                                              atomic.Bool
	size                                                   atomic.Int64
	shed, dups, delivered, fixes, statics, late, future    atomic.Uint64
	watermark                                              atomic.Int64
	rate                                                   atomic.Uint64 // float64 bits
}

// Source is one configured input. The Pipeline makes its sources from
// their configurations and runs them; Health may be called at any time.
type Source struct {
	cfg   SourceConfig
	p     *Pipeline
	q     chan *block // blocks waiting for the pipeline
	block bool        // wait for room in q rather than shed
	chunk int         // file replay chunk size (tests make it small)

	running   atomic.Bool
	ended     atomic.Bool // set by the pipeline when Run has returned
	ready     chan struct{}
	readyOnce sync.Once

	mu      sync.Mutex // guards addr and lastErr
	addr    net.Addr
	lastErr string

	c sourceCounters

	// Owned by the pipeline's Run goroutine.
	lastSeen  int64  // clock ms when a block last arrived; 0 before the first
	rateAt    int64  // clock ms of the last rate sample
	rateCount uint64 // Messages at that sample
	rateInit  bool
}

func newSource(p *Pipeline, cfg SourceConfig) *Source {
	return &Source{
		cfg:   cfg,
		p:     p,
		q:     make(chan *block, cfg.Queue),
		block: cfg.Overload == OverloadBlock,
		chunk: chunkSize,
		ready: make(chan struct{}),
	}
}

// ID returns the source's ID.
func (s *Source) ID() track.SourceID { return s.cfg.ID }

// Name returns the source's name.
func (s *Source) Name() string { return s.cfg.Name }

// Config returns the source's configuration, with defaults applied.
func (s *Source) Config() SourceConfig { return s.cfg }

// Addr returns the address a tcp-server or udp source listens on, or nil
// before it listens (and for other kinds).
func (s *Source) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Ready returns a channel that is closed once the source is listening
// (tcp-server, udp) or has started (other kinds).
func (s *Source) Ready() <-chan struct{} { return s.ready }

func (s *Source) markReady() { s.readyOnce.Do(func() { close(s.ready) }) }

func (s *Source) setAddr(a net.Addr) {
	s.mu.Lock()
	s.addr = a
	s.mu.Unlock()
}

// noteErr counts err and remembers it as the last error.
func (s *Source) noteErr(err error) {
	s.c.errors.Add(1)
	s.mu.Lock()
	s.lastErr = err.Error()
	s.mu.Unlock()
}

// Run reads the source until ctx is done or, for file and csv sources
// without Loop, until the input ends. Pipeline.Run runs it; its output
// goes to the pipeline's queue, which only Pipeline.Run drains. Run
// returns nil when ctx ends it, and errors that stop the source (a port
// that cannot be bound, a missing file) wrapped with the source's name.
// Errors it recovers from (lost connections, a truncated file among
// several) are counted in Health; those of files are also returned, joined,
// at the end.
func (s *Source) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return fmt.Errorf("source %s: %w", s.cfg.Name, ErrRunning)
	}
	defer s.running.Store(false)
	var err error
	switch s.cfg.Kind {
	case KindTCPClient:
		err = s.runTCPClient(ctx)
	case KindTCPServer:
		err = s.runTCPServer(ctx)
	case KindUDP:
		err = s.runUDP(ctx)
	case KindFile:
		err = s.runFile(ctx)
	case KindCSV:
		err = s.runCSV(ctx)
	case KindGenerator:
		err = s.runGenerator(ctx)
	default:
		err = fmt.Errorf("unknown kind %q", s.cfg.Kind)
	}
	s.markReady()
	if err != nil {
		return fmt.Errorf("source %s: %w", s.cfg.Name, err)
	}
	return nil
}

// fold adds a framer's local counts to the source's and clears them.
func (s *Source) fold(c *counts) {
	add := func(a *atomic.Uint64, v uint64) {
		if v != 0 {
			a.Add(v)
		}
	}
	add(&s.c.lines, c.lines)
	add(&s.c.skipped, c.skipped)
	add(&s.c.sentences, c.sentences)
	add(&s.c.messages, c.messages)
	add(&s.c.incomplete, c.incomplete)
	if c.anyReject {
		for i, v := range c.rejects {
			add(&s.c.rejects[i], v)
		}
	}
	if c.lastMsg > s.c.lastMsg.Load() {
		s.c.lastMsg.Store(c.lastMsg)
	}
	*c = counts{}
}

// deliver hands b to the pipeline, waiting for room or shedding as the
// source's overload policy says. It takes ownership of b.
func (s *Source) deliver(ctx context.Context, b *block) {
	if b.msgs == 0 {
		s.p.putBlock(b)
		return
	}
	b.src = s
	select {
	case s.q <- b:
		s.p.wake()
		return
	default:
	}
	if s.block {
		select {
		case s.q <- b:
			s.p.wake()
			return
		case <-ctx.Done():
		}
	}
	s.c.shed.Add(uint64(b.msgs))
	s.p.putBlock(b)
}

// Health returns a snapshot of the source's state and counters.
func (s *Source) Health() SourceHealth {
	c := &s.c
	h := SourceHealth{
		ID:                 s.cfg.ID,
		Name:               s.cfg.Name,
		Org:                s.cfg.Org,
		Kind:               s.cfg.Kind,
		Address:            s.cfg.Address,
		Running:            s.running.Load(),
		Connected:          c.connected.Load(),
		Connections:        c.conns.Load(),
		ConnectionsTotal:   c.connsTotal.Load(),
		ConnectionsRefused: c.connsRefused.Load(),
		Errors:             c.errors.Load(),
		Bytes:              c.bytes.Load(),
		SizeBytes:          c.size.Load(),
		Lines:              c.lines.Load(),
		Skipped:            c.skipped.Load(),
		Sentences:          c.sentences.Load(),
		Messages:           c.messages.Load(),
		MessagesPerSecond:  math.Float64frombits(c.rate.Load()),
		LastMessage:        c.lastMsg.Load(),
		Incomplete:         c.incomplete.Load(),
		Rejects:            make(map[string]uint64),
		Shed:               c.shed.Load(),
		Duplicates:         c.dups.Load(),
		Delivered:          c.delivered.Load(),
		Fixes:              c.fixes.Load(),
		Statics:            c.statics.Load(),
		Watermark:          c.watermark.Load(),
		Late:               c.late.Load(),
		Future:             c.future.Load(),
	}
	if s.cfg.Kind == KindFile || s.cfg.Kind == KindCSV {
		h.Address = s.cfg.Path
	}
	s.mu.Lock()
	if s.addr != nil {
		h.Address = s.addr.String()
	}
	h.LastError = s.lastErr
	s.mu.Unlock()
	for i := range c.rejects {
		if v := c.rejects[i].Load(); v != 0 {
			h.Rejects[rejectKey(i)] += v
			h.RejectsTotal += v
		}
	}
	return h
}
