// Package events keeps the events the detectors raise: the latest state
// of each, in memory for a recent window and in the store for as long as
// the store keeps documents; the acknowledgements and comments watch
// officers add to them; and the live stream of changes to subscribers.
//
// A Book is fed by one goroutine (the detection stage) through Apply and
// read by any number of others.
package events

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"straitwatch/internal/detect"
	"straitwatch/internal/geo"
	"straitwatch/internal/store"
)

// DocKind is the store document kind of events.
const DocKind = "event"

// ErrNotFound is returned (wrapped) for an event ID the book does not
// hold.
var ErrNotFound = errors.New("event not found")

// Ack is a watch officer's acknowledgement of an event, with an optional
// comment.
type Ack struct {
	Time    int64  `json:"time"` // wall-clock UNIX ms
	By      string `json:"by"`   // the organisation (and, with accounts, the user)
	Comment string `json:"comment,omitempty"`
}

// MaxComment is the longest comment accepted, in bytes.
const MaxComment = 2000

// Record is an event as the book keeps and serves it: its latest state,
// its severity and the acknowledgements added to it.
type Record struct {
	detect.Event
	Severity string `json:"severity"`
	Acks     []Ack  `json:"acks,omitempty"`
}

// Filter selects records. Zero fields select everything.
type Filter struct {
	Types  []detect.Type
	From   int64    // events still going on at or after From (UNIX ms)
	To     int64    // events that started before To; 0 = no bound
	Box    *geo.Box // events whose position lies in Box
	MMSI   uint32   // events that involve MMSI
	Zone   string   // events in the zone with this ID
	States []detect.State
	Limit  int // at most this many, newest start first; 0 = no limit
}

// Match reports whether r passes f.
func (f *Filter) Match(r *Record) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, r.Type) {
		return false
	}
	if len(f.States) > 0 && !slices.Contains(f.States, r.State) {
		return false
	}
	if f.To > 0 && r.Start >= f.To {
		return false
	}
	if f.From > 0 && r.End != 0 && r.End < f.From {
		return false
	}
	if f.Box != nil && !f.Box.Contains(r.Lat, r.Lon) {
		return false
	}
	if f.MMSI != 0 && !slices.Contains(r.Vessels, f.MMSI) {
		return false
	}
	if f.Zone != "" && r.Zone != f.Zone {
		return false
	}
	return true
}

// Docs is the part of the store the book uses; *store.DB satisfies it.
type Docs interface {
	PutDoc(store.Doc) error
	Docs(ctx context.Context, kind string, from, to int64, limit int) ([]store.Doc, error)
}

// Config configures a Book.
type Config struct {
	// Store keeps every state change; nil keeps events in memory only.
	Store Docs
	// Window is how far back, by event start, the book keeps events in
	// memory; older ones are read from the store. The default value is
	// 7 days.
	Window time.Duration
	// MaxRecords bounds the events kept in memory; beyond it the oldest
	// are dropped from memory (not from the store). The default value is
	// 200,000.
	MaxRecords int
	// Buffer is the number of changes a subscriber may fall behind before
	// changes are dropped for it (and counted). The default value is 4096.
	Buffer int
	// Now is the wall clock, for acknowledgements. The default value is
	// time.Now.
	Now func() time.Time
}

// Book is the record of events. It is safe for concurrent use.
type Book struct {
	cfg Config

	mu     sync.RWMutex
	byID   map[string]*Record
	latest int64 // newest event start seen, UNIX ms: the book's event-time clock
	swept  int64 // latest at the last sweep of the window
	subs   map[*Subscription]struct{}
}

// Open returns a book with the recent events of cfg.Store loaded.
func Open(ctx context.Context, cfg Config) (*Book, error) {
	if cfg.Window <= 0 {
		cfg.Window = 7 * 24 * time.Hour
	}
	if cfg.MaxRecords <= 0 {
		cfg.MaxRecords = 200_000
	}
	if cfg.Buffer <= 0 {
		cfg.Buffer = 4096
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	b := &Book{cfg: cfg, byID: make(map[string]*Record), subs: make(map[*Subscription]struct{})}
	if cfg.Store == nil {
		return b, nil
	}
	from := cfg.Now().Add(-cfg.Window).UnixMilli()
	docs, err := cfg.Store.Docs(ctx, DocKind, from, 1<<62, 0)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	for _, d := range docs {
		var r Record
		if err := json.Unmarshal(d.Body, &r); err != nil {
			return nil, fmt.Errorf("events: stored event %s: %w", d.ID, err)
		}
		b.byID[r.ID] = &r
		b.latest = max(b.latest, r.Start)
	}
	b.trim()
	return b, nil
}

// Apply records a batch of event changes, stores them and sends them to
// subscribers. A change keeps the acknowledgements already given. It
// returns the first store error; the changes are recorded in memory and
// sent all the same.
func (b *Book) Apply(evs []detect.Event) error {
	if len(evs) == 0 {
		return nil
	}
	recs := make([]Record, len(evs))
	var errs []error
	b.mu.Lock()
	for i := range evs {
		r := &recs[i]
		r.Event = evs[i]
		r.Severity = r.Event.Severity()
		if old := b.byID[r.ID]; old != nil {
			r.Acks = old.Acks
		}
		keep := *r
		b.byID[r.ID] = &keep
		b.latest = max(b.latest, r.Start)
		if err := b.put(r); err != nil && len(errs) == 0 {
			errs = append(errs, err)
		}
	}
	b.trim()
	for s := range b.subs {
		s.offer(recs)
	}
	b.mu.Unlock()
	return errors.Join(errs...)
}

// put stores r. Under mu.
func (b *Book) put(r *Record) error {
	if b.cfg.Store == nil {
		return nil
	}
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("events: %s: %w", r.ID, err)
	}
	if err := b.cfg.Store.PutDoc(store.Doc{Kind: DocKind, ID: r.ID, Time: r.Start, Body: body}); err != nil {
		return fmt.Errorf("events: %s: %w", r.ID, err)
	}
	return nil
}

// trim drops from memory the closed events that started before the
// window, sweeping at most once per hundredth of the window of event
// time, then the oldest beyond MaxRecords. Under mu.
func (b *Book) trim() {
	window := b.cfg.Window.Milliseconds()
	if b.latest-b.swept >= window/100 {
		b.swept = b.latest
		cut := b.latest - window
		for id, r := range b.byID {
			if r.Start < cut && r.End != 0 {
				delete(b.byID, id)
			}
		}
	}
	if n := len(b.byID) - b.cfg.MaxRecords; n > 0 {
		// Drop a tenth more than needed, so that the sort is rare.
		n = min(len(b.byID), n+b.cfg.MaxRecords/10)
		all := make([]*Record, 0, len(b.byID))
		for _, r := range b.byID {
			all = append(all, r)
		}
		slices.SortFunc(all, func(x, y *Record) int { return cmp.Compare(x.Start, y.Start) })
		for _, r := range all[:n] {
			delete(b.byID, r.ID)
		}
	}
}

// Len returns the number of events held in memory.
func (b *Book) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.byID)
}

// Get returns the record of one event.
func (b *Book) Get(ctx context.Context, id string) (Record, error) {
	b.mu.RLock()
	r, ok := b.byID[id]
	var out Record
	if ok {
		out = r.clone()
	}
	b.mu.RUnlock()
	if ok {
		return out, nil
	}
	if b.cfg.Store != nil {
		if d, err := b.docByID(ctx, id); err == nil {
			return d, nil
		}
	}
	return Record{}, fmt.Errorf("%q: %w", id, ErrNotFound)
}

// docByID looks an event up in the store.
func (b *Book) docByID(ctx context.Context, id string) (Record, error) {
	s, ok := b.cfg.Store.(interface {
		Doc(ctx context.Context, kind, id string) (store.Doc, error)
	})
	if !ok {
		return Record{}, ErrNotFound
	}
	d, err := s.Doc(ctx, DocKind, id)
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(d.Body, &r); err != nil {
		return Record{}, fmt.Errorf("stored event %s: %w", id, err)
	}
	return r, nil
}

func (r *Record) clone() Record {
	c := *r
	c.Vessels = slices.Clone(r.Vessels)
	c.Acks = slices.Clone(r.Acks)
	c.Evidence.Fixes = slices.Clone(r.Evidence.Fixes)
	c.Evidence.Figures = slices.Clone(r.Evidence.Figures)
	return c
}

// Query returns the records f selects, newest start first (then by ID).
// Events older than the memory window are read from the store.
func (b *Book) Query(ctx context.Context, f Filter) ([]Record, error) {
	var out []Record
	b.mu.RLock()
	for _, r := range b.byID {
		if f.Match(r) {
			out = append(out, r.clone())
		}
	}
	windowStart := b.latest - b.cfg.Window.Milliseconds()
	b.mu.RUnlock()
	if b.cfg.Store != nil && f.From > 0 && f.From < windowStart {
		to := windowStart
		if f.To > 0 {
			to = min(to, f.To)
		}
		docs, err := b.cfg.Store.Docs(ctx, DocKind, f.From, to, 0)
		if err != nil {
			return nil, fmt.Errorf("events: %w", err)
		}
		seen := make(map[string]bool, len(out))
		for _, r := range out {
			seen[r.ID] = true
		}
		for _, d := range docs {
			if seen[d.ID] {
				continue
			}
			var r Record
			if err := json.Unmarshal(d.Body, &r); err != nil {
				return nil, fmt.Errorf("events: stored event %s: %w", d.ID, err)
			}
			if f.Match(&r) {
				out = append(out, r)
			}
		}
	}
	slices.SortFunc(out, func(x, y Record) int {
		if c := cmp.Compare(y.Start, x.Start); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// Acknowledge adds a to the event id, stores it, sends the updated record
// to subscribers and returns it. a.Time is set from the clock when zero.
func (b *Book) Acknowledge(ctx context.Context, id string, a Ack) (Record, error) {
	if len(a.Comment) > MaxComment {
		return Record{}, fmt.Errorf("comment of %d bytes: the limit is %d", len(a.Comment), MaxComment)
	}
	if a.Time == 0 {
		a.Time = b.cfg.Now().UnixMilli()
	}
	b.mu.RLock()
	_, held := b.byID[id]
	b.mu.RUnlock()
	var stored Record
	if !held {
		var err error
		if stored, err = b.Get(ctx, id); err != nil {
			return Record{}, err
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.byID[id]
	if !ok {
		r = &stored
		b.byID[id] = r
	}
	r.Acks = append(r.Acks, a)
	if err := b.put(r); err != nil {
		r.Acks = r.Acks[:len(r.Acks)-1]
		return Record{}, err
	}
	out := r.clone()
	for s := range b.subs {
		s.offer([]Record{out})
	}
	return out, nil
}
